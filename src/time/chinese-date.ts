/**
 * Parses the dates and times people type in Chinese work chats: `明天`, `后天`,
 * `11月30日`, `2026年12月1日`, `3天内`, `本周五`, `下周一`, `月底`, `2026-11-30`,
 * `11/30`, optionally followed by a time (`下午3点`, `15:30`, `9点半`).
 * Pure: "today" comes from `now`.
 */
import { addDays, daysInMonth, localParts, pad, toLocalDate, type LocalDate } from "./shanghai.js";

export interface ParsedDateTime {
  date: LocalDate;
  /** `HH:MM` when the text named a time. */
  time?: string;
}

/** Why a date was not understood; the caller turns it into a prompt. */
export type DateError =
  | { code: "empty" }
  | { code: "unknown" }
  | { code: "month"; month: number }
  | { code: "day"; month: number; day: number }
  | { code: "time" };

export type DateParseResult =
  | { ok: true; value: ParsedDateTime }
  | { ok: false; error: DateError };

const DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Arabic or Chinese numerals up to 99 (`15`, `十五`, `二十三`, `两`). */
export function parseSmallNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]+$/.test(s)) return undefined;
  if (s === "十") return 10;
  const i = s.indexOf("十");
  if (i < 0) return s.length === 1 ? DIGIT[s] : undefined;
  const tens = i === 0 ? 1 : DIGIT[s.slice(0, i)];
  const ones = i === s.length - 1 ? 0 : DIGIT[s.slice(i + 1)];
  if (tens === undefined || ones === undefined || s.length > 3) return undefined;
  return tens * 10 + ones;
}

const NUM = "(\\d{1,4}|[零〇一二两三四五六七八九十]{1,3})";
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 末: 6 };

function validDate(y: number, m: number, d: number): DateParseResult | undefined {
  if (m < 1 || m > 12) return { ok: false, error: { code: "month", month: m } };
  if (d < 1 || d > daysInMonth(y, m)) return { ok: false, error: { code: "day", month: m, day: d } };
  return undefined;
}

export function parseTime(rest: string): { time?: string; error?: true; matched: boolean } {
  const s = rest.trim();
  if (s === "") return { matched: true };
  let m = /^(\d{1,2})[:：](\d{2})$/.exec(s);
  if (m) {
    const h = Number(m[1]), mi = Number(m[2]);
    if (h > 23 || mi > 59) return { matched: true, error: true };
    return { matched: true, time: `${pad(h)}:${pad(mi)}` };
  }
  m = new RegExp(`^(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?${NUM}[点时](半|${NUM}分?)?钟?$`).exec(s);
  if (m) {
    let h = parseSmallNumber(m[2]!)!;
    const mi = m[3] === "半" ? 30 : m[4] ? parseSmallNumber(m[4])! : 0;
    const period = m[1];
    if (period && ["下午", "傍晚", "晚上", "夜里"].includes(period) && h < 12) h += 12;
    if (period === "中午" && h < 11) h += 12;
    if (h > 23 || mi > 59) return { matched: true, error: true };
    return { matched: true, time: `${pad(h)}:${pad(mi)}` };
  }
  return { matched: false };
}

/**
 * @param preferFuture when a month-day without a year has already passed this year,
 *   read it as next year (deadlines); otherwise keep this year (reports about the past).
 */
export function parseChineseDate(input: string, now: Date, preferFuture = true): DateParseResult {
  const text = input.replace(/\s+/g, "").replace(/[号]/g, "日");
  if (text === "") return { ok: false, error: { code: "empty" } };
  const today = toLocalDate(now);
  const p = localParts(now);

  const withTime = (date: LocalDate, rest: string): DateParseResult => {
    const t = parseTime(rest);
    if (!t.matched) return { ok: false, error: { code: "unknown" } };
    if (t.error) return { ok: false, error: { code: "time" } };
    return { ok: true, value: t.time ? { date, time: t.time } : { date } };
  };

  let m: RegExpExecArray | null;
  const rel: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3, 昨天: -1, 昨日: -1, 前天: -2 };
  for (const [word, n] of Object.entries(rel).sort((a, b) => b[0].length - a[0].length)) {
    if (text.startsWith(word)) return withTime(addDays(today, n), text.slice(word.length));
  }

  m = new RegExp(`^${NUM}(天|日|个工作日)(以内|之内|内|后|以后|之后)$`).exec(text);
  if (m) {
    const n = parseSmallNumber(m[1]!);
    if (n === undefined) return { ok: false, error: { code: "unknown" } };
    return { ok: true, value: { date: addDays(today, n) } };
  }

  m = /^(本周|这周|这个星期|本星期|下周|下个星期|下星期|下礼拜|周|星期|礼拜)([一二三四五六日天末])(.*)$/.exec(text);
  if (m) {
    const target = WEEKDAY[m[2]!]!;
    const next = m[1]!.startsWith("下");
    const bare = ["周", "星期", "礼拜"].includes(m[1]!);
    let delta = target - p.weekday + (next ? 7 : 0);
    if (bare && delta < 0) delta += 7;
    return withTime(addDays(today, delta), m[3]!);
  }

  m = /^(本月底|月底|月末)(.*)$/.exec(text);
  if (m) return withTime(`${p.year}-${pad(p.month)}-${pad(daysInMonth(p.year, p.month))}`, m[2]!);

  // 2026年11月30日 / 2026-11-30 / 2026/11/30 / 2026.11.30
  m = new RegExp(`^(\\d{4})(?:年|[-/.])${NUM}(?:月|[-/.])${NUM}日?(.*)$`).exec(text);
  if (m) {
    const y = Number(m[1]), mo = parseSmallNumber(m[2]!)!, d = parseSmallNumber(m[3]!)!;
    const bad = validDate(y, mo, d);
    if (bad) return bad;
    return withTime(`${y}-${pad(mo)}-${pad(d)}`, m[4]!);
  }

  // 11月30日 / 11-30 / 11/30 / 11.30
  m = new RegExp(`^${NUM}(?:月|[-/.])${NUM}日?(.*)$`).exec(text);
  if (m) {
    const mo = parseSmallNumber(m[1]!)!, d = parseSmallNumber(m[2]!)!;
    if (mo < 1 || mo > 12) return { ok: false, error: { code: "month", month: mo } };
    let y = p.year;
    if (preferFuture && (mo < p.month || (mo === p.month && d < p.day))) y += 1;
    if (validDate(y, mo, d)) return { ok: false, error: { code: "day", month: mo, day: d } };
    return withTime(`${y}-${pad(mo)}-${pad(d)}`, m[3]!);
  }

  // 30日 / 30号: this month (or next, if passed and preferFuture)
  m = new RegExp(`^${NUM}日(.*)$`).exec(text);
  if (m) {
    const d = parseSmallNumber(m[1]!)!;
    let y = p.year, mo = p.month;
    if (preferFuture && d < p.day) { mo += 1; if (mo > 12) { mo = 1; y += 1; } }
    const bad = validDate(y, mo, d);
    if (bad) return bad;
    return withTime(`${y}-${pad(mo)}-${pad(d)}`, m[2]!);
  }

  // A bare time means today.
  const t = parseTime(text);
  if (t.matched && t.time) return { ok: true, value: { date: today, time: t.time } };
  if (t.matched && t.error) return { ok: false, error: { code: "time" } };

  return { ok: false, error: { code: "unknown" } };
}
