/**
 * Sliding-window rate limits for one channel. `delayFor` says how long to wait
 * before the next message to a chat may go; `record` notes a send. Time is passed
 * in, so the limiter is a plain data structure.
 */
import type { RateLimits } from "../core/channel.js";

export class RateLimiter {
  private sent: number[] = [];
  private perChat = new Map<string, number[]>();

  constructor(private readonly limits: RateLimits) {}

  delayFor(chatId: string, now: number): number {
    const L = this.limits;
    let wait = 0;
    const window = (list: number[], span: number, max: number) => {
      const inWindow = list.filter((t) => t > now - span);
      if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max]! + span - now);
    };
    if (L.perSecond) window(this.sent, 1000, L.perSecond);
    if (L.perMinute) window(this.sent, 60_000, L.perMinute);
    if (L.minIntervalMs && this.sent.length) wait = Math.max(wait, this.sent[this.sent.length - 1]! + L.minIntervalMs - now);
    const chat = this.perChat.get(chatId) ?? [];
    if (L.perChatPerMinute) window(chat, 60_000, L.perChatPerMinute);
    if (L.perChatIntervalMs && chat.length) wait = Math.max(wait, chat[chat.length - 1]! + L.perChatIntervalMs - now);
    return Math.max(0, wait);
  }

  record(chatId: string, now: number): void {
    this.sent.push(now);
    const chat = this.perChat.get(chatId) ?? [];
    chat.push(now);
    this.perChat.set(chatId, chat);
    // Keep a minute of history: the longest window.
    const cutoff = now - 60_000;
    if (this.sent.length > 1000 || this.sent[0]! < cutoff) this.sent = this.sent.filter((t) => t > cutoff);
    if (chat[0]! < cutoff) this.perChat.set(chatId, chat.filter((t) => t > cutoff));
    if (this.perChat.size > 5000) for (const [k, v] of this.perChat) if (v[v.length - 1]! < cutoff) this.perChat.delete(k);
  }
}
