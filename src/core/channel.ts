/**
 * The adapter contract every chat source implements (console, Telegram, WeChat):
 * start receiving, send one message, stop. Like hubot's adapters and Wechaty's
 * puppets, an adapter knows its platform and nothing of the bot's logic.
 */
import type { InboundMessage, OutboundMessage } from "./messages.js";

export interface RateLimits {
  /** Messages per second over the whole channel. */
  perSecond?: number;
  /** Messages per minute over the whole channel (WeChat personal accounts). */
  perMinute?: number;
  /** Minimum gap between any two messages of the channel, in ms (WeChat pacing). */
  minIntervalMs?: number;
  /** Minimum gap between two messages to one chat, in ms. */
  perChatIntervalMs?: number;
  /** Messages per minute to one chat (Telegram groups: 20). */
  perChatPerMinute?: number;
  /** Random extra delay up to this many ms before each send (looks less like a bot burst). */
  jitterMs?: number;
}

export interface SendResult {
  /** The platform's id of the sent message, when it has one. */
  messageId: string | null;
}

/** A failed send. `transient` failures are retried (429, network); others are final. */
export class SendError extends Error {
  constructor(message: string, public readonly transient: boolean, public readonly retryAfterMs?: number) {
    super(message);
    this.name = "SendError";
  }
}

export interface ChannelAdapter {
  readonly name: string;
  readonly limits: RateLimits;
  start(onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void>;
  send(m: OutboundMessage): Promise<SendResult>;
  stop(): Promise<void>;
}
