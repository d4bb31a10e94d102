/** Small zod pieces the config sections share (times, dates, cron). */
import cron from "node-cron";
import { z } from "zod";

export const Cron = z.string().superRefine((expr, ctx) => {
  if (expr.trim().split(/\s+/).length !== 5) {
    ctx.addIssue({ code: "custom", message: `“${expr}” 应为5段 cron 表达式（分 时 日 月 周），例如 "30 8 * * *"` });
    return;
  }
  const v = cron.validateDetailed(expr);
  if (!v.valid) ctx.addIssue({ code: "custom", message: `“${expr}” 不是有效的 cron 表达式：${v.errors.map((e) => e.message).join("; ")}` });
});

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期应写作 YYYY-MM-DD");
export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间应写作 HH:MM");
export const MMDD = z.string().regex(/^\d{2}-\d{2}$/, "应写作 MM-DD");
