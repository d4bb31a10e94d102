/**
 * Entry point. `npm start` opens the interactive console chat on the embedded
 * default (SQLite file, console channel); `npm start -- --jsonl` is the scripted
 * console (one JSON object per line in and out; logs on stderr).
 */
import { consoleTime, createApp } from "./app.js";
import { ConsoleChannel } from "./channels/console/console-channel.js";
import { formatForPeople, runInteractive } from "./channels/console/interactive.js";
import { runJsonl, toJsonlOutput } from "./channels/console/jsonl.js";
import { AdjustableClock } from "./core/clock.js";
import { ConfigError, loadEnv } from "./config/env.js";
import { createLogger } from "./log.js";
import { seedDemoBureau } from "./demo/bureau.js";
import { platformChannels } from "./channels/from-env.js";
import { PromptError } from "./prompts/load.js";
import { peopleCount } from "./features/org/index.js";

async function main(): Promise<number> {
  const jsonl = process.argv.includes("--jsonl");
  const env = loadEnv();
  // The scripted console is a closed world; otherwise the environment switches platforms on.
  const wantsPlatforms = !jsonl && Boolean(env.TELEGRAM_BOT_TOKEN || env.WECHATY_PUPPET);
  const withConsole = jsonl || env.CONSOLE === "on" || (env.CONSOLE === "auto" && !wantsPlatforms);
  // A person typing in the interactive console gets warnings only, unless asked for more.
  const log = createLogger(env.LOG_LEVEL === "info" && withConsole && !jsonl ? "warn" : env.LOG_LEVEL);
  const platforms = wantsPlatforms ? await platformChannels(env, log) : [];
  if (!withConsole && platforms.length === 0) throw new ConfigError("配置错误：CONSOLE=\"off\" 但没有配置其他渠道（TELEGRAM_BOT_TOKEN 或 WECHATY_PUPPET），机器人无处收发消息");

  const clock = new AdjustableClock();
  const consoleChannel = new ConsoleChannel((m) => {
    process.stdout.write(`${jsonl ? toJsonlOutput(m) : formatForPeople(m)}\n`);
  });
  const channels = [...(withConsole ? [consoleChannel] : []), ...platforms];
  const app = await createApp({ env, clock, log, channels });
  if (env.DEMO_BUREAU === "on" || (env.DEMO_BUREAU === "auto" && withConsole && (await peopleCount(app.store.db)) === 0)) {
    const r = await seedDemoBureau(app.store.db, clock.now());
    if (r.created) log.info({ people: r.created }, "demo bureau seeded");
  }

  if (platforms.length > 0) {
    // Real chat platforms: real time, node-cron, background senders, until a signal.
    await app.start({ realTime: true });
    log.warn({ channels: [...app.started] }, "应急助手已启动");
    const stopped = new Promise<void>((resolve) => {
      for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
    });
    if (withConsole) await Promise.race([stopped, runInteractive({ input: process.stdin, output: process.stdout, now: () => clock.now(), advanceTo: async () => false, handle: (m) => app.core.handle(m), drain: () => app.drain() })]);
    else await stopped;
    await app.stop();
    return 0;
  }

  const time = consoleTime(app, clock);
  // The console alone runs the clock itself (jobs fire as it moves), so its output is in order.
  await app.start({ realTime: false });
  const { advanceTo, tick } = time;
  const timer = jsonl ? null : setInterval(() => void tick().then(() => app.drain()), 15_000);
  try {
    const deps = { input: process.stdin, now: () => clock.now(), advanceTo, handle: time.handle, drain: () => app.drain() };
    if (jsonl) await runJsonl({ ...deps, log, tick });
    else await runInteractive({ ...deps, output: process.stdout });
  } finally {
    if (timer) clearInterval(timer);
    await app.stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError || err instanceof PromptError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`启动失败：${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
