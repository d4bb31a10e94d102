/**
 * Scripted console (`npm start -- --jsonl`): a stable contract that tests and
 * operators script against.
 *   stdin:  {"chat","group","from","name"?,"text"?,"photo"?,"file"?,"location"?,"at"?} per line
 *           (`photo` and `file` are paths on this machine; `file` is a document, e.g. a roster .xlsx)
 *   stdout: {"chat","to","text","choices","image"?,"file"?} per outbound message
 * `at` moves the clock forward first (jobs due in between fire in order); a line
 * with only `at` just advances the clock. Before the first message an `at` may also
 * go back in time, so a script replays the same way on any day. At end of input the
 * outbox is drained.
 */
import crypto from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { z } from "zod";
import type { Attachment, InboundMessage, OutboundMessage } from "../../core/messages.js";
import { CONSOLE, stripMention } from "./console-channel.js";

export const JsonlLine = z.object({
  chat: z.string().min(1).max(200),
  group: z.boolean(),
  from: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  text: z.string().optional(),
  photo: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  location: z.object({ lat: z.number(), lng: z.number(), label: z.string().optional() }).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
const ClockOnly = z.object({ at: z.iso.datetime({ offset: true }) }).strict();

export type JsonlInput = z.infer<typeof JsonlLine>;

export function toJsonlOutput(m: OutboundMessage): string {
  const o: Record<string, unknown> = { chat: m.chatId, to: m.mention?.id ?? null, text: m.text, choices: m.choices };
  if (m.image) o.image = m.image;
  if (m.file) o.file = m.file;
  return JSON.stringify(o);
}

export function toInbound(l: JsonlInput, receivedAt: Date): InboundMessage {
  const attachments: Attachment[] = [];
  if (l.photo) attachments.push({ kind: "photo", path: path.resolve(l.photo) });
  if (l.file) attachments.push({ kind: "file", path: path.resolve(l.file), name: path.basename(l.file) });
  if (l.location) attachments.push({ kind: "location", lat: l.location.lat, lng: l.location.lng, ...(l.location.label ? { label: l.location.label } : {}) });
  const { text, mentionsBot } = stripMention(l.text ?? "");
  return {
    channel: CONSOLE, chatId: l.chat, chatKind: l.group ? "group" : "private", senderId: l.from, senderName: l.name ?? l.from,
    messageId: crypto.randomUUID(), text, attachments, mentionsBot, replyToBot: false, receivedAt,
  };
}

export interface JsonlDeps {
  input: NodeJS.ReadableStream;
  log: { warn(o: object, m?: string): void };
  /** Moves the clock (firing due jobs) to `t`; false if `t` is in the past. */
  advanceTo(t: Date): Promise<boolean>;
  /** Fires jobs due up to now (real time between lines). */
  tick(): Promise<void>;
  now(): Date;
  handle(m: InboundMessage): Promise<unknown>;
  /** Sends everything the console has in the outbox. */
  drain(): Promise<unknown>;
}

export async function runJsonl(d: JsonlDeps): Promise<void> {
  const rl = readline.createInterface({ input: d.input, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (raw.trim() === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      d.log.warn({ line: n }, "jsonl: not JSON, line skipped");
      continue;
    }
    const clockOnly = ClockOnly.safeParse(obj);
    const line = clockOnly.success ? null : JsonlLine.safeParse(obj);
    if (line && !line.success) {
      d.log.warn({ line: n, issue: `${line.error.issues[0]?.path.join(".")}: ${line.error.issues[0]?.message}` }, "jsonl: invalid line skipped");
      continue;
    }
    const at = clockOnly.success ? clockOnly.data.at : line!.data!.at;
    if (at) {
      if (!(await d.advanceTo(new Date(at)))) d.log.warn({ line: n, at }, "jsonl: clock cannot go back; time kept");
    } else await d.tick();
    await d.drain();
    if (line?.success) {
      const l = line.data;
      if (l.text === undefined && !l.photo && !l.file && !l.location) continue;
      await d.handle(toInbound(l, d.now()));
      await d.drain();
    }
  }
  await d.drain();
}
