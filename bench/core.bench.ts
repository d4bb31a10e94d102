/**
 * `npm run bench` — drives simulated people through the real core, a real SQLite
 * file and the outbox (in-process channel), and prints throughput and handling
 * latency, next to the raw better-sqlite3 rate for the same writes on this machine.
 *
 *   npm run bench -- --people 200 --concurrency 50
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createApp } from "../src/app.js";
import { MemoryChannel } from "../src/channels/memory.js";
import { AdjustableClock } from "../src/core/clock.js";
import type { InboundMessage } from "../src/core/messages.js";
import { loadEnv } from "../src/config/env.js";
import { migrate } from "../src/store/migrate.js";
import { projectPath } from "../src/paths.js";
import { importRoster } from "../src/features/org/repo.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const PEOPLE = arg("people", 200);
const CONCURRENCY = arg("concurrency", 50);
// One grid member's conversation: help, the whole reminder dialog (one re-ask included),
// and a one-message hazard report completed in the dialog.
const SCRIPT = ["帮助", "工作提醒", "报送防汛物资清单", "9", "3", "明天下午3点", "确认", "隐患 泡里村加油站 灭火器过期 一般 3天", "跳过", "渠阳石化加油站", "确认"];

const quiet = { info() {}, warn() {}, error() {} };
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function benchCore(dir: string) {
  const channel = new MemoryChannel("bench");
  const clock = new AdjustableClock();
  const app = await createApp({ env: loadEnv({ DATABASE_URL: `file:${path.join(dir, "core.db")}`, LOG_LEVEL: "silent" }), clock, log: quiet, channels: [channel] });
  // PEOPLE grid members on the roster, each bound to a bench account.
  const rows = Array.from({ length: PEOPLE }, (_, i) => ({ row: i + 2, name: `网格员${i}`, mobile: `139${String(10_000_000 + i)}`, regionPath: `示范县/镇${i % 4}/村${i % 20}/网格${i}`, roles: ["网格员" as const] }));
  await importRoster(app.store.db, rows, { actor: "bench", now: clock.now() });
  const people = await app.store.db.person.findMany({ select: { id: true, mobile: true } });
  await app.store.db.$transaction(async (tx) => {
    for (const p of people) await tx.chatIdentity.create({ data: { channel: "bench", platformUserId: `p${Number(p.mobile.slice(3)) - 10_000_000}`, personId: p.id, boundAt: clock.now(), boundBy: "bench" } });
  });
  await app.start();
  const sender = app.senders.get("bench")!;
  const latencies: number[] = [];
  let seq = 0;
  const person = async (p: number) => {
    for (const text of SCRIPT) {
      const m: InboundMessage = {
        channel: "bench", chatId: `dm-${p}`, chatKind: "private", senderId: `p${p}`, senderName: `网格员${p}`,
        messageId: `b-${++seq}`, text, attachments: [], mentionsBot: false, replyToBot: false, receivedAt: clock.now(),
      };
      const t0 = performance.now();
      await app.core.handle(m);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  let next = 0;
  const drainer = (async () => {
    while (next < PEOPLE || latencies.length < PEOPLE * SCRIPT.length) {
      await sender.drain();
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < PEOPLE) await person(next++);
  }));
  const handledMs = performance.now() - t0;
  await drainer;
  await sender.drain();
  const totalMs = performance.now() - t0;
  const sent = channel.sent.length;
  const reminders = await app.store.db.reminder.count();
  const hazards = await app.store.db.hazard.count();
  await app.stop();
  latencies.sort((a, b) => a - b);
  return { messages: latencies.length, handledMs, totalMs, sent, reminders, hazards, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** The same writes per message (inbound row, session upsert, outbox row) as raw prepared statements. */
function benchRaw(dir: string, messages: number) {
  const file = path.join(dir, "raw.db");
  migrate(file, projectPath("prisma", "migrations"));
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const now = new Date().toISOString();
  const inbound = db.prepare(`INSERT INTO InboundMessage (channel, platformMessageId, chatId, chatKind, senderId, senderName, text, attachments, receivedAt, recordedAt) VALUES ('bench', ?, ?, 'private', ?, 'x', 'text', '[]', ?, ?)`);
  const session = db.prepare(`INSERT INTO FlowSession (channel, chatId, senderId, flowId, state, status, startedAt, updatedAt, expiresAt) VALUES ('bench', ?, ?, 'remind', '{}', 'open', ?, ?, ?) ON CONFLICT(channel, chatId, senderId) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt`);
  const outbox = db.prepare(`INSERT INTO OutboxMessage (channel, chatId, payload, status, attempts, nextAttemptAt, createdAt) VALUES ('bench', ?, '{"text":"x","choices":[]}', 'pending', 0, ?, ?)`);
  const one = db.transaction((i: number) => {
    const chat = `dm-${i % PEOPLE}`;
    inbound.run(`r-${i}`, chat, `p${i % PEOPLE}`, now, now);
    session.run(chat, `p${i % PEOPLE}`, now, now, now);
    outbox.run(chat, now, now);
  });
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) one(i); // one transaction per message, as the core does
  const ms = performance.now() - t0;
  db.close();
  return { messages, ms };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-bench-"));
try {
  const core = await benchCore(dir);
  const raw = benchRaw(dir, core.messages);
  const coreRate = core.messages / (core.handledMs / 1000);
  const rawRate = raw.messages / (raw.ms / 1000);
  const line = (k: string, v: string) => console.log(`${k.padEnd(34)}${v}`);
  console.log(`yingji-bot core benchmark — ${os.cpus().length} cores, Node ${process.version}`);
  line("people × messages each", `${PEOPLE} × ${SCRIPT.length} = ${core.messages} messages (concurrency ${CONCURRENCY})`);
  line("core: messages handled/s", coreRate.toFixed(0));
  line("core: handling latency p50 / p99", `${core.p50.toFixed(2)} ms / ${core.p99.toFixed(2)} ms`);
  line("outbox: replies delivered", `${core.sent} in ${(core.totalMs / 1000).toFixed(2)} s (${(core.sent / (core.totalMs / 1000)).toFixed(0)}/s incl. drain)`);
  line("reminders / hazards stored", `${core.reminders} / ${core.hazards}`);
  line("raw better-sqlite3, same writes/s", rawRate.toFixed(0));
  line("ratio core / raw", `${(coreRate / rawRate).toFixed(3)} (raw is ${(rawRate / coreRate).toFixed(1)}× faster)`);
  if (core.reminders !== PEOPLE || core.hazards !== PEOPLE) throw new Error(`expected ${PEOPLE} reminders and hazards, got ${core.reminders} / ${core.hazards}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
