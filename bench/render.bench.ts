/**
 * Renders after the commit: how long another chat's `帮助` takes while a chief's
 * `图表 本月` (figures, chart, PNG) is being drawn over a county's worth of
 * hazards. Before the render queue, that `帮助` waited for the whole render.
 *
 *   npm run bench -- --render-hazards 100000
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createApp } from "../src/app.js";
import { MemoryChannel } from "../src/channels/memory.js";
import { FixedClock } from "../src/core/clock.js";
import type { Renderer } from "../src/core/effects.js";
import { loadEnv } from "../src/config/env.js";
import { seedDemoBureau } from "../src/demo/bureau.js";
import { bindIdentity, personByMobile } from "../src/features/org/repo.js";

const argAt = process.argv.indexOf("--render-hazards");
const HAZARDS = argAt > 0 ? Number(process.argv[argAt + 1]) : 100_000;
const GOAL_MS = 50;
const NOW = new Date("2026-11-25T09:00:00+08:00");
const silent = { info() {}, warn() {}, error() {} };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yingji-render-"));
try {
  const file = path.join(dir, "render.db");
  const clock = new FixedClock(NOW);
  const channel = new MemoryChannel("memory");
  let renderStarted: () => void = () => undefined;
  let renderMs = 0;
  const wrap = (_k: string, real: Renderer): Renderer => async (params, at) => {
    renderStarted();
    const t = performance.now();
    const out = await real(params, at);
    renderMs = performance.now() - t;
    return out;
  };
  const app = await createApp({ env: loadEnv({ DATABASE_URL: `file:${file}`, DATA_DIR: dir }), clock, log: silent, channels: [channel], wrapRenderer: wrap, senderSleep: async () => undefined });
  await seedDemoBureau(app.store.db, NOW, "memory");
  for (const [account, mobile] of [["chief", "13800000001"], ["u1", "13800000007"]] as const) {
    const p = (await personByMobile(app.store.db, mobile))!;
    await app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "memory", platformUserId: account, personId: p.id, by: "bench", actor: "bench" }, NOW));
  }
  // A county's hazards this month, spread over the demo grids (raw statements: seeding is not what is measured).
  const raw = new Database(file);
  const grids = raw.prepare("SELECT id, path FROM Region WHERE depth = 3").all() as { id: number; path: string }[];
  const ins = raw.prepare(`INSERT INTO Hazard (number, reporterId, responsibleId, regionId, regionPath, place, sector, description, level, photos, responsibleUnit, deadline, status, createdAt, updatedAt, rectifiedAt)
    VALUES (?, 1, 1, ?, ?, '某处', ?, '隐患', ?, '[]', '某单位', '2026-12-01', ?, ?, ?, ?)`);
  const SECTORS = ["危险化学品", "工贸", "建筑施工", "道路交通", "人员密集场所/消防", "城镇燃气", "其他"];
  const ts = (d: Date) => d.toISOString().replace("Z", "+00:00");
  raw.transaction(() => {
    for (let i = 0; i < HAZARDS; i++) {
      const g = grids[i % grids.length]!;
      const at = new Date(NOW.getTime() - (i % (24 * 20)) * 3600_000);
      const done = i % 3 === 0;
      ins.run(`YH-R-${i}`, g.id, g.path, SECTORS[i % SECTORS.length], i % 50 === 0 ? "重大" : "一般", done ? "已销号" : "待整改", ts(at), ts(at), done ? ts(at) : null);
    }
  })();
  raw.close();
  await app.start();
  const help = async (n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await app.core.handle({ channel: "memory", chatId: "dm-u1", chatKind: "private", senderId: "u1", senderName: "u1", messageId: `h-${Math.random()}`, text: "帮助", attachments: [], mentionsBot: false, replyToBot: false, receivedAt: clock.now() });
      ms.push(performance.now() - t);
    }
    return ms;
  };
  const idle = await help(20);
  // The render thread starts on the first render: warm it up, as a running bot would be.
  await app.core.handle({ channel: "memory", chatId: "dm-chief", chatKind: "private", senderId: "chief", senderName: "chief", messageId: "warm", text: "图表 本周", attachments: [], mentionsBot: false, replyToBot: false, receivedAt: clock.now() });
  await app.drain();
  channel.sent.length = 0;

  // The chief asks; while the render runs, 帮助 is sent again and again from another chat.
  const started = new Promise<void>((r) => (renderStarted = r));
  const t0 = performance.now();
  await app.core.handle({ channel: "memory", chatId: "dm-chief", chatKind: "private", senderId: "chief", senderName: "chief", messageId: "chart", text: "图表 本月", attachments: [], mentionsBot: false, replyToBot: false, receivedAt: clock.now() });
  const askMs = performance.now() - t0;
  await app.senders.get("memory")!.drain();
  // (The timer is cleared: a pending one would keep the process alive for its full minute.)
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([started, new Promise((_, no) => (timer = setTimeout(() => no(new Error(`图表 本月 did not start a render: ${JSON.stringify(channel.sent.map((m) => m.text))}`)), 60_000)))]).finally(() => clearTimeout(timer));
  // A 帮助 every 20 ms from another chat while the render runs, as messages would
  // arrive from the network; each one's latency counts from when it was sent.
  const during: number[] = [];
  let done = false;
  const rendering = app.renders.idle().then(() => (done = true));
  const inFlight: Promise<void>[] = [];
  while (!done) {
    const sentAt = performance.now();
    inFlight.push(help(1).then(() => void during.push(performance.now() - sentAt)));
    await new Promise((r) => setTimeout(r, 20));
  }
  await rendering;
  await Promise.all(inFlight);
  await app.drain();
  const chart = channel.sent.find((m) => m.chatId === "dm-chief");
  await app.stop();
  if (!chart?.image) throw new Error("the chart was not sent");

  const line = (k: string, v: string) => console.log(`${k.padEnd(34)}${v}`);
  console.log(`\nrenders after the commit — 图表 本月 over ${HAZARDS.toLocaleString("en")} hazards`);
  line("图表 本月: command committed in", `${askMs.toFixed(1)} ms (the chart follows)`);
  line("render (figures + chart + PNG)", `${renderMs.toFixed(0)} ms on the render thread — what 帮助 waited before it had one`);
  line("帮助 from another chat, idle", `p50 ${pct(idle, 50).toFixed(1)} ms`);
  line("帮助 during the render", `p50 ${pct(during, 50).toFixed(1)} ms / p99 ${pct(during, 99).toFixed(1)} ms / max ${Math.max(...during).toFixed(1)} ms, ${during.length} sent (goal p50 ≤ ${GOAL_MS} ms: ${pct(during, 50) <= GOAL_MS ? "met" : "NOT met"})`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
