/**
 * The channel-agnostic core. One entry point per kind of input — a message
 * (`handle`) or the clock (`sweep`) — and one way out: rows in the outbox, written
 * in the same transaction as the state change that caused them.
 */
import { say, sayKey, type Say } from "../prompts/catalog.js";
import * as engine from "./engine.js";
import type { FlowState, Reply } from "./engine.js";
import type { Answers, FlowDef } from "./flow-types.js";
import type { Clock } from "./clock.js";
import { HELP_TOPICS, matchCommand, stripArgStart, type CommandDef, type StartFlow } from "./commands.js";
import { routeInDialog } from "./route.js";
import { trimTrailing, withoutLeadingMarks } from "./understand.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { InboundMessage } from "./messages.js";
import { MAX_INBOUND_CHARS, normalizeForMatch, sanitize } from "./normalize.js";
import { pickChoice } from "./answers.js";
import type { AccessTarget, Actor, CoreStore, Denial, IdentityResolver, OutboxItem, Policy, SessionKey, SessionRecord } from "./ports.js";
import type { Access, AccessAbout } from "./commands.js";
import type { Effect } from "./effects.js";
import type { TickJob } from "./jobs.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CoreOptions<Tx> {
  store: CoreStore<Tx>;
  prompts: { render(s: Say): string };
  flows: FlowDef<Tx>[];
  commands: CommandDef<Tx>[];
  identity: IdentityResolver;
  policy: Policy;
  clock: Clock;
  sessionTtlMs: number;
  /** A dialog's own timeout where it differs (a hazard report waits while the grid member walks to take a photo). */
  sessionTtlFor?: (flowId: string) => number | undefined;
  /** How long before expiry the one reminder goes out. */
  sessionReminderLeadMs: number;
  log: Logger;
  /** Told after a commit that wrote outbox rows for these channels. */
  onEnqueued?: (channels: Set<string>) => void;
  /** Told after a commit that queued renders (core/renders.ts). */
  onRendersQueued?: () => void;
}

export type HandleOutcome = "handled" | "ignored" | "duplicate" | "error";

/** What a session row stores: the engine state plus who and where, for reminders. */
interface StoredSession {
  flow: FlowState;
  chatKind: "group" | "private";
  senderName: string;
  /** Dialogs a priority prompt (a warning's 措施) interrupted, newest first: each resumes when the one above it ends. */
  suspended?: FlowState[];
}

/** A group hears that someone's dialog expired only when that is within the hour of their last message there. */
const GROUP_EXPIRY_NOTICE_MAX_MS = 60 * 60_000;

/** A pseudo-session holding choices offered after a dialog ended (no reminders, no expiry notice). */
const OFFER = "__offer";
const OFFER_TTL_MS = 10 * 60_000;

/** How long an expired session is kept so a late reply can be told it timed out. */
const EXPIRED_KEEP_MS = 24 * 60 * 60 * 1000;
/** `帮助 全部`: every command with its description. */
const HELP_ALL = /^(全部|所有|all|更多)$/;

export class Core<Tx> {
  private readonly flows = new Map<string, FlowDef<Tx>>();
  private readonly queue = new KeyedQueue();
  private readonly help: CommandDef<Tx>;
  private readonly commands: CommandDef<Tx>[];
  /** The action asked again when a dialog completes. */
  private readonly flowPermission = new Map<string, string>();
  /** Chats whose handling in progress queued a render: the runner is kicked after their commit. */
  private readonly rendersFor = new Set<string>();

  constructor(private readonly o: CoreOptions<Tx>) {
    for (const f of o.flows) this.flows.set(f.id, f);
    for (const c of o.commands) if (c.flow && !this.flows.has(c.flow)) throw new Error(`command ${c.id} starts unknown flow ${c.flow}`);
    for (const f of o.flows) {
      const p = f.permission ?? o.commands.find((c) => c.flow === f.id)?.permission;
      if (!o.commands.some((c) => c.flow === f.id || c.opens?.includes(f.id))) throw new Error(`flow ${f.id}: no command starts it (flow or opens)`);
      if (!p) throw new Error(`flow ${f.id} has no permission to check on completion`);
      this.flowPermission.set(f.id, p);
    }
    this.help = { id: "help", complete: (a) => HELP_ALL.test(trimTrailing(a.trim())) || matchCommand(normalizeForMatch(a), this.commands).kind === "command", keywords: ["帮助", "菜单", "功能", "你能做什么", "你会什么", "怎么用", "如何使用", "使用说明", "help", "?"], slash: ["help", "start"], describe: "help.describe", permission: "public", run: async (ctx) => this.helpText(ctx.actor, ctx.args) };
    this.commands = [this.help, ...o.commands];
  }

  private t = (s: Say): string => this.o.prompts.render(s);
  private ectx(now: Date): engine.EngineContext {
    return { now, t: this.t };
  }

