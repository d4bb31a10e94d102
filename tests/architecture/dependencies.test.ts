/**
 * Dependency direction (docs/decisions/009-dependency-rules.md): dependency-cruiser with the
 * rules in .dependency-cruiser.cjs over src/, today's violations accepted from the baseline
 * .dependency-cruiser-known-violations.json. New violations fail; the baseline may only shrink.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const BASELINE = path.join(ROOT, ".dependency-cruiser-known-violations.json");
const REGENERATE = "npm run deps:baseline";

const RULES = [
  "core-no-platforms",
  "prisma-only-in-repos",
  "feature-no-foreign-repo",
  "rules-no-store",
  "channels-only-via-contract",
  "no-circular",
] as const;

/** Cruises `dirs` under `baseDir` with the repo's rules (paths in the result are relative to baseDir). */
async function cruiseWithRules(
  baseDir: string,
  dirs: string[],
  knownViolations: IViolation[] = [],
): Promise<ICruiseResult> {
  const tsConfigFile = path.join(baseDir, "tsconfig.json");
  const options: ICruiseOptions = {
    ...(await extractDepcruiseOptions(CONFIG)),
    baseDir,
    tsConfig: { fileName: tsConfigFile }, // the config's "tsconfig.json" is relative to the working directory
    knownViolations,
  };
  const tsConfig = extractTSConfig(tsConfigFile);
  const { output } = await cruise(dirs, options, {}, { tsConfig });
  if (typeof output === "string") throw new Error(`expected a cruise result object, got text:\n${output}`);
  return output;
}

/** The same match dependency-cruiser uses for known violations (rule + from/to, or the cycle's members). */
function sameViolation(a: IViolation, b: IViolation): boolean {
  if (a.rule.name !== b.rule.name) return false;
  if (a.cycle && b.cycle) {
    const names = new Set(b.cycle.map((m) => m.name));
    return a.cycle.length === b.cycle.length && a.cycle.every((m) => names.has(m.name));
  }
  return a.from === b.from && a.to === b.to;
}

