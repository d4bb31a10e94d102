import { describe, expect, it } from "vitest";
import { commandWithArgs, findRegionIn, looksLikeStatsQuestion, parseStatsQuery } from "../../src/features/stats/query.js";
import { parsePeriod, weeksEnding } from "../../src/domain/period.js";
import { panelsAsked } from "../../src/features/stats/rollup-chart.js";

// Wednesday 25 November 2026, 09:00 Shanghai.
const now = new Date("2026-11-25T09:00:00+08:00");
const REGIONS = [
  { name: "示范县", path: "示范县" }, { name: "渠阳镇", path: "示范县/渠阳镇" }, { name: "甘溪乡", path: "示范县/甘溪乡" },
  { name: "双江镇", path: "示范县/双江镇" }, { name: "泡里村", path: "示范县/渠阳镇/泡里村" }, { name: "高坪村", path: "示范县/渠阳镇/高坪村" },
  { name: "甘溪村", path: "示范县/甘溪乡/甘溪村" }, { name: "双江社区", path: "示范县/双江镇/双江社区" },
];
const q = (s: string) => {
  const r = parseStatsQuery(s, now, REGIONS);
  return { period: r.period.label, topic: r.topic, region: r.regionPath ?? null };
};

const CORPUS: [string, { period: string; topic: string; region: string | null }][] = [
  ["本周隐患情况", { period: "2026-11-23至2026-11-29", topic: "hazard", region: null }],
  ["渠阳镇10月整改率", { period: "2026年10月", topic: "hazard", region: "示范县/渠阳镇" }],
  ["今天谁没签到", { period: "2026-11-25", topic: "duty", region: null }],
  ["这次预警叫应率", { period: "2026年11月", topic: "warning", region: null }],
  ["上周隐患情况", { period: "2026-11-16至2026-11-22", topic: "hazard", region: null }],
  ["本月隐患", { period: "2026年11月", topic: "hazard", region: null }],
  ["上月整改率", { period: "2026年10月", topic: "hazard", region: null }],
  ["上个月的隐患整改情况", { period: "2026年10月", topic: "hazard", region: null }],
  ["10月隐患", { period: "2026年10月", topic: "hazard", region: null }],
  ["十月份隐患", { period: "2026年10月", topic: "hazard", region: null }],
  ["12月隐患", { period: "2025年12月", topic: "hazard", region: null }],
  ["2026年第3季度隐患", { period: "2026年第3季度", topic: "hazard", region: null }],
  ["第三季度整改率", { period: "2026年第3季度", topic: "hazard", region: null }],
  ["本季度隐患情况", { period: "2026年第4季度", topic: "hazard", region: null }],
  ["上季度隐患", { period: "2026年第3季度", topic: "hazard", region: null }],
  ["今年隐患", { period: "2026年", topic: "hazard", region: null }],
  ["去年隐患整改率", { period: "2025年", topic: "hazard", region: null }],
  ["2025年隐患", { period: "2025年", topic: "hazard", region: null }],
  ["11月1日到11月15日隐患", { period: "2026-11-01至2026-11-15", topic: "hazard", region: null }],
  ["11月1日至15日隐患情况", { period: "2026-11-01至2026-11-15", topic: "hazard", region: null }],
  ["近7天隐患", { period: "近7天", topic: "hazard", region: null }],
  ["最近三十天巡查情况", { period: "近30天", topic: "patrol", region: null }],
  ["昨天巡查情况", { period: "2026-11-24", topic: "patrol", region: null }],
  ["今天日报报送率", { period: "2026-11-25", topic: "patrol", region: null }],
  ["本周值班情况", { period: "2026-11-23至2026-11-29", topic: "duty", region: null }],
  ["今天签到情况", { period: "2026-11-25", topic: "duty", region: null }],
  ["本月预警情况", { period: "2026年11月", topic: "warning", region: null }],
  ["渠阳镇本月统计", { period: "2026年11月", topic: "all", region: "示范县/渠阳镇" }],
  ["渠阳本月隐患", { period: "2026年11月", topic: "hazard", region: "示范县/渠阳镇" }],
  ["甘溪乡本周巡查", { period: "2026-11-23至2026-11-29", topic: "patrol", region: "示范县/甘溪乡" }],
  ["甘溪村本周巡查", { period: "2026-11-23至2026-11-29", topic: "patrol", region: "示范县/甘溪乡/甘溪村" }],
  ["甘溪本周巡查", { period: "2026-11-23至2026-11-29", topic: "patrol", region: "示范县/甘溪乡" }],
  ["泡里村隐患情况", { period: "2026年11月", topic: "hazard", region: "示范县/渠阳镇/泡里村" }],
  ["双江社区今天签到", { period: "2026-11-25", topic: "duty", region: "示范县/双江镇/双江社区" }],
  ["双江本月预警叫应率", { period: "2026年11月", topic: "warning", region: "示范县/双江镇" }],
  ["全县本月隐患", { period: "2026年11月", topic: "hazard", region: null }],
  ["示范县本月隐患", { period: "2026年11月", topic: "hazard", region: "示范县" }],
  ["本周统计", { period: "2026-11-23至2026-11-29", topic: "all", region: null }],
  ["统计", { period: "2026年11月", topic: "all", region: null }],
  ["高坪村上周隐患整改", { period: "2026-11-16至2026-11-22", topic: "hazard", region: "示范县/渠阳镇/高坪村" }],
  ["２０２６年１０月隐患", { period: "2026年10月", topic: "hazard", region: null }],
];

