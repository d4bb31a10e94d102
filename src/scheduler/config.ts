/**
 * The bot's configuration file (times of scheduled jobs, per-channel rate limits),
 * validated with zod. Default: src/config/defaults.json; `BOT_CONFIG` points to a
 * bureau's own copy.
 */
import fs from "node:fs";
import cron from "node-cron";
import { z } from "zod";
import { DEFAULT_HAZARD_RULES } from "../features/hazards/rules.js";
import { DEFAULT_DUTY_RULES } from "../features/duty/rules.js";
import { DEFAULT_CYCLES } from "../features/warnings/rules.js";

const Cron = z.string().superRefine((expr, ctx) => {
  if (expr.trim().split(/\s+/).length !== 5) {
    ctx.addIssue({ code: "custom", message: `“${expr}” 应为5段 cron 表达式（分 时 日 月 周），例如 "30 8 * * *"` });
    return;
  }
  const v = cron.validateDetailed(expr);
  if (!v.valid) ctx.addIssue({ code: "custom", message: `“${expr}” 不是有效的 cron 表达式：${v.errors.map((e) => e.message).join("; ")}` });
});

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期应写作 YYYY-MM-DD");
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间应写作 HH:MM");
const Win = z.object({ open: HHMM, close: HHMM, remind: HHMM.optional(), nag: HHMM.optional() }).strict()
  .refine((w) => w.open < w.close && (!w.nag || (w.open < w.nag && w.nag < w.close)), "应满足 open < nag < close");
const Routine = z.object({
  days: z.enum(["daily", "workdays", "holidays-and-key-periods"]),
  open: HHMM, close: HHMM, remind: HHMM.optional(), nag: HHMM.optional(),
  regions: z.record(z.string().min(1), Win).default({}),
}).strict().refine((w) => w.open < w.close && (!w.nag || (w.open < w.nag && w.nag < w.close)), "应满足 open < nag < close");

const Limits = z.object({
  perSecond: z.number().positive().optional(),
  perMinute: z.number().positive().optional(),
  minIntervalMs: z.number().int().nonnegative().optional(),
  perChatIntervalMs: z.number().int().nonnegative().optional(),
  perChatPerMinute: z.number().positive().optional(),
  jitterMs: z.number().int().nonnegative().optional(),
}).strict();

export const BotConfigSchema = z.object({
  timezone: z.literal("Asia/Shanghai"),
  jobs: z.record(z.string(), z.object({ cron: Cron, enabled: z.boolean().default(true) }).strict()),
  channels: z.record(z.string(), Limits).default({}),
  hazards: z.object({
    defaultDeadlineDays: z.object({ 一般: z.number().int().min(1).max(365), 重大: z.number().int().min(1).max(365) }).strict(),
    remindDaysBefore: z.number().int().min(0).max(30),
    escalateAfterDays: z.number().int().min(0).max(90),
  }).strict().default(DEFAULT_HAZARD_RULES),
  warnings: z.record(z.enum(["蓝", "黄", "橙", "红"]), z.object({
    recallMinutes: z.number().int().min(1).max(1440), cycles: z.number().int().min(0).max(50),
    escalateAfter: z.number().int().min(1).max(50), hours: z.number().min(1).max(720),
  }).strict()).default(DEFAULT_CYCLES),
  seasonal: z.array(z.object({
    name: z.string().min(1),
    from: z.string().regex(/^\d{2}-\d{2}$/, "应写作 MM-DD"),
    to: z.string().regex(/^\d{2}-\d{2}$/, "应写作 MM-DD"),
    time: HHMM,
    purposes: z.array(z.enum(["网格群", "值班群", "领导群", "工作群"])).min(1),
    text: z.string().min(4),
  }).strict()).default([]),
  duty: z.object({
    remindBeforeMinutes: z.number().int().min(0).max(720),
    signInGraceMinutes: z.number().int().min(0).max(240),
    escalateAfterMinutes: z.number().int().min(0).max(720),
    noonRemind: HHMM,
    noonDeadline: HHMM,
  }).strict().refine((d) => d.escalateAfterMinutes >= d.signInGraceMinutes && d.noonRemind < d.noonDeadline, "应满足 escalateAfterMinutes ≥ signInGraceMinutes，noonRemind 早于 noonDeadline").default(DEFAULT_DUTY_RULES),
  calendar: z.object({
    holidays: z.record(LocalDate, z.string().min(1)).default({}),
    workdays: z.record(LocalDate, z.string().min(1)).default({}),
    keyPeriods: z.array(z.object({ name: z.string().min(1), from: LocalDate, to: LocalDate }).strict().refine((p) => p.from <= p.to, "from 应不晚于 to")).default([]),
  }).strict().default({ holidays: {}, workdays: {}, keyPeriods: [] }),
  routines: z.object({ patrol: Routine, zero: Routine }).strict().default({
    patrol: { days: "daily", open: "08:00", close: "20:00", regions: {} },
    zero: { days: "holidays-and-key-periods", open: "08:00", close: "12:00", regions: {} },
  }),
}).strict();

export type BotConfig = z.infer<typeof BotConfigSchema>;

export function loadBotConfig(file: string): BotConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`配置文件 ${file} 无法读取或不是有效的 JSON：${(e as Error).message}`);
  }
  const r = BotConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`配置文件 ${file} 有误：${i.path.join(".") || "(根)"}：${i.message}`);
  }
  return r.data;
}