  /** Handles one inbound message. Never throws: a failure is logged and answered. */
  handle(msg: InboundMessage): Promise<HandleOutcome> {
    return this.queue.run(`${msg.channel}:${msg.chatId}`, async () => {
      try {
        return await this.handleNow(msg);
      } catch (err) {
        this.o.log.error({ err, channel: msg.channel, chat: msg.chatId, messageId: msg.messageId }, "handling a message failed");
        return this.answerError(msg);
      }
    });
  }

  /** Waits for messages in flight (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async answerError(msg: InboundMessage): Promise<HandleOutcome> {
    try {
      const now = this.o.clock.now();
      // Record it too, so a message that always fails is not retried forever on redelivery.
      await this.o.store.transaction(async (tx) => {
        if (!(await this.o.store.recordInbound(tx, { ...msg, text: sanitize(msg.text) }, now))) return;
        await this.o.store.enqueue(tx, [this.out(msg, { text: this.t(say("core.error")), choices: [] })], now);
      });
      this.o.onEnqueued?.(new Set([msg.channel]));
    } catch (err) {
      this.o.log.error({ err }, "could not even answer the error");
    }
    return "error";
  }

  private out(msg: Pick<InboundMessage, "channel" | "chatId" | "chatKind" | "senderId" | "senderName">, r: Reply, replyTo?: string): OutboxItem {
    const payload: OutboxItem["payload"] = { text: r.text, choices: r.choices, ...(r.file ? { file: r.file } : {}), ...(r.image ? { image: r.image } : {}) };
    if (msg.chatKind === "group") payload.mention = { id: msg.senderId, name: msg.senderName };
    if (replyTo) payload.replyTo = replyTo;
    return { channel: msg.channel, chatId: msg.chatId, payload };
  }

  private async handleNow(raw: InboundMessage): Promise<HandleOutcome> {
    const { store } = this.o;
    const now = this.o.clock.now();
    const text = sanitize(raw.text);
    let msg: InboundMessage = { ...raw, text };
    const key: SessionKey = { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId };
    const replies: Reply[] = [];
    const reply = (...xs: (Reply | Say)[]) => {
      for (const x of xs) replies.push("key" in x ? { text: this.t(x), choices: [] } : x);
    };

    const outcome = await store.transaction(async (tx): Promise<HandleOutcome> => {
      if (!(await store.recordInbound(tx, msg, now))) return "duplicate";
      let session = await store.getSession(tx, key);
      const tooLong = text.length > MAX_INBOUND_CHARS;
      let norm = tooLong ? "" : normalizeForMatch(text);
      if (session?.flowId === OFFER) {
        // Buttons offered after a dialog ended: "1" or the option's text picks one; anything else moves on.
        await store.deleteSession(tx, key);
        const offer = (session.state as { offer: string[] }).offer;
        const i = session.status === "open" && session.expiresAt > now && !tooLong ? pickChoice(norm, offer) : undefined;
        if (i !== undefined) norm = normalizeForMatch(offer[i]!);
        session = null;
      }
      const route = tooLong ? ({ kind: "none" } as const) : matchCommand(norm, this.commands);
      const open = session && session.status === "open" && session.expiresAt > now ? session : null;
      // The sender's own dialog (open, or expired less than a day ago) is addressed to the bot.
      const addressed = msg.chatKind === "private" || msg.mentionsBot || msg.replyToBot || session !== null;
      if (route.kind === "none" && !addressed) return "ignored"; // ordinary group chatter

      if (tooLong) {
        reply(say("core.too_long", { length: text.length, max: MAX_INBOUND_CHARS }));
        return this.finish(tx, msg, replies, now);
      }
      const actor = await this.o.identity.resolve(msg);
      // A bound person is called by their roster name (an @mention reads "@杨波", not a nickname).
      if (actor.personId !== undefined) msg = { ...msg, senderName: actor.name };

      if (open) {
        await this.continueFlow(tx, msg, actor, open, route, norm, now, reply);
        return this.finish(tx, msg, replies, now);
      }

      if (session) {
        // A session that timed out (or was swept as expired): it ends here.
        await store.deleteSession(tx, key);
        if (route.kind === "none") {
          const f = this.flows.get(session.flowId);
          reply(say("core.expired_reply", { flow: f ? this.t(sayKey(f.title)) : session.flowId, keyword: this.keywordFor(session.flowId) }));
          return this.finish(tx, msg, replies, now);
        }
      }

      if (route.kind === "unknown-slash") reply(say("core.unknown", { text: `/${route.name}` }));
      else if (route.kind === "none" && engine.isBuiltInWord(norm)) reply(say("core.no_session"));
      else if (route.kind === "command") await this.runCommand(tx, msg, actor, route.match.command, rawArgs(text, route.match), now, reply);
      else if (text === "" && msg.attachments.length > 0) reply(say("core.attachment_only"));
      else if (text === "") reply(say("core.empty"));
      else reply(say(actor.personId === undefined ? "core.unknown_unbound" : "core.unknown", { text: clip(text) }));
      return this.finish(tx, msg, replies, now);
    });
    // Senders are told only after the commit, so they never look for rows not yet there.
    if (replies.length && outcome === "handled") this.o.onEnqueued?.(new Set([msg.channel]));
    // The same for renders: they start after the commit, outside its transaction.
    if (this.rendersFor.delete(`${msg.channel}:${msg.chatId}`) && outcome === "handled") this.o.onRendersQueued?.();
    return outcome;
  }

  private async finish(tx: Tx, msg: InboundMessage, replies: Reply[], now: Date): Promise<HandleOutcome> {
    if (replies.length) {
      await this.o.store.enqueue(tx, replies.map((r) => this.out(msg, r, msg.messageId)), now);
    }
    return "handled";
  }

  private keywordFor(flowId: string): string {
    const c = this.commands.find((x) => x.flow === flowId) ?? this.commands.find((x) => x.opens?.includes(flowId));
    return c?.keywords[0] ?? (c ? `/${c.slash[0]}` : "帮助");
  }

  private allowed(c: CommandDef<Tx>, actor: Actor): boolean {
    return this.o.policy(actor, c.permission).ok;
  }

  /** A refusal in plain Chinese, audited. */
  private async deny(tx: Tx, msg: InboundMessage, actor: Actor, c: CommandDef<Tx>, now: Date, reply: (...xs: (Reply | Say)[]) => void): Promise<void> {
    const d = this.o.policy(actor, c.permission);
    const reason: Denial = d.ok ? "role" : d.reason;
    // A word that is also an answer (`确认`) typed with nothing to answer: say that, not "no permission".
    reply(...(c.outsideDialogs && reason === "role" ? [say("core.no_session")] : refusalFor(reason, actor, commandWord(c))));
    await this.o.store.audit(tx, { at: now, actor: actor.key, action: "command.denied", entity: "command", entityId: c.id, after: { chat: msg.chatId, action: c.permission, reason, text: forAudit(msg.text) } });
  }

