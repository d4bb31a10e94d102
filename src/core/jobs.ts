/**
 * Scheduled work as inputs. A job says what is due at a moment (`due(at)`, read
 * only) and handles each due item the way a message is handled: in one
 * transaction of the core's, returning effects (messages, renders) that the core
 * writes in that same transaction. Jobs read `at`, never a clock.
 */
import type { Effect } from "./effects.js";
import type { Say } from "../prompts/catalog.js";

export interface JobContext<Tx> {
  tx: Tx;
  /** The occurrence's scheduled minute: the job's "now". */
  at: Date;
  t: (s: Say) => string;
}

export interface TickJob<Tx, Item = any> {
  name: string;
  /** Run the latest missed occurrence at start-up if it is at most this old; omit for jobs that only make sense on time. */
  catchUpWithinMs?: number;
  /** What is due at `at`, read only; each item is handled in a transaction of its own. */
  due(at: Date): Promise<Item[]>;
  /** One item: state changes through `tx` (claims, marks), messages and renders as effects. */
  handle(ctx: JobContext<Tx>, item: Item): Promise<Effect[]>;
  /**
   * For frequent pollers: the earliest time there could be work after `at` (null: none),
   * so the scheduler skips empty minutes.
   */
  nextWorkAt?(at: Date): Promise<Date | null>;
}

/** A job with nothing to claim: one item per occurrence. */
export const once = async (): Promise<[true]> => [true];