describe("parseStatsQuery", () => {
  it("has a corpus of at least 40 phrasings", () => expect(CORPUS.length).toBeGreaterThanOrEqual(40));
  it.each(CORPUS)("%s", (text, want) => expect(q(text)).toEqual(want));

  it("gives 环比 and 同比 periods", () => {
    const r = parseStatsQuery("渠阳镇10月整改率", now, REGIONS);
    expect(r.previous.label).toBe("2026年9月");
    expect([r.lastYear.from.toISOString(), r.lastYear.to.toISOString()]).toEqual(["2025-09-30T16:00:00.000Z", "2025-10-31T16:00:00.000Z"]);
    const w = parseStatsQuery("本周隐患", now, REGIONS);
    expect([w.previous.from.toISOString(), w.previous.to.toISOString()]).toEqual(["2026-11-15T16:00:00.000Z", "2026-11-22T16:00:00.000Z"]);
    expect(parseStatsQuery("第一季度隐患", now, REGIONS).previous.label).toBe("2025年第4季度");
  });

  it("tells a question for names (谁没…) and about the latest warning (这次预警)", () => {
    const f = (t: string) => { const r = parseStatsQuery(t, now, REGIONS); return [r.topic, r.who, r.latest]; };
    expect(f("今天谁没签到")).toEqual(["duty", true, false]);
    expect(f("今天谁没报")).toEqual(["patrol", true, false]);
    expect(f("本周哪些人没报巡查")).toEqual(["patrol", true, false]);
    expect(f("这次预警叫应率")).toEqual(["warning", false, true]);
    expect(f("最近一次预警谁还没确认")).toEqual(["warning", true, true]);
    expect(f("本月预警叫应率")).toEqual(["warning", false, false]);
    expect(f("本周签到情况")).toEqual(["duty", false, false]);
    expect(looksLikeStatsQuestion("今天谁没报")).toBe(true);
  });

  it("takes 月报10月, 导出周报, 图表趋势 typed without a space, and not a remark that starts alike", () => {
    const report = commandWithArgs(["月报"]);
    expect(report("月报10月")).toBe(true);
    expect(report("月报上月渠阳镇")).toBe(true);
    expect(report("月报已经交了")).toBe(false);
    expect(commandWithArgs(["周报"])("周报写完了吗")).toBe(false);
    const r = parseStatsQuery("周报渠阳镇", now, REGIONS);
    expect([r.periodGiven, r.regionPath]).toEqual([false, "示范县/渠阳镇"]);
    expect(parseStatsQuery("本周值班名单", now, REGIONS).who).toBe(false);
  });

  it("knows a question about figures from chatter", () => {
    expect(looksLikeStatsQuestion("本周隐患情况")).toBe(true);
    expect(looksLikeStatsQuestion("今天谁没签到")).toBe(true);
    expect(looksLikeStatsQuestion("渠阳镇10月整改率")).toBe(true);
    expect(looksLikeStatsQuestion("今天天气不错")).toBe(false);
    expect(looksLikeStatsQuestion("我发现一处隐患")).toBe(false);
    expect(looksLikeStatsQuestion("甘溪乡10月隐患")).toBe(true);
    expect(looksLikeStatsQuestion("今天隐患排查很辛苦")).toBe(false);
    expect(findRegionIn("渠阳镇泡里村", REGIONS)).toBe("示范县/渠阳镇/泡里村");
  });
});

describe("the weekly trend's weeks", () => {
  it("ends with the week holding the period's last day (or today), Monday to Sunday", () => {
    const oct = weeksEnding(parsePeriod("10月", now)!, 13);
    expect(oct.map((w) => w.label)).toEqual(["8/3", "8/10", "8/17", "8/24", "8/31", "9/7", "9/14", "9/21", "9/28", "10/5", "10/12", "10/19", "10/26"]);
    expect(oct[12]!.from.toISOString()).toBe("2026-10-25T16:00:00.000Z");
    const lastWeek = weeksEnding(parsePeriod("上周", now)!, 8);
    expect([lastWeek[0]!.label, lastWeek[7]!.label]).toEqual(["9/28", "11/16"]);
    // The last week stops with the period: October's ends on the 31st, not on Sunday 1 November.
    expect(oct[12]!.to.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    // A period still running ends now: no future weeks (本月 asked on Wednesday 25 November).
    const thisMonth = weeksEnding(parsePeriod("本月", now)!, 3, now);
    expect(thisMonth.map((w) => w.label)).toEqual(["11/9", "11/16", "11/23"]);
    expect(thisMonth[2]!.to).toEqual(now);
    expect(weeksEnding(parsePeriod("今天", now)!, 2, now).map((w) => w.label)).toEqual(["11/16", "11/23"]);
  });

  it("reads which chart panels a 图表 request wants", () => {
    expect(panelsAsked("10月")).toEqual(["units", "trend", "sectors"]);
    expect(panelsAsked("趋势")).toEqual(["trend"]);
    expect(panelsAsked("10月 行业")).toEqual(["sectors"]);
    expect(panelsAsked("各乡镇 走势")).toEqual(["units", "trend"]);
  });
});
