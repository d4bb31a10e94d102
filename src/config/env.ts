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
}).superRefine((env, ctx) => {
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
