/**
 * Duty (值班值守): the 排班表 format, shift times, and the sign-in rules.
 * 班次 is written like `08:30-次日08:30` (24-hour duty) or `08:30-17:30`.
 */
import { say, type Say } from "../../prompts/catalog.js";
import { z } from "zod";
import { parseChineseDate } from "../../time/chinese-date.js";
import { addDays, fromLocal, type LocalDate } from "../../time/shanghai.js";
import { RosterFileError } from "../org/roster-rules.js";

export const DUTY_HEADER = ["日期", "班次", "值班员", "带班领导"] as const;

export interface DutyRules {
  remindBeforeMinutes: number;
  /** Sign-in counts as on time until start + grace. */
  signInGraceMinutes: number;
  /** No sign-in this long after the start → the leader on duty is told. */
  escalateAfterMinutes: number;
  noonRemind: string;
  noonDeadline: string;
}

export const DEFAULT_DUTY_RULES: DutyRules = { remindBeforeMinutes: 30, signInGraceMinutes: 15, escalateAfterMinutes: 30, noonRemind: "11:30", noonDeadline: "12:00" };

/** `08:30-次日08:30` on a date → the instants. */
export function parseShift(date: LocalDate, shift: string): { startAt: Date; endAt: Date } | null {
  const m = /^(\d{1,2})[:：](\d{2})\s*[-—~至到]+\s*(次日|第二天)?\s*(\d{1,2})[:：](\d{2})$/.exec(shift.normalize("NFKC").trim());
  if (!m) return null;
  const [h1, m1, next, h2, m2] = [Number(m[1]), Number(m[2]), m[3], Number(m[4]), Number(m[5])];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return null;
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const startAt = fromLocal(y, mo, d, h1, m1);
  const endDay = next ? addDays(date, 1) : date;
  const [y2, mo2, d2] = endDay.split("-").map(Number) as [number, number, number];
  const endAt = fromLocal(y2, mo2, d2, h2, m2);
  return endAt > startAt ? { startAt, endAt } : null;
}

export interface DutyRow {
  row: number;
  date: LocalDate;
  shift: string;
  startAt: Date;
  endAt: Date;
  officers: string[];
  leader: string;
}

const Row = z.object({
  date: z.string().trim().min(1, "日期为空"),
  shift: z.string().trim().min(1, "班次为空"),
  officers: z.string().transform((s) => s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.string()).min(1, "值班员为空")),
  leader: z.string().trim().min(1, "带班领导为空"),
});

/** Validates a 排班表 file row by row (people are matched to the roster by the caller). */
export function validateDutyRoster(rows: string[][], now: Date): { rows: DutyRow[]; errors: { row: number; reason: string }[] } {
  const header = (rows[0] ?? []).map((c) => c.replace(/^\uFEFF/, "").trim()).filter((c, i, a) => c !== "" || i < a.length - 1);
  if (header.slice(0, 4).join(",") !== DUTY_HEADER.join(",")) throw new RosterFileError(say("roster.bad_header", { expected: DUTY_HEADER.join(","), actual: header.join(",") }));
  const good: DutyRow[] = [];
  const errors: { row: number; reason: string }[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === "")) return;
    const r = Row.safeParse({ date: cells[0] ?? "", shift: cells[1] ?? "", officers: cells[2] ?? "", leader: cells[3] ?? "" });
    if (!r.success) return void errors.push({ row, reason: r.error.issues.map((x) => x.message).join("；") });
    const d = parseChineseDate(r.data.date, now, false);
    if (!d.ok) return void errors.push({ row, reason: `日期“${r.data.date}”无法识别` });
    const t = parseShift(d.value.date, r.data.shift);
    if (!t) return void errors.push({ row, reason: `班次“${r.data.shift}”应写作 08:30-次日08:30 或 08:30-17:30` });
    good.push({ row, date: d.value.date, shift: r.data.shift, ...t, officers: r.data.officers, leader: r.data.leader });
  });
  return { rows: good, errors };
}

/** `交班 正常` / `交班 待办：催收泡里村隐患整改；核实甘溪村险情` → note and open items. */
export function parseHandover(args: string): { note: string; openItems: string[] } {
  const m = /(待办|遗留|未办结|移交)[:：]\s*(.+)$/.exec(args);
  const openItems = m ? m[2]!.split(/[；;]/).map((s) => s.trim()).filter(Boolean) : [];
  const note = (m ? args.slice(0, m.index) : args).trim() || "正常";
  return { note, openItems };
}
