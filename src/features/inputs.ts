/**
 * The input kinds a step can declare. Each parses a message, validates the value
 * with zod (errors are prompt keys, so every sentence stays in prompts/), and says
 * how the value reads in the summary.
 */
import { z } from "zod";
import { findHazardNumber } from "./hazards/rules.js";
import type { Attachment } from "../core/messages.js";
import { say, sayKey, type PromptKey, type Say } from "../prompts/catalog.js";
import { parseChineseDate, parseSmallNumber, parseTime, type ParsedDateTime } from "../time/chinese-date.js";
import { addDays, formatLocalDateCn, toLocalDate } from "../time/shanghai.js";
import { readChoice, yesNo } from "../core/answers.js";
import { isAcknowledgement, trimTrailing } from "../core/understand.js";
import { normalizeForMatch } from "../core/normalize.js";
import type { Answers, InputContext, Json, ParseResult, StepInput, StepMessage } from "../core/flow-types.js";

function fail<T extends Json>(error: Say): ParseResult<T> {
  return { ok: false, error };
}

export function text(opts: { min?: number; max?: number } = {}): StepInput<string> {
  const min = opts.min ?? 1;
  const max = opts.max ?? 500;
  const schema = z.string().min(min, "too_short").max(max, "too_long");
  return {
    kind: "text",
    hint: () => say("input.hint.text"),
    parse: (m) => {
      if (m.text === "") return fail(say(m.attachments.length ? "input.error.needs_text" : "input.error.empty"));
      // `收到` / `好的` / `👌` is a reply to the bot, never the content of an item.
      if (isAcknowledgement(m.norm) || /^(好的?|嗯+|ok|行|对)$/.test(trimTrailing(m.norm))) return fail(say("input.error.not_content", { text: clip(m.text) }));
      const r = schema.safeParse(m.text);
      if (r.success) return { ok: true, value: r.data };
      return fail(r.error.issues[0]?.message === "too_long" ? say("input.error.too_long", { max }) : say("input.error.too_short", { min }));
    },
    format: (v) => v,
  };
}

/** What a choice step says when the answer fits none, or several (then numbered, to answer with a number). */
function choiceError(m: StepMessage, options: string[], r: { ambiguous: number[] } | null): Say {
  if (m.text === "" && m.attachments.length === 0) return say("input.error.empty");
  if (m.text === "") return say("input.error.choice_needs_text");
  if (r) return say("input.error.ambiguous_choice", { text: clip(m.text), options: r.ambiguous.map((i) => `${i + 1}.${options[i]}`).join(" ") });
  return say("input.error.not_choice", { text: clip(m.text) });
}

/**
 * `aliases`: other words for an option (`危化` → 危险化学品). `read`: the step's own reading
 * when no option is named (`液化气` is 城镇燃气), and what else the answer says (`also`).
 */
export function choice(
  options: readonly string[] | ((ctx: InputContext) => string[]), aliases: Readonly<Record<string, string>> = {},
  read?: (norm: string) => { option?: string; also?: Answers } | undefined,
): StepInput<string> {
  const list = (ctx: InputContext) => (typeof options === "function" ? options(ctx) : [...options]);
  return {
    kind: "choice",
    hint: (ctx) => say("input.hint.choice", { options: list(ctx).map((o, i) => `${i + 1}.${o}`).join(" ") }),
    choices: list,
    parse: (m, ctx) => {
      const opts = list(ctx);
      const own = read?.(m.norm);
      const r = readChoice(m.norm, opts, aliases) ?? (own?.option !== undefined && opts.includes(own.option) ? { index: opts.indexOf(own.option) } : null);
      if (!r || !("index" in r)) return fail(choiceError(m, opts, r));
      return { ok: true, value: z.enum(opts as [string, ...string[]]).parse(opts[r.index]), ...(own?.also ? { also: own.also } : {}) };
    },
    format: (v) => v,
  };
}

/**
 * A choice whose answer is a value, not the words shown: branches read `done`,
 * never "已完成整改", so rewording an option in prompts/ changes no behaviour.
 * `also`: other ways people say an option ("通过" for 通过（销号）).
 */
