/**
 * The flow engine: `advance(flow, state, message, ctx) → { state, replies, outcome }`.
 * Pure — it never sends or stores; the core persists the state and writes the
 * replies to the outbox. Built in for every flow: 取消 (cancel), 返回 (back one step),
 * 跳过 (skip an optional step), re-asking with a hint on bad input (with an offer
 * to cancel from the third failure on), and a final summary with confirm / edit.
 */
import { say, sayKey, type Say } from "../prompts/catalog.js";
import { pickChoice, yesNo } from "./answers.js";
import { trimTrailing } from "./understand.js";
import { parseSmallNumber } from "../time/chinese-date.js";
import type { Answers, FlowDef, InputContext, Json, StepDef, StepMessage } from "./flow-types.js";

export type FlowPosition =
  | { kind: "step"; stepId: string }
  | { kind: "summary" }
  | { kind: "edit" };

export interface FlowState {
  flowId: string;
  at: FlowPosition;
  answers: Answers;
  skipped: string[];
  failures: number;
  /** Photos collected so far on a multi-photo step. */
  draft?: Json[];
  /**
   * Set while asking whether to abandon this flow for another — or, when `flowId` is
   * this flow's own, whether to continue or start again; `answers` prefill the new one.
   */
  abandonFor?: { flowId: string; title: string; answers?: Answers };
}

export interface Reply {
  text: string;
  choices: string[];
  file?: string;
  image?: string;
}

export type Outcome = "completed" | "cancelled" | "abandoned";

export interface EngineResult {
  /** The new state; `null` when the dialog is over. */
  state: FlowState | null;
  replies: Reply[];
  outcome?: Outcome;
  /** On "completed": the answers along the taken path. */
  answers?: Answers;
  /** On "abandoned": what the flow to start instead already knows. */
  startAnswers?: Answers;
  /** On "abandoned": the flow to start instead. */
  startFlow?: string;
}

export const STRIKES_BEFORE_CANCEL_OFFER = 3;
export const CANCEL_WORDS = ["取消", "退出", "不填了", "结束", "算了", "不报了", "不要了", "不弄了", "取消吧", "算了吧", "不用了", "取消上报", "撤销", "撤回", "不上报了", "cancel", "取消填写"];
export const BACK_WORDS = ["返回", "上一步", "后退", "返回上一步", "回到上一步", "退回上一步", "上一项", "返回上一项", "改上一步"];
/** The first two always mean "skip"; the others only on an optional step (`默认` keeps the default, `没有照片` at a photo step). */
export const SKIP_WORDS = ["跳过", "略过", "不填", "无", "默认", "按默认", "默认期限", "按默认期限", "没有", "暂无", "略", "没有照片", "无照片", "没照片", "不拍了", "不用了", "不需要"];
/** Mid-dialog: change an item already filled. */
export const EDIT_WORDS = ["修改", "我要修改", "要修改", "改一下", "更改", "修改一下"];
/** At a photo step: the photos sent are all (with none sent yet, a skip word skips the step). */
export const DONE_WORDS = ["完成", "完成了", "好了", "好", "好的", "没有了", "没了", "发完了", "发好了", "传完了", "就这些", "就这么多", "完毕", "可以了", "ok", "结束上传", "上传完毕"];

export interface EngineContext extends Omit<InputContext, "answers"> {}

function step(flow: FlowDef<any>, id: string): StepDef {
  const s = flow.steps.find((x) => x.id === id);
  if (!s) throw new Error(`flow ${flow.id}: no step ${id}`);
  return s;
}

function nextId(flow: FlowDef<any>, s: StepDef, answers: Answers): string | null {
  if (s.next) return s.next(answers);
  const i = flow.steps.indexOf(s);
  return flow.steps[i + 1]?.id ?? null;
}

