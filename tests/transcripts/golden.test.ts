/**
 * Golden transcripts: each tests/transcripts/<name>.in.jsonl is played through the
 * scripted console (`npm start -- --jsonl`) on a fresh database with the demo
 * bureau, and what the bot prints must equal <name>.out.jsonl line by line.
 * <name>.md says in one paragraph what the transcript shows.
 *
 *   UPDATE_TRANSCRIPTS=1 npx vitest run --config tests/vitest.config.ts tests/transcripts
 *
 * rewrites the .out.jsonl files instead of comparing; review them with `git diff`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";
import { tmpDbUrl, tmpDir } from "../helpers/tmp.js";
import { compareLines, normalise, readLines, runConsoleJsonl, type RunEnv } from "./golden-harness.js";

const DIR = projectPath("tests", "transcripts");
const UPDATE = process.env.UPDATE_TRANSCRIPTS === "1";
const names = fs.readdirSync(DIR).filter((f) => f.endsWith(".in.jsonl")).map((f) => f.slice(0, -".in.jsonl".length)).sort();
const rel = (f: string) => path.relative(projectPath(), f);

const freshEnv = (): RunEnv => ({ DATABASE_URL: tmpDbUrl(), DATA_DIR: tmpDir() });

/** Plays `inFile` and compares with `outFile` (or rewrites it): the report of what differs, or null. */
async function check(inFile: string, outFile: string, update = false): Promise<string | null> {
  const runEnv = freshEnv();
  const run = await runConsoleJsonl(fs.readFileSync(inFile, "utf8"), runEnv);
  // A line the console skipped is a mistake in the transcript, not a behaviour to keep.
  if (run.notes.length) return `${rel(inFile)}: the console did not take every line:\n${run.notes.join("\n")}`;
  const actual = run.lines.map((l) => normalise(l, runEnv));
  if (update) {
    fs.writeFileSync(outFile, actual.map((l) => `${l}\n`).join(""));
    return null;
  }
  if (!fs.existsSync(outFile)) return `${rel(outFile)} is missing: run with UPDATE_TRANSCRIPTS=1 to write it, then read it`;
  return compareLines(readLines(outFile), actual, rel(outFile));
}

describe("golden transcripts (tests/transcripts/*.in.jsonl → *.out.jsonl)", () => {
  it("has transcripts, each with its description", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !fs.existsSync(path.join(DIR, `${n}.md`)))).toEqual([]);
  });

  for (const name of names) {
    it(`${name}${UPDATE ? " (rewriting)" : ""}`, async () => {
      const report = await check(path.join(DIR, `${name}.in.jsonl`), path.join(DIR, `${name}.out.jsonl`), UPDATE);
      if (report) expect.fail(report);
    }, 120_000);
  }

  it("reports the very line that differs (a golden with one line altered, in a temp copy)", async () => {
    const name = "bind-by-name";
    const dir = tmpDir();
    const outFile = path.join(dir, `${name}.out.jsonl`);
    const golden = readLines(path.join(DIR, `${name}.out.jsonl`));
    const k = 2; // the third line
    const altered = golden.map((l, i) => (i === k ? JSON.stringify({ ...JSON.parse(l), text: "（改动过的一行）" }) : l));
    fs.writeFileSync(outFile, altered.map((l) => `${l}\n`).join(""));
    const report = await check(path.join(DIR, `${name}.in.jsonl`), outFile);
    expect(report).not.toBeNull();
    expect(report).toContain(`@@ line ${k + 1} @@`);
    expect(report).toContain(`- ${altered[k]}`);
    expect(report).toContain(`+ ${golden[k]}`);
    expect(report!.match(/^@@ /gm)).toHaveLength(1); // only that line
    // A missing line and an extra one are reported too.
    expect(compareLines(golden, golden.slice(1), "x")).toContain(`@@ line 1 @@\n- ${golden[0]}`);
    expect(compareLines(golden.slice(1), golden, "x")).toContain(`@@ after line 0 @@\n+ ${golden[0]}`);
  }, 60_000);

  it("are what a real `npm start -- --jsonl` prints (one transcript through the process)", () => {
    const name = "hazard-one-message";
    const runEnv = freshEnv();
    const r = spawnSync("sh", ["-c", `npm start -- --jsonl < "${path.join(DIR, `${name}.in.jsonl`)}"`], {
      cwd: projectPath(), encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ, ...runEnv, LOG_LEVEL: "warn" },
    });
    expect(r.status, r.stderr).toBe(0);
    const actual = r.stdout.split("\n").filter(Boolean).map((l) => normalise(l, runEnv));
    const report = compareLines(readLines(path.join(DIR, `${name}.out.jsonl`)), actual, `${name}.out.jsonl (via npm start -- --jsonl)`);
    if (report) expect.fail(report);
  }, 120_000);
});
