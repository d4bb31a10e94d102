/** The hazard loop's settings (`hazards` in the config file); every default is here. */
import { z } from "zod";

const Days = (max: number, def: number) => z.number().int().min(1).max(max).default(def);

export const HazardsConfig = z.object({
  /** Deadline (days from the report) when the reporter gives none. */
  defaultDeadlineDays: z.object({ 一般: Days(365, 7), 重大: Days(365, 30) }).strict().prefault({}),
  /** Remind the responsible person this many days before the deadline. */
  remindDaysBefore: z.number().int().min(0).max(30).default(1),
  /** Overdue this many days → the county leaders are told too. */
  escalateAfterDays: z.number().int().min(0).max(90).default(3),
}).strict().prefault({});