/** The answered path from the first step, and the first step still to answer (or null: summary). */
export function walk(flow: FlowDef<any>, state: Pick<FlowState, "answers" | "skipped">): { path: string[]; pending: string | null } {
  const path: string[] = [];
  let id: string | null = flow.steps[0]?.id ?? null;
  while (id !== null) {
    const s = step(flow, id);
    if (!(id in state.answers) && !state.skipped.includes(id)) return { path, pending: id };
    if (path.includes(id)) throw new Error(`flow ${flow.id}: step ${id} loops`);
    path.push(id);
    id = nextId(flow, s, state.answers);
  }
  return { path, pending: null };
}

function ictx(ctx: EngineContext, state: FlowState): InputContext {
  return { ...ctx, answers: state.answers };
}

/**
 * How the current step would take this message, without taking it: a free-text step
 * takes anything (`text`); another kind either reads it (`parses`) or not (`refuses`).
 * The summary and the bot's own questions take only their answers (`refuses`).
 */
/** How the current step would take a message: free text, one of its options, another value it reads, or not at all. */
export function stepTakes(flow: FlowDef<any>, state: FlowState, msg: StepMessage, ctx: EngineContext): "text" | "option" | "parses" | "refuses" {
  if (state.at.kind !== "step" || state.abandonFor) return "refuses";
  const s = step(flow, state.at.stepId);
  // A number for one of the options shown (WeChat's 回复 1/2/3, 跳过 and 完成 included) is that option.
  const k = parseSmallNumber(trimTrailing(msg.norm));
  if (k !== undefined && k >= 1 && k <= prompt(flow, state, ctx).choices.length) return "option";
  if (s.input.kind === "text" && !s.input.structured) return "text";
  if (!s.input.parse({ ...msg, norm: trimTrailing(msg.norm) || msg.norm }, ictx(ctx, state)).ok) return "refuses";
  return s.input.kind === "choice" || s.input.kind === "confirm" ? "option" : "parses";
}

/** The question for the current position, as one reply. */
export function prompt(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, prefix: Say[] = []): Reply {
  const lines = prefix.map(ctx.t);
  if (state.at.kind === "step") {
    const s = step(flow, state.at.stepId);
    const params = s.promptParams?.(ictx(ctx, state));
    lines.push(ctx.t(params ? { key: s.prompt, params } : sayKey(s.prompt)));
    const choices = s.input.choices?.(ictx(ctx, state)) ?? [];
    const collected = s.input.collect !== undefined && (state.draft?.length ?? 0) > 0;
    if (collected) choices.push(ctx.t(say("flow.choice.done")));
    // With photos sent, 跳过 is not offered: it would throw them away.
    else if (s.optional) choices.push(ctx.t(say("flow.choice.skip")));
    return { text: lines.join("\n"), choices };
  }
  if (state.at.kind === "edit") {
    lines.push(ctx.t(say("flow.edit.ask")));
    return { text: lines.join("\n"), choices: walk(flow, state).path.map((id) => ctx.t(sayKey(step(flow, id).label))) };
  }
  return summary(flow, state, ctx, lines);
}

function summary(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, lines: string[]): Reply {
  lines.push(ctx.t(say("flow.summary.header", { flow: ctx.t(sayKey(flow.title)) })));
  for (const id of walk(flow, state).path) {
    const s = step(flow, id);
    // A skipped item that has a default says so (`按默认期限`), not that it is blank.
    const value = id in state.answers ? s.input.format(state.answers[id] as never, ictx(ctx, state)) : ctx.t(s.whenSkipped && state.skipped.includes(id) ? sayKey(s.whenSkipped) : say("flow.value.empty"));
    lines.push(ctx.t(say("flow.summary.line", { label: ctx.t(sayKey(s.label)), value })));
  }
  lines.push(ctx.t(say("flow.summary.ask")));
  return { text: lines.join("\n"), choices: confirmChoices(ctx) };
}

function confirmChoices(ctx: EngineContext): string[] {
  return [ctx.t(say("flow.choice.yes")), ctx.t(say("flow.choice.edit")), ctx.t(say("flow.choice.cancel"))];
}

