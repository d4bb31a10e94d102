/**
 * The Chinese work calendar: statutory holidays and make-up workdays (调休) from
 * `chinese-days`, overridden and extended by configuration (the State Council
 * publishes next year's arrangement each winter; the library may not have it yet),
 * plus configurable key periods (重点时段).
 */
import chineseDays from "chinese-days";
import { addDays, type LocalDate } from "../time/shanghai.js";

export interface CalendarConfig {
  /** date → holiday name, for years the library lacks or to correct it. */
  holidays: Record<string, string>;
  /** date → reason (调休 workdays falling on a weekend). */
  workdays: Record<string, string>;
  keyPeriods: { name: string; from: LocalDate; to: LocalDate }[];
}

export const EMPTY_CALENDAR: CalendarConfig = { holidays: {}, workdays: {}, keyPeriods: [] };

export interface DayInfo {
  date: LocalDate;
  /** A working day (including a 调休 weekend day). */
  workday: boolean;
  /** A statutory holiday (not an ordinary weekend). */
  holiday: boolean;
  holidayName?: string;
  keyPeriod?: string;
  /** Where the answer came from: config, the library, or the plain weekday rule (data missing). */
  source: "config" | "library" | "weekday";
}

function weekday(date: LocalDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Does the library or the config know this year's holidays? */
export function yearKnown(year: number, cfg: CalendarConfig): boolean {
  if (Object.keys(cfg.holidays).some((d) => d.startsWith(`${year}-`))) return true;
  // No statutory holiday at all on a weekday of that year means the library has no data for it.
  return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
}

export function dayInfo(date: LocalDate, cfg: CalendarConfig): DayInfo {
  const key = cfg.keyPeriods.find((p) => p.from <= date && date <= p.to)?.name;
  const base = { date, ...(key ? { keyPeriod: key } : {}) };
  if (cfg.workdays[date] !== undefined) return { ...base, workday: true, holiday: false, source: "config" };
  if (cfg.holidays[date] !== undefined) return { ...base, workday: false, holiday: true, holidayName: cfg.holidays[date], source: "config" };
  const year = Number(date.slice(0, 4));
  if (yearKnown(year, { ...cfg, holidays: {} })) {
    // The library names statutory days "English,中文,days" and ordinary days by weekday.
    const detail = chineseDays.getDayDetail(date);
    const name = detail.name?.includes(",") ? detail.name.split(",")[1] : undefined;
    const holiday = !detail.work && name !== undefined;
    return { ...base, workday: detail.work, holiday, ...(holiday ? { holidayName: name } : {}), source: "library" };
  }
  const w = weekday(date);
  return { ...base, workday: w <= 5, holiday: false, source: "weekday" };
}

/** The first day of next year, to check in December whether its calendar is known. */
export function nextYearMissing(today: LocalDate, cfg: CalendarConfig): number | null {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return m === 12 && !yearKnown(y + 1, cfg) ? y + 1 : null;
}

export { addDays };
