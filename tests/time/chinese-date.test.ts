import { describe, expect, it } from "vitest";
import { parseChineseDate, parseSmallNumber } from "../../src/time/chinese-date.js";

// Wednesday 2026-11-25, 09:00 in Shanghai.
const now = new Date("2026-11-25T09:00:00+08:00");
const ok = (s: string, future = true) => {
  const r = parseChineseDate(s, now, future);
  if (!r.ok) throw new Error(`${s}: ${JSON.stringify(r.error)}`);
  return r.value.time ? `${r.value.date} ${r.value.time}` : r.value.date;
};
const err = (s: string) => {
  const r = parseChineseDate(s, now);
  if (r.ok) throw new Error(`${s} parsed as ${JSON.stringify(r.value)}`);
  return r.error;
};

describe("parseChineseDate", () => {
  it.each([
    ["今天", "2026-11-25"], ["明天", "2026-11-26"], ["明日", "2026-11-26"], ["后天", "2026-11-27"], ["大后天", "2026-11-28"],
    ["昨天", "2026-11-24"], ["3天内", "2026-11-28"], ["三天内", "2026-11-28"], ["7日内", "2026-12-02"], ["十五天后", "2026-12-10"],
    ["本周五", "2026-11-27"], ["这周一", "2026-11-23"], ["周五", "2026-11-27"], ["周一", "2026-11-30"], ["星期日", "2026-11-29"],
    ["下周一", "2026-11-30"], ["下星期三", "2026-12-02"], ["月底", "2026-11-30"], ["11月30日", "2026-11-30"], ["11月30号", "2026-11-30"],
    ["十一月三十日", "2026-11-30"], ["12月1日", "2026-12-01"], ["1月5日", "2027-01-05"], ["2026年12月31日", "2026-12-31"],
    ["2026-11-30", "2026-11-30"], ["2026/11/30", "2026-11-30"], ["11/30", "2026-11-30"], ["11-30", "2026-11-30"], ["30日", "2026-11-30"],
    ["28号", "2026-11-28"], ["2028年2月29日", "2028-02-29"], ["明天下午3点", "2026-11-26 15:00"], ["明天 15:30", "2026-11-26 15:30"],
    ["明天上午9点半", "2026-11-26 09:30"], ["今天晚上8点", "2026-11-25 20:00"], ["11月30日下午两点", "2026-11-30 14:00"],
    ["本周五上午10点", "2026-11-27 10:00"], ["下午3点", "2026-11-25 15:00"], ["15:30", "2026-11-25 15:30"], ["明天中午12点", "2026-11-26 12:00"],
    ["明天下午3点20分", "2026-11-26 15:20"], ["１１月３０日", "2026-11-30"],
  ])("%s → %s", (input, expected) => {
    expect(ok(input.normalize("NFKC"))).toBe(expected);
  });

  // Every way a deadline is said (issue 14): with or without 内/前, digits or Chinese numerals.
  it.each([
    ["3天", "2026-11-28"], ["三天", "2026-11-28"], ["3天内", "2026-11-28"], ["3天以内", "2026-11-28"], ["三天之内", "2026-11-28"],
    ["10天", "2026-12-05"], ["十天内", "2026-12-05"], ["两天", "2026-11-27"], ["15日内", "2026-12-10"],
    ["一周内", "2026-12-02"], ["1周", "2026-12-02"], ["一周", "2026-12-02"], ["两周", "2026-12-09"], ["2周内", "2026-12-09"], ["两个星期", "2026-12-09"],
    ["半个月", "2026-12-10"], ["半个月内", "2026-12-10"], ["半月", "2026-12-10"], ["一个月内", "2026-12-25"], ["1个月", "2026-12-25"], ["三个月", "2027-02-25"],
    ["本周内", "2026-11-29"], ["这周内", "2026-11-29"], ["本周", "2026-11-29"], ["下周", "2026-12-06"], ["下周内", "2026-12-06"],
    ["本月内", "2026-11-30"], ["月内", "2026-11-30"], ["这个月内", "2026-11-30"], ["月底前", "2026-11-30"], ["本月底前", "2026-11-30"], ["月底之前", "2026-11-30"],
    ["下月底", "2026-12-31"], ["下个月底", "2026-12-31"], ["下月内", "2026-12-31"], ["年底前", "2026-12-31"], ["年内", "2026-12-31"],
    ["12月10日前", "2026-12-10"], ["12月10号之前", "2026-12-10"], ["十二月十日前", "2026-12-10"], ["周五前", "2026-11-27"], ["下周三之前", "2026-12-02"],
    ["3个工作日内", "2026-11-30"], ["三个工作日", "2026-11-30"], ["5个工作日内", "2026-12-02"], ["1个工作日", "2026-11-26"],
  ])("deadline %s → %s", (input, expected) => {
    expect(ok(input.normalize("NFKC"))).toBe(expected);
  });

  it("counts working days through the work calendar (holidays skipped, 调休 Saturdays counted)", () => {
    // 2026-11-26 (Thu) a holiday, Saturday 11-28 a make-up workday.
    const isWorkday = (d: string) => d === "2026-11-28" || (d !== "2026-11-26" && ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()));
    const r = parseChineseDate("3个工作日内", now, true, { isWorkday });
    expect(r.ok && r.value.date).toBe("2026-11-30"); // 27th, 28th (调休), 30th
  });

  it("keeps a month-day passed a few days ago in this year (to be refused as past), not a year away", () => {
    expect(ok("11月20日")).toBe("2026-11-20");
    expect(ok("10月1日")).toBe("2026-10-01");
    expect(ok("9月1日")).toBe("2027-09-01");
  });

  it("reads a passed month-day as this year when the past is wanted", () => {
    expect(ok("1月5日", false)).toBe("2026-01-05");
    expect(ok("10月1日", false)).toBe("2026-10-01");
  });

  it.each([
    ["2月30日", { code: "day", month: 2, day: 30 }],
    ["2027年2月29日", { code: "day", month: 2, day: 29 }],
    ["11月31日", { code: "day", month: 11, day: 31 }],
    ["13月5日", { code: "month", month: 13 }],
    ["0月1日", { code: "month", month: 0 }],
    ["明天25点", { code: "time" }],
    ["明天10:75", { code: "time" }],
    ["", { code: "empty" }],
    ["随便哪天", { code: "unknown" }],
    ["明天下雨", { code: "unknown" }],
    ["🔥", { code: "unknown" }],
    ["32号", { code: "day", month: 11, day: 32 }],
  ])("refuses %s", (input, error) => {
    expect(err(input)).toEqual(error);
  });
});

describe("parseSmallNumber", () => {
  it.each([["7", 7], ["十", 10], ["十五", 15], ["二十", 20], ["三十一", 31], ["两", 2], ["零", 0]])("%s → %d", (s, n) => {
    expect(parseSmallNumber(s)).toBe(n);
  });
  it("returns undefined for non-numbers", () => {
    expect(parseSmallNumber("十十十十")).toBeUndefined();
    expect(parseSmallNumber("abc")).toBeUndefined();
  });
});