/**
 * Opens a dialog. `answers` already known (e.g. read from a one-message report)
 * are kept; the dialog asks only for what is missing, then shows the summary.
 */
export function start(flow: FlowDef<any>, ctx: EngineContext, answers: Answers = {}, prefix: Say[] = []): EngineResult {
  const state: FlowState = { flowId: flow.id, at: { kind: "summary" }, answers: { ...answers }, skipped: [], failures: 0 };
  if (flow.steps.length === 0) throw new Error(`flow ${flow.id} has no steps`);
  return proceed(flow, state, ctx, prefix);
}

/** Moves to wherever the walk says is next (a pending step or the summary). */
function proceed(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, prefix: Say[] = []): EngineResult {
  const { pending } = walk(flow, state);
  if (pending === null && flow.summary === false) {
    return { state: null, outcome: "completed", answers: pathAnswers(flow, state), replies: prefix.length ? [{ text: prefix.map(ctx.t).join("\n"), choices: [] }] : [] };
  }
  const next: FlowState = { ...state, failures: 0, at: pending ? { kind: "step", stepId: pending } : { kind: "summary" } };
  delete next.draft;
  return { state: next, replies: [prompt(flow, next, ctx, prefix)] };
}

function reask(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, error: Say): EngineResult {
  const failures = state.failures + 1;
  const next = { ...state, failures };
  let hint = "";
  if (next.at.kind === "step") hint = ctx.t(step(flow, next.at.stepId).input.hint(ictx(ctx, next)));
  const prefix = [say("flow.reask", { reason: ctx.t(error), hint })];
  if (failures >= STRIKES_BEFORE_CANCEL_OFFER) prefix.push(say("flow.strikes", { count: failures }));
  const reply = prompt(flow, next, ctx, prefix);
  if (failures >= STRIKES_BEFORE_CANCEL_OFFER) {
    const cancel = ctx.t(say("flow.choice.cancel"));
    if (!reply.choices.includes(cancel)) reply.choices.push(cancel);
  }
  return { state: next, replies: [reply] };
}

/** Back one step: to the previous answered step on the path. */
function back(flow: FlowDef<any>, state: FlowState, ctx: EngineContext): EngineResult {
  const { path } = walk(flow, state);
  let prev: string | undefined;
  if (state.at.kind === "step") {
    const i = path.indexOf(state.at.stepId);
    prev = i > 0 ? path[i - 1] : i === 0 ? undefined : path[path.length - 1];
  } else if (state.at.kind === "edit") {
    // Out of the edit menu: to the question still open, or the summary when none is.
    return proceed(flow, state, ctx);
  } else prev = path[path.length - 1];
  if (prev === undefined) return { state, replies: [prompt(flow, state, ctx, [say("flow.back_at_start")])] };
  // Photos sent at the step being left are kept as its answer, not thrown away.
  const kept = state.at.kind === "step" && (state.draft?.length ?? 0) > 0 ? { [state.at.stepId]: state.draft! } : {};
  const next: FlowState = { ...state, answers: { ...state.answers, ...kept }, failures: 0, at: { kind: "step", stepId: prev } };
  delete next.draft;
  return { state: next, replies: [prompt(flow, next, ctx)] };
}

/** 取消 / 返回 / 跳过 / 完成 and their variants: words that only mean something inside a dialog. */
export function isBuiltInWord(norm: string): boolean {
  // Not 好的 / 没有 / ok: outside a dialog those are chatter, not a late answer.
  return [CANCEL_WORDS, BACK_WORDS, SKIP_WORDS.slice(0, 2), ["完成", "完成了", "发完了", "结束上传"]].some((w) => isWord(norm, w));
}

/** A control word however it is typed: `取消。`, `取 消`, `完成👌`. */
export function isWord(norm: string, words: string[]): boolean {
  const s = trimTrailing(norm);
  return words.includes(s) || ([...s].length <= 8 && words.includes(s.replace(/\s+/g, "")));
}

