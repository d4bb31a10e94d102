/**
 * The base databases tests start from: built once per run by global-setup.ts,
 * copied per test by baseDbUrl() (tests/helpers/tmp.ts). Building one goes
 * through the real code path (openStore → migrate, then seedDemoBureau), so a
 * copy is the very database a test would otherwise build for itself.
 */
import Database from "better-sqlite3";
import { seedDemoBureau } from "../../src/demo/bureau.js";
import { openStore, type Db } from "../../src/store/db.js";

export type BaseDbKind = "empty" | "demo";
export type BaseDbPaths = Record<BaseDbKind, string>;

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute paths of the base SQLite files (no -wal/-shm beside them). */
    yingjiBaseDbs: BaseDbPaths;
  }
}

/** startBot's default clock, and so the date the demo base is seeded at. */
export const DEMO_SEED_NOW = new Date("2026-11-25T09:00:00+08:00");

/** The one way tests seed the demo bureau (startBot's chats are on the memory channel). */
export function seedTestDemo(db: Db, now: Date) {
  return seedDemoBureau(db, now, "memory");
}

/** Migrates (and seeds) `file`, then folds the WAL into it so the file alone is the database. */
export async function buildBaseDb(file: string, kind: BaseDbKind): Promise<void> {
  const store = await openStore(`file:${file}`);
  try {
    if (kind === "demo") await seedTestDemo(store.db, DEMO_SEED_NOW);
  } finally {
    await store.close();
  }
  const db = new Database(file);
  try {
    const [r] = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number; log: number; checkpointed: number }[];
    if (!r || r.busy !== 0) throw new Error(`base db ${file}: WAL checkpoint incomplete ${JSON.stringify(r)}`);
  } finally {
    db.close();
  }
}
