/**
 * Commands: each has Chinese keywords and slash forms (`上报隐患` and `/report`).
 * Matching is a pure function of the text, so routing is testable on its own.
 */
import type { PromptKey, Say } from "../prompts/catalog.js";
import type { AccessTarget, Actor, Denial } from "./ports.js";
import { stripArgStart } from "./normalize.js";
import { trimTrailing, withoutLeadingMarks, withoutPoliteOpening } from "./understand.js";

export { stripArgStart };
import type { InboundMessage } from "./messages.js";
import type { Effect } from "./effects.js";

export interface CommandContext<Tx> {
  tx: Tx;
  actor: Actor;
  args: string;
  now: Date;
  chat: { channel: string; chatId: string; chatKind: "group" | "private"; senderId: string; senderName: string };
  /** The whole message (attachments, mentions, the message replied to). */
  msg: InboundMessage;
  /** Renders a prompt (for messages to other people). */
  t: (s: Say) => string;
  /** Asks the policy about a target: null to go ahead, else what to say (the refusal is already audited). */
  access: Access;
  /** The same question without a refusal (to offer a hint, not to guard anything). */
  allows: (action: string, target?: AccessTarget) => boolean;
  /** A dialog is open in this chat (a `yields` command may pass the message to it). */
  inDialog: boolean;
}

/** What a refusal is about, for the audit row and the reply. */
export interface AccessAbout {
  entity: string;
  id: string | number;
  /** Own wording for some reasons (default: the core's refusal for each reason). */
  refusal?: Partial<Record<Denial, Say>>;
}

export type Access = (action: string, target: AccessTarget, about: AccessAbout) => Promise<Say[] | null>;

export interface CommandDef<Tx = unknown> {
  id: string;
  /** Chinese keywords, matched at the start of a message (`帮助`, `上报隐患 …`). */
  keywords: string[];
  /** Slash command names without the slash (`help`). */
  slash: string[];
  /** One line for the help list. */
  describe: PromptKey;
  /** Starts this flow. */
  flow?: string;
  /** Flows `run` may open (so a dialog knows the words that start it: in refusals, expiry notices). */
  opens?: string[];
  /** Or runs this: replies, or opens a flow with some answers already filled in. */
  run?: (ctx: CommandContext<Tx>) => Promise<Say[] | StartFlow | WithFiles | Rendering | Pass>;
  /** The policy action checked before anything runs, on the actor alone (e.g. `public`, `member`, `org.admin`). */
  permission: string;
  /**
   * The actions the command decides on its target once it has found it (a hazard's
   * region, a person's current and new region), and what kind of target that is.
   * Read by the permission-matrix test and the README's permission section.
   */
  checks?: { action: string; target: TargetKind }[];
  /** The heading it is listed under in 帮助 (default: 其他). */
  topic?: HelpTopic;
  /** Listed in 帮助 for every member, though anyone may use it (收到, 我的隐患); others of `member`/`public` wait for 帮助 全部. */
  essential?: boolean;
  /** Left out of the help list for this person (e.g. 绑定 once bound). */
  hidden?: (actor: Actor) => boolean;
  /** Also taken when no keyword matches and this predicate holds (a question like "本周隐患情况"). */
  matches?: (norm: string) => boolean;
  /** A word that is also an answer (`确认`): a command only when no dialog is open. */
  outsideDialogs?: boolean;
  /**
   * These arguments make a complete command (`销号 YH-…`, `巡查 正常`): inside a dialog it
   * runs as itself instead of being taken as the answer (core/route.ts). Default: never.
   */
  complete?: (args: string) => boolean;
  /** Dialogs whose whole answer this command takes in one message (`巡查 正常` for 巡查): inside one, it replaces it. */
  replaces?: string[];
  /**
   * Inside a dialog it runs first, and when it has nothing to do (returns `{ pass: true }`)
   * the message is the dialog's answer: `👌` confirms a warning if one is open, else answers 是.
   */
  yields?: boolean;
}

/** A command with nothing to do for this message inside a dialog: the dialog takes it. */
export interface Pass {
  pass: true;
}

/** The headings of 帮助, in their order. */
export const HELP_TOPICS = ["hazard", "routine", "duty", "warning", "stats", "other", "org"] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

export type TargetKind = "hazard" | "warning" | "person" | "group" | "region" | "colleague" | "shift";

/** A reply that carries a file (an .xlsx ledger) or an image (a chart). */
export interface WithFiles {
  says: Say[];
  file?: string;
  image?: string;
  /** What else follows (notices to other people), written in the command's transaction. */
  effects?: Effect[];
}