  /** The policy on a target, for commands and completing dialogs: a refusal is audited and returned as what to say. */
  private accessFor(tx: Tx, msg: InboundMessage, actor: Actor, word: string, now: Date): Access {
    return async (action: string, target: AccessTarget, about: AccessAbout) => {
      const d = this.o.policy(actor, action, target);
      if (d.ok) return null;
      await this.o.store.audit(tx, {
        at: now, actor: actor.key, action: "command.denied", entity: about.entity, entityId: about.id,
        after: { chat: msg.chatId, action, reason: d.reason, command: word, text: forAudit(msg.text) },
      });
      const own = about.refusal?.[d.reason];
      return own ? [own] : refusalFor(d.reason, actor, word);
    };
  }

  /** Runs a command; "passed" when it had nothing to do and the open dialog takes the message. */
  private async runCommand(tx: Tx, msg: InboundMessage, actor: Actor, c: CommandDef<Tx>, args: string, now: Date, reply: (...xs: (Reply | Say)[]) => void, inDialog?: (sf: StartFlow) => void): Promise<void | "passed"> {
    if (!this.allowed(c, actor)) return this.deny(tx, msg, actor, c, now, reply);
    // A dialog's command opens it; with a report after it (and a reader for one), it reads it first.
    // (Inside a dialog a bare flow command is routed to keep / switch, never run here: core/route.ts.)
    if (c.flow && !(c.run && args.trim() !== "")) return this.startFlow(tx, msg, actor, this.flows.get(c.flow)!, now, reply);
    const out = await c.run!({ tx, actor, args, now, msg, chat: chatOf(msg), t: this.t, access: this.accessFor(tx, msg, actor, commandWord(c), now), allows: (a, t) => this.o.policy(actor, a, t).ok, inDialog: inDialog !== undefined });
    if ("pass" in out) {
      if (inDialog) return "passed";
      throw new Error(`command ${c.id} passed a message outside a dialog`);
    }
    if (!Array.isArray(out) && out.effects?.length) await this.commitHandlerEffects(tx, out.effects, now);
    if ("startFlow" in out) {
      if (inDialog) {
        // Inside a dialog the opening is asked about first; what the command said goes ahead of that question.
        if (out.intro?.length) reply(...out.intro);
        return inDialog(out);
      }
      const flow = this.flows.get(out.startFlow);
      if (!flow) throw new Error(`command ${c.id} starts unknown flow ${out.startFlow}`);
      return this.startFlow(tx, msg, actor, flow, now, reply, out.answers, out.intro);
    }
    if ("render" in out) {
      await this.o.store.enqueueRender(tx, { ...out.render, target: this.out(msg, { text: "", choices: [] }, msg.messageId), at: now });
      this.rendersFor.add(`${msg.channel}:${msg.chatId}`);
      if (out.says?.length) reply({ text: out.says.map(this.t).join("\n"), choices: [] });
    } else if ("says" in out) {
      if (out.says.length || out.file || out.image) reply({ text: out.says.map(this.t).join("\n"), choices: [], ...(out.file ? { file: out.file } : {}), ...(out.image ? { image: out.image } : {}) });
    }
    else if (out.length) reply({ text: out.map(this.t).join("\n"), choices: [] });
  }