export function choiceOf<V extends string>(
  options: readonly { value: V; label: PromptKey; also?: readonly string[]; rest?: string }[],
): StepInput<V> {
  const labels = (ctx: InputContext) => options.map((o) => ctx.t(sayKey(o.label)));
  return {
    kind: "choice",
    hint: (ctx) => say("input.hint.choice", { options: labels(ctx).map((o, i) => `${i + 1}.${o}`).join(" ") }),
    choices: labels,
    parse: (m, ctx) => {
      const s = trimTrailing(m.norm);
      const said = options.findIndex((o) => o.also?.includes(s));
      const head = said >= 0 ? null : restAfterWord(m.text, options.flatMap((o, i) => (o.rest ? (o.also ?? []).map((w) => [w, i] as const) : [])));
      const r = said >= 0 ? { index: said } : head ? { index: head.index } : readChoice(m.norm, labels(ctx));
      if (!r || !("index" in r)) return fail(choiceError(m, labels(ctx), r));
      const o = options[r.index]!;
      // `不通过，灭火器还没换`: the words after the option answer its follow-up step (the reason).
      return { ok: true, value: o.value, ...(o.rest && head?.rest ? { also: { [o.rest]: head.rest } } : {}) };
    },
    format: (v, ctx) => {
      const o = options.find((x) => x.value === v);
      return o ? ctx.t(sayKey(o.label)) : v;
    },
  };
}

export function number(opts: { min?: number; max?: number; integer?: boolean } = {}): StepInput<number> {
  const min = opts.min ?? 0;
  const max = opts.max ?? 1_000_000;
  let schema = z.number().min(min).max(max);
  if (opts.integer ?? true) schema = schema.int();
  return {
    kind: "number",
    hint: () => say("input.hint.number"),
    parse: (m) => {
      const n = readCount(m.norm);
      if (n === undefined || Number.isNaN(n)) return fail(m.text === "" ? say("input.error.empty") : say("input.error.not_number", { text: clip(m.text) }));
      const r = schema.safeParse(n);
      return r.success ? { ok: true, value: r.data } : fail(say("input.error.number_range", { min, max }));
    },
    format: (v) => String(v),
  };
}

const MEASURE = "[个家处人次件起名户座条项点]";
/** Words around a count that do not change it: 共5处, 巡查了5家企业, 大约十个, 5。 */
const COUNT_IN_WORDS = new RegExp(`^(?:共|总共|一共|合计|计|大约|约|大概|巡查了?|检查了?|发现了?|走访了?|有)?(-?\\d+|[零〇一二两三四五六七八九十百]+)(?:${MEASURE}(?:[\\u4e00-\\u9fa5]{0,4})?)?$`);

/**
 * A count as people type it: `5`, `五`, `5家`, `共5处`, `巡查了5家企业`; `没有` / `无` is 0.
 * Shared with the one-message patrol (routines/quick.ts).
 */
export function readCount(norm: string): number | undefined {
  const s = norm.replace(/\s+/g, "");
  if (/^(没有|无|没|暂无|未发现|一个也没有|零)$/.test(s)) return 0;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = COUNT_IN_WORDS.exec(s);
  if (!m) return undefined;
  return /^-?\d+$/.test(m[1]!) ? Number(m[1]) : parseSmallNumber(m[1]!);
}

const DateValue = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), time: z.string().regex(/^\d{2}:\d{2}$/).optional() });

/** Examples of dates to come, for questions and hints: `本周五` (or `下周五` from Friday on) and the date in 5 days. */
export function dateExamples(now: Date): { weekday: string; date: string } {
  const today = toLocalDate(now);
  const dow = new Date(`${today}T12:00:00+08:00`).getUTCDay(); // 0 = Sunday
  const [, m, d] = addDays(today, 5).split("-").map(Number) as [number, number, number];
  return { weekday: dow >= 1 && dow <= 4 ? "本周五" : "下周五", date: `${m}月${d}日` };
}

/** Chinese dates (`明天`, `11月30日`, `3天内`, `本周五`), optionally with a time. */
export function date(opts: { allowPast?: boolean; maxDaysAhead?: number; isWorkday?: (d: string) => boolean } = {}): StepInput<{ date: string; time?: string }> {
  const maxAhead = opts.maxDaysAhead ?? 366;
  return {
    kind: "date",
    hint: (ctx) => say("input.hint.date", dateExamples(ctx.now)),
    parse: (m, ctx) => {
      const r = parseChineseDate(m.norm, ctx.now, !opts.allowPast, opts.isWorkday ? { isWorkday: opts.isWorkday } : {});
      if (!r.ok) return fail(dateError(r.error, m.text));
      const v: ParsedDateTime = DateValue.parse(r.value);
      const today = toLocalDate(ctx.now);
      if (!opts.allowPast && v.date < today) return fail(say("input.error.date_past", { date: formatLocalDateCn(v.date) }));
      if (v.date > addDays(today, maxAhead)) return fail(say("input.error.date_too_far", { date: formatLocalDateCn(v.date) }));
      return { ok: true, value: v.time ? { date: v.date, time: v.time } : { date: v.date } };
    },
    format: (v) => (v.time ? `${formatLocalDateCn(v.date)} ${v.time}` : formatLocalDateCn(v.date)),
  };
}

