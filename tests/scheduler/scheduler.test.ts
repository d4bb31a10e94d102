import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBotConfig, type BotConfig } from "../../src/config/bot-config.js";
import type { JobDef } from "../../src/scheduler/scheduler.js";
import { projectPath } from "../../src/paths.js";
import { runsOf } from "../../src/store/job-runs.js";
import { startBot, type TestBot } from "../helpers/app.js";
import { tmpDbUrl, tmpDir } from "../helpers/tmp.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});

const defaults = loadBotConfig();
function config(jobs: Record<string, string>): BotConfig {
  const extra = Object.fromEntries(Object.entries(jobs).map(([k, cron]) => [k, { cron, enabled: true }]));
  return { ...defaults, jobs: { ...defaults.jobs, ...extra } };
}

function recorder(name: string, log: string[], o: Partial<JobDef> = {}): JobDef {
  return { name, run: async (at) => void log.push(`${name}@${at.toISOString()}`), ...o };
}

async function bot(o: Parameters<typeof startBot>[0]) {
  const b = await startBot(o);
  bots.push(b);
  return b;
}

describe("scheduler", () => {
  it("runs a missed occurrence once at start-up when still meaningful, and not when too old", async () => {
    const url = tmpDbUrl();
    const log: string[] = [];
    const jobs = [recorder("morning", log, { catchUpWithinMs: 6 * 3600_000 })];
    const cfg = config({ morning: "0 8 * * *" });

    const b1 = await bot({ url, jobs, config: cfg, now: new Date("2026-11-25T07:00:00+08:00") });
    await b1.advance(61 * 60_000);
    expect(log).toEqual(["morning@2026-11-25T00:00:00.000Z"]);
    await b1.stop();

    // Down over the next 08:00; back at 09:00 → caught up once.
    const b2 = await bot({ url, jobs, config: cfg, now: new Date("2026-11-26T09:00:00+08:00") });
    expect(log).toEqual(["morning@2026-11-25T00:00:00.000Z", "morning@2026-11-26T00:00:00.000Z"]);
    await b2.stop();
    const b3 = await bot({ url, jobs, config: cfg, now: new Date("2026-11-26T09:30:00+08:00") });
    expect(log).toHaveLength(2); // already caught up: no second run
    await b3.stop();

    // Down over 27th 08:00 but back only at 15:00: seven hours late is past the 6 h window.
    await bot({ url, jobs, config: cfg, now: new Date("2026-11-27T15:00:00+08:00") });
    expect(log).toHaveLength(2);
    const runs = await runsOf(bots.at(-1)!.app.store.db, "morning");
    expect(runs.map((r) => r.trigger)).toEqual(["clock", "catch-up"]);
  });

  it("does not catch up on a fresh database or for jobs that only make sense on time", async () => {
    const log: string[] = [];
    await bot({ jobs: [recorder("a", log, { catchUpWithinMs: 86_400_000 }), recorder("b", log)], config: config({ a: "0 8 * * *", b: "0 8 * * *" }), now: new Date("2026-11-25T09:00:00+08:00") });
    expect(log).toEqual([]);
  });

  it("fires due jobs in time order as the clock moves, each occurrence once", async () => {
    const log: string[] = [];
    const b = await bot({ jobs: [recorder("late", log), recorder("early", log)], config: config({ late: "30 8 * * *", early: "0 8 * * 1-5" }), now: new Date("2026-11-27T07:00:00+08:00") });
    await b.advance(3 * 24 * 3600_000); // Fri 07:00 → Mon 07:00
    expect(log).toEqual([
      "early@2026-11-27T00:00:00.000Z", "late@2026-11-27T00:30:00.000Z",
      "late@2026-11-28T00:30:00.000Z", "late@2026-11-29T00:30:00.000Z",
    ]);
    expect(await b.app.scheduler.runOccurrence("late", new Date("2026-11-27T00:30:00Z"), "cron")).toBe("claimed");
  });

  it("refuses an overlapping run of the same job and records failures", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: JobDef = { name: "slow", run: () => gate };
    const broken: JobDef = { name: "broken", run: async () => { throw new Error("数据源不可用"); } };
    const b = await bot({ jobs: [slow, broken], config: config({ slow: "* * * * *", broken: "0 9 * * *" }) });
    const first = b.app.scheduler.runOccurrence("slow", new Date("2026-11-25T01:00:00Z"), "cron");
    expect(await b.app.scheduler.runOccurrence("slow", new Date("2026-11-25T01:01:00Z"), "cron")).toBe("busy");
    release();
    expect(await first).toBe("ran");
    expect(await b.app.scheduler.runOccurrence("broken", new Date("2026-11-25T01:00:00Z"), "cron")).toBe("error");
    const [run] = await runsOf(b.app.store.db, "broken");
    expect(run!.status).toBe("error");
  });

  it("validates the config file: cron syntax, known shape, every job timed", async () => {
    const dir = tmpDir();
    const write = (o: unknown) => {
      const f = path.join(dir, `c${Math.random()}.json`);
      fs.writeFileSync(f, JSON.stringify(o));
      return f;
    };
    expect(() => loadBotConfig(write({ ...defaults, jobs: { x: { cron: "61 8 * * *" } } }))).toThrow(/jobs\.x\.cron：“61 8 \* \* \*” 不是有效的 cron 表达式/);
    expect(() => loadBotConfig(write({ ...defaults, jobs: { x: { cron: "0 8 * * * *" } } }))).toThrow(/应为5段 cron 表达式/);
    expect(() => loadBotConfig(write({ ...defaults, timezone: "UTC" }))).toThrow(/timezone/);
    expect(() => loadBotConfig(path.join(dir, "missing.json"))).toThrow(/无法读取/);
    expect(() => loadBotConfig(write({ jobs: { "my-job": { enabled: true } } }))).toThrow(/jobs\.my-job\.cron：未知的任务须写明 cron/);
    // A bureau's file gives only what it changes; everything else is the schema's default.
    const mine = loadBotConfig(write({ jobs: { seasonal: { enabled: false }, "weekly-report": { cron: "0 9 * * 1" } }, hazards: { remindDaysBefore: 2 }, warnings: { 红: { recallMinutes: 5 } }, channels: { wechat: { perMinute: 20 } } }));
    expect(mine.jobs.seasonal).toEqual({ cron: "* * * * *", enabled: false });
    expect(mine.jobs["weekly-report"]).toEqual({ cron: "0 9 * * 1", enabled: true });
    expect(mine.jobs.housekeeping).toEqual(defaults.jobs.housekeeping);
    expect(mine.hazards).toEqual({ ...defaults.hazards, remindDaysBefore: 2 });
    expect(mine.warnings.红).toEqual({ ...defaults.warnings.红, recallMinutes: 5 });
    expect(mine.channels.wechat).toEqual({ perMinute: 20 });
    expect(mine.channels.telegram).toEqual(defaults.channels.telegram);
    expect({ ...mine, jobs: defaults.jobs, hazards: defaults.hazards, warnings: defaults.warnings, channels: defaults.channels }).toEqual(defaults);
    // The effective config (npm run config:example) read back is the same config.
    expect(loadBotConfig(write(defaults))).toEqual(defaults);
    expect(Object.keys(defaults.jobs)).toHaveLength(12);
    expect(defaults.seasonal.map((s) => s.prompt)).toEqual(["seasonal.qingming_forest_fire", "seasonal.flood_season", "seasonal.winter_fire"]);
    const { ["housekeeping"]: _, ...rest } = defaults.jobs;
    await expect(startBot({ config: { ...defaults, jobs: rest } })).rejects.toThrow(/缺少任务 housekeeping/);
  });
});
