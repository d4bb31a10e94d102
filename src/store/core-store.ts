/**
 * The core's persistence port (core/ports.ts CoreStore) over Prisma. The core
 * itself never imports Prisma; the composition root hands it this object.
 */
import type { Db, Tx } from "./db.js";
import { audit } from "./audit.js";
import { recordInbound } from "./inbound.js";
import { enqueue } from "./outbox.js";
import * as sessions from "./sessions.js";
import * as renders from "./renders.js";
import type { RenderJob } from "../core/effects.js";

export function prismaCoreStore(db: Db) {
  return {
    transaction: <T>(fn: (tx: Tx) => Promise<T>) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
    recordInbound: (tx: Tx, m: { channel: string; messageId: string; chatId: string; chatKind: string; senderId: string; senderName: string; text: string; attachments: unknown[]; receivedAt: Date }, now: Date) =>
      recordInbound(tx, { channel: m.channel, platformMessageId: m.messageId, chatId: m.chatId, chatKind: m.chatKind, senderId: m.senderId, senderName: m.senderName, text: m.text, attachments: m.attachments, receivedAt: m.receivedAt }, now),
    getSession: sessions.getSession,
    saveSession: sessions.saveSession,
    deleteSession: sessions.deleteSession,
    enqueue,
    enqueueRender: (tx: Tx, j: RenderJob) => renders.enqueueRender(tx, { kind: j.kind, params: j.params, target: j.target, at: j.at, ...(j.dedupeKey ? { dedupeKey: j.dedupeKey } : {}) }),
    audit,
    sessionsToRemind: (now: Date, leadMs: number) => sessions.sessionsToRemind(db, now, leadMs),
    sessionsToExpire: (now: Date) => sessions.sessionsToExpire(db, now),
    markReminded: sessions.markReminded,
    markExpired: sessions.markExpired,
    purgeExpiredSessions: sessions.purgeExpiredSessions,
  };
}

/** The render queue's port (core/renders.ts) over Prisma. */
export function prismaRenderStore(db: Db) {
  return {
    transaction: <T>(fn: (tx: Tx) => Promise<T>) => db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 }),
    enqueue,
    claimRender: (now: Date) => renders.claimRender(db, now),
    finishRender: renders.finishRender,
    failRender: renders.failRender,
    requeueRunning: () => renders.requeueRunning(db),
  };
}
