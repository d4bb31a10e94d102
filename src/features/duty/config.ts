/** Duty shifts' settings (`duty` in the config file); every default is here. */
import { z } from "zod";
import { HHMM } from "../../config/schema-parts.js";

export const DutyConfig = z.object({
  remindBeforeMinutes: z.number().int().min(0).max(720).default(30),
  signInGraceMinutes: z.number().int().min(0).max(240).default(15),
  escalateAfterMinutes: z.number().int().min(0).max(720).default(30),
  noonRemind: HHMM.default("11:30"),
  noonDeadline: HHMM.default("12:00"),
}).strict()
  .refine((d) => d.escalateAfterMinutes >= d.signInGraceMinutes && d.noonRemind < d.noonDeadline, "应满足 escalateAfterMinutes ≥ signInGraceMinutes，noonRemind 早于 noonDeadline")
  .prefault({});
