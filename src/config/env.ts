/**
 * Configuration from the environment, validated with zod at start-up. A bad value
 * stops the bot with one line that names the variable.
 */
import { z } from "zod";

const int = (min: number, max: number, def: number) =>
  z.string().trim().optional().transform((v, ctx) => {
    if (v === undefined || v === "") return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `应为 ${min} 到 ${max} 之间的整数` });
      return z.NEVER;
    }
    return n;
  });

export const EnvSchema = z.object({
  DATABASE_URL: z.string().trim().regex(/^file:.+/, "应以 file: 开头，例如 file:./data/yingji.db").default("file:./data/yingji.db"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  SESSION_TTL_MINUTES: int(1, 1440, 30),
  SESSION_REMINDER_MINUTES: int(0, 1440, 5),
  BOT_CONFIG: z.string().trim().optional(),
  PROMPTS_DIR: z.string().trim().optional(),
  OUTBOX_MAX_ATTEMPTS: int(1, 100, 8),
  CONSOLE: z.enum(["auto", "on", "off"]).default("auto"),
  DEMO_BUREAU: z.enum(["auto", "on", "off"]).default("auto"),
  DATA_DIR: z.string().trim().default("./data"),
  MEDIA_RETENTION_DAYS: int(1, 36500, 1095),
  TELEGRAM_BOT_TOKEN: z.string().trim().regex(/^\d+:[\w-]{20,}$/, "不像 Telegram 机器人令牌（应形如 123456789:AAE…，由 @BotFather 给出）").optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  TELEGRAM_WEBHOOK_URL: z.url().refine((u) => u.startsWith("https://"), "Telegram 只接受 https 地址").optional(),
  TELEGRAM_WEBHOOK_PORT: int(1, 65535, 8443),
  TELEGRAM_WEBHOOK_HOST: z.string().trim().min(1).default("127.0.0.1"),
  TELEGRAM_WEBHOOK_SECRET: z.string().trim().regex(/^[A-Za-z0-9_-]{16,256}$/, "应为16到256位字母、数字、_ 或 -").optional(),
  WECHATY_PUPPET: z.string().trim().min(1).optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().trim().min(1).optional(),
  WECHATY_NAME: z.string().trim().regex(/^[\w-]+$/, "只能用字母、数字、_ 和 -").default("yingji-bot"),
}).superRefine((env, ctx) => {
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "使用 TELEGRAM_WEBHOOK_URL 时必须设置（校验 Telegram 的请求）" });
  }
  if (env.SESSION_REMINDER_MINUTES >= env.SESSION_TTL_MINUTES) {
    ctx.addIssue({ code: "custom", path: ["SESSION_REMINDER_MINUTES"], message: `应小于 SESSION_TTL_MINUTES（${env.SESSION_TTL_MINUTES}）` });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws ConfigError with one line naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const r = EnvSchema.safeParse(source);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const name = String(i.path[0] ?? "?");
  const value = source[name];
  const msg = i.code === "invalid_value" && "values" in i ? `应为 ${(i.values as unknown[]).join(" / ")} 之一` : i.message;
  throw new ConfigError(`配置错误：${name}${value === undefined ? "" : `=${JSON.stringify(value)}`} ${msg}`);
}
