/**
 * Drains one channel's outbox: oldest first, under the channel's rate limits,
 * retrying transient failures with exponential backoff (or the platform's
 * retry-after, whichever is longer), and recording each message sent or failed.
 * Rows marked sent are never sent again; rows caught mid-send by a crash are
 * retried once the sender starts (see docs/decisions/003-outbox.md).
 */
import { SendError, type ChannelAdapter } from "../core/channel.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/bot.js";
import type { OutboundMessage } from "../core/messages.js";
import type { Db } from "../store/db.js";
import { claimDue, markFailed, markRetry, markSent, nextDueAt, recoverInFlight, releaseClaim } from "../store/outbox.js";
import { RateLimiter } from "./rate-limiter.js";

export interface SenderOptions {
  db: Db;
  channel: ChannelAdapter;
  clock: Clock;
  log: Logger;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
  /** Waits; injected so tests can move a fake clock instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class OutboxSender {
  private readonly limiter: RateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private running = false;
  private wake: (() => void) | null = null;
  /** Set by notify(); checked before sleeping so a wake-up during a drain is not lost. */
  private dirty = false;
  private loop: Promise<void> | null = null;
  private draining: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SenderOptions) {
    this.limiter = new RateLimiter(o.channel.limits);
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get channelName(): string {
    return this.o.channel.name;
  }

  /** Puts back messages a crash left mid-send. Call once before draining. */
  async recover(): Promise<number> {
    const n = await recoverInFlight(this.o.db, this.o.channel.name);
    if (n) this.o.log.warn({ channel: this.o.channel.name, count: n }, "outbox: messages left mid-send by the last run will be sent again");
    return n;
  }

  /** Starts the background loop; `notify()` wakes it when new rows are written. */
  async start(): Promise<void> {
    await this.recover();
    this.running = true;
    this.loop = this.run();
  }

  notify(): void {
    this.dirty = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    if (this.timer) clearTimeout(this.timer);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.dirty = false;
      try {
        await this.drain();
      } catch (err) {
        this.o.log.error({ err, channel: this.o.channel.name }, "outbox: drain failed");
      }
      if (!this.running) break;
      if (this.dirty) continue;
      // Sleep until woken or until the next retry is due (at most a minute).
      const next = await nextDueAt(this.o.db, this.o.channel.name).catch(() => null);
      const waitMs = next ? Math.min(60_000, Math.max(50, next.getTime() - this.o.clock.now().getTime())) : 60_000;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, waitMs);
        if (this.dirty) resolve();
      });
      if (this.timer) clearTimeout(this.timer);
      this.wake = null;
    }
  }

  /** Sends everything due now; returns how many were sent. Concurrent calls share one drain. */
  drain(): Promise<number> {
    if (!this.draining) {
      this.draining = this.drainNow().finally(() => {
        this.draining = null;
      });
    }
    return this.draining;
  }

  private async drainNow(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await claimDue(this.o.db, this.o.channel.name, this.o.clock.now(), this.o.batchSize ?? 50);
      if (batch.length === 0) return sent;
      const blocked = new Map<string, Date>();
      for (const row of batch) {
        const until = blocked.get(row.chatId);
        if (until) {
          // Keep per-chat order: a chat waiting on a retry sends nothing newer first.
          await releaseClaim(this.o.db, row.id, until);
          continue;
        }
        const wait = this.limiter.delayFor(row.chatId, this.o.clock.now().getTime()) + Math.floor((this.o.random ?? Math.random)() * (this.o.channel.limits.jitterMs ?? 0));
        if (wait > 0) await this.sleep(wait);
        const msg: OutboundMessage = { channel: row.channel, chatId: row.chatId, ...row.payload };
        try {
          this.limiter.record(row.chatId, this.o.clock.now().getTime());
          const r = await this.o.channel.send(msg);
          await markSent(this.o.db, row.id, this.o.clock.now(), r.messageId);
          sent++;
        } catch (err) {
          const e = err instanceof SendError ? err : new SendError(String((err as Error)?.message ?? err), true);
          const attempts = row.attempts + 1;
          if (!e.transient || attempts >= (this.o.maxAttempts ?? 8)) {
            await markFailed(this.o.db, row.id, e.message);
            this.o.log.warn({ channel: row.channel, chat: row.chatId, id: row.id, attempts, reason: e.message }, "outbox: message failed for good");
          } else {
            const backoff = Math.min(this.o.maxBackoffMs ?? 300_000, (this.o.baseBackoffMs ?? 1000) * 2 ** (attempts - 1));
            const delay = Math.max(backoff, e.retryAfterMs ?? 0);
            const at = new Date(this.o.clock.now().getTime() + delay);
            await markRetry(this.o.db, row.id, at, e.message);
            blocked.set(row.chatId, at);
            this.o.log.info({ channel: row.channel, chat: row.chatId, id: row.id, attempts, retryInMs: delay, reason: e.message }, "outbox: will retry");
          }
        }
      }
    }
  }
}
