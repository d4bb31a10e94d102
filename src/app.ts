/**
 * Composition root: config → store → core → outbox senders → scheduler. Used by
 * main.ts, the tests and the benchmark alike, so all of them run the real thing.
 */
import { PROMPT_CATALOG } from "./prompts/catalog.js";
import type { ChannelAdapter } from "./core/channel.js";
import type { InboundMessage } from "./core/messages.js";
import type { Clock } from "./core/clock.js";
import { Core, type Logger } from "./core/bot.js";
import type { IdentityResolver, Policy } from "./core/ports.js";
import { can, isAction, policyMarkdown } from "./features/org/policy.js";
import { bindFlow, importRosterFlow, orgCommands, ROSTER_IMPORT, rosterImportRunner } from "./features/org/flows.js";
import { hazardCommands, hazardRectifyFlow, hazardReportFlow, hazardReviewFlow } from "./features/hazards/flows.js";
import { hazardJobs } from "./features/hazards/jobs.js";
import { patrolFlow, routineCommands, routineJobs, zeroFlow } from "./features/routines/flows.js";
import { dutyCommands, dutyImportFlow, dutyJobs, noonReportFlow } from "./features/duty/flows.js";
import { seasonalJob } from "./features/routines/seasonal.js";
import { rollupCommands, rollupJobs, statsCommand } from "./features/stats/commands.js";
import { warningCommands, warningIssueFlow, warningJob, warningMeasuresFlow, type WarningSettings } from "./features/warnings/index.js";
import path from "node:path";
import { rosterIdentity } from "./features/org/identity.js";
import type { CommandDef, HelpTopic } from "./core/commands.js";
import type { FlowDef } from "./core/flow-types.js";
import { ConfigError, type Env } from "./config/env.js";
import { dayInfo } from "./domain/calendar.js";
import { remindCommands, remindFlow, reminderJob } from "./features/remind/flows.js";
import { OutboxSender } from "./outbox/sender.js";
import { projectPath } from "./paths.js";
import { Prompts } from "./prompts/load.js";
import { loadBotConfig, type BotConfig } from "./config/bot-config.js";
import { Scheduler, type JobDef } from "./scheduler/scheduler.js";
import { prismaCoreStore, prismaRenderStore } from "./store/core-store.js";
import { RenderRunner } from "./core/renders.js";
import type { Renderer } from "./core/effects.js";
import type { TickJob } from "./core/jobs.js";
import { RENDER_KINDS, RenderThread } from "./reports/render-thread.js";
import { openStore, type Store, type Tx } from "./store/db.js";
import { pruneOld } from "./store/housekeeping.js";
import { pruneMedia } from "./channels/media.js";
import { nextSessionDeadline } from "./store/sessions.js";

export interface AppOptions {
  env: Env;
  clock: Clock & { set?(t: Date): unknown };
  log: Logger;
  channels: ChannelAdapter[];
  /** Extra jobs, flows and commands (tests, and features still being wired). */
  jobs?: JobDef[];
  flows?: FlowDef<Tx>[];
  commands?: CommandDef<Tx>[];
  config?: BotConfig;
  identity?: IdentityResolver;
  /** How long a channel may take to start before it is given up (default 30 s). */
  channelStartTimeoutMs?: number;
  /** Wraps each renderer (tests hold a render open to show what else goes on meanwhile). */
  wrapRenderer?: (kind: string, r: Renderer) => Renderer;
  /** Sender options per channel (tests inject a fake sleep). */
  senderSleep?: (ms: number) => Promise<void>;
}

/** Every chat command the bot has (the core adds 帮助): read by the core, the README's permission table and the permission-matrix test. */
export function commandRegistry(config: BotConfig, dataDir: string): CommandDef<Tx>[] {
  const routineDeps = { routines: config.routines, calendar: config.calendar };
  const isWorkday = (d: string) => dayInfo(d, config.calendar).workday;
  // Each feature's commands under its heading in 帮助.
  const under = (topic: HelpTopic, cs: CommandDef<Tx>[]) => cs.map((c) => ({ topic, ...c }));
  return [
    ...under("hazard", hazardCommands(isWorkday)), ...under("routine", routineCommands(routineDeps)), ...under("duty", dutyCommands(config.duty)),
    ...under("warning", warningCommands(config.warnings as WarningSettings)), ...under("stats", [...rollupCommands(), statsCommand({ patrol: config.routines.patrol })]),
    ...under("other", remindCommands), ...under("org", orgCommands),
  ];
}

