import { describe, expect, it } from "vitest";
import { isAcknowledgement, trimTrailing, withoutPoliteOpening } from "../../src/core/understand.js";
import { normalizeForMatch } from "../../src/core/normalize.js";
import { matchCommand } from "../../src/core/commands.js";

const n = (s: string) => normalizeForMatch(s);

describe("收到, however it is typed", () => {
  it.each([
    "收到", "收到！", "收到!", "收到。", "收到了", "已收到", "好的收到", "好的，收到", "好，收到", "收到收到", "收到，收到",
    "👌", "👍", "🫡", "收到👌", "收到🙏🙏", "收到~", "收到～", "嗯嗯收到", "ok收到", "OK，收到", "已知悉", "知悉", "明白",
    "明白了", "收到，马上落实", "收到 谢谢", "已阅", "收到啦", "ＯＫ收到", "收到 ", "收到！！！", "收到👍🏻",
  ])("%s is 收到", (s) => {
    expect(isAcknowledgement(n(s))).toBe(true);
  });
  it.each([
    "好的", "嗯", "收到，但是我们村没有接到通知", "没收到", "还没收到", "收到的文件打不开", "上报隐患", "1", "", "哈哈",
  ])("%s is not", (s) => {
    expect(isAcknowledgement(n(s))).toBe(false);
  });
});

describe("the edges people add", () => {
  it.each([
    ["上报隐患。", "上报隐患"], ["上报隐患🙏", "上报隐患"], ["巡查 正常！", "巡查 正常"], ["帮助？", "帮助"], ["统计 本月…", "统计 本月"],
    ["签到👌", "签到"], ["确认)", "确认"], ["收到👍🏻", "收到"],
  ])("%s → %s", (s, want) => {
    expect(trimTrailing(n(s))).toBe(want);
  });
  it.each([["我要上报隐患", "上报隐患"], ["请导出", "导出"], ["麻烦帮我导出", "导出"], ["帮我看看本周隐患情况", "看看本周隐患情况"]])("%s → %s", (s, want) => {
    expect(withoutPoliteOpening(n(s))).toBe(want);
  });
});

describe("commands read through the edges", () => {
  const cmd = (id: string, keywords: string[]) => ({ id, keywords, slash: [id], describe: "core.help.footer" as const, permission: "public" });
  const commands = [cmd("report", ["上报隐患"]), cmd("patrol", ["巡查"]), cmd("export", ["导出"])];
  it.each([
    ["上报隐患。", "report", true], ["上报隐患🙏", "report", true], ["我要上报隐患", "report", true], ["请帮我导出", "export", true],
    ["巡查 正常！", "patrol", false], ["上报隐患！！", "report", true],
  ])("%s → %s", (s, id, exact) => {
    const r = matchCommand(n(s), commands);
    expect(r.kind === "command" && { id: r.match.command.id, exact: r.match.exact }).toEqual({ id, exact });
  });
  it("leaves other text alone", () => {
    expect(matchCommand(n("我要请假"), commands).kind).toBe("none");
    expect(matchCommand(n("。"), commands).kind).toBe("none");
  });
});
