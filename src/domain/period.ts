/**
 * Periods people name in Chinese: 今天, 昨天, 本周, 上周, 本月, 上月, 10月, 2026年10月,
 * 今年, 去年. Half-open [from, to) instants in Asia/Shanghai.
 */
import { addDays, daysInMonth, fromLocal, localParts, pad, startOfLocalDay, toLocalDate } from "../time/shanghai.js";
import { parseSmallNumber } from "../time/chinese-date.js";

/** What a period is, as a value (rollups and comparisons branch on this, never on the label). */
export type PeriodKind = "day" | "week" | "month" | "quarter" | "year" | "range";

export interface Period {
  from: Date;
  to: Date;
  kind: PeriodKind;
  /** How the period reads: 2026年11月, 2026-11-23至2026-11-29 … */
  label: string;
}

const month = (y: number, m: number): Period => ({
  from: fromLocal(y, m, 1), to: m === 12 ? fromLocal(y + 1, 1, 1) : fromLocal(y, m + 1, 1), kind: "month", label: `${y}年${m}月`,
});
const days = (first: string, n: number, kind: PeriodKind = n === 1 ? "day" : "range"): Period => ({
  from: startOfLocalDay(first), to: startOfLocalDay(addDays(first, n)), kind, label: n === 1 ? first : `${first}至${addDays(first, n - 1)}`,
});

export function parsePeriod(input: string, now: Date): Period | null {
  const t = input.normalize("NFKC").replace(/\s+/g, "");
  const p = localParts(now);
  const today = toLocalDate(now);
  const monday = addDays(today, 1 - p.weekday);
  switch (t) {
    case "": case "本月": case "这个月": return month(p.year, p.month);
    case "上月": case "上个月": return p.month === 1 ? month(p.year - 1, 12) : month(p.year, p.month - 1);
    case "今天": case "今日": return days(today, 1);
    case "昨天": return days(addDays(today, -1), 1);
    case "本周": case "这周": return days(monday, 7, "week");
    case "上周": return days(addDays(monday, -7), 7, "week");
    case "今年": case "本年": return { from: fromLocal(p.year, 1, 1), to: fromLocal(p.year + 1, 1, 1), kind: "year", label: `${p.year}年` };
    case "去年": return { from: fromLocal(p.year - 1, 1, 1), to: fromLocal(p.year, 1, 1), kind: "year", label: `${p.year - 1}年` };
  }
  const m = /^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(份)?$/.exec(t);
  if (m) {
    const mo = parseSmallNumber(m[2]!);
    if (mo === undefined || mo < 1 || mo > 12) return null;
    // A bare month is the latest one that has begun (in November, "12月" is last December).
    const y = m[1] ? Number(m[1]) : mo > p.month ? p.year - 1 : p.year;
    return month(y, mo);
  }
  return null;
}

export { daysInMonth, pad };

/**
 * The `n` weeks (Monday to Sunday) up to the one holding the period's last day —
 * or `now`, if the period has not ended — oldest first, labelled by their Monday
 * ("10/26"): the x axis of a weekly trend. The last week stops where the period
 * (or today) stops, so it counts nothing from after the period and no future.
 */
export function weeksEnding(p: Period, n: number, now?: Date): Period[] {
  const end = now && now < p.to ? now : p.to;
  const last = toLocalDate(new Date(end.getTime() - 1));
  const monday = addDays(last, 1 - localParts(startOfLocalDay(last)).weekday);
  return Array.from({ length: n }, (_, i) => {
    const first = addDays(monday, 7 * (i - n + 1));
    const [, m, d] = first.split("-").map(Number);
    const week = days(first, 7, "week");
    return { ...week, to: week.to < end ? week.to : end, label: `${m}/${d}` };
  });
}
