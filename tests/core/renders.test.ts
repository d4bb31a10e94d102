/**
 * Renders after the commit: a chief's chart or 月报 is drawn outside the write
 * transaction, so another chat's 帮助 is committed and answered while it is still
 * being drawn (ordering, not timing); a render a crash interrupted runs again at
 * start-up; one that keeps failing is given up with a Chinese reply.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { MemoryChannel } from "../../src/channels/memory.js";
import { FixedClock } from "../../src/core/clock.js";
import type { Renderer } from "../../src/core/effects.js";
import { loadEnv } from "../../src/config/env.js";
import { seedDemoBureau } from "../../src/demo/bureau.js";
import { bindIdentity, personByMobile } from "../../src/features/org/repo.js";
import { inbound, silentLog } from "../helpers/app.js";
import { tmpDbUrl } from "../helpers/tmp.js";

const NOW = new Date("2026-11-25T09:00:00+08:00");
const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop();
});

async function boot(o: { url?: string; wrap?: (kind: string, r: Renderer) => Renderer; seed?: boolean } = {}) {
  const url = o.url ?? tmpDbUrl();
  const clock = new FixedClock(NOW);
  const channel = new MemoryChannel("memory");
  const app = await createApp({
    env: loadEnv({ DATABASE_URL: url }), clock, log: silentLog, channels: [channel],
    senderSleep: async (ms) => clock.advance(ms), ...(o.wrap ? { wrapRenderer: o.wrap } : {}),
  });
  apps.push(app);
  if (o.seed ?? true) {
    await seedDemoBureau(app.store.db, NOW, "memory");
    // 张建国 (county 局领导) and 杨波 (a grid member) on their own chats.
    for (const [account, mobile] of [["chief", "13800000001"], ["u1", "13800000007"]] as const) {
      const p = (await personByMobile(app.store.db, mobile))!;
      await app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "memory", platformUserId: account, personId: p.id, by: "test", actor: "test" }, NOW));
    }
  }
  await app.start();
  const send = (from: string, text: string) => app.core.handle(inbound(from, text, {}, clock.now()));
  /** Delivers what is committed, without waiting for renders. */
  const deliver = () => app.senders.get("memory")!.drain();
  return { app, channel, url, send, deliver };
}

/** A renderer held open until released, around the real one. */
function gate() {
  let release!: () => void;
  let started!: () => void;
  const open = new Promise<void>((r) => (release = r));
  const running = new Promise<void>((r) => (started = r));
  const wrap = (_kind: string, real: Renderer): Renderer => async (params, at) => {
    started();
    const out = await real(params, at);
    await open;
    return out;
  };
  return { wrap, release, running };
}

describe("renders after the commit", () => {
  for (const command of ["图表 本月", "月报"]) {
    it(`a 帮助 from another chat is committed and answered while 「${command}」 is still rendering`, async () => {
      const g = gate();
      const b = await boot({ wrap: g.wrap });
      expect(await b.send("chief", command)).toBe("handled");
      await g.running;
      // The chart's request is committed and in the render queue, running; nothing sent for it yet.
      expect(await b.app.store.db.renderJob.findMany({ select: { kind: true, status: true } })).toEqual([{ kind: "rollup", status: "running" }]);
      expect(await b.send("u1", "帮助")).toBe("handled");
      await b.deliver();
      const help = b.channel.sent.filter((m) => m.chatId === "dm-u1");
      expect(help).toHaveLength(1);
      expect(help[0]!.text).toContain("应急助手可以帮你办这些事");
      expect(b.channel.sent.filter((m) => m.chatId === "dm-chief")).toHaveLength(0);
      expect((await b.app.store.db.renderJob.findFirstOrThrow()).status).toBe("running");

      g.release();
      await b.app.drain();
      const chart = b.channel.sent.filter((m) => m.chatId === "dm-chief");
      expect(chart).toHaveLength(1);
      expect(chart[0]!.image).toMatch(/\.png$/);
      expect(chart[0]!.text).toMatch(command === "月报" ? /2026年10月/ : /2026年11月/);
      expect((await b.app.store.db.renderJob.findFirstOrThrow()).status).toBe("done");
    });
  }

  it("runs again at start-up a render that a crash left half done", async () => {
    const first = await boot();
    await first.send("chief", "导出 本月");
    await first.app.drain();
    expect(first.channel.sent.filter((m) => m.chatId === "dm-chief")).toHaveLength(1);
    // What a crash mid-render leaves: the request running, no message for it.
    await first.app.store.db.$transaction(async (tx) => {
      await tx.renderJob.updateMany({ data: { status: "running", finishedAt: null } });
      await tx.outboxMessage.deleteMany({ where: { chatId: "dm-chief" } });
    });
    await first.app.stop();
    apps.splice(apps.indexOf(first.app), 1);

    const again = await boot({ url: first.url, seed: false });
    await again.app.drain();
    const sent = again.channel.sent.filter((m) => m.chatId === "dm-chief");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.file).toMatch(/\.xlsx$/);
    expect((await again.app.store.db.renderJob.findFirstOrThrow()).status).toBe("done");
  });

  it("gives up a render that keeps failing and tells the asker in Chinese", async () => {
    const b = await boot({ wrap: () => async () => { throw new Error("font missing"); } });
    await b.send("chief", "图表 本月");
    await b.app.drain();
    const sent = b.channel.sent.filter((m) => m.chatId === "dm-chief");
    expect(sent.map((m) => m.text)).toEqual([expect.stringContaining("抱歉，处理这条消息时出了问题")]);
    const job = await b.app.store.db.renderJob.findFirstOrThrow();
    expect([job.status, job.attempts]).toEqual(["failed", 3]);
    expect(job.lastError).toContain("font missing");
  });
});
