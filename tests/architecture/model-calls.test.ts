/**
 * Prisma's model calls (`tx.hazard.findMany(…)`, `$queryRaw`) live only in repositories:
 * `src/features/<name>/repo.ts` and the store platform `src/store/` (docs/decisions/012).
 * dependency-cruiser sees imports, not calls — a handler that is handed `tx` could still
 * query any table — so this reads the source for calls on any model of prisma/schema.prisma.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";

const MODELS = [...fs.readFileSync(projectPath("prisma", "schema.prisma"), "utf8").matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1));
const OPS = "findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|create|createMany|createManyAndReturn|update|updateMany|delete|deleteMany|upsert|count|aggregate|groupBy";
const CALL = new RegExp(`\\.(?:${MODELS.join("|")})\\s*\\.\\s*(?:${OPS})\\s*\\(|\\$(?:queryRaw|executeRaw)(?:Unsafe)?\\b`, "g");
const ALLOWED = [/^src\/store\//, /^src\/generated\//, /^src\/features\/[^/]+\/repo\.ts$/];

/** `file:line: code` for each model call in these sources outside a repository. */
export function modelCallsOutsideRepos(files: { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (ALLOWED.some((r) => r.test(f.path))) continue;
    const lines = f.text.split("\n");
    for (const m of f.text.matchAll(CALL)) {
      // The line the call starts on (a chain may break the line before `.findMany`).
      const n = f.text.slice(0, m.index).split("\n").length;
      const l = lines[n - 1]!;
      if (!/^\s*(\*|\/\/)/.test(l)) out.push(`${f.path}:${n}: ${l.trim()}`);
    }
  }
  return out;
}

function sources(): { path: string; text: string }[] {
  const root = projectPath("src");
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ path: `src/${f.split(path.sep).join("/")}`, text: fs.readFileSync(path.join(root, f), "utf8") }));
}

describe("model calls only in repositories", () => {
  it("knows the schema's models", () => {
    expect(MODELS).toEqual(expect.arrayContaining(["hazard", "person", "groupChat", "warningTarget", "outboxMessage"]));
  });

  it("finds none outside src/features/*/repo.ts and src/store/", () => {
    expect(modelCallsOutsideRepos(sources())).toEqual([]);
  });

  it("would catch a planted one (in a handler, a job, a raw query), and not one in a repo", () => {
    const planted = modelCallsOutsideRepos([
      { path: "src/features/hazards/flows.ts", text: "const h = await ctx.tx.hazard.findMany({ where: {} });" },
      { path: "src/features/duty/jobs.ts", text: "await d.db.groupChat\n  .findMany({});\nawait tx.dutySwap.update({ where: { id } });" },
      { path: "src/reports/x.ts", text: "await db.$queryRaw`SELECT 1`;" },
      { path: "src/features/hazards/repo.ts", text: "return db.hazard.findMany({});" },
    ]);
    expect(planted).toEqual([
      "src/features/hazards/flows.ts:1: const h = await ctx.tx.hazard.findMany({ where: {} });",
      "src/features/duty/jobs.ts:1: await d.db.groupChat",
      "src/features/duty/jobs.ts:3: await tx.dutySwap.update({ where: { id } });",
      "src/reports/x.ts:1: await db.$queryRaw`SELECT 1`;",
    ]);
  });
});
