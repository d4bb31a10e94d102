import { describe, expect, it } from "vitest";
import { matchCommand, type CommandDef } from "../../src/core/commands.js";
import { normalizeForMatch, sanitize } from "../../src/core/normalize.js";

const cmds: CommandDef[] = [
  { id: "report", keywords: ["上报隐患", "隐患"], slash: ["report"], describe: "help.describe", permission: "member" },
  { id: "help", keywords: ["帮助"], slash: ["help", "start"], describe: "help.describe", permission: "public" },
];
const m = (s: string) => matchCommand(normalizeForMatch(s), cmds);

describe("matchCommand", () => {
  it("matches Chinese keywords and slash commands", () => {
    expect(m("上报隐患")).toMatchObject({ kind: "command", match: { command: { id: "report" }, exact: true, viaSlash: false } });
    expect(m("/report")).toMatchObject({ kind: "command", match: { command: { id: "report" }, exact: true, viaSlash: true } });
    expect(m("/REPORT@yingji_bot 泡里村")).toMatchObject({ kind: "command", match: { command: { id: "report" }, args: "泡里村" } });
    expect(m("/start")).toMatchObject({ kind: "command", match: { command: { id: "help" } } });
  });

  it("takes the longest keyword and passes the rest as arguments", () => {
    expect(m("隐患 泡里村加油站 灭火器过期")).toMatchObject({ match: { command: { id: "report" }, args: "泡里村加油站 灭火器过期", exact: false } });
    expect(m("上报隐患  泡里村")).toMatchObject({ match: { args: "泡里村" } });
  });

  it("does not match a keyword glued to other words, or plain chatter", () => {
    expect(m("隐患很多")).toEqual({ kind: "none" });
    expect(m("大家帮助一下")).toEqual({ kind: "none" });
    expect(m("hello")).toEqual({ kind: "none" });
  });

  it("reports unknown slash commands by name", () => {
    expect(m("/foo bar")).toEqual({ kind: "unknown-slash", name: "foo" });
  });

  it("folds full-width forms and strips control characters", () => {
    expect(m("／ｈｅｌｐ")).toMatchObject({ kind: "command", match: { command: { id: "help" } } });
    expect(sanitize("\u200b帮助\u0000\r\n")).toBe("帮助");
  });
});
