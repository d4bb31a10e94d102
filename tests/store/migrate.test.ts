import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { listMigrations, migrate } from "../../src/store/migrate.js";
import { projectPath } from "../../src/paths.js";
import { sqlitePath } from "../../src/store/db.js";
import { tmpDbUrl, tmpDir } from "../helpers/tmp.js";

const dir = projectPath("prisma", "migrations");

describe("migrations", () => {
  it("creates every table on a fresh file, in Prisma's own bookkeeping, and is idempotent", () => {
    const file = sqlitePath(tmpDbUrl());
    const first = migrate(file, dir);
    expect(first.applied).toEqual(listMigrations(dir).map((m) => m.name));
    expect(migrate(file, dir)).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const db = new Database(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(["AuditLog", "FlowSession", "InboundMessage", "JobRun", "OutboxMessage", "Reminder", "_prisma_migrations"]));
    const row = db.prepare("SELECT checksum, applied_steps_count FROM _prisma_migrations").get() as { checksum: string; applied_steps_count: number };
    expect(row.checksum).toBe(listMigrations(dir)[0]!.checksum);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a migration edited after it was applied", () => {
    const copy = tmpDir();
    fs.cpSync(dir, copy, { recursive: true });
    const file = sqlitePath(tmpDbUrl());
    migrate(file, copy);
    const m = listMigrations(copy)[0]!;
    fs.appendFileSync(path.join(copy, m.name, "migration.sql"), "\n-- edited\n");
    expect(() => migrate(file, copy)).toThrow(/迁移 .* 在应用后被修改过/);
  });

  it("matches prisma/schema.prisma (migrations are generated, never hand-written)", () => {
    // Prisma's own diff, offline through the JS schema engine (prisma/prisma.config.ts).
    const out = execFileSync(projectPath("node_modules", ".bin", "prisma"), [
      "migrate", "diff", "--config", "prisma/prisma.config.ts", "--from-migrations", "prisma/migrations",
      "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code",
    ], { cwd: projectPath(), encoding: "utf8", env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", PRISMA_AUTHORING_DB: tmpDbUrl() } });
    expect(out).toContain("No difference detected");
  });
});