  private async startFlow(
    tx: Tx, msg: InboundMessage, actor: Actor, flow: FlowDef<Tx>, now: Date, reply: (...xs: (Reply | Say)[]) => void,
    answers: Answers = {}, intro: Say[] = [], suspended: FlowState[] = [],
  ): Promise<void> {
    const refusal = await flow.beforeStart?.({ tx, now, actor: chatOf(msg), person: actor });
    if (refusal) {
      reply(refusal);
      if (suspended.length) await this.resume(tx, msg, suspended, now, reply);
      return;
    }
    let r = engine.start(flow, this.ectx(now), answers, intro);
    if (!r.state) {
      // Everything was known and the flow needs no confirmation: done at once.
      const again = await this.finishFlow(tx, msg, actor, flow, r, now, reply, undefined, suspended.length > 0);
      if (!again) {
        if (suspended.length) await this.resume(tx, msg, suspended, now, reply);
        return;
      }
      r = again;
    }
    await this.save(tx, msg, r.state!, now, true, suspended);
    await this.o.store.audit(tx, { at: now, actor: actor.key, action: "session.start", entity: "session", entityId: sessionId(msg), after: { flow: flow.id } });
    reply(...r.replies);
  }

  private async save(tx: Tx, msg: InboundMessage, state: FlowState, now: Date, isNew: boolean, suspended: FlowState[] = []): Promise<void> {
    const stored: StoredSession = { flow: state, chatKind: msg.chatKind, senderName: msg.senderName, ...(suspended.length ? { suspended } : {}) };
    await this.o.store.saveSession(tx, { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId }, {
      flowId: state.flowId, state: stored, now, expiresAt: new Date(now.getTime() + this.ttl(state.flowId)), isNew,
    });
  }

  private async continueFlow(
    tx: Tx, msg: InboundMessage, actor: Actor, session: SessionRecord,
    route: ReturnType<typeof matchCommand<Tx>>, norm: string, now: Date, reply: (...xs: (Reply | Say)[]) => void,
  ): Promise<void> {
    const { store } = this.o;
    const key = { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId };
    const flow = this.flows.get(session.flowId);
    const stored = session.state as StoredSession;
    const suspended = stored.suspended ?? [];
    if (!flow) {
      // The flow was removed in an update: end the session rather than crash on it.
      await store.deleteSession(tx, key);
      reply(say("core.no_session"));
      return;
    }
    // Whoever was deactivated, unbound or lost the role since the dialog began goes no further.
    if (await this.refusedMidFlow(tx, msg, actor, flow, stored.flow.answers, now, reply)) return;
    const ectx: engine.EngineContext = { ...this.ectx(now), ...(flow.vocabulary ? { vocab: await flow.vocabulary({ tx, person: actor }) } : {}) };
    let state = stored.flow;
    let r: engine.EngineResult;

    // What the message does here is decided by one pure, table-tested function (core/route.ts).
    const args = route.kind === "command" ? rawArgs(msg.text, route.match) : "";
    const command = route.kind === "command" ? route.match.command : null;
    const stepMsg = { text: msg.text, norm, attachments: msg.attachments };
    // The bot's own question (keep / switch, continue / restart) not answered: dropped, the dialog kept as it was.
    if (state.abandonFor && !engine.answersPending(state, stepMsg)) state = engine.withoutPending(state);
    const action = routeInDialog({ flowId: flow.id, pending: state.abandonFor !== undefined, route, args, allowed: command ? this.allowed(command, actor) : true, stepTakes: route.kind === "command" ? engine.stepTakes(flow, state, stepMsg, ectx) : "refuses" });
    const again = (before: Say[] = []) => ({ state, replies: [engine.prompt(flow, state, ectx, before)] });
    switch (action.kind) {
      case "help":
        reply({ text: this.helpText(actor, args).map(this.t).join("\n"), choices: [] });
        r = again([say("core.help.in_flow", { flow: this.t(sayKey(flow.title)) })]);
        break;
      case "restart-or-continue":
        if (command?.flow === flow.id || !command?.run) r = engine.askRestart(flow, state, ectx);
        else {
          const ran = await this.runInDialog(tx, msg, actor, flow, state, command, args, now, reply, again, suspended, norm, ectx);
          if (ran === "interrupted") return;
          r = ran;
        }
        break;
      case "switch":
        r = engine.askAbandon(flow, state, this.flows.get(action.flowId)!, ectx);
        break;
      case "deny":
        await this.deny(tx, msg, actor, command!, now, reply);
        r = again();
        break;
      case "run": {
        const ran = await this.runInDialog(tx, msg, actor, flow, state, command!, args, now, reply, again, suspended, norm, ectx);
        if (ran === "interrupted") return;
        r = ran;
        break;
      }
      case "replace":
        // The whole answer in one message: the dialog gives way to it (nothing of it was submitted).
        await store.deleteSession(tx, key);
        await store.audit(tx, { at: now, actor: actor.key, action: "session.abandon", entity: "session", entityId: sessionId(msg), before: { flow: flow.id, answers: redacted(flow, state.answers) } });
        await this.runCommand(tx, msg, actor, command!, args, now, reply);
        if (suspended.length) await this.resume(tx, msg, suspended, now, reply);
        return;
      case "unknown-slash":
        r = again([say("core.unknown", { text: `/${action.name}` })]);
        break;
      default: {
        // `/cancel`, `/back`, `/skip` are the control words 取消, 返回, 跳过.
        const control = route.kind === "unknown-slash" ? ({ cancel: "取消", back: "返回", skip: "跳过" } as Record<string, string>)[route.name] : undefined;
        r = engine.advance(flow, state, { text: msg.text, norm: control ?? norm, attachments: msg.attachments }, ectx);
      }
    }

    if (r.outcome === "completed") {
      const reopened = await this.finishFlow(tx, msg, actor, flow, r, now, reply, state, suspended.length > 0);
      if (!reopened) {
        if (suspended.length) await this.resume(tx, msg, suspended, now, reply);
        return;
      }
      r = reopened;
    }
    if (r.outcome === "cancelled" || r.outcome === "abandoned") {
      await store.deleteSession(tx, key);
      await store.audit(tx, { at: now, actor: actor.key, action: `session.${r.outcome === "cancelled" ? "cancel" : "abandon"}`, entity: "session", entityId: sessionId(msg), before: { flow: flow.id, answers: redacted(flow, state.answers) } });
      reply(...r.replies);
      if (r.startFlow) await this.startFlow(tx, msg, actor, this.flows.get(r.startFlow)!, now, reply, r.startAnswers ?? {}, [], suspended);
      else if (suspended.length) await this.resume(tx, msg, suspended, now, reply);
      return;
    }
    state = r.state!;
    await this.save(tx, msg, state, now, false, suspended);
    reply(...r.replies);
  }

