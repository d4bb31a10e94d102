/**
 * Routines (`routines`: 巡查 and 零报告 windows), the work calendar (`calendar`) and
 * seasonal reminders (`seasonal`); every default is here. A default seasonal
 * reminder's wording is a prompt (`prompt`); a bureau's own may give `text`.
 */
import { z } from "zod";
import { HHMM, LocalDate, MMDD } from "../../config/schema-parts.js";

const ordered = (w: { open: string; close: string; nag?: string | undefined }) => w.open < w.close && (!w.nag || (w.open < w.nag && w.nag < w.close));
const Win = z.object({ open: HHMM, close: HHMM, remind: HHMM.optional(), nag: HHMM.optional() }).strict().refine(ordered, "应满足 open < nag < close");
const Routine = (days: "daily" | "holidays-and-key-periods", open: string, close: string) => z.object({
  days: z.enum(["daily", "workdays", "holidays-and-key-periods"]).default(days),
  open: HHMM.default(open), close: HHMM.default(close), remind: HHMM.optional(), nag: HHMM.optional(),
  regions: z.record(z.string().min(1), Win).default({}),
}).strict().refine(ordered, "应满足 open < nag < close").prefault({});

export const RoutinesConfig = z.object({
  patrol: Routine("daily", "08:00", "20:00"),
  zero: Routine("holidays-and-key-periods", "08:00", "12:00"),
}).strict().prefault({});

export const CalendarConfig = z.object({
  holidays: z.record(LocalDate, z.string().min(1)).default({}),
  workdays: z.record(LocalDate, z.string().min(1)).default({}),
  keyPeriods: z.array(z.object({ name: z.string().min(1), from: LocalDate, to: LocalDate }).strict().refine((p) => p.from <= p.to, "from 应不晚于 to")).default([]),
}).strict().prefault({});

const PURPOSES = ["网格群", "值班群", "领导群", "工作群"] as const;
export const SeasonalConfig = z.array(z.object({
  name: z.string().min(1),
  from: MMDD,
  to: MMDD,
  time: HHMM,
  purposes: z.array(z.enum(PURPOSES)).min(1),
  text: z.string().min(4).optional(),
  prompt: z.string().regex(/^seasonal\.[a-z_]+$/, "应为 prompts 里 seasonal. 开头的键").optional(),
}).strict().refine((s) => (s.text === undefined) !== (s.prompt === undefined), "text 与 prompt 须二选一")).default([
  { name: "清明森林防火", from: "03-28", to: "04-08", time: "08:00", purposes: ["网格群"], prompt: "seasonal.qingming_forest_fire" },
  { name: "汛期防汛提醒", from: "06-01", to: "08-31", time: "08:30", purposes: ["网格群", "值班群"], prompt: "seasonal.flood_season" },
  { name: "冬季防火提醒", from: "12-01", to: "02-28", time: "09:00", purposes: ["网格群"], prompt: "seasonal.winter_fire" },
]);