/**
 * Handles one message inside an open dialog.
 */
export function advance(flow: FlowDef<any>, state: FlowState, msg: StepMessage, ctx: EngineContext): EngineResult {
  if (state.abandonFor) return answerAbandon(flow, state, msg, ctx);

  const cancelLabel = ctx.t(say("flow.choice.cancel"));
  if (isWord(msg.norm, CANCEL_WORDS) || msg.norm === cancelLabel) {
    return { state: null, outcome: "cancelled", replies: [{ text: ctx.t(say("flow.cancelled", { flow: ctx.t(sayKey(flow.title)) })), choices: [] }] };
  }
  if (isWord(msg.norm, BACK_WORDS)) return back(flow, state, ctx);
  // 修改 in the middle of a dialog: which item to change (what is filled stays), not an answer to the question.
  if (state.at.kind === "step" && isWord(msg.norm, EDIT_WORDS)) {
    if (filledCount(flow, state) === 0) return { state, replies: [prompt(flow, state, ctx, [say("flow.edit.nothing")])] };
    const next: FlowState = { ...state, failures: 0, at: { kind: "edit" } };
    delete next.draft;
    return { state: next, replies: [prompt(flow, next, ctx)] };
  }

  if (state.at.kind === "summary") {
    const yes = yesNo(msg.norm, [ctx.t(say("flow.choice.yes"))], [ctx.t(say("flow.choice.edit"))]);
    // "3" is the third button (取消) on the summary.
    if (msg.norm === "3") return advance(flow, state, { ...msg, norm: CANCEL_WORDS[0]! }, ctx);
    if (yes === true) return { state: null, outcome: "completed", answers: pathAnswers(flow, state), replies: [] };
    if (yes === false) {
      const next: FlowState = { ...state, failures: 0, at: { kind: "edit" } };
      return { state: next, replies: [prompt(flow, next, ctx)] };
    }
    return reaskSummary(flow, state, ctx, say("flow.summary.unclear"));
  }

  if (state.at.kind === "edit") {
    const { path } = walk(flow, state);
    const labels = path.map((id) => ctx.t(sayKey(step(flow, id).label)));
    const i = pickChoice(msg.norm, labels);
    if (i === undefined) return reaskSummary(flow, state, ctx, say("flow.edit.unclear"));
    const next: FlowState = { ...state, failures: 0, at: { kind: "step", stepId: path[i]! } };
    return { state: next, replies: [prompt(flow, next, ctx)] };
  }

  const s = step(flow, state.at.stepId);
  const ic = ictx(ctx, state);
  // Steps read the answer without what people put after it (`5。`, `3天内👍`); text steps keep it all (they read `text`).
  msg = { ...msg, norm: trimTrailing(msg.norm) || msg.norm };

  // WeChat shows every button as a number (回复 1/2/3): a number for 完成 or 跳过 is that word,
  // unless the step itself reads the number (a count, an option of its own).
  const k = parseSmallNumber(msg.norm);
  if (k !== undefined) {
    const shown = prompt(flow, state, ctx).choices;
    const own = s.input.choices?.(ic).length ?? 0;
    if (k > own && k <= shown.length && !(s.input.collect ? false : s.input.parse(msg, ic).ok)) {
      return advance(flow, state, { ...msg, norm: shown[k - 1]!.normalize("NFKC").toLowerCase() }, ctx);
    }
  }

  // "无" on a required step is an answer ("none"), not a request to skip it.
  const skip = msg.norm === ctx.t(say("flow.choice.skip")) || isWord(msg.norm, s.optional ? SKIP_WORDS : SKIP_WORDS.slice(0, 2));
  // Photos already sent are kept: a skip word then means "no more" (nothing sent is dropped).
  if (skip && s.input.collect && (state.draft?.length ?? 0) > 0) return collect(flow, state, s, { ...msg, norm: DONE_WORDS[0]! }, ctx);
  if (skip) {
    if (!s.optional) return reask(flow, state, ctx, say("flow.cannot_skip"));
    const answers = { ...state.answers };
    delete answers[s.id];
    return proceed(flow, { ...state, answers, skipped: [...new Set([...state.skipped, s.id])] }, ctx);
  }

  if (s.input.collect) return collect(flow, state, s, msg, ctx);

  const r = s.input.parse(msg, ic);
  if (!r.ok) return reask(flow, state, ctx, r.error);
  const also = r.also ?? {};
  return proceed(flow, { ...state, answers: { ...state.answers, ...also, [s.id]: r.value }, skipped: state.skipped.filter((x) => x !== s.id && !(x in also)) }, ctx);
}

