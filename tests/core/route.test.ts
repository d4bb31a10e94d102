/**
 * The routing policy inside a dialog (core/route.ts), state × input kind → action, from a table.
 * Flow under way: the hazard report ("hazard-report"). Commands as the registry declares them.
 */
import { describe, expect, it } from "vitest";
import type { CommandDef, RouteResult } from "../../src/core/commands.js";
import { routeInDialog, type InDialogAction, type InDialogInput } from "../../src/core/route.js";

const cmd = (id: string, o: Partial<CommandDef> = {}): CommandDef => ({ id, keywords: [id], slash: [id], describe: "core.help.footer", permission: "public", ...o });
const C = {
  help: cmd("help"),
  report: cmd("hazard-report", { flow: "hazard-report" }),
  hazard: cmd("hazard", { opens: ["hazard-report"], run: async () => [], complete: (a) => /YH-/.test(a) || a.split(" ").length >= 3 }),
  patrol: cmd("patrol", { opens: ["patrol"], replaces: ["patrol"], run: async () => [], complete: (a) => a === "正常" }),
  close: cmd("hazard-close", { run: async () => [], complete: (a) => /YH-/.test(a) }),
  stats: cmd("stats", { run: async () => [], complete: (a) => /本周|本月/.test(a) }),
  issue: cmd("warning-issue", { flow: "warning-issue" }),
  confirm: cmd("confirm-report", { outsideDialogs: true, run: async () => [] }),
  ack: cmd("warning-confirm", { run: async () => [], complete: (a) => /YJ-/.test(a) }),
  /** 收到 as it is registered: it goes first and hands back what it has nothing to do with. */
  yields: cmd("warning-confirm", { yields: true, run: async () => [] }),
  /** 上报隐患 with a reader for a whole report after it. */
  reportReads: cmd("hazard-report", { flow: "hazard-report", run: async () => [], complete: (a) => a.split(" ").length >= 3 }),
};
type Row = [string, Partial<InDialogInput> & { r: RouteResult<unknown> }, InDialogAction["kind"] | InDialogAction];
const kw = (c: CommandDef, args = "", o: { exact?: boolean; viaSlash?: boolean; viaQuestion?: boolean } = {}): RouteResult<unknown> =>
  ({ kind: "command", match: { command: c, args, exact: o.exact ?? args === "", viaSlash: o.viaSlash ?? false, ...(o.viaQuestion ? { viaQuestion: true } : {}) } });