function dateError(e: import("../time/chinese-date.js").DateError, typed: string): Say {
  switch (e.code) {
    case "month": return say("input.error.date_month", { month: e.month });
    case "day": return say("input.error.date_day", { month: e.month, day: e.day });
    case "time": return say("input.error.date_time", { text: clip(typed) });
    case "empty": return say("input.error.empty");
    default: return say("input.error.date_unknown", { text: clip(typed) });
  }
}

/** A time of day (`9点`, `下午3点半`, `15:30`) as `HH:MM`. */
export function clockTime(): StepInput<string> {
  return {
    kind: "date",
    hint: () => say("input.hint.time"),
    parse: (m) => {
      if (m.norm === "") return fail(say("input.error.empty"));
      const t = parseTime(m.norm.replace(/\s+/g, ""));
      if (t.time) return { ok: true, value: t.time };
      return fail(t.error ? say("input.error.date_time", { text: clip(m.text) }) : say("input.error.date_unknown", { text: clip(m.text) }));
    },
    format: (v) => v,
  };
}

/** Where: a place typed as text (village, enterprise, address) or a shared location. */
export function place(opts: { max?: number } = {}): StepInput<{ text: string; lat?: number; lng?: number }> {
  const max = opts.max ?? 100;
  return {
    kind: "location",
    hint: () => say("input.hint.place"),
    parse: (m) => {
      const loc = m.attachments.find((a) => a.kind === "location");
      if (loc && loc.kind === "location") {
        const text = (m.text || loc.label || "").trim();
        return { ok: true, value: { text: text || `${loc.lat.toFixed(5)},${loc.lng.toFixed(5)}`, lat: loc.lat, lng: loc.lng } };
      }
      if (m.text === "") return fail(say("input.error.empty"));
      if ([...m.text].length > max) return fail(say("input.error.too_long", { max }));
      if ([...m.text].length < 2) return fail(say("input.error.too_short", { min: 2 }));
      return { ok: true, value: { text: m.text } };
    },
    format: (v) => (v.lat !== undefined ? `${v.text}（${v.lat.toFixed(5)}, ${v.lng!.toFixed(5)}）` : v.text),
  };
}

/** A hazard number such as YH-20261125-0001. */
export function hazardNo(): StepInput<string> {
  return {
    kind: "text",
    structured: true,
    hint: () => say("input.hint.hazard_no"),
    parse: (m) => {
      const f = findHazardNumber(m.text);
      return f && f.before === "" ? { ok: true, value: f.number } : fail(say("input.error.hazard_no", { text: clip(m.text) }));
    },
    format: (v) => v,
  };
}

/** A mainland mobile number; spaces, dashes and +86 are tolerated. */
export function mobile(): StepInput<string> {
  const schema = z.string().regex(/^1[3-9]\d{9}$/);
  return {
    kind: "text",
    structured: true,
    hint: () => say("input.hint.mobile"),
    parse: (m) => {
      if (m.text === "") return fail(say("input.error.empty"));
      const r = schema.safeParse(m.norm.replace(/[\s-]/g, "").replace(/^\+?86/, ""));
      return r.success ? { ok: true, value: r.data } : fail(say("input.error.mobile", { text: clip(m.text) }));
    },
    format: (v) => `${v.slice(0, 3)}****${v.slice(7)}`,
    redact: (v) => `${v.slice(0, 3)}****${v.slice(7)}`,
  };
}

/** A document (e.g. a roster .csv/.xlsx) with one of the given extensions. */
export function file(extensions: string[]): StepInput<{ path: string; name: string }> {
  return {
    kind: "file",
    hint: () => say("input.hint.file", { types: extensions.join("/") }),
    parse: (m) => {
      const f = m.attachments.find((a) => a.kind === "file");
      if (!f || f.kind !== "file") return fail(say("input.error.need_file", { types: extensions.join("/") }));
      const ext = f.name.toLowerCase().split(".").pop() ?? "";
      if (!extensions.includes(ext)) return fail(say("input.error.need_file", { types: extensions.join("/") }));
      return { ok: true, value: { path: f.path, name: f.name } };
    },
    format: (v) => v.name,
  };
}

