/**
 * A real app (store on a SQLite file, core, outbox, scheduler) on an in-process
 * channel with a fixed clock: tests talk to it as people in chats would.
 */
import { createApp, type App } from "../../src/app.js";
import { MemoryChannel } from "../../src/channels/memory.js";
import type { ChannelAdapter } from "../../src/core/channel.js";
import { FixedClock } from "../../src/core/clock.js";
import type { InboundMessage, OutboundMessage } from "../../src/core/messages.js";
import { loadEnv } from "../../src/config/env.js";
import type { JobDef } from "../../src/scheduler/scheduler.js";
import type { BotConfig } from "../../src/config/bot-config.js";
import type { CommandDef } from "../../src/core/commands.js";
import type { FlowDef } from "../../src/core/flow-types.js";
import type { Tx } from "../../src/store/db.js";
import { tmpDbUrl, tryBaseDbUrl } from "./tmp.js";
import { DEMO_SEED_NOW, seedTestDemo } from "../setup/base-db.js";
import { bindIdentity, personByMobile } from "../../src/features/org/repo.js";

export const silentLog = { info() {}, warn() {}, error() {} };

let msgSeq = 0;

export interface TestBot {
  app: App;
  channel: MemoryChannel;
  clock: FixedClock;
  url: string;
  /** Sends a message and returns what the bot sent in response (after draining the outbox). */
  send(from: string, text: string, o?: Partial<InboundMessage> & { group?: boolean; chat?: string }): Promise<OutboundMessage[]>;
  /** Delivers exactly this message (e.g. to redeliver one). */
  deliver(m: InboundMessage): Promise<OutboundMessage[]>;
  /** Moves the clock, fires due jobs, drains, returns what was sent. */
  advance(ms: number): Promise<OutboundMessage[]>;
  stop(): Promise<void>;
}

export function inbound(from: string, text: string, o: Partial<InboundMessage> & { group?: boolean; chat?: string } = {}, at = new Date()): InboundMessage {
  const { group, chat, ...rest } = o;
  return {
    channel: "memory", chatId: chat ?? (group ? "group-1" : `dm-${from}`), chatKind: group ? "group" : "private",
    senderId: from, senderName: `用户${from}`, messageId: `m-${process.pid}-${++msgSeq}`, text, attachments: [],
    mentionsBot: false, replyToBot: false, receivedAt: at, ...rest,
  };
}

export interface StartOptions {
  url?: string;
  now?: Date;
  env?: Record<string, string>;
  jobs?: JobDef[];
  config?: BotConfig;
  channel?: MemoryChannel;
  /** More channels (Telegram, WeChat) beside the memory one. */
  channels?: ChannelAdapter[];
  /** Run on the real clock and start the sender loops (end-to-end channel tests). */
  live?: boolean;
  log?: import("../../src/core/bot.js").Logger;
  channelStartTimeoutMs?: number;
  flows?: FlowDef<Tx>[];
  /** Wraps each after-commit renderer (to hold one mid-way in an ordering test). */
  wrapRenderer?: NonNullable<Parameters<typeof createApp>[0]["wrapRenderer"]>;
  commands?: CommandDef<Tx>[];
  /** Chat accounts (memory channel) bound to demo roster mobiles; default: u1, u2, a, b. */
  bind?: Record<string, string>;
  /**
   * Seed the demo bureau (default true). Without `url`, the bot starts on a copy of
   * the run's base database (tests/setup): already seeded when the clock starts at
   * DEMO_SEED_NOW, else migrated only and seeded here at the clock's time.
   */
  demo?: boolean;
}

/** Test accounts → demo people: u1 杨波 and a 黄丽 (泡里村 grid members), u2 周强, b 郑伟. */
export const DEFAULT_BINDINGS: Record<string, string> = { u1: "13800000007", u2: "13800000009", a: "13800000008", b: "13800000011" };

export async function startBot(o: StartOptions = {}): Promise<TestBot> {
  const clock = o.live ? new LiveClock() : new FixedClock(o.now ?? new Date(DEMO_SEED_NOW));
  const demo = o.demo ?? true;
  // The seeded base was seeded at DEMO_SEED_NOW: a bot starting at another time seeds
  // itself (timestamps in the roster and audit log follow the clock), on a migrated copy.
  let seed = demo;
  let url = o.url;
  if (url === undefined && o.env?.DATABASE_URL === undefined) {
    const seeded = demo && !o.live && clock.now().getTime() === DEMO_SEED_NOW.getTime() ? tryBaseDbUrl("demo") : null;
    if (seeded) seed = false;
    url = seeded ?? tryBaseDbUrl("empty") ?? tmpDbUrl();
  }
  url ??= tmpDbUrl();
  const channel = o.channel ?? new MemoryChannel("memory");
  const env = loadEnv({ DATABASE_URL: url, ...o.env });
  const app = await createApp({
    ...(o.channelStartTimeoutMs ? { channelStartTimeoutMs: o.channelStartTimeoutMs } : {}),
    env, clock, log: o.log ?? silentLog, channels: [channel, ...(o.channels ?? [])], jobs: o.jobs ?? [], flows: o.flows ?? [], commands: o.commands ?? [], ...(o.config ? { config: o.config } : {}),
    ...(o.wrapRenderer ? { wrapRenderer: o.wrapRenderer } : {}),
    ...(o.live ? {} : { senderSleep: async (ms: number) => clock.advance(ms) }),
  });
  if (seed) await seedTestDemo(app.store.db, clock.now());
  for (const [account, mobile] of Object.entries(o.bind ?? DEFAULT_BINDINGS)) {
    const p = await personByMobile(app.store.db, mobile);
    if (!p) throw new Error(`no demo person ${mobile}`);
    await app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "memory", platformUserId: account, personId: p.id, by: "test", actor: "test" }, clock.now()));
  }
  await app.start({ senders: o.live ?? false });
  const collect = async (fn: () => Promise<unknown>) => {
    const before = channel.sent.length;
    await fn();
    await app.drain();
    return channel.sent.slice(before);
  };
  return {
    app, channel, clock, url,
    send: (from, text, m = {}) => collect(() => channel.receive(inbound(from, text, m, clock.now()))),
    deliver: (m) => collect(() => channel.receive(m)),
    advance: (ms) => collect(() => app.scheduler.advanceTo(new Date(clock.now().getTime() + ms))),
    stop: () => app.stop(),
  };
}

/** Real time that tests can still push forward (FixedClock's interface). */
class LiveClock extends FixedClock {
  private offset = 0;
  constructor() {
    super(new Date());
  }
  override now(): Date {
    return new Date(Date.now() + this.offset);
  }
  override set(t: Date): void {
    this.offset = t.getTime() - Date.now();
  }
  override advance(ms: number): void {
    this.offset += ms;
  }
}

/** Polls until `check` holds (end-to-end tests wait on real I/O). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function texts(ms: OutboundMessage[]): string[] {
  return ms.map((m) => m.text);
}
