/**
 * Daily routines people must report on (巡查日报 for grid members, 零报告 for duty
 * officers on holidays and in key periods), run like a stand-up: a window opens
 * with a reminder, at 80 % of it the non-reporters are named, at the close a
 * summary lists who is missing and the misses are recorded.
 */
import { parseSmallNumber } from "../../time/chinese-date.js";
import { fromLocal, type LocalDate } from "../../time/shanghai.js";
import { dayInfo, type CalendarConfig } from "../../domain/calendar.js";
import type { Role } from "../org/rules.js";

export type RoutineId = "patrol" | "zero";

export interface Window {
  open: string; // HH:MM
  close: string;
  /** When the reminder goes out (defaults to the opening). */
  remind?: string;
  /** Defaults to 80 % of the window. */
  nag?: string;
}

export interface RoutineConfig extends Window {
  days: "daily" | "workdays" | "holidays-and-key-periods";
  /** Per-region windows, more specific regions first wins. */
  regions: Record<string, Window>;
}

export const ROUTINE_ROLES: Record<RoutineId, Role> = { patrol: "网格员", zero: "值班员" };
export const ROUTINE_GROUPS: Record<RoutineId, string> = { patrol: "网格群", zero: "值班群" };
export const PHASES = ["open", "nag", "close"] as const;
export type Phase = (typeof PHASES)[number];

export function isActive(cfg: RoutineConfig, date: LocalDate, cal: CalendarConfig): boolean {
  if (cfg.days === "daily") return true;
  const d = dayInfo(date, cal);
  if (cfg.days === "workdays") return d.workday;
  return d.holiday || d.keyPeriod !== undefined;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

/** The instants of a window's phases on a local date. */
export function phaseTimes(w: Window, date: LocalDate): Record<Phase, Date> {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const at = (min: number) => fromLocal(y, mo, d, Math.floor(min / 60), min % 60);
  const open = minutes(w.open), close = minutes(w.close);
  const nag = w.nag ? minutes(w.nag) : Math.round(open + 0.8 * (close - open));
  // The "open" phase is the reminder; it goes out at `remind` when set.
  return { open: at(w.remind ? minutes(w.remind) : open), nag: at(nag), close: at(close) };
}

/** The window that applies to a person's region: the most specific configured prefix, else the default ("*"). */
export function windowKeyFor(regionPath: string, cfg: RoutineConfig): string {
  const keys = Object.keys(cfg.regions).filter((k) => regionPath === k || regionPath.startsWith(`${k}/`)).sort((a, b) => b.length - a.length);
  return keys[0] ?? "*";
}

export function windowOf(key: string, cfg: RoutineConfig): Window {
  return key === "*" ? cfg : cfg.regions[key]!;
}

const N = "(\\d{1,3}|[零〇一二两三四五六七八九十]{1,3})";
const VISITED = new RegExp(`(?:检查|走访|巡查|巡检|查|去|看|跑)?了?\\s*${N}\\s*(?:家|户|处|个)(?:企业|单位|场所|门店|商户|工厂)?`);
const HAZARDS = [new RegExp(`(?:发现|查出|排查出?|有)?\\s*隐患\\s*${N}\\s*(?:处|个|条|项)?`), new RegExp(`(?:发现|查出|排查出?|有)?\\s*${N}\\s*(?:处|个|条|项)\\s*隐患`)];
const NONE = /(无|没有|未发现|没发现)(异常|隐患|问题)|^(正常|一切正常|均正常|情况正常|都正常|无|没问题)$/;

/**
 * The one-message patrol report, however it is typed: `巡查 正常`, `巡查正常`, `巡查 检查5家 发现隐患1处`,
 * `巡查 检查五家企业 发现2处隐患`, `今天巡查了5家企业，发现隐患1处`, `巡查 未巡查 下雨`.
 * Null when it does not say what the patrol found (then the dialog asks).
 */
export function parseQuickPatrol(args: string): { patrolled: boolean; visited: number; hazards: number; notes?: string } | null {
  const t = args.normalize("NFKC").trim()
    .replace(/^(?:今天|今日)?(?:已经?)?(?:巡查|巡检)(?=了?\s*\d|了?\s*[零〇一二两三四五六七八九十]+\s*[家户处个])/, "")
    .replace(/^(?:今天|今日)?(?:已经?)?(?:巡查|巡检)(?:了)?[\s,，:：]*/, "")
    .replace(/[\s。.!！~～]+$/u, "").replace(/\p{Extended_Pictographic}+$/u, "").trim();
  if (t === "") return null;
  const not = /^(?:今天|今日)?(?:未巡查|没有巡查|没巡查|没去巡查|未巡|没巡|没去)[\s,，:：]*/;
  // `今天下雨未巡查`: the reason first, then that there was no patrol.
  const notAfter = /^(.{1,30}?)[\s,，]*(?:所以|因此)?(?:未巡查|没有巡查|没巡查|没去巡查)$/.exec(t);
  if (notAfter && !/\d|[一二两三四五六七八九十]+\s*[家处]/.test(notAfter[1]!)) return { patrolled: false, visited: 0, hazards: 0, notes: notAfter[1]!.replace(/^(今天|今日)/, "").trim() || notAfter[1]! };
  if (not.test(t)) {
    const notes = t.replace(not, "").trim();
    return { patrolled: false, visited: 0, hazards: 0, ...(notes ? { notes } : {}) };
  }
  const num = (s: string) => parseSmallNumber(s) ?? 0;
  // `巡查 5家 1处`: places visited, then hazards found.
  const pair = new RegExp(`^${N}\\s*(?:家|户|个)(?:企业|单位|场所)?[\\s,，、]+${N}\\s*(?:处|条|项)$`).exec(t);
  if (pair) return { patrolled: true, visited: num(pair[1]!), hazards: num(pair[2]!) };
  const v = VISITED.exec(t.replace(HAZARDS[0]!, "").replace(HAZARDS[1]!, ""));
  const h = HAZARDS.map((re) => re.exec(t)).find((m) => m !== null);
  const none = NONE.test(t);
  if (!v && !h && !none) return null;
  return { patrolled: true, visited: v ? num(v[1]!) : 0, hazards: h ? num(h[1]!) : 0 };
}
