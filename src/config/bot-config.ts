/**
 * The bot's configuration: each feature's zod section merged, with every default
 * in the schema — the one source of defaults. A bureau's file (`BOT_CONFIG`) gives
 * only what it changes; `npm run config:example` prints the whole effective config.
 */
import fs from "node:fs";
import { z } from "zod";
import { Cron } from "./schema-parts.js";
import { HazardsConfig } from "../features/hazards/config.js";
import { DutyConfig } from "../features/duty/config.js";
import { WarningsConfig } from "../features/warnings/config.js";
import { CalendarConfig, RoutinesConfig, SeasonalConfig } from "../features/routines/config.js";

/** When each scheduled job runs (cron, Asia/Shanghai). */
export const DEFAULT_JOBS: Record<string, string> = {
  "session-sweep": "* * * * *",
  reminders: "* * * * *",
  housekeeping: "30 3 * * *",
  "hazard-daily": "0 9 * * *",
  "hazard-supervision": "30 9 * * 1",
  routines: "* * * * *",
  "calendar-check": "0 9 * 12 *",
  duty: "* * * * *",
  warnings: "* * * * *",
  seasonal: "* * * * *",
  "weekly-report": "0 8 * * 1",
  "monthly-report": "30 8 1 * *",
};

/** A job the file names: its cron (a known job may leave it out) and whether it runs. */
const Job = z.object({ cron: Cron.optional(), enabled: z.boolean().default(true) }).strict();
const Jobs = z.record(z.string(), Job).default({}).superRefine((given, ctx) => {
  for (const [name, j] of Object.entries(given)) if (!j.cron && !DEFAULT_JOBS[name]) ctx.addIssue({ code: "custom", path: [name, "cron"], message: "未知的任务须写明 cron" });
}).transform((given) => {
  const out: Record<string, { cron: string; enabled: boolean }> = {};
  for (const [name, cron] of Object.entries(DEFAULT_JOBS)) out[name] = { cron, enabled: true };
  for (const [name, j] of Object.entries(given)) out[name] = { cron: j.cron ?? DEFAULT_JOBS[name]!, enabled: j.enabled };
  return out;
});

const Limits = z.object({
  perSecond: z.number().positive().optional(),
  perMinute: z.number().positive().optional(),
  minIntervalMs: z.number().int().nonnegative().optional(),
  perChatIntervalMs: z.number().int().nonnegative().optional(),
  perChatPerMinute: z.number().positive().optional(),
  jitterMs: z.number().int().nonnegative().optional(),
}).strict();
type Limits = z.infer<typeof Limits>;

/**
 * Platform limits: Telegram allows ≈ 30 messages/s overall, 1/s and 20/min per group;
 * a personal WeChat account is limited or banned for bursts. A file's entry for a
 * channel replaces that channel's defaults.
 */
export const DEFAULT_LIMITS: Record<string, Limits> = {
  console: {},
  telegram: { perSecond: 30, perChatIntervalMs: 1000, perChatPerMinute: 20 },
  wechat: { perMinute: 40, minIntervalMs: 1500, jitterMs: 1000 },
};
const Channels = z.record(z.string(), Limits).default({}).transform((given) => ({ ...DEFAULT_LIMITS, ...given }));

/**
 * How long a dialog waits for the next answer, per dialog (minutes); the others take
 * SESSION_TTL_MINUTES. A hazard report or a rectification waits while people walk to
 * take a photo; the reminder before expiry and the expiry notice name the word to resume.
 */
const Dialogs = z.object({
  timeoutMinutes: z.record(z.string(), z.number().int().min(5).max(1440)).default({}).transform((given): Record<string, number> => ({ "hazard-report": 240, "hazard-rectify": 240, "hazard-review": 240, patrol: 120, ...given })),
}).strict().prefault({});

export const BotConfigSchema = z.object({
  dialogs: Dialogs,
  timezone: z.literal("Asia/Shanghai").default("Asia/Shanghai"),
  jobs: Jobs,
  channels: Channels,
  hazards: HazardsConfig,
  warnings: WarningsConfig,
  seasonal: SeasonalConfig,
  duty: DutyConfig,
  calendar: CalendarConfig,
  routines: RoutinesConfig,
}).strict();

export type BotConfig = z.output<typeof BotConfigSchema>;

/** The defaults alone (no file). */
export function defaultBotConfig(): BotConfig {
  return BotConfigSchema.parse({});
}

/** Reads and checks a bureau's file (JSON); what it leaves out takes the defaults. */
export function loadBotConfig(file?: string): BotConfig {
  if (file === undefined) return defaultBotConfig();
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
