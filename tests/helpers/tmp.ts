import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { BaseDbKind } from "../setup/base-db.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-test-"));
let n = 0;

function tmpDbPath(): string {
  return path.join(root, `t${process.pid}-${++n}.db`);
}

/** A fresh SQLite file URL for one test (a real file: tests never mock the store). */
export function tmpDbUrl(): string {
  return `file:${tmpDbPath()}`;
}

/** The base file globalSetup built (tests/setup/global-setup.ts), or null outside such a run. */
function basePath(kind: BaseDbKind): string | null {
  if (process.env.YINGJI_TEST_BASE_DB === "0") return null; // escape hatch: every test migrates and seeds
  let p: string | undefined;
  try {
    p = inject("yingjiBaseDbs")?.[kind];
  } catch {
    return null; // not in a vitest worker
  }
  return p && fs.existsSync(p) ? p : null;
}

/** Like baseDbUrl, but null when there is no base to copy (no globalSetup in this run). */
export function tryBaseDbUrl(kind: BaseDbKind): string | null {
  const base = basePath(kind);
  if (!base) return null;
  const file = tmpDbPath();
  fs.copyFileSync(base, file);
  return `file:${file}`;
}

/**
 * A fresh copy of a base database: "empty" is migrated, "demo" is migrated and
 * seeded with the demo bureau at DEMO_SEED_NOW (tests/setup/base-db.ts), exactly
 * as startBot would seed it. Opening it migrates nothing.
 */
export function baseDbUrl(kind: BaseDbKind): string {
  const url = tryBaseDbUrl(kind);
  if (url) return url;
  if (kind === "empty") return tmpDbUrl(); // openStore migrates it: the same database, built here
  throw new Error("no base demo database: run vitest with tests/vitest.config.ts (its globalSetup builds it)");
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(root, "d"));
}