  private ttl(flowId: string): number {
    return this.o.sessionTtlFor?.(flowId) ?? this.o.sessionTtlMs;
  }

  /** The dialog a priority prompt interrupted takes over again, with a line saying where it was. */
  private async resume(tx: Tx, msg: InboundMessage, suspended: FlowState[], now: Date, reply: (...xs: (Reply | Say)[]) => void): Promise<void> {
    const [prev, ...rest] = suspended;
    const flow = prev ? this.flows.get(prev.flowId) : undefined;
    if (!prev) return;
    if (!flow) return this.resume(tx, msg, rest, now, reply);
    await this.save(tx, msg, prev, now, true, rest);
    reply(engine.prompt(flow, prev, this.ectx(now), [say("flow.resumed", { flow: this.t(sayKey(flow.title)) })]));
  }

  /**
   * A complete command inside a dialog runs as itself; the dialog's question follows.
   * If it would open a dialog (a one-message report with gaps), ask first: keep this
   * one, or switch (or, for this dialog's own, continue or restart) with what it read.
   */
  private async runInDialog(
    tx: Tx, msg: InboundMessage, actor: Actor, flow: FlowDef<Tx>, state: FlowState, c: CommandDef<Tx>, args: string, now: Date,
    reply: (...xs: (Reply | Say)[]) => void, again: (before?: Say[]) => engine.EngineResult, suspended: FlowState[] = [], norm = normalizeForMatch(msg.text), ectx = this.ectx(now),
  ): Promise<engine.EngineResult | "interrupted"> {
    let opened: StartFlow | null = null;
    const ran = await this.runCommand(tx, msg, actor, c, args, now, reply, (sf) => (opened = sf));
    if (ran === "passed") return engine.advance(flow, state, { text: msg.text, norm, attachments: msg.attachments }, ectx);
    const sf = opened as StartFlow | null;
    if (!sf) return again();
    const other = this.flows.get(sf.startFlow);
    if (!other) throw new Error(`command ${c.id} starts unknown flow ${sf.startFlow}`);
    if (sf.interrupt && other.id !== flow.id) {
      // A priority prompt (a warning's 措施): it goes first; this dialog waits, kept, and resumes after it.
      await this.o.store.audit(tx, { at: now, actor: actor.key, action: "session.suspend", entity: "session", entityId: sessionId(msg), after: { flow: flow.id, for: other.id } });
      await this.startFlow(tx, msg, actor, other, now, reply, sf.answers, [], [state, ...suspended]);
      return "interrupted";
    }
    return other.id === flow.id ? engine.askRestart(flow, state, this.ectx(now), sf.answers) : engine.askAbandon(flow, state, other, this.ectx(now), sf.answers);
  }

