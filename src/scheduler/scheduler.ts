/**
 * Named jobs on node-cron (Asia/Shanghai). Times come from the config file. Each
 * occurrence is claimed once in the JobRun table — (job, scheduledFor) is unique —
 * so a run is recorded, never doubled, and overlapping runs of a job are refused.
 * At start-up a job that declares catch-up runs its latest missed occurrence if it
 * is still recent enough to mean something.
 *
 * Two ways to drive time: `start()` hands the ticking to node-cron (real time);
 * `advanceTo(t)` walks a virtual clock minute by minute and fires what is due in
 * order (the scripted console and tests).
 */
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../core/bot.js";
import type { Clock } from "../core/clock.js";
import type { Db } from "../store/db.js";
import { claimRun, finishRun, lastRun, type JobTrigger } from "../store/job-runs.js";
import { TIME_ZONE } from "../time/shanghai.js";
import type { BotConfig } from "../config/bot-config.js";

export interface JobDef {
  name: string;
  /** Run the latest missed occurrence at start-up if it is at most this old; omit for jobs that only make sense on time. */
  catchUpWithinMs?: number;
  /** `at` is the occurrence's scheduled minute. */
  run(at: Date): Promise<void>;
  /**
   * For frequent polling jobs: the earliest time they could have work (null: none).
   * When the clock is walked forward (`advanceTo`), occurrences before it are
   * skipped instead of run empty — same outcome, far fewer runs.
   */
  nextWorkAt?: (at: Date) => Promise<Date | null>;
}

export interface SchedulerOptions {
  db: Db;
  jobs: JobDef[];
  config: BotConfig;
  clock: Clock & { set?(t: Date): unknown };
  log: Logger;
  /** Called after each run (the scripted console drains the outbox here). */
  afterRun?: (job: string) => Promise<void>;
}

const MINUTE = 60_000;
const floorMinute = (t: Date) => new Date(Math.floor(t.getTime() / MINUTE) * MINUTE);

export class Scheduler {
  private readonly matchers = new Map<string, ScheduledTask>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<string>();
  private lastTick: Date;

  constructor(private readonly o: SchedulerOptions) {
    const names = new Set(o.jobs.map((j) => j.name));
    for (const j of o.jobs) {
      const c = o.config.jobs[j.name];
      if (!c) throw new Error(`配置文件缺少任务 ${j.name} 的时间（jobs.${j.name}.cron）`);
      if (!c.enabled) continue;
      // A stopped task is a pure matcher: task.match(date) in Asia/Shanghai.
      this.matchers.set(j.name, cron.createTask(c.cron, () => undefined, { timezone: TIME_ZONE, name: `match:${j.name}` }));
    }
    for (const name of Object.keys(o.config.jobs)) if (!names.has(name)) o.log.warn({ job: name }, "配置文件里的任务不存在，已忽略");
    this.lastTick = floorMinute(o.clock.now());
  }

  private job(name: string): JobDef {
    return this.o.jobs.find((j) => j.name === name)!;
  }

  /** Runs one occurrence unless it was already claimed or the job is still running. */
  async runOccurrence(name: string, at: Date, trigger: JobTrigger): Promise<"ran" | "claimed" | "busy" | "error"> {
    if (this.running.has(name)) {
      this.o.log.warn({ job: name, at }, "scheduler: previous run still going, this occurrence is skipped");
      return "busy";
    }
    // Taken before the first await, so a concurrent call sees it.
    this.running.add(name);
    let id: number | null = null;
    try {
      id = await claimRun(this.o.db, name, at, trigger, this.o.clock.now());
      if (id === null) return "claimed";
      await this.job(name).run(at);
      await finishRun(this.o.db, id, this.o.clock.now());
      return "ran";
    } catch (err) {
      this.o.log.error({ err, job: name, at }, "scheduler: job failed");
      if (id !== null) await finishRun(this.o.db, id, this.o.clock.now(), String((err as Error)?.stack ?? err));
      return "error";
    } finally {
      this.running.delete(name);
      if (id !== null) await this.o.afterRun?.(name);
    }
  }

  /** The latest occurrence of a job at or before `t`, looking back at most `withinMs`. */
  previousOccurrence(name: string, t: Date, withinMs: number): Date | null {
    const m = this.matchers.get(name);
    if (!m) return null;
    for (let at = floorMinute(t); at.getTime() >= t.getTime() - withinMs; at = new Date(at.getTime() - MINUTE)) {
      if (m.match(at)) return at;
    }
    return null;
  }

  /** At start-up: each catch-up job's latest missed occurrence, run once. */
  async catchUp(): Promise<string[]> {
    const now = this.o.clock.now();
    const ran: string[] = [];
    for (const j of this.o.jobs) {
      if (j.catchUpWithinMs === undefined || !this.matchers.has(j.name)) continue;
      const at = this.previousOccurrence(j.name, now, j.catchUpWithinMs);
      if (!at) continue;
      // Only a bot that ran before can have missed anything; a fresh database has not.
      const last = await lastRun(this.o.db, j.name);
      if (!last || last.scheduledFor >= at) continue;
      if ((await this.runOccurrence(j.name, at, "catch-up")) === "ran") {
        this.o.log.info({ job: j.name, at }, "scheduler: caught up a run missed while the bot was down");
        ran.push(j.name);
      }
    }
    this.lastTick = floorMinute(now);
    return ran;
  }

  /** Real time: node-cron ticks each job. */
  start(): void {
    for (const j of this.o.jobs) {
      const c = this.o.config.jobs[j.name];
      if (!c?.enabled) continue;
      const task = cron.schedule(c.cron, async (ctx) => {
        const at = floorMinute(ctx.date ?? this.o.clock.now());
        // Every-minute pollers with nothing due do not run (nor leave a JobRun row per minute).
        if (j.nextWorkAt) {
          const next = await j.nextWorkAt(at).catch(() => at);
          if (next === null || next.getTime() > at.getTime() + MINUTE - 1) return;
        }
        await this.runOccurrence(j.name, at, "cron");
      }, { timezone: TIME_ZONE, name: j.name, noOverlap: true });
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const t of [...this.tasks, ...this.matchers.values()]) await t.destroy();
    this.tasks.length = 0;
  }

  /** Restarts virtual time at `t` without firing anything (the clock was reset). */
  resetTo(t: Date): void {
    this.lastTick = floorMinute(t);
  }

  /** Virtual time: fires every occurrence due after the last tick up to `t`, in order. */
  async advanceTo(t: Date): Promise<number> {
    let fired = 0;
    const end = floorMinute(t);
    const nextWork = new Map<string, Date | null>();
    const refresh = async (at: Date) => {
      for (const j of this.o.jobs) if (j.nextWorkAt) nextWork.set(j.name, await j.nextWorkAt(at));
    };
    await refresh(this.lastTick);
    for (let at = new Date(this.lastTick.getTime() + MINUTE); at <= end; at = new Date(at.getTime() + MINUTE)) {
      const due = this.o.jobs.filter((j) => {
        if (!this.matchers.get(j.name)?.match(at)) return false;
        if (!nextWork.has(j.name)) return true;
        const w = nextWork.get(j.name);
        return w != null && w.getTime() <= at.getTime();
      });
      if (due.length === 0) continue;
      this.o.clock.set?.(at);
      for (const j of due) if ((await this.runOccurrence(j.name, at, "clock")) === "ran") fired++;
      this.lastTick = at;
      await refresh(at);
    }
    if (end > this.lastTick) this.lastTick = end;
    this.o.clock.set?.(t);
    return fired;
  }
}