/** Multi-photo steps: each photo message adds to the draft; `完成` closes the step. */
function collect(flow: FlowDef<any>, state: FlowState, s: StepDef, msg: StepMessage, ctx: EngineContext): EngineResult {
  const { min, max } = s.input.collect!;
  const draft = [...(state.draft ?? [])];
  const r = s.input.parse(msg, ictx(ctx, state));
  if (r.ok) {
    const added = (r.value as Json[]).slice(0, Math.max(0, max - draft.length));
    draft.push(...added);
    const next: FlowState = { ...state, failures: 0, draft };
    if (draft.length >= max) {
      return proceed(flow, { ...next, answers: { ...state.answers, [s.id]: draft } }, ctx, [say("flow.photo.received", { count: draft.length })]);
    }
    const tooMany = (r.value as Json[]).length > added.length ? [ctx.t(say("flow.photo.too_many", { max }))] : [];
    return {
      state: next,
      replies: [{ text: [...tooMany, ctx.t(say("flow.photo.received", { count: draft.length }))].join("\n"), choices: [ctx.t(say("flow.choice.done"))] }],
    };
  }
  if (isWord(msg.norm, DONE_WORDS) || msg.norm === ctx.t(say("flow.choice.done"))) {
    if (draft.length < min) return reask(flow, state, ctx, say("flow.photo.need_more", { min }));
    return proceed(flow, { ...state, answers: { ...state.answers, [s.id]: draft } }, ctx);
  }
  return reask(flow, state, ctx, r.error);
}

function reaskSummary(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, error: Say): EngineResult {
  const failures = state.failures + 1;
  const next = { ...state, failures };
  const prefix = [error];
  if (failures >= STRIKES_BEFORE_CANCEL_OFFER) prefix.push(say("flow.strikes", { count: failures }));
  return { state: next, replies: [prompt(flow, next, ctx, prefix)] };
}

const RESTART_WORDS = ["2", "重新开始", "重新", "重来", "重新填", "重新填写", "重新报"];
const CONTINUE_WORDS = ["1", "继续", "继续上次", "继续填", "继续填写"];

/**
 * Is this message an answer to the bot's own pending question (keep / switch, continue / restart)?
 * Anything else (a command, a 收到, an answer to the step) means "keep": the question is dropped
 * and the message is handled as if it had not been asked — it never swallows what comes next.
 */
export function answersPending(state: FlowState, msg: StepMessage): boolean {
  const ask = state.abandonFor;
  if (!ask) return false;
  const s = trimTrailing(msg.norm);
  if (isWord(msg.norm, CANCEL_WORDS)) return true;
  if (ask.flowId === state.flowId) return RESTART_WORDS.includes(s) || CONTINUE_WORDS.includes(s);
  return yesNo(msg.norm) !== undefined;
}

/** The question dropped: the dialog as it was before it was asked. */
export function withoutPending(state: FlowState): FlowState {
  const rest = { ...state };
  delete rest.abandonFor;
  return rest;
}

/** How many items of the dialog are filled (nothing to lose when 0). */
export function filledCount(flow: FlowDef<any>, state: FlowState): number {
  return walk(flow, state).path.filter((id) => id in state.answers).length;
}

