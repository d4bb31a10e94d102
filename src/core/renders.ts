/**
 * Renders after the commit. A handler or a job asks for a chart, a workbook or a
 * ledger as an effect; the core writes the request in the same transaction as
 * everything else, and this runner does it afterwards — one at a time, on the
 * store's read connection — then writes the finished message to the outbox in a
 * short transaction of its own. A crash mid-render leaves the row `running`;
 * `recover()` at start-up runs it again. Nothing heavy ever holds the write lock.
 */
import type { Logger } from "./bot.js";
import type { Clock } from "./clock.js";
import type { Json } from "./flow-types.js";
import type { OutboxItem } from "./ports.js";
import type { Renderer } from "./effects.js";
import { say, type Say } from "../prompts/catalog.js";

export interface ClaimedRender {
  id: number;
  kind: string;
  params: unknown;
  target: unknown;
  at: Date;
  attempts: number;
}

/** The render queue as the runner uses it (store/renders.ts over Prisma). */
export interface RenderStore<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  enqueue(tx: Tx, items: OutboxItem[], now: Date): Promise<number>;
  claimRender(now: Date): Promise<ClaimedRender | null>;
  finishRender(tx: Tx, id: number, now: Date): Promise<void>;
  failRender(tx: Tx, id: number, now: Date, error: string, final: boolean): Promise<void>;
  requeueRunning(): Promise<number>;
}

export interface RenderRunnerOptions<Tx> {
  store: RenderStore<Tx>;
  renderers: ReadonlyMap<string, Renderer>;
  prompts: { render(s: Say): string };
  clock: Clock;
  log: Logger;
  /** Told after a finished render's message is committed. */
  onEnqueued?: (channels: Set<string>) => void;
  /** Tries before a render is given up and the person told (default 3). */
  maxAttempts?: number;
}

export class RenderRunner<Tx> {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly o: RenderRunnerOptions<Tx>) {}

  /** After a commit that queued renders: start working unless already at it. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((err) => this.o.log.error({ err }, "render queue: loop failed"))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when nothing is rendering (tests, the console, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** At start-up: what a crash left running is queued again, and the queue is worked. */
  async recover(): Promise<number> {
    const n = await this.o.store.requeueRunning();
    if (n) this.o.log.warn({ renders: n }, "render queue: renders interrupted by a restart run again");
    this.kick();
    return n;
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.again = false;
      const job = await this.o.store.claimRender(this.o.clock.now());
      if (!job) return;
      await this.runOne(job);
    }
  }

  private async runOne(job: ClaimedRender): Promise<void> {
    const { store, prompts } = this.o;
    const target = job.target as OutboxItem;
    const renderer = this.o.renderers.get(job.kind);
    try {
      if (!renderer) throw new Error(`no renderer for ${job.kind}`);
      const out = await renderer(job.params as Json, job.at);
      const now = this.o.clock.now();
      const text = out.says.map((s) => prompts.render(s)).join("\n");
      const item: OutboxItem = { ...target, payload: { ...target.payload, text, ...(out.file ? { file: out.file } : {}), ...(out.image ? { image: out.image } : {}) } };
      await store.transaction(async (tx) => {
        await store.enqueue(tx, [item], now);
        await store.finishRender(tx, job.id, now);
      });
      this.o.onEnqueued?.(new Set([target.channel]));
    } catch (err) {
      const final = !renderer || job.attempts >= (this.o.maxAttempts ?? 3);
      this.o.log.error({ err, render: job.id, kind: job.kind, attempt: job.attempts, final }, "render failed");
      const now = this.o.clock.now();
      await store.transaction(async (tx) => {
        await store.failRender(tx, job.id, now, String((err as Error)?.stack ?? err), final);
        // Given up: the person who asked is told in Chinese, not left waiting.
        if (final) await store.enqueue(tx, [{ ...target, payload: { ...target.payload, text: prompts.render(say("core.error")) } }], now);
      });
      if (final) this.o.onEnqueued?.(new Set([target.channel]));
    }
  }
}
