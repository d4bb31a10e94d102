/**
 * The console: the embedded default channel. A trusted local channel — the sender
 * id typed here is taken as is. Two faces: an interactive chat for people
 * (interactive.ts) and the scripted JSON Lines mode for tests and operators
 * (jsonl.ts). Both print what the bot sends through `write`.
 */
import type { ChannelAdapter, RateLimits, SendResult } from "../../core/channel.js";
import type { InboundMessage, OutboundMessage } from "../../core/messages.js";

export const CONSOLE = "console";

/** `@应急助手 …` or `@bot …` at the start addresses the bot in a group. */
export function stripMention(text: string): { text: string; mentionsBot: boolean } {
  const m = /^\s*@(应急助手|bot)\s*/i.exec(text);
  return m ? { text: text.slice(m[0].length), mentionsBot: true } : { text, mentionsBot: false };
}

export class ConsoleChannel implements ChannelAdapter {
  readonly name = CONSOLE;
  private seq = 0;
  onMessage: ((m: InboundMessage) => Promise<unknown>) | null = null;

  constructor(private readonly write: (m: OutboundMessage) => void, readonly limits: RateLimits = {}) {}

  async start(onMessage: (m: InboundMessage) => Promise<unknown>): Promise<void> {
    this.onMessage = onMessage;
  }

  async stop(): Promise<void> {
    this.onMessage = null;
  }

  async send(m: OutboundMessage): Promise<SendResult> {
    // The console has no editable messages (and the JSON Lines contract has no edit field).
    if (m.edit) return { messageId: null };
    this.write(m);
    return { messageId: `console-out-${++this.seq}` };
  }
}