/** The README's permission section: the policy table with the chat words that use each action. */
export function permissionSection(commands: readonly CommandDef<Tx>[]): string {
  // 帮助 is the core's own; self-binding is decided inside the 绑定 dialog (domain/binding.ts).
  const words = new Map<string, string[]>([["public", ["帮助"]], ["identity.self_bind", ["`绑定`"]]]);
  for (const c of commands) {
    const word = `\`${c.keywords[0] ?? `/${c.slash[0]}`}\``;
    for (const a of new Set([c.permission, ...(c.checks ?? []).map((x) => x.action)])) words.set(a, [...(words.get(a) ?? []), word]);
  }
  return policyMarkdown(words);
}

/** The one access policy, as the core asks it. */
export const policy: Policy = (actor, action, target) => {
  if (!isAction(action)) throw new Error(`unknown policy action ${action}`);
  return can(actor, action, target);
};

export interface App {
  core: Core<Tx>;
  store: Store;
  prompts: Prompts;
  scheduler: Scheduler;
  senders: Map<string, OutboxSender>;
  /** Charts, workbooks and ledgers, done after the commit that asked for them. */
  renders: RenderRunner<Tx>;
  /**
   * Starts the channels. `realTime`: node-cron runs the jobs and each started
   * channel's sender drains in the background. `senders` alone starts the sender
   * loops (tests that drive the clock themselves).
   */
  start(opts?: { realTime?: boolean; senders?: boolean }): Promise<void>;
  /** Names of the channels that started. */
  started: Set<string>;
  /** Sends everything due on every channel. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(o: AppOptions): Promise<App> {
  const prompts = Prompts.load(o.env.PROMPTS_DIR ?? projectPath("prompts"));
  const config = o.config ?? loadBotConfig(o.env.BOT_CONFIG);
  const unknown = config.seasonal.find((s) => s.prompt !== undefined && !prompts.hasPlain(s.prompt));
  if (unknown) throw new ConfigError(`配置文件 seasonal “${unknown.name}” 的 prompt “${unknown.prompt}” 在 prompts/*.yaml 里没有（或带占位符）`);
  const store = await openStore(o.env.DATABASE_URL);
  if (store.migrations.applied.length) o.log.info({ applied: store.migrations.applied }, "database migrated");
  const { db } = store;

  const senders = new Map<string, OutboxSender>();
  for (const ch of o.channels) {
    const limits = { ...(config.channels[ch.name] ?? {}), ...ch.limits };
    senders.set(ch.name, new OutboxSender({
      db, channel: { name: ch.name, limits, start: ch.start.bind(ch), send: ch.send.bind(ch), stop: ch.stop.bind(ch) },
      clock: o.clock, log: o.log, maxAttempts: o.env.OUTBOX_MAX_ATTEMPTS, ...(o.senderSleep ? { sleep: o.senderSleep } : {}),
    }));
  }
  const notify = (channels: Set<string>) => {
    for (const c of channels) senders.get(c)?.notify();
  };

  const dataDir = path.resolve(o.env.DATA_DIR);
  const warnSettings = config.warnings as WarningSettings;
  const routineDeps = { routines: config.routines, calendar: config.calendar };
  const isWorkday = (d: string) => dayInfo(d, config.calendar).workday;
  const commands = [...commandRegistry(config, dataDir), ...(o.commands ?? [])];
  for (const c of commands) {
    for (const a of [c.permission, ...(c.checks ?? []).map((x) => x.action)]) if (!isAction(a)) throw new Error(`command ${c.id}: unknown policy action ${a}`);
  }
  const flows = [bindFlow, importRosterFlow, remindFlow, hazardReportFlow(config.hazards, isWorkday), hazardRectifyFlow, hazardReviewFlow, patrolFlow(routineDeps), zeroFlow(routineDeps), dutyImportFlow, noonReportFlow, warningIssueFlow(warnSettings), warningMeasuresFlow, ...(o.flows ?? [])];
  for (const f of flows) if (f.permission && !isAction(f.permission)) throw new Error(`flow ${f.id}: unknown policy action ${f.permission}`);
  // A question with placeholders ({date}) needs its values: found here at start-up, not by the person it is asked of.
  for (const f of flows) for (const st of f.steps) if (PROMPT_CATALOG[st.prompt].length > 0 && !st.promptParams) throw new Error(`flow ${f.id}, step ${st.id}: prompt ${st.prompt} has placeholders but the step gives no promptParams`);
  const core = new Core<Tx>({
    store: prismaCoreStore(db),
    prompts,
    flows,
    commands,
    identity: o.identity ?? rosterIdentity(db),
    policy,
    clock: o.clock,
    sessionTtlMs: o.env.SESSION_TTL_MINUTES * 60_000,
    sessionTtlFor: (flowId) => {
      const m = config.dialogs.timeoutMinutes[flowId];
      return m === undefined ? undefined : m * 60_000;
    },
    sessionReminderLeadMs: o.env.SESSION_REMINDER_MINUTES * 60_000,
    log: o.log,
    onEnqueued: notify,
    onRendersQueued: () => renders.kick(),
  });
  // Heavy work after the commit, on a thread of its own with its own read connection (core/renders.ts).
  const renderThread = new RenderThread({ dbFile: store.file, promptsDir: o.env.PROMPTS_DIR ?? projectPath("prompts"), dataDir });
  const renders: RenderRunner<Tx> = new RenderRunner<Tx>({
    store: prismaRenderStore(db), prompts, clock: o.clock, log: o.log, onEnqueued: notify,
    renderers: new Map(([
      ...RENDER_KINDS.map((k): [string, Renderer] => [k, renderThread.renderer(k)]),
      // Many short writes rather than CPU work: on this thread, with the writer.
      [ROSTER_IMPORT, rosterImportRunner(db)],
    ] as [string, Renderer][]).map(([k, r]): [string, Renderer] => [k, o.wrapRenderer ? o.wrapRenderer(k, r) : r])),
  });
  /** A feature's scheduled work, handled by the core like a message (core/jobs.ts). */
  const asJob = (j: TickJob<Tx>): JobDef => ({
    name: j.name,
    ...(j.catchUpWithinMs !== undefined ? { catchUpWithinMs: j.catchUpWithinMs } : {}),
    run: async (at) => void (await core.tick(j, at)),
    ...(j.nextWorkAt ? { nextWorkAt: (at: Date) => j.nextWorkAt!(at) } : {}),
  });

