/**
 * Golden transcripts (goflow style): `<name>.in.jsonl` is fed to the scripted
 * console — the JSON Lines contract of `npm start -- --jsonl` (README, "Scripted
 * mode") — and what it prints is compared with `<name>.out.jsonl`, line by line.
 *
 * The console runs in-process: the same `runJsonl` and `toJsonlOutput` as
 * src/main.ts, wired to the app exactly as main.ts wires them in `--jsonl` mode
 * (main.ts itself runs on import, so its few lines of wiring are repeated here — the console clock is shared, consoleTime in src/app.ts;
 * golden.test.ts checks one transcript through a real `npm start -- --jsonl`
 * process so the two cannot drift apart unnoticed).
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { consoleTime, createApp } from "../../src/app.js";
import { ConsoleChannel } from "../../src/channels/console/console-channel.js";
import { runJsonl, toJsonlOutput } from "../../src/channels/console/jsonl.js";
import { AdjustableClock } from "../../src/core/clock.js";
import { loadEnv } from "../../src/config/env.js";
import { seedDemoBureau } from "../../src/demo/bureau.js";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface ConsoleRun {
  /** What the console printed on stdout, one JSON object per line. */
  lines: string[];
  /** The console's own notes on the input (skipped lines, a clock that cannot go back). */
  notes: string[];
}

/** The environment of a run: a fresh database and data folder, defaults for the rest. */
export interface RunEnv {
  DATABASE_URL: string;
  DATA_DIR: string;
}

/**
 * `cat input | DATABASE_URL=… DATA_DIR=… npm start -- --jsonl`, in-process.
 * Paths in the input (`photo`, `file`) are relative to the project root, where
 * `npm start` runs.
 */
export async function runConsoleJsonl(input: string, runEnv: RunEnv): Promise<ConsoleRun> {
  const lines: string[] = [];
  const notes: string[] = [];
  const log = {
    info() {},
    warn(o: object, m?: string) {
      if (m?.startsWith("jsonl:")) notes.push(`${m} ${JSON.stringify(o)}`);
    },
    error(o: object, m?: string) {
      notes.push(`error: ${m ?? ""} ${JSON.stringify(o)}`);
    },
  };
  const cwd = process.cwd();
  if (cwd !== PROJECT_ROOT) process.chdir(PROJECT_ROOT); // relative paths resolve as under `npm start`
  try {
    // ── src/main.ts, --jsonl branch ──
    const env = loadEnv({ ...runEnv, LOG_LEVEL: "warn" });
    const clock = new AdjustableClock();
    const consoleChannel = new ConsoleChannel((m) => {
      lines.push(toJsonlOutput(m));
    });
    const app = await createApp({ env, clock, log, channels: [consoleChannel] });
    if (env.DEMO_BUREAU === "on" || (env.DEMO_BUREAU === "auto" && (await app.store.db.person.count()) === 0)) {
      await seedDemoBureau(app.store.db, clock.now());
    }
    await app.start({ realTime: false });
    const time = consoleTime(app, clock);
    try {
      await runJsonl({
        input: Readable.from([input]), log, tick: time.tick, now: () => clock.now(), advanceTo: time.advanceTo,
        handle: time.handle, drain: () => app.drain(),
      });
    } finally {
      await app.stop();
    }
    // ── end of main.ts ──
  } finally {
    if (cwd !== PROJECT_ROOT) process.chdir(cwd);
  }
  return { lines, notes };
}

/**
 * Only what differs from run to run: the run's data folder and the project's
 * location become `$DATA_DIR` and `$REPO`, and the millisecond stamp in a
 * generated file's name (`…-1764032400123.png`) becomes `<ms>`.
 */
export function normalise(line: string, runEnv: RunEnv): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  const dataDir = path.resolve(PROJECT_ROOT, runEnv.DATA_DIR);
  const fix = (s: string) => s.split(dataDir).join("$DATA_DIR").split(PROJECT_ROOT).join("$REPO");
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === "string") o[k] = fix(v);
  }
  for (const k of ["image", "file"]) {
    if (typeof o[k] === "string") o[k] = (o[k] as string).replace(/-\d{13}(?=\.\w+$)/, "-<ms>");
  }
  return JSON.stringify(o);
}

export function readLines(file: string): string[] {
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
}

/** A line-by-line comparison: null when equal, else a readable report naming each differing line. */
export function compareLines(expected: string[], actual: string[], label: string): string | null {
  const hunks = diffLines(expected, actual);
  if (hunks.length === 0) return null;
  const out = [`${label}: ${hunks.length} difference(s) (- expected in ${label}, + actual)`];
  for (const h of hunks) {
    const where = h.expected.length ? `line ${h.at + 1}${h.expected.length > 1 ? `–${h.at + h.expected.length}` : ""}` : `after line ${h.at}`;
    out.push(`@@ ${where} @@`);
    for (const l of h.expected) out.push(`- ${l}`);
    for (const l of h.actual) out.push(`+ ${l}`);
  }
  out.push("(if the change is intended: UPDATE_TRANSCRIPTS=1 npx vitest run --config tests/vitest.config.ts tests/transcripts, then review the diff)");
  return out.join("\n");
}

interface Hunk {
  /** 0-based index in `expected` where the hunk starts. */
  at: number;
  expected: string[];
  actual: string[];
}

/** Longest-common-subsequence diff, grouped into hunks of changed lines. */
function diffLines(a: string[], b: string[]): Hunk[] {
  const n = a.length, m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const hunks: Hunk[] = [];
  let cur: Hunk | null = null;
  let i = 0, j = 0;
  const open = () => (cur ??= { at: i, expected: [], actual: [] });
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      if (cur) hunks.push(cur);
      cur = null;
      i++, j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      open().actual.push(b[j++]!);
    } else {
      open().expected.push(a[i++]!);
    }
  }
  if (cur) hunks.push(cur);
  return hunks;
}
