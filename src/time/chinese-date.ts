/**
 * Parses the dates and times people type in Chinese work chats: `明天`, `后天`,
 * `11月30日`, `2026年12月1日`, `3天内`, `本周五`, `下周一`, `月底`, `2026-11-30`,
 * `11/30`, optionally followed by a time (`下午3点`, `15:30`, `9点半`) — and every way a
 * deadline is said: `3天`, `三天内`, `一周内`, `两周`, `半个月`, `3个工作日内` (through the work
 * calendar), `本周内`, `下周`, `本月内`, `月底前`, `下月底`, `年底前`, `12月10日前`.
 * The one date grammar: dialog steps and one-message forms both read dates here.
 * Pure: "today" comes from `now`, working days from `isWorkday`.
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

export interface DateOptions {
  /** Is this a working day (holidays and 调休 from the work calendar)? Default: Monday to Friday. */
  isWorkday?: (d: LocalDate) => boolean;
}

const mondayToFriday = (d: LocalDate) => {
  const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
};

/** How far a month-day may lie behind today and still mean this year (and so be refused as past), not next year's. */
const PAST_GRACE_DAYS = 62;

function addMonths(y: number, m: number, d: number, n: number): LocalDate {
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12), nm = (idx % 12) + 1;
  return `${ny}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

/**
 * @param preferFuture when a month-day without a year has already passed this year,
 *   read it as next year (deadlines) — unless it passed within the last two months,
 *   when it is this year's (a slip, refused as past, not a date a year away);
 *   otherwise keep this year (reports about the past).
 */
export function parseChineseDate(input: string, now: Date, preferFuture = true, o: DateOptions = {}): DateParseResult {
  const text = input.replace(/\s+/g, "").replace(/[号]/g, "日")
    // What a deadline is said with and does not change it: 限3天, 3天内完成整改, 月底前整改到位.
    .replace(/^(限期|期限|限|在|须|需|要求|务必)(?=\S)/, "")
    .replace(/(内|前|之前|以前|底|末|日|天|周[一二三四五六日天末])(完成整改|整改完成|整改完毕|整改到位|完成|整改|办结|落实)$/, "$1")
    // A deadline said with 前/之前/为止 after a date is that date: 12月10日前, 月底前, 周五之前.
    .replace(/(日|月底|月末|年底|年末|周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天])(之前|以前|前|为止)$/, "$1");
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
  // At once: today (立即整改 is a deadline of today).
  if (/^(立即|马上|立刻|即刻|当即|当天|当日|今天内|今日内|今天之内)(整改|处理|完成)?$/.test(text)) return { ok: true, value: { date: today } };
  const rel: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3, 昨天: -1, 昨日: -1, 前天: -2 };
  for (const [word, n] of Object.entries(rel).sort((a, b) => b[0].length - a[0].length)) {
    if (text.startsWith(word)) return withTime(addDays(today, n), text.slice(word.length));
  }

  const within = "(以内|之内|内|后|以后|之后|期限|时间)?";
  // `3天` is three days; `3日` alone is the 3rd (of this month), `3日内` three days.
  m = new RegExp(`^${NUM}天${within}$`).exec(text) ?? new RegExp(`^${NUM}日(以内|之内|内|后|以后|之后)$`).exec(text);
  if (m) {
    const n = parseSmallNumber(m[1]!);
    if (n === undefined || n === 0) return { ok: false, error: { code: "unknown" } };
    return { ok: true, value: { date: addDays(today, n) } };
  }
  // Working days skip weekends and holidays, and count 调休 Saturdays.
  m = new RegExp(`^${NUM}个?工作日${within}$`).exec(text);
  if (m) {
    let n = parseSmallNumber(m[1]!);
    if (n === undefined || n === 0 || n > 250) return { ok: false, error: { code: "unknown" } };
    const isWorkday = o.isWorkday ?? mondayToFriday;
    let d = today;
    while (n > 0) { d = addDays(d, 1); if (isWorkday(d)) n--; }
    return { ok: true, value: { date: d } };
  }
  // Weeks with or without 个 (`两周`, `1个星期`); months only with 个 (`3个月`): `12月` is December, not a year.
  m = new RegExp(`^(半个?|${NUM}个?)(周|星期|礼拜)${within}$`).exec(text) ?? new RegExp(`^(半个?|${NUM}个)(月)${within}$`).exec(text);
  if (m) {
    const half = m[1]!.startsWith("半");
    const n = half ? 0.5 : parseSmallNumber(m[2]!);
    if (n === undefined || n === 0) return { ok: false, error: { code: "unknown" } };
    if (m[3] === "月") return { ok: true, value: { date: half ? addDays(today, 15) : addMonths(p.year, p.month, p.day, n) } };
    return { ok: true, value: { date: addDays(today, Math.round(n * 7)) } };
  }
  // Within this / next week: by its Sunday.
  m = /^(本周|这周|这个星期|本星期|这礼拜|下周|下个星期|下星期|下礼拜)(内|以内|之内)?$/.exec(text);
  if (m) return { ok: true, value: { date: addDays(today, 7 - p.weekday + (m[1]!.startsWith("下") ? 7 : 0)) } };
  // Within this / next month, by its end; the year's end.
  m = /^(本月|这个月|当月|月内|下月|下个月)(内|以内|之内|底|末)?$/.exec(text);
  if (m && (m[2] || m[1] === "月内")) {
    const next = m[1]!.startsWith("下");
    const [y, mo] = next ? (p.month === 12 ? [p.year + 1, 1] : [p.year, p.month + 1]) : [p.year, p.month];
    return { ok: true, value: { date: `${y}-${pad(mo)}-${pad(daysInMonth(y, mo))}` } };
  }
  if (/^(年底|年末|今年内|年内|本年内|今年底)$/.test(text)) return { ok: true, value: { date: `${p.year}-12-31` } };

  m = /^(本周|这周|这个星期|本星期|下周|下个星期|下星期|下礼拜|周|星期|礼拜)([一二三四五六日天末])(.*)$/.exec(text);
  if (m) {
    const target = WEEKDAY[m[2]!]!;
    const next = m[1]!.startsWith("下");
    const bare = ["周", "星期", "礼拜"].includes(m[1]!);
    let delta = target - p.weekday + (next ? 7 : 0);
    if (bare && delta < 0) delta += 7;
    return withTime(addDays(today, delta), m[3]!);
  }

  // 下个月10日 / 本月20日: that day of that month.
  m = new RegExp(`^(本月|这个月|当月|下个?月)${NUM}日(.*)$`).exec(text);
  if (m) {
    const next = m[1]!.startsWith("下");
    const [y, mo] = next ? (p.month === 12 ? [p.year + 1, 1] : [p.year, p.month + 1]) : [p.year, p.month];
    const d = parseSmallNumber(m[2]!)!;
    const bad = validDate(y, mo, d);
    if (bad) return bad;
    return withTime(`${y}-${pad(mo)}-${pad(d)}`, m[3]!);
  }
  // 12月底 / 十二月末 / 12月 (as a deadline): that month's last day (this year, or next if it has passed).
  m = new RegExp(`^${NUM}月(底|末|份内|内|份)?$`).exec(text);
  if (m) {
    const mo = parseSmallNumber(m[1]!)!;
    if (mo < 1 || mo > 12) return { ok: false, error: { code: "month", month: mo } };
    const y = preferFuture && mo < p.month ? p.year + 1 : p.year;
    return { ok: true, value: { date: `${y}-${pad(mo)}-${pad(daysInMonth(y, mo))}` } };
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
    if (preferFuture && (mo < p.month || (mo === p.month && d < p.day))) {
      const thisYear = validDate(y, mo, d) ? null : `${y}-${pad(mo)}-${pad(d)}`;
      if (!thisYear || addDays(thisYear, PAST_GRACE_DAYS) < today) y += 1;
    }
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