  /** The flow's permission asked again; a refusal ends the dialog (nothing saved), audited and said. */
  private async refusedMidFlow(tx: Tx, msg: InboundMessage, actor: Actor, flow: FlowDef<Tx>, answers: Answers, now: Date, reply: (...xs: (Reply | Say)[]) => void): Promise<boolean> {
    const action = this.flowPermission.get(flow.id)!;
    const gate = this.o.policy(actor, action);
    if (gate.ok) return false;
    await this.o.store.deleteSession(tx, { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId });
    await this.o.store.audit(tx, { at: now, actor: actor.key, action: "command.denied", entity: "session", entityId: sessionId(msg), after: { chat: msg.chatId, action, reason: gate.reason, flow: flow.id }, before: { answers: redacted(flow, answers) } });
    reply(...refusalFor(gate.reason, actor, this.keywordFor(flow.id)), say("core.flow_not_saved", { flow: this.t(sayKey(flow.title)) }));
    return true;
  }

  /** A handler's effects, in its transaction; senders and renders woken (they wait for the commit to see them). */
  private async commitHandlerEffects(tx: Tx, effects: Effect[], now: Date): Promise<void> {
    const { channels, renders } = await this.commitEffects(tx, effects, now);
    // Senders claim in a transaction of their own, which waits for this one to commit.
    if (channels.size) this.o.onEnqueued?.(channels);
    if (renders) this.o.onRendersQueued?.();
  }

  /** Runs a flow's completion; returns the engine result to continue with when a rule sends it back to a step. */
  private async finishFlow(
    tx: Tx, msg: InboundMessage, actor: Actor, flow: FlowDef<Tx>, r: engine.EngineResult, now: Date,
    reply: (...xs: (Reply | Say)[]) => void, state?: FlowState, resumesAfter = false,
  ): Promise<engine.EngineResult | null> {
    const { store } = this.o;
    const key = { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId };
    const word = this.keywordFor(flow.id);
    // Asked again at the end: whoever was deactivated or unbound mid-dialog cannot submit.
    if (await this.refusedMidFlow(tx, msg, actor, flow, r.answers!, now, reply)) return null;
    const res = await flow.complete({ tx, now, actor: chatOf(msg), person: actor, t: this.t, access: this.accessFor(tx, msg, actor, word, now) }, r.answers!);
    if (res.ok) {
      if (res.effects?.length) await this.commitHandlerEffects(tx, res.effects, now);
      await store.deleteSession(tx, key);
      await store.audit(tx, { at: now, actor: actor.key, action: "session.complete", entity: "session", entityId: sessionId(msg), before: { flow: flow.id, answers: redacted(flow, r.answers!) } });
      if (res.choices?.length && !resumesAfter) {
        reply(...r.replies, { text: res.replies.map(this.t).join("\n"), choices: res.choices });
        // Remembered for a few minutes so "1" works where choices are a numbered list.
        await store.saveSession(tx, { channel: msg.channel, chatId: msg.chatId, senderId: msg.senderId }, {
          flowId: OFFER, state: { offer: res.choices }, now, expiresAt: new Date(now.getTime() + OFFER_TTL_MS), isNew: true,
        });
      } else reply(...r.replies, ...res.replies);
      return null;
    }
    const base: FlowState = state ?? { flowId: flow.id, at: { kind: "summary" }, answers: r.answers!, skipped: [], failures: 0 };
    return engine.reopen(flow, base, res.stepId, res.error, this.ectx(now));
  }

