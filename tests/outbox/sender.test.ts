import { afterEach, describe, expect, it } from "vitest";
import { SendError } from "../../src/core/channel.js";
import { MemoryChannel } from "../../src/channels/memory.js";
import { FixedClock } from "../../src/core/clock.js";
import { OutboxSender } from "../../src/outbox/sender.js";
import { RateLimiter } from "../../src/outbox/rate-limiter.js";
import { openStore, type Store } from "../../src/store/db.js";
import { enqueue } from "../../src/store/outbox.js";
import { silentLog } from "../helpers/app.js";
import { tmpDbUrl } from "../helpers/tmp.js";

let stores: Store[] = [];
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});

async function setup(o: { url?: string; limits?: ConstructorParameters<typeof MemoryChannel>[1]; maxAttempts?: number } = {}) {
  const store = await openStore(o.url ?? tmpDbUrl());
  stores.push(store);
  const clock = new FixedClock(new Date("2026-11-25T09:00:00+08:00"));
  const channel = new MemoryChannel("tg", o.limits ?? {});
  const sendTimes: number[] = [];
  const orig = channel.send.bind(channel);
  channel.send = async (m) => {
    const r = await orig(m);
    sendTimes.push(clock.now().getTime());
    return r;
  };
  const sender = new OutboxSender({ db: store.db, channel, clock, log: silentLog, maxAttempts: o.maxAttempts ?? 8, sleep: async (ms) => clock.advance(ms) });
  const put = (...texts: string[]) => store.db.$transaction((tx) => enqueue(tx, texts.map((t) => ({ channel: "tg", chatId: t.split(":")[0]!, payload: { text: t, choices: [] } })), clock.now()));
  const rows = () => store.db.outboxMessage.findMany({ orderBy: { id: "asc" } });
  return { store, clock, channel, sender, put, rows, sendTimes };
}

describe("outbox sender", () => {
  it("honours retry-after on a 429 and then sends, recording the attempts", async () => {
    const t = await setup();
    await t.put("c1:hello");
    t.channel.failNext(new SendError("429 Too Many Requests", true, 5000));
    expect(await t.sender.drain()).toBe(0);
    let [row] = await t.rows();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "429 Too Many Requests" });
    expect(row!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(5000);
    t.clock.advance(4999);
    expect(await t.sender.drain()).toBe(0);
    t.clock.advance(1);
    expect(await t.sender.drain()).toBe(1);
    [row] = await t.rows();
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null, platformMessageId: "tg-out-1" });
    expect(t.channel.sent.map((m) => m.text)).toEqual(["c1:hello"]);
  });

  it("backs off exponentially on network errors, and gives up after the last attempt", async () => {
    const t = await setup({ maxAttempts: 3 });
    await t.put("c1:x");
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      t.channel.failNext(new SendError("ECONNRESET", true));
      await t.sender.drain();
      const [row] = await t.rows();
      if (row!.status === "pending") {
        gaps.push(row!.nextAttemptAt.getTime() - t.clock.now().getTime());
        t.clock.set(row!.nextAttemptAt);
      }
    }
    expect(gaps).toEqual([1000, 2000]);
    const [row] = await t.rows();
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: "ECONNRESET" });
    expect(t.channel.sent).toEqual([]);
  });

  it("marks a permanent failure failed at once with its reason", async () => {
    const t = await setup();
    await t.put("c1:x", "c2:y");
    t.channel.failNext(new SendError("403 Forbidden: bot was kicked from the group chat", false));
    expect(await t.sender.drain()).toBe(1);
    const rows = await t.rows();
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([["failed", "403 Forbidden: bot was kicked from the group chat"], ["sent", null]]);
  });

  it("keeps a chat's order while its first message waits for a retry, other chats go on", async () => {
    const t = await setup();
    await t.put("c1:first", "c1:second", "c2:other");
    t.channel.failNext(new SendError("429", true, 3000));
    await t.sender.drain();
    expect(t.channel.sent.map((m) => m.text)).toEqual(["c2:other"]);
    t.clock.advance(3000);
    await t.sender.drain();
    expect(t.channel.sent.map((m) => m.text)).toEqual(["c2:other", "c1:first", "c1:second"]);
  });

  it("after a crash sends what was pending or mid-send, and never resends what was sent", async () => {
    const url = tmpDbUrl();
    const a = await setup({ url });
    await a.put("c1:one", "c1:two", "c1:three");
    // Run 1 sends "one", then dies while "two" is on the wire.
    const [one, two] = await a.rows();
    await a.sender.drain();
    await a.store.db.outboxMessage.updateMany({ where: { id: { in: [two!.id] } }, data: { status: "sending", sentAt: null } });
    await a.store.db.outboxMessage.updateMany({ where: { id: { gt: two!.id } }, data: { status: "pending", sentAt: null } });
    await a.store.db.outboxMessage.update({ where: { id: one!.id }, data: { status: "sent" } });
    await a.store.close();
    stores = stores.filter((s) => s !== a.store);

    const b = await setup({ url });
    expect(await b.sender.recover()).toBe(1);
    await b.sender.drain();
    expect(b.channel.sent.map((m) => m.text)).toEqual(["c1:two", "c1:three"]);
    expect((await b.rows()).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("keeps to a group's 20 messages a minute and 1 a second per chat", async () => {
    const t = await setup({ limits: { perSecond: 30, perChatIntervalMs: 1000, perChatPerMinute: 20 } });
    await t.put(...Array.from({ length: 25 }, (_, i) => `g:${i}`));
    await t.sender.drain();
    expect(t.channel.sent).toHaveLength(25);
    const start = t.sendTimes[0]!;
    const rel = t.sendTimes.map((x) => x - start);
    for (let i = 1; i < rel.length; i++) expect(rel[i]! - rel[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(rel[20]).toBeGreaterThanOrEqual(60_000);
  });
});

describe("RateLimiter", () => {
  it("spaces a WeChat account's messages and caps them per minute", () => {
    const l = new RateLimiter({ minIntervalMs: 1500, perMinute: 40 });
    let t = 0;
    for (let i = 0; i < 40; i++) {
      t += l.delayFor(`room${i % 3}`, t);
      l.record(`room${i % 3}`, t);
    }
    expect(t).toBe(39 * 1500);
    expect(l.delayFor("room9", t)).toBe(1500);
    // A burst cap: 40 within a minute, the 41st waits for the first to leave the window.
    const burst = new RateLimiter({ perMinute: 40 });
    for (let i = 0; i < 40; i++) burst.record("room", i);
    expect(burst.delayFor("room", 40)).toBe(60_000 - 40);
    expect(burst.delayFor("room", 60_000)).toBe(0);
  });

  it("limits overall messages per second", () => {
    const l = new RateLimiter({ perSecond: 30 });
    for (let i = 0; i < 30; i++) l.record(`c${i}`, 0);
    expect(l.delayFor("c99", 10)).toBe(990);
    expect(l.delayFor("c99", 1000)).toBe(0);
  });
});
