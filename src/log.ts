/** Structured logs to stderr (stdout belongs to the console channel's output). */
import { pino, type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

export type { Logger };
