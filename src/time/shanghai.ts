/**
 * Asia/Shanghai local time. China has used a fixed UTC+8 without daylight saving
 * since 1991, so local parts are a constant offset away — no tz database needed.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const TIME_ZONE = "Asia/Shanghai";

export interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
}

export function localParts(t: Date): LocalParts {
  const s = new Date(t.getTime() + SHANGHAI_OFFSET_MS);
  const wd = s.getUTCDay();
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    weekday: wd === 0 ? 7 : wd,
  };
}

/** The instant of a Shanghai wall-clock time. */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A local calendar date as `YYYY-MM-DD`. */
export type LocalDate = string;

export function toLocalDate(t: Date): LocalDate {
  const p = localParts(t);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function startOfLocalDay(date: LocalDate): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return fromLocal(y, m, d);
}

/** `2026-11-30 09:00` style, for people. */
export function formatLocal(t: Date): string {
  const p = localParts(t);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"];

/** `11月30日（周一）` style, for people. */
export function formatLocalDateCn(date: LocalDate): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${y}年${m}月${d}日（周${WEEKDAYS[(wd + 6) % 7]}）`;
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}