  /**
   * What this person can do: the commands of their own roles' work (and the few every
   * member uses, `essential`), so a grid member reads a dozen lines, not forty;
   * `帮助 全部` lists everything they may use.
   */
  /**
   * 帮助: what this person can use, one line per heading (隐患：上报隐患 · 整改 · 我的隐患), so it
   * fits a phone screen; `帮助 全部` lists each with its description, `帮助 上报隐患` explains one.
   */
  private helpText(actor: Actor, ask = ""): Say[] {
    const usable = this.commands.filter((c) => this.allowed(c, actor) && !c.hidden?.(actor));
    const item = (c: CommandDef<Tx>) => say("core.help.item", { keyword: c.keywords[0] ?? "", slash: `/${c.slash[0] ?? c.id}`, description: this.t(sayKey(c.describe)) });
    const wanted = trimTrailing(ask.trim());
    if (wanted !== "" && !HELP_ALL.test(wanted)) {
      const one = matchCommand(wanted, this.commands);
      if (one.kind === "command" && one.match.command.id !== "help") {
        const c = one.match.command;
        return this.allowed(c, actor) ? [item(c)] : [item(c), say("core.not_allowed", { command: commandWord(c) })];
      }
    }
    const lines: Say[] = [say("core.help.header"), say("core.help.identity", { name: actor.name, roles: actor.roles.length ? actor.roles.join("、") : this.t(say("core.roles.none")) })];
    if (actor.personId !== undefined && !actor.active) lines.push(say("core.inactive"));
    // A few commands (before binding: 帮助, 绑定) are listed with what they do; more go under headings.
    if (wanted !== "" || usable.length <= 4) {
      for (const c of usable) lines.push(item(c));
    } else {
      for (const topic of HELP_TOPICS) {
        const words = usable.filter((c) => c.id !== "help" && (c.topic ?? "other") === topic).map((c) => c.keywords[0] ?? `/${c.slash[0]}`);
        if (words.length) lines.push(say("core.help.topic_line", { topic: this.t(say(`core.help.topic.${topic}`)), words: words.join(" · ") }));
      }
      lines.push(say("core.help.more"));
    }
    lines.push(say(actor.personId === undefined ? "core.help.bind_hint" : "core.help.footer"));
    return lines;
  }

  /**
   * The clock's entry point for scheduled work: each item due at `at` in a
   * transaction of its own, its effects written in it, senders and renders woken
   * after the commits. Returns how many items were handled.
   */
  async tick(job: TickJob<Tx>, at: Date): Promise<number> {
    const { store } = this.o;
    const touched = new Set<string>();
    let renders = false;
    let n = 0;
    for (const item of await job.due(at)) {
      await store.transaction(async (tx) => {
        const effects = await job.handle({ tx, at, t: this.t }, item);
        const items = await this.commitEffects(tx, effects, at);
        for (const c of items.channels) touched.add(c);
        renders ||= items.renders;
      });
      n++;
    }
    if (touched.size) this.o.onEnqueued?.(touched);
    if (renders) this.o.onRendersQueued?.();
    return n;
  }

  /** Writes effects in the caller's transaction; says which channels and whether renders were touched. */
  private async commitEffects(tx: Tx, effects: Effect[], now: Date): Promise<{ channels: Set<string>; renders: boolean }> {
    const channels = new Set<string>();
    let renders = false;
    for (const e of effects) {
      if ("notify" in e) {
        if (e.notify.length === 0) continue;
        await this.o.store.enqueue(tx, e.notify, now);
        for (const i of e.notify) channels.add(i.channel);
      } else if (await this.o.store.enqueueRender(tx, e.render)) renders = true;
    }
    return { channels, renders };
  }

  /**
   * The clock's entry point for dialogs: one reminder before a session expires,
   * then the expiry notice. Run every minute by the scheduler.
   */
  async sweep(now: Date = this.o.clock.now()): Promise<{ reminded: number; expired: number }> {
    const { store } = this.o;
    let reminded = 0;
    let expired = 0;
    const touched = new Set<string>();
    // A sweep caught up after the clock jumped (a pause, a sleeping laptop): no reminder for what has already run out.
    const real = this.o.clock.now();
    for (const s of await store.sessionsToRemind(now, this.o.sessionReminderLeadMs)) {
      if (s.flowId === OFFER || s.expiresAt <= real) continue;
      const flow = this.flows.get(s.flowId);
      const stored = s.state as StoredSession;
      if (!flow) continue;
      const minutes = Math.max(1, Math.ceil((s.expiresAt.getTime() - now.getTime()) / 60_000));
      const sent = await store.transaction(async (tx) => {
        if (!(await store.markReminded(tx, s.id, now))) return false;
        const q = engine.prompt(flow, stored.flow, this.ectx(now), [say("session.expiring", { flow: this.t(sayKey(flow.title)), minutes })]);
        await store.enqueue(tx, [this.out(sessionTarget(s, stored), q)], now);
        return true;
      });
      if (sent) { reminded++; touched.add(s.channel); }
    }
    for (const s of await store.sessionsToExpire(now)) {
      const flow = this.flows.get(s.flowId);
      const stored = s.state as StoredSession;
      if (s.flowId === OFFER) {
        await store.transaction((tx) => store.deleteSession(tx, { channel: s.channel, chatId: s.chatId, senderId: s.senderId }));
        continue;
      }
      const done = await store.transaction(async (tx) => {
        if (!(await store.markExpired(tx, s.id, now, s.expiresAt))) return false;
        const minutes = Math.round(this.ttl(s.flowId) / 60_000);
        const text = this.t(say("session.expired", { flow: flow ? this.t(sayKey(flow.title)) : s.flowId, minutes, keyword: this.keywordFor(s.flowId) }));
        // A priority prompt ran out over a dialog it interrupted: that dialog is back, waiting as before.
        const [prev, ...rest] = stored.suspended ?? [];
        const under = prev ? this.flows.get(prev.flowId) : undefined;
        if (prev && under) {
          const key = { channel: s.channel, chatId: s.chatId, senderId: s.senderId };
          const back: StoredSession = { flow: prev, chatKind: stored.chatKind, senderName: stored.senderName, ...(rest.length ? { suspended: rest } : {}) };
          await store.saveSession(tx, key, { flowId: prev.flowId, state: back, now, expiresAt: new Date(now.getTime() + this.ttl(prev.flowId)), isNew: true });
          const q = engine.prompt(under, prev, this.ectx(now), [say("flow.resumed", { flow: this.t(sayKey(under.title)) })]);
          await store.enqueue(tx, [this.out(sessionTarget(s, stored), { text: `${text}\n${q.text}`, choices: q.choices })], now);
          await store.audit(tx, { at: now, actor: "system:session-sweep", action: "session.expire", entity: "session", entityId: `${s.channel}:${s.chatId}:${s.senderId}`, before: { flow: s.flowId, answers: flow ? redacted(flow, stored.flow.answers) : {} }, after: { resumed: prev.flowId } });
          return true;
        }
        // Not into a group an hour or more after the person last wrote there, where the talk has moved on:
        // they hear of it on their next message there.
        if (stored.chatKind !== "group" || this.ttl(s.flowId) <= GROUP_EXPIRY_NOTICE_MAX_MS) await store.enqueue(tx, [this.out(sessionTarget(s, stored), { text, choices: [] })], now);
        await store.audit(tx, { at: now, actor: "system:session-sweep", action: "session.expire", entity: "session", entityId: `${s.channel}:${s.chatId}:${s.senderId}`, before: { flow: s.flowId, answers: flow ? redacted(flow, stored.flow.answers) : {} } });
        return true;
      });
      if (done) { expired++; touched.add(s.channel); }
    }
    await store.transaction((tx) => store.purgeExpiredSessions(tx, new Date(now.getTime() - EXPIRED_KEEP_MS)));
    if (touched.size) this.o.onEnqueued?.(touched);
    return { reminded, expired };
  }
}