/** The question "abandon X for Y?" was asked; this is the answer. */
function answerAbandon(flow: FlowDef<any>, state: FlowState, msg: StepMessage, ctx: EngineContext): EngineResult {
  const ask = state.abandonFor!;
  const restart = ask.flowId === flow.id;
  const s = trimTrailing(msg.norm);
  // Continue / restart: 1 or 继续 keeps it, 2 or 重新开始 starts again.
  const yes = restart
    ? (RESTART_WORDS.includes(s) ? true : CONTINUE_WORDS.includes(s) ? false : undefined)
    : yesNo(msg.norm);
  const rest: FlowState = { ...state };
  delete rest.abandonFor;
  // 取消 (算了, 不报了 …) here means what it means everywhere: drop the dialog under way.
  if (isWord(msg.norm, CANCEL_WORDS) || msg.norm === ctx.t(say("flow.choice.cancel"))) {
    return { state: null, outcome: "cancelled", replies: [{ text: ctx.t(say("flow.cancelled", { flow: ctx.t(sayKey(flow.title)) })), choices: [] }] };
  }
  if (yes === true) return { state: null, outcome: "abandoned", startFlow: ask.flowId, ...(ask.answers ? { startAnswers: ask.answers } : {}), replies: [] };
  if (yes === false) {
    return { state: rest, replies: [prompt(flow, rest, ctx, [say("flow.abandon.kept", { flow: ctx.t(sayKey(flow.title)) })])] };
  }
  return { state, replies: [abandonQuestion(flow, state, ctx)] };
}

export function askAbandon(flow: FlowDef<any>, state: FlowState, other: FlowDef<any>, ctx: EngineContext, answers?: Answers): EngineResult {
  const next = { ...state, abandonFor: { flowId: other.id, title: ctx.t(sayKey(other.title)), ...(answers ? { answers } : {}) } };
  return { state: next, replies: [abandonQuestion(flow, next, ctx)] };
}

/** This dialog's own keyword again: continue where it was, or start again (with what the new message said). */
export function askRestart(flow: FlowDef<any>, state: FlowState, ctx: EngineContext, answers?: Answers): EngineResult {
  // Nothing filled yet: nothing to lose, so it starts again at once with what the new message said.
  if (filledCount(flow, state) === 0) return { state: null, outcome: "abandoned", startFlow: flow.id, ...(answers ? { startAnswers: answers } : {}), replies: [] };
  return askAbandon(flow, state, flow, ctx, answers);
}

function abandonQuestion(flow: FlowDef<any>, state: FlowState, ctx: EngineContext): Reply {
  if (state.abandonFor?.flowId === flow.id) {
    const filled = Object.keys(state.answers).length;
    return {
      text: ctx.t(say("flow.restart.ask", { flow: ctx.t(sayKey(flow.title)), filled })),
      choices: [ctx.t(say("flow.restart.continue")), ctx.t(say("flow.restart.again"))],
    };
  }
  return {
    text: ctx.t(say("flow.abandon.ask", { current: ctx.t(sayKey(flow.title)), next: state.abandonFor?.title ?? "" })),
    choices: [ctx.t(say("flow.value.yes")), ctx.t(say("flow.value.no"))],
  };
}

/** Back to a step with an error, e.g. when a rule fails at submit time. */
export function reopen(flow: FlowDef<any>, state: FlowState, stepId: string, error: Say, ctx: EngineContext): EngineResult {
  const next: FlowState = { ...state, failures: 0, at: { kind: "step", stepId } };
  return { state: next, replies: [prompt(flow, next, ctx, [error])] };
}

function pathAnswers(flow: FlowDef<any>, state: FlowState): Answers {
  const out: Answers = {};
  for (const id of walk(flow, state).path) if (id in state.answers) out[id] = state.answers[id]!;
  return out;
}