/**
 * Heavy work asked for (a chart, a workbook): queued in the command's transaction
 * and rendered after the commit (core/renders.ts); its result is the reply.
 * `says` goes out at once (e.g. "正在生成…"), if given.
 */
export interface Rendering {
  render: import("./effects.js").RenderRequest;
  says?: Say[];
  effects?: Effect[];
}

/** A command's way of opening a dialog with what it already knows. */
export interface StartFlow {
  startFlow: string;
  answers: Record<string, import("./json.js").Json>;
  /** Said before the first question. */
  intro?: Say[];
  effects?: Effect[];
  /** A priority prompt (a warning's 措施): inside another dialog it goes first, and that dialog resumes after it. */
  interrupt?: boolean;
}

export interface CommandMatch<Tx> {
  command: CommandDef<Tx>;
  args: string;
  /** The whole message was the command word (no arguments). */
  exact: boolean;
  viaSlash: boolean;
  /** Taken by the command's `matches` (a question's shape), not by a keyword. */
  viaQuestion?: boolean;
}

export type RouteResult<Tx> = { kind: "command"; match: CommandMatch<Tx> } | { kind: "unknown-slash"; name: string } | { kind: "none" };

/**
 * What may follow a keyword for the rest to be its arguments: a space, a colon or
 * comma (`邀请码：138…`), or a digit, Latin letter or bracket (`邀请码13800000009`,
 * `整改YH-…`, `换班11月26日`). A Chinese character may not: `确认一下` is not `确认`.
 */
const ARG_START = /^[\s:：,，、;；(（[【0-9a-z+]/;

const SLASH = /^\/([a-z][a-z0-9_]*)(?:@[a-z0-9_]+)?(?:\s+([\s\S]*))?$/i;

/**
 * The command a message is, read as people type it: as it is, then without trailing
 * punctuation and emoji (`上报隐患。`), then without a polite opening (`我要上报隐患`).
 */
export function matchCommand<Tx>(norm: string, commands: readonly CommandDef<Tx>[]): RouteResult<Tx> {
  const first = matchExactly(norm, commands);
  if (first.kind !== "none") return first;
  const trimmed = trimTrailing(norm);
  // A short message with a stray space inside a word (`上报 隐患`, `取 消`) is that word.
  const closed = [...trimmed].length <= 8 ? trimmed.replace(/\s+/g, "") : trimmed;
  // Emoji or a bracket before the word (`⚠️隐患 …`, `【隐患】…`) do not change it.
  const led = withoutLeadingMarks(trimmed);
  for (const form of [trimmed, withoutPoliteOpening(trimmed), closed, led]) {
    if (form === norm || form === "") continue;
    const r = matchExactly(form, commands);
    if (r.kind === "command") return r;
  }
  return first;
}

function matchExactly<Tx>(norm: string, commands: readonly CommandDef<Tx>[]): RouteResult<Tx> {
  const slash = SLASH.exec(norm);
  if (slash) {
    const name = slash[1]!.toLowerCase();
    const command = commands.find((c) => c.slash.includes(name));
    if (!command) return { kind: "unknown-slash", name };
    const args = (slash[2] ?? "").trim();
    return { kind: "command", match: { command, args, exact: args === "", viaSlash: true } };
  }
  let best: { command: CommandDef<Tx>; kw: string } | undefined;
  for (const command of commands) {
    for (const kw of command.keywords) {
      if (norm === kw || (norm.startsWith(kw) && ARG_START.test(norm.slice(kw.length)))) {
        if (!best || kw.length > best.kw.length) best = { command, kw };
      }
    }
  }
  // Written without a space (`隐患泡里村加油站 灭火器过期`, `巡查正常`): only where the rest makes the command complete.
  if (!best) {
    for (const command of commands) {
      for (const kw of command.keywords) {
        if (norm.startsWith(kw) && norm.length > kw.length && command.complete?.(norm.slice(kw.length)) && (!best || kw.length > best.kw.length)) best = { command, kw };
      }
    }
  }
  if (!best) {
    const byQuestion = commands.find((c) => c.matches?.(norm));
    return byQuestion ? { kind: "command", match: { command: byQuestion, args: norm, exact: false, viaSlash: false, viaQuestion: true } } : { kind: "none" };
  }
  const args = stripArgStart(norm.slice(best.kw.length));
  return { kind: "command", match: { command: best.command, args, exact: args === "", viaSlash: false } };
}
