/**
 * What a message does inside an open dialog — a pure function, tested from a table
 * (tests/core/route.test.ts), in the spirit of RapidPro's interrupt rules:
 * - an answer is an answer: plain text, and a command word that merely starts one
 *   (`隐患 很严重` at the description step);
 * - a complete command runs as itself (`销号 YH-…`, `巡查 正常`, `统计 本月`, `/stats`),
 *   then the dialog's question is asked again; one that would open a dialog asks first;
 * - a bare keyword of another dialog asks keep / switch; of this dialog, continue / restart;
 * - `帮助` shows help and the question again; control words (取消, 返回, 跳过) stay answers;
 * - while the bot's own question (keep / switch) is pending, everything answers it.
 */
import type { CommandDef, RouteResult } from "./commands.js";

export type InDialogAction =
  | { kind: "answer" }
  | { kind: "help" }
  /** This dialog's own keyword: continue where it was, or start again. */
  | { kind: "restart-or-continue" }
  /** Another dialog's keyword: keep this one, or switch to that. */
  | { kind: "switch"; flowId: string }
  /** Run the command as itself, then ask the dialog's question again. */
  | { kind: "run" }
  /** A complete one-message form of this very dialog (`巡查 正常` inside 巡查): it replaces the dialog. */
  | { kind: "replace" }
  /** A command this person may not use: the refusal, then the question again. */
  | { kind: "deny" }
  | { kind: "unknown-slash"; name: string };

export interface InDialogInput<Tx = unknown> {
  /** The dialog's flow. */
  flowId: string;
  /** The bot asked a question of its own (keep / switch) and waits for the answer. */
  pending: boolean;
  route: RouteResult<Tx>;
  /** The command's arguments as typed (for its `complete` test). */
  args: string;
  /** May this person use the matched command? */
  allowed: boolean;
  /** How the current step would take the message (engine.stepTakes). */
  stepTakes: "text" | "option" | "parses" | "refuses";
}

/** Slash names that are control words inside a dialog (`/cancel` is 取消). */
export const CONTROL_SLASH = new Set(["cancel", "back", "skip"]);

export function routeInDialog<Tx>(i: InDialogInput<Tx>): InDialogAction {
  if (i.pending) return { kind: "answer" };
  if (i.route.kind === "none") return { kind: "answer" };
  if (i.route.kind === "unknown-slash") return CONTROL_SLASH.has(i.route.name) ? { kind: "answer" } : { kind: "unknown-slash", name: i.route.name };
  const { command: c, exact, viaSlash, viaQuestion } = i.route.match;
  // A command that goes first and hands the message back when it has nothing to do (收到 / 👌).
  // (But a bare number where the step shows numbered options answers the step: what the person sees.)
  if (c.yields && i.allowed && !(i.stepTakes === "option" && /^\s*\d+\s*[。.!！]?\s*$/.test(i.args.normalize("NFKC")))) return { kind: "run" };
  // Said like a question rather than with a keyword (`YH-… 照片`, `本周隐患情况`): an answer where
  // the step reads it (a hazard number at the number step), else the question it is.
  if (viaQuestion && (i.stepTakes === "parses" || i.stepTakes === "option")) return { kind: "answer" };
  const bare = exact || (viaSlash && i.args.trim() === "");
  // A word that is also an answer (`确认`) is an answer here, unless sent as a slash command.
  if (c.outsideDialogs && !viaSlash) return { kind: "answer" };
  if (c.id === "help") return bare || viaSlash || c.complete?.(i.args) ? { kind: "help" } : { kind: "answer" };
  if (bare) {
    // A word the step reads as one of its options answers it: `销号` at 复查's result, `零报告` at 零报告's own question.
    if (i.stepTakes === "option" && !viaSlash && (!c.flow || opensFlow(c, i.flowId))) return { kind: "answer" };
    if (opensFlow(c, i.flowId)) return { kind: "restart-or-continue" };
    if (!i.allowed) return { kind: "deny" };
    if (c.flow) return { kind: "switch", flowId: c.flow };
    return { kind: "run" };
  }
  // With arguments: a command only when they make it complete (or it came as a slash command).
  if (!viaSlash && !(c.complete?.(i.args) ?? false)) return { kind: "answer" };
  if (!i.allowed) return { kind: "deny" };
  // A dialog's own command with a whole report after it (`上报隐患 泡里村… 灭火器过期`) reads it: run, then ask.
  if (c.flow && !c.run) return c.flow === i.flowId ? { kind: "restart-or-continue" } : { kind: "switch", flowId: c.flow };
  return c.replaces?.includes(i.flowId) ? { kind: "replace" } : { kind: "run" };
}

function opensFlow<Tx>(c: CommandDef<Tx>, flowId: string): boolean {
  return c.flow === flowId || c.opens?.includes(flowId) === true;
}
