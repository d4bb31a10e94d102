/**
 * An in-process channel: tests and the benchmark push messages in and read what
 * the bot sent. It can be told to fail the next sends, to exercise the outbox.
 */
import { SendError, type ChannelAdapter, type RateLimits, type SendResult } from "../core/channel.js";
import type { InboundMessage, OutboundMessage } from "../core/messages.js";

export class MemoryChannel implements ChannelAdapter {
  readonly sent: OutboundMessage[] = [];
  private onMessage: ((m: InboundMessage) => Promise<unknown>) | null = null;
  private failures: SendError[] = [];
  private seq = 0;

  constructor(readonly name = "memory", readonly limits: RateLimits = {}) {}

  async start(onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void> {
    this.onMessage = onMessage;
  }

  async stop(): Promise<void> {
    this.onMessage = null;
  }

  /** The next `errors.length` sends fail with these errors, in order. */
  failNext(...errors: SendError[]): void {
    this.failures.push(...errors);
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    const e = this.failures.shift();
    if (e) throw e;
    this.sent.push(m);
    return { messageId: `${this.name}-out-${++this.seq}` };
  }

  /** Delivers a message as the platform would. */
  async receive(m: InboundMessage): Promise<unknown> {
    if (!this.onMessage) throw new Error(`channel ${this.name} is not started`);
    return this.onMessage(m);
  }
}
