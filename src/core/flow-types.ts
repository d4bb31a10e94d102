/**
 * Flows as data: a guided dialog is a declared list of steps. The engine
 * (engine.ts) interprets them; it imports nothing from any chat platform or the
 * store, and its whole state is plain JSON kept in the session row.
 */
import type { Attachment } from "./messages.js";
import type { Actor } from "./ports.js";
import type { Effect } from "./effects.js";
import type { PromptKey, Say } from "../prompts/catalog.js";

import type { Json } from "./json.js";
export type { Json };
export type Answers = Record<string, Json>;

/** What a step sees of an inbound message. */
export interface StepMessage {
  /** Sanitized text as typed (control characters removed, trimmed). */
  text: string;
  /** `text` normalized for matching (NFKC, lower case, inner spaces collapsed). */
  norm: string;
  attachments: Attachment[];
}

/** `also`: answers to later steps said in the same message (`暴雨橙色预警` at the type step is also the level). */
export type ParseResult<T extends Json> = { ok: true; value: T; also?: Answers } | { ok: false; error: Say };

export interface InputContext {
  now: Date;
  answers: Answers;
  /** Renders a prompt (choice labels must match what the person sees). */
  t: (s: Say) => string;
  /** Words the flow looked up for this person before the step reads the message (`FlowDef.vocabulary`). */
  vocab?: Readonly<Record<string, readonly string[]>>;
}

export type InputKindName = "text" | "choice" | "number" | "date" | "photos" | "location" | "confirm" | "file";

export interface StepInput<T extends Json = Json> {
  kind: InputKindName;
  /** Typed as text but with a shape of its own (a hazard number, a mobile): read, not free text. */
  structured?: boolean;
  hint: (ctx: InputContext) => Say;
  /** Options shown with the question (buttons on Telegram, a numbered list on WeChat). */
  choices?: (ctx: InputContext) => string[];
  parse: (msg: StepMessage, ctx: InputContext) => ParseResult<T>;
  /** How the value reads in the summary. */
  format: (value: T, ctx: InputContext) => string;
  /** For photos: multi-message collection bounds. */
  collect?: { min: number; max: number };
  /** How the value is kept in the audit log when it must not be kept verbatim (a mobile number). */
  redact?: (value: T) => Json;
}

export interface StepDef {
  id: string;
  prompt: PromptKey;
  /** How a skipped optional item reads in the summary when skipping means a default (`按默认期限`). */
  whenSkipped?: PromptKey;
  /** Values the question shows that depend on the day (examples of dates still to come). */
  promptParams?: (ctx: InputContext) => Record<string, string | number>;
  /** Short name of the item in the summary and the edit menu. */
  label: PromptKey;
  input: StepInput<any>;
  optional?: boolean;
  /** How this step's answer is kept in the audit log (default: the input's own `redact`, else verbatim). */
  redact?: (value: Json) => Json;
  /** Next step id given the answers so far; `null` ends at the summary. Default: the next declared step. */
  next?: (answers: Answers) => string | null;
}

/** Whatever the flow's completion handler needs from its host (store transaction, actor …). */
export interface CompleteContext<Tx> {
  tx: Tx;
  now: Date;
  /** Where and from whom (the chat account). */
  actor: { channel: string; chatId: string; chatKind: "group" | "private"; senderId: string; senderName: string };
  /** Who, as the roster knows them. */
  person: Actor;
  /** Renders a prompt (for messages to other people). */
  t: (s: Say) => string;
  /** Asks the policy about a target (see CommandContext.access). */
  access: import("./commands.js").Access;
}

export type CompleteResult =
  /** `choices` go with the last reply (e.g. a button to start the next thing). */
  | { ok: true; replies: Say[]; choices?: string[]; effects?: Effect[] }
  /** A rule failed at submit time: re-ask this step with the error. */
  | { ok: false; stepId: string; error: Say };

export interface FlowDef<Tx = unknown> {
  id: string;
  title: PromptKey;
  steps: StepDef[];
  complete: (ctx: CompleteContext<Tx>, answers: Answers) => Promise<CompleteResult>;
  /**
   * Looked up before a step reads a message, so that steps stay pure and still check
   * against the data (the region names a warning may go to): `InputContext.vocab`.
   */
  vocabulary?: (ctx: Pick<CompleteContext<Tx>, "tx" | "person">) => Promise<Record<string, string[]>>;
  /** Refuses to start with this message (e.g. "already bound"); null to go ahead. */
  beforeStart?: (ctx: Pick<CompleteContext<Tx>, "tx" | "now" | "actor" | "person">) => Promise<Say | null>;
  /** Ask for confirmation on a summary before completing (default true). */
  summary?: boolean;
  /**
   * The policy action asked again when the dialog completes (default: the
   * permission of the command that starts it), so a person deactivated or
   * unbound mid-dialog cannot submit.
   */
  permission?: string;
}
