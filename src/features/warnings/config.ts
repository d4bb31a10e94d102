/** Call-and-response settings per level (`warnings` in the config file); every default is here. A red warning re-calls sooner and escalates faster. */
import { z } from "zod";

const Cycle = (recallMinutes: number, cycles: number, escalateAfter: number, hours: number) => z.object({
  recallMinutes: z.number().int().min(1).max(1440).default(recallMinutes),
  cycles: z.number().int().min(0).max(50).default(cycles),
  escalateAfter: z.number().int().min(1).max(50).default(escalateAfter),
  hours: z.number().min(1).max(720).default(hours),
}).strict().prefault({});

export const WarningsConfig = z.object({
  蓝: Cycle(60, 3, 2, 24),
  黄: Cycle(30, 4, 2, 24),
  橙: Cycle(20, 4, 1, 24),
  红: Cycle(10, 6, 1, 48),
}).strict().prefault({});