function describeViolation(v: IViolation): string {
  const target = v.cycle?.length ? [v.from, ...v.cycle.map((m) => m.name)].join(" → ") : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${target}`;
}

describe("dependency rules (dependency-cruiser)", () => {
  let result: ICruiseResult;
  let known: IViolation[];

  beforeAll(async () => {
    known = JSON.parse(fs.readFileSync(BASELINE, "utf8")) as IViolation[];
    result = await cruiseWithRules(ROOT, ["src"], known);
  });

  it("src/ adds no violation beyond the baseline", () => {
    const fresh = result.summary.violations.filter((v) => v.rule.severity !== "ignore");
    if (fresh.length > 0) {
      const rules = new Map((result.summary.ruleSetUsed?.forbidden ?? []).map((r) => [r.name, r.comment ?? ""]));
      const lines = fresh.map((v) => `  - ${describeViolation(v)}\n      ${rules.get(v.rule.name) ?? ""}`);
      expect.fail(
        `${fresh.length} new dependency violation(s):\n${lines.join("\n")}\n\n` +
          `Fix the import (see docs/decisions/009-dependency-rules.md); do not add it to the baseline.`,
      );
    }
    expect(result.summary.totalCruised).toBeGreaterThan(50); // it really looked at src/
  });

  it("the baseline lists only violations that still exist (it only shrinks)", () => {
    const stale = known.filter((k) => !result.summary.violations.some((v) => sameViolation(k, v)));
    expect(
      stale.map(describeViolation),
      `fixed violations are still in the baseline — run \`${REGENERATE}\` and commit the smaller file`,
    ).toEqual([]);
  });

  describe("the rules bite (a planted tree under os.tmpdir())", () => {
    let dir: string;
    let planted: ICruiseResult;

    const write = (rel: string, text: string): void => {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    };
    const fakePackage = (name: string): void => {
      write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: "0.0.0", type: "module", main: "index.js" }));
      write(`node_modules/${name}/index.js`, "export const x = 1;\n");
    };

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-depcruise-"));
      write(
        "tsconfig.json",
        JSON.stringify({
          compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, verbatimModuleSyntax: true },
          include: ["src"],
        }),
      );
      write("package.json", JSON.stringify({ name: "planted", type: "module" }));
      fakePackage("grammy");
      fakePackage("@prisma/client");

      // the targets
      write("src/generated/prisma/client.ts", "export class PrismaClient {}\n");
      write("src/store/db.ts", 'import { PrismaClient } from "../generated/prisma/client.js";\nexport const db = new PrismaClient();\n');
      write("src/channels/telegram.ts", 'import { x } from "grammy";\nexport const bot = x;\n');
      write("src/channels/contract.ts", "export interface Channel { send(text: string): Promise<void> }\n");
      write("src/features/b/repo.ts", 'import type { PrismaClient } from "../../generated/prisma/client.js";\nexport type B = PrismaClient;\n');
      write("src/features/a/repo.ts", 'import { PrismaClient } from "@prisma/client";\nexport const a = PrismaClient;\n');

      // violations
      write("src/core/planted.ts", 'import { PrismaClient } from "../generated/prisma/client.js";\nexport const c = PrismaClient;\n');
      write("src/features/a/x.ts", 'import type { B } from "../b/repo.js";\nimport { a } from "./repo.js";\nexport type X = B;\nexport const y = a;\n');
      write("src/domain/r.ts", 'import { db } from "../store/db.js";\nexport const r = db;\n');
      write("src/features/a/rules.ts", 'import { a } from "./repo.js";\nexport const rule = a;\n');
      write("src/features/a/send.ts", 'import { x } from "grammy";\nexport const s = x;\n');
      write("src/flows/p.ts", 'import { q } from "./q.js";\nexport const p = () => q;\n');
      write("src/flows/q.ts", 'import { p } from "./p.js";\nexport const q = () => p;\n');
      write("src/reports/report.ts", 'import { PrismaClient } from "@prisma/client";\nexport const rep = PrismaClient;\n');

      // allowed: the core may name the channel contract; a feature may use its own repo and other features' index
      write("src/core/ok.ts", 'import type { Channel } from "../channels/contract.js";\nexport type C = Channel;\n');
      write("src/features/b/index.ts", 'import type { B } from "./repo.js";\nexport type Bee = B;\n');
      write("src/features/a/uses-b.ts", 'import type { Bee } from "../b/index.js";\nexport type U = Bee;\n');

      planted = await cruiseWithRules(dir, ["src"]);
    });

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reports each planted violation under its rule, and nothing else", () => {
      const found = planted.summary.violations.filter((v) => !v.cycle?.length).map(describeViolation);
      expect(found.sort()).toEqual(
        [
          "core-no-platforms: src/core/planted.ts → src/generated/prisma/client.ts",
          "prisma-only-in-repos: src/core/planted.ts → src/generated/prisma/client.ts",
          "prisma-only-in-repos: src/reports/report.ts → node_modules/@prisma/client/index.js",
          "feature-no-foreign-repo: src/features/a/x.ts → src/features/b/repo.ts",
          "rules-no-store: src/domain/r.ts → src/store/db.ts",
          "rules-no-store: src/features/a/rules.ts → src/features/a/repo.ts",
          "channels-only-via-contract: src/features/a/send.ts → node_modules/grammy/index.js",
        ].sort(),
      );
      const cycles = planted.summary.violations.filter((v) => v.cycle?.length).map(describeViolation);
      // a cycle is reported once, from whichever of its modules was cruised first
      expect(cycles).toHaveLength(1);
      expect(cycles[0]).toMatch(/^no-circular: src\/flows\/(p|q)\.ts → src\/flows\/(p|q)\.ts → src\/flows\/\1\.ts$/);
      expect(new Set(planted.summary.violations.map((v) => v.rule.name))).toEqual(new Set(RULES));
      expect(planted.summary.error).toBe(planted.summary.violations.length); // every rule is an error
    });
  });
});