const TABLE: Row[] = [
  // plain answers
  ["plain text", { r: { kind: "none" } }, "answer"],
  ["a keyword that merely starts an answer (隐患 很严重)", { r: kw(C.hazard, "很严重"), args: "很严重" }, "answer"],
  ["确认 inside a dialog is an answer", { r: kw(C.confirm) }, "answer"],
  ["/cancel is the control word", { r: { kind: "unknown-slash", name: "cancel" } }, "answer"],
  ["an unknown slash", { r: { kind: "unknown-slash", name: "nosuch" } }, { kind: "unknown-slash", name: "nosuch" }],
  ["while the bot's own question waits, everything answers it", { r: kw(C.issue), pending: true }, "answer"],
  // help
  ["帮助", { r: kw(C.help) }, "help"],
  ["/help", { r: kw(C.help, "", { viaSlash: true }) }, "help"],
  ["帮助 群众转移工作 (an answer)", { r: kw(C.help, "群众转移工作"), args: "群众转移工作" }, "answer"],
  // the same dialog's word
  ["上报隐患 again", { r: kw(C.report) }, "restart-or-continue"],
  ["/report again", { r: kw(C.report, "", { viaSlash: true }) }, "restart-or-continue"],
  ["隐患 alone (opens this dialog)", { r: kw(C.hazard) }, "restart-or-continue"],
  ["隐患 with a whole new report", { r: kw(C.hazard, "泡里村 山体滑坡 重大"), args: "泡里村 山体滑坡 重大" }, "run"],
  // another dialog's word
  ["发布预警 (bare)", { r: kw(C.issue) }, { kind: "switch", flowId: "warning-issue" }],
  ["发布预警, not allowed", { r: kw(C.issue), allowed: false }, "deny"],
  ["巡查 alone (a run that opens another dialog)", { r: kw(C.patrol) }, "run"],
  // complete commands run as themselves
  ["巡查 正常", { r: kw(C.patrol, "正常"), args: "正常" }, "run"],
  ["巡查 正常 inside 巡查 itself replaces it", { r: kw(C.patrol, "正常"), args: "正常", flowId: "patrol" }, "replace"],
  ["销号 YH-…", { r: kw(C.close, "YH-20261125-0001"), args: "YH-20261125-0001" }, "run"],
  ["销号 YH-…, not allowed", { r: kw(C.close, "YH-20261125-0001"), args: "YH-20261125-0001", allowed: false }, "deny"],
  ["收到 YJ-…", { r: kw(C.ack, "YJ-20261125-01"), args: "YJ-20261125-01" }, "run"],
  ["统计 本月", { r: kw(C.stats, "本月"), args: "本月" }, "run"],
  ["/stats with anything", { r: kw(C.stats, "随便", { viaSlash: true }), args: "随便" }, "run"],
  // questions by their shape
  ["本周隐患情况 at a text step", { r: kw(C.stats, "本周隐患情况", { viaQuestion: true }), args: "本周隐患情况", stepTakes: "text" }, "run"],
  ["村里隐患情况严重 at a text step (a description)", { r: kw(C.stats, "村里隐患情况严重", { viaQuestion: true }), args: "村里隐患情况严重", stepTakes: "text" }, "answer"],
  ["YH-… at the hazard-number step", { r: kw(C.hazard, "YH-20261125-0001", { viaQuestion: true }), args: "YH-20261125-0001", stepTakes: "parses" }, "answer"],
  ["YH-… at a text step", { r: kw(C.hazard, "YH-20261125-0001", { viaQuestion: true }), args: "YH-20261125-0001", stepTakes: "text" }, "run"],
  // a word that is one of the step's options
  ["销号 (bare) at 复查's result step, where it is an option", { r: kw(C.close), stepTakes: "option" }, "answer"],
  ["销号 (bare) at a place step (any text parses there): the command", { r: kw(C.close), stepTakes: "parses" }, "run"],
  ["/close (bare) at the option step: the command", { r: kw(C.close, "", { viaSlash: true }), stepTakes: "option" }, "run"],
  ["零报告 (this dialog's word) at its own yes/no question, where it reads as 是", { r: kw(C.report), stepTakes: "option" }, "answer"],
  ["上报隐患 (this dialog's word) where the step does not read it", { r: kw(C.report), stepTakes: "refuses" }, "restart-or-continue"],
  ["发布预警 (bare) at an option step still asks to switch", { r: kw(C.issue), stepTakes: "option" }, { kind: "switch", flowId: "warning-issue" }],
  // commands that go first and may hand the message back
  ["收到 / 👌 (a yielding command) at an option step: it runs first", { r: kw(C.yields, "👌", { viaQuestion: true }), args: "👌", stepTakes: "option" }, "run"],
  ["收到，但是… at a text step: it runs first", { r: kw(C.yields, "但是我们村没有接到通知"), args: "但是我们村没有接到通知" }, "run"],
  ["1 (收到's button) where the step shows numbered options: the step's option", { r: kw(C.yields, "1", { viaQuestion: true }), args: "1", stepTakes: "option" }, "answer"],
  ["1 at a text step: 收到 goes first", { r: kw(C.yields, "1", { viaQuestion: true }), args: "1", stepTakes: "text" }, "run"],
  ["帮助 整改 (naming a command) inside a dialog: help", { r: kw(cmd("help", { complete: (a) => a === "整改" }), "整改"), args: "整改" }, "help"],
  ["a yielding command, not allowed: the usual refusal path", { r: kw(C.yields), allowed: false }, "deny"],
  // a dialog's own word with a whole report after it
  ["上报隐患 <whole report> inside the report: read it, then ask continue / restart", { r: kw(C.reportReads, "泡里村 山体滑坡 重大"), args: "泡里村 山体滑坡 重大" }, "run"],
  ["上报隐患 <whole report> inside another dialog: read it, then ask keep / switch", { r: kw(C.reportReads, "泡里村 山体滑坡 重大"), args: "泡里村 山体滑坡 重大", flowId: "patrol" }, "run"],
  ["上报隐患 很严重 (not a whole report) is an answer", { r: kw(C.reportReads, "很严重"), args: "很严重" }, "answer"],
];

describe("routing inside a dialog (state × input → action)", () => {
  it.each(TABLE)("%s", (_name, o, want) => {
    const got = routeInDialog({ flowId: "hazard-report", pending: false, allowed: true, args: "", stepTakes: "text", ...o, route: o.r });
    expect(typeof want === "string" ? got.kind : got).toEqual(want);
  });
});
