/**
 * What the core needs from the outside, as interfaces. The core never imports
 * Prisma, grammY or Wechaty: the composition root (src/app.ts) plugs in the store
 * and the channels.
 */
import type { InboundMessage, OutboundMessage } from "./messages.js";

export interface Actor {
  /** `channel:senderId` — stable across nickname changes. */
  key: string;
  /** The roster name when bound, else the platform's display name. */
  name: string;
  /** Role names (网格员, 值班员 …); empty for people not on the roster. */
  roles: string[];
  /** Set when the chat account is bound to a person on the roster. */
  personId?: number;
  regionPath?: string;
  active: boolean;
}

export type Denial = "unbound" | "inactive" | "role" | "scope" | "rank" | "self";

/** What an action is done to, as the policy reads it (features/org/policy.ts). Everything is optional; a rule looks only at what it names. */
export interface AccessTarget {
  /** Where the thing is now (a hazard's region, a person's current region, a warning's areas). */
  regions?: readonly string[];
  /** Where it will be after the change (a person's new region, a group's new registration). */
  next?: readonly string[];
  /** People who are party to it (the responsible person, the issuer). */
  parties?: readonly (number | null | undefined)[];
  /** Roles the change adds or removes (or that 停用 and 代为绑定 hand over or take away). */
  roles?: readonly string[];
  /**
   * The person a `notSelf` rule keeps the actor from being: who did the step under
   * review (the rectifier, for 复查), or the person a change is about (停用 oneself).
   */
  self?: number | null;
}

/** The access policy as the core sees it: may this actor do this action (to this target)? */
export type Policy = (actor: Actor, action: string, target?: AccessTarget) => { ok: true } | { ok: false; reason: Denial };

export interface IdentityResolver {
  resolve(msg: Pick<InboundMessage, "channel" | "senderId" | "senderName" | "chatId">): Promise<Actor>;
}

export interface SessionKey {
  channel: string;
  chatId: string;
  senderId: string;
}

export interface SessionRecord extends SessionKey {
  id: number;
  flowId: string;
  state: unknown;
  status: "open" | "expired";
  startedAt: Date;
  expiresAt: Date;
  remindedAt: Date | null;
}

export type { OutboxItem } from "./effects.js";

export interface AuditRecord {
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

/** The persistence the core uses; every method with `tx` runs inside `transaction`. */
export interface CoreStore<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  recordInbound(tx: Tx, m: InboundMessage, now: Date): Promise<boolean>;
  getSession(tx: Tx, k: SessionKey): Promise<SessionRecord | null>;
  saveSession(tx: Tx, k: SessionKey, s: { flowId: string; state: unknown; now: Date; expiresAt: Date; isNew: boolean }): Promise<void>;
  deleteSession(tx: Tx, k: SessionKey): Promise<void>;
  enqueue(tx: Tx, items: import("./effects.js").OutboxItem[], now: Date): Promise<number>;
  /** Queues heavy work for after the commit (core/renders.ts); false when its dedupe key was queued before. */
  enqueueRender(tx: Tx, job: import("./effects.js").RenderJob): Promise<boolean>;
  audit(tx: Tx, e: AuditRecord): Promise<void>;
  sessionsToRemind(now: Date, leadMs: number): Promise<SessionRecord[]>;
  sessionsToExpire(now: Date): Promise<SessionRecord[]>;
  markReminded(tx: Tx, id: number, now: Date): Promise<boolean>;
  markExpired(tx: Tx, id: number, now: Date, expiresAt: Date): Promise<boolean>;
  purgeExpiredSessions(tx: Tx, before: Date): Promise<number>;
}
