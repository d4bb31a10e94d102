/**
 * vitest globalSetup: builds the base databases once per run (migrated; migrated
 * and demo-seeded) and hands their paths to the workers (inject("yingjiBaseDbs")).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildBaseDb, type BaseDbPaths } from "./base-db.js";

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.YINGJI_TEST_BASE_DB === "0") return undefined; // tests fall back to migrating and seeding
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-base-"));
  const paths: BaseDbPaths = { empty: path.join(dir, "empty.db"), demo: path.join(dir, "demo.db") };
  await buildBaseDb(paths.empty, "empty");
  await buildBaseDb(paths.demo, "demo");
  project.provide("yingjiBaseDbs", paths);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
