/**
 * What handlers and jobs hand back to the core instead of doing it: messages to
 * send, and heavy work to do after the commit. The core writes both in the
 * transaction of the state change that caused them.
 */
import type { Json } from "./json.js";
import type { OutboundMessage } from "./messages.js";
import type { Say } from "../prompts/catalog.js";

/** A message to a chat, queued in the outbox in the transaction that caused it. */
export interface OutboxItem {
  channel: string;
  chatId: string;
  /** The message minus its address. */
  payload: Omit<OutboundMessage, "channel" | "chatId">;
  dedupeKey?: string;
}

/**
 * "Render this" (a chart, a workbook, a ledger): a row in the render queue, done by
 * a renderer after the commit on a read connection, its result sent where `target` says.
 */
export interface RenderRequest {
  /** The renderer's name (registered by its feature). */
  kind: string;
  /** Values only (a region path, a period's text, a kind) — never display text. */
  params: Json;
  /** A scheduled fan-out replayed renders once. */
  dedupeKey?: string;
}

/** A render request with its address: the outbox item its result becomes (text and files filled in when done). */
export interface RenderJob extends RenderRequest {
  target: OutboxItem;
  at: Date;
}

/** What a renderer produces: the message's sentences and its attachments. */
export interface Rendered {
  says: Say[];
  file?: string;
  image?: string;
}

/** A renderer reads committed data only (its own connection) and may take seconds. */
export type Renderer = (params: Json, at: Date) => Promise<Rendered>;

export type Effect =
  | { notify: OutboxItem[] }
  | { render: RenderJob };