function sessionTarget(s: SessionRecord, stored: StoredSession) {
  return { channel: s.channel, chatId: s.chatId, chatKind: stored.chatKind, senderId: s.senderId, senderName: stored.senderName };
}

/**
 * The arguments as typed (the router matched on the folded form, which turns
 * "，" into ","): free text such as a progress note keeps its own punctuation.
 */
function rawArgs(text: string, m: { args: string; viaSlash: boolean; viaQuestion?: boolean; command: { keywords: string[]; matches?: unknown } }): string {
  // Emoji or a bracket before the keyword (`⚠️隐患 …`) are not part of the arguments.
  const t = withoutLeadingMarks(text.trim());
  if (m.viaSlash) return /^\S+\s*([\s\S]*)$/.exec(t)?.[1]?.trim() ?? m.args;
  // A question matched as a whole ("本周隐患情况", "收到！") is its own argument.
  if (m.viaQuestion) return t;
  const kw = [...m.command.keywords].sort((a, b) => b.length - a.length).find((k) => t.startsWith(k));
  // A question matched as a whole ("本周隐患情况") is its own argument.
  return kw ? stripArgStart(t.slice(kw.length)) : m.command.matches ? t : m.args;
}

/** Answers as the audit log keeps them: secrets (mobiles, invite codes) masked by their steps. */
function redacted<Tx>(flow: FlowDef<Tx>, answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const st of flow.steps) {
    const r = st.redact ?? st.input.redact;
    if (r && out[st.id] !== undefined && out[st.id] !== null) out[st.id] = r(out[st.id]!);
  }
  return out;
}

/** The refusal a person reads, by the policy's reason. */
function refusalFor(reason: Denial, actor: Actor, command: string): Say[] {
  switch (reason) {
    case "unbound": return [say("core.need_bind", { command })];
    case "inactive": return [say("core.inactive")];
    case "role": return [say("core.not_allowed", { command })];
    case "scope": return [say("core.refuse.scope", { command, scope: actor.regionPath ?? "" })];
    case "rank": return [say("core.refuse.rank", { command })];
    case "self": return [say("core.refuse.self", { command })];
  }
}

function commandWord(c: { keywords: string[]; slash: string[] }): string {
  return c.keywords[0] ?? `/${c.slash[0]}`;
}

function chatOf(msg: InboundMessage) {
  return { channel: msg.channel, chatId: msg.chatId, chatKind: msg.chatKind, senderId: msg.senderId, senderName: msg.senderName };
}

function sessionId(msg: InboundMessage): string {
  return `${msg.channel}:${msg.chatId}:${msg.senderId}`;
}

/** What the audit log keeps of a message: 60 characters, with mobile numbers masked. */
function forAudit(text: string): string {
  return clip(text, 60).replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, "$1****$2");
}

function clip(s: string, n = 20): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join("")}…` : s;
}
