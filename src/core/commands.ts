/**
 * Commands: each has Chinese keywords and slash forms (`上报隐患` and `/report`).
 * Matching is a pure function of the text, so routing is testable on its own.
 */
import type { PromptKey, Say } from "../prompts/catalog.js";
import type { Actor } from "./ports.js";
import type { InboundMessage } from "./messages.js";

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
  /** Sends messages to other chats in the same transaction. */
  send: (items: import("./ports.js").OutboxItem[]) => Promise<void>;
}

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
  /** Or runs this: replies, or opens a flow with some answers already filled in. */
  run?: (ctx: CommandContext<Tx>) => Promise<Say[] | StartFlow | WithFiles>;
  /** Checked by the access policy before anything runs (e.g. `public`, `member`, `org.admin`). */
  permission: string;
  /** Left out of the help list for this person (e.g. 绑定 once bound). */
  hidden?: (actor: Actor) => boolean;
  /** Also taken when no keyword matches and this predicate holds (a question like "本周隐患情况"). */
  matches?: (norm: string) => boolean;
  /** A word that is also an answer (`确认`): a command only when no dialog is open. */
  outsideDialogs?: boolean;
}

/** A reply that carries a file (an .xlsx ledger) or an image (a chart). */
export interface WithFiles {
  says: Say[];
  file?: string;
  image?: string;
}

/** A command's way of opening a dialog with what it already knows. */
export interface StartFlow {
  startFlow: string;
  answers: Record<string, import("./flow-types.js").Json>;
  /** Said before the first question. */
  intro?: Say[];
}

export interface CommandMatch<Tx> {
  command: CommandDef<Tx>;
  args: string;
  /** The whole message was the command word (no arguments). */
  exact: boolean;
  viaSlash: boolean;
}

export type RouteResult<Tx> = { kind: "command"; match: CommandMatch<Tx> } | { kind: "unknown-slash"; name: string } | { kind: "none" };

const SLASH = /^\/([a-z][a-z0-9_]*)(?:@[a-z0-9_]+)?(?:\s+([\s\S]*))?$/i;

export function matchCommand<Tx>(norm: string, commands: readonly CommandDef<Tx>[]): RouteResult<Tx> {
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
      if (norm === kw || norm.startsWith(`${kw} `)) {
        if (!best || kw.length > best.kw.length) best = { command, kw };
      }
    }
  }
  if (!best) {
    const byQuestion = commands.find((c) => c.matches?.(norm));
    return byQuestion ? { kind: "command", match: { command: byQuestion, args: norm, exact: false, viaSlash: false } } : { kind: "none" };
  }
  const args = norm.slice(best.kw.length).trim();
  return { kind: "command", match: { command: best.command, args, exact: args === "", viaSlash: false } };
}