type Photo = Extract<Attachment, { kind: "photo" }>;

/** One or more photos, sent as separate messages and closed with `完成`. */
export function photos(opts: { min?: number; max?: number } = {}): StepInput<string[]> {
  const min = opts.min ?? 1;
  const max = opts.max ?? 9;
  return {
    kind: "photos",
    collect: { min, max },
    hint: () => say("input.hint.photo"),
    parse: (m) => {
      const got = m.attachments.filter((a): a is Photo => a.kind === "photo").map((a) => a.path);
      return got.length ? { ok: true, value: got } : fail(say("input.error.need_photo"));
    },
    format: (v, ctx) => ctx.t(say("flow.value.photos", { count: v.length })),
  };
}

export function location(): StepInput<{ lat: number; lng: number; label: string }> {
  const schema = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string() });
  return {
    kind: "location",
    hint: () => say("input.hint.location"),
    parse: (m) => {
      const loc = m.attachments.find((a) => a.kind === "location");
      if (!loc || loc.kind !== "location") return fail(say("input.error.need_location"));
      const r = schema.safeParse({ lat: loc.lat, lng: loc.lng, label: loc.label ?? "" });
      return r.success ? { ok: true, value: r.data } : fail(say("input.error.need_location"));
    },
    format: (v, ctx) => ctx.t(say("flow.value.location", { lat: v.lat.toFixed(5), lng: v.lng.toFixed(5), label: v.label })),
  };
}

/** A yes/no question. */
/** How a question "did you …?" is answered besides 是/否 (`有`, `没有`): for `confirm(DID)`. Not for "is there no …?" questions, where 没有 is 是. */
export const DID = { yes: ["有", "有的", "已", "已经", "已完成", "做了"], no: ["没有", "没", "无", "未", "还没", "还没有", "没呢", "没做"] } as const;

/** A yes-or-no question; `words` are this question's own answers (`巡查了` / `没巡查`). */
export function confirm(words: { yes?: readonly string[]; no?: readonly string[] } = {}): StepInput<boolean> {
  return {
    kind: "confirm",
    hint: () => say("input.hint.confirm"),
    choices: (ctx) => [ctx.t(say("flow.value.yes")), ctx.t(say("flow.value.no"))],
    parse: (m, ctx) => {
      const v = yesNo(m.norm, [ctx.t(say("flow.value.yes")), ...(words.yes ?? [])], [ctx.t(say("flow.value.no")), ...(words.no ?? [])]);
      return v === undefined ? fail(say("input.error.not_yes_no", { text: clip(m.text) })) : { ok: true, value: v };
    },
    format: (v, ctx) => ctx.t(say(v ? "flow.value.yes" : "flow.value.no")),
  };
}

/** `不通过，灭火器还没换` → the option said first (longest word wins) and the rest of the words. */
function restAfterWord(text: string, words: readonly (readonly [string, number])[]): { index: number; rest: string } | null {
  const typed = text.trim();
  const t = typed.normalize("NFKC");
  const hit = [...words].sort((a, b) => b[0].length - a[0].length).find(([w]) => t.startsWith(w) && /^[\s,，。:：;；、!！]/.test(t.slice(w.length)));
  if (!hit) return null;
  // The rest as typed (full-width ：，kept), not in its folded form.
  const rest = trimTrailing(typed.slice(hit[0].length).replace(/^[\s,，。:：;；、!！]+/, "")).trim();
  return [...rest].length >= 2 ? { index: hit[1], rest } : null;
}

/**
 * A step's reading of words that came another way (after a command: `复查 YH-… 通过`), the text
 * folded as a typed answer is, so the one-message form and the step read it alike.
 */
export function readAs<T extends Json>(input: StepInput<T>, text: string, ctx: { now: Date; t?: InputContext["t"] }): ParseResult<T> {
  return input.parse({ text, norm: normalizeForMatch(text), attachments: [] }, { now: ctx.now, answers: {}, t: ctx.t ?? (() => "") });
}

export function clip(s: string, n = 20): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join("")}…` : s;
}

export type { StepMessage };