  const jobs: JobDef[] = [
    {
      name: "session-sweep",
      run: async (at) => {
        await core.sweep(at);
        // A render whose wake-up was missed (queued by a process that then stopped) is picked up within a minute.
        renders.kick();
      },
      nextWorkAt: () => nextSessionDeadline(db, o.env.SESSION_REMINDER_MINUTES * 60_000),
    },
    ...[
      reminderJob({ db }),
      ...hazardJobs({ db, rules: config.hazards }),
      ...routineJobs({ ...routineDeps, db }),
      ...dutyJobs({ db, rules: config.duty }),
      warningJob({ db }),
      seasonalJob({ db, reminders: config.seasonal }),
      ...rollupJobs({ db }),
    ].map(asJob),
    {
      name: "housekeeping",
      catchUpWithinMs: 24 * 60 * 60_000,
      run: async (now) => {
        o.log.info({ ...(await pruneOld(db, now)), media: pruneMedia(dataDir, now, o.env.MEDIA_RETENTION_DAYS) }, "housekeeping: old delivery records and media pruned");
      },
    },
    ...(o.jobs ?? []),
  ];
  const drain = async () => {
    // Renders first: their results are outbox rows too.
    await renders.idle();
    for (const [name, s] of senders) if (started.has(name)) await s.drain();
  };
  const scheduler = new Scheduler({ db, jobs, config, clock: o.clock, log: o.log });

  const started = new Set<string>();
  return {
    core, store, prompts, scheduler, senders, renders, drain, started,
    async start(opts = {}) {
      for (const s of senders.values()) await s.recover();
      await renders.recover();
      await scheduler.catchUp();
      // Channels start side by side, each with a deadline: one that is down (bad token,
      // no puppet, a network that swallows packets) must not hold up or take down the others.
      const limit = o.channelStartTimeoutMs ?? 30_000;
      await Promise.all(o.channels.map(async (ch) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            ch.start((m) => core.handle(m)),
            new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${Math.round(limit / 1000)} 秒内未能启动（网络不通？）`)), limit); }),
          ]);
          started.add(ch.name);
        } catch (err) {
          o.log.error({ channel: ch.name, reason: (err as Error).message }, "channel failed to start; the others keep running");
          await ch.stop().catch(() => undefined);
        } finally {
          clearTimeout(timer);
        }
      }));
      if (opts.realTime || opts.senders) for (const name of started) await senders.get(name)!.start();
      if (opts.realTime) scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      for (const ch of o.channels) await ch.stop().catch(() => undefined);
      await core.idle();
      await renders.idle();
      await renderThread.close();
      for (const s of senders.values()) await s.stop();
      await store.close();
    },
  };
}

/**
 * The scripted console's time: until the first message a script may set its scene
 * anywhere in time (so a replay is deterministic); after that the clock only moves
 * forward, firing due jobs as it goes. Used by `npm start` and the golden transcripts.
 */
export function consoleTime(app: App, clock: Clock & { reset(t: Date): void }) {
  let handled = 0;
  return {
    advanceTo: async (t: Date): Promise<boolean> => {
      if (t.getTime() < clock.now().getTime()) {
        if (handled > 0) return false;
        clock.reset(t);
        app.scheduler.resetTo(t);
        return true;
      }
      await app.scheduler.advanceTo(t);
      return true;
    },
    tick: () => app.scheduler.advanceTo(clock.now()).then(() => undefined),
    handle: (m: InboundMessage) => (handled++, app.core.handle(m)),
  };
}
