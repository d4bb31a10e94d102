import { Prisma } from "../generated/prisma/client.js";
import type { Db, Tx } from "./db.js";

export interface OutboxPayload {
  replyTo?: string;
  mention?: { id: string; name: string };
  text: string;
  choices: string[];
  image?: string;
  file?: string;
}

export interface OutboxRow {
  id: number;
  channel: string;
  chatId: string;
  payload: OutboxPayload;
  attempts: number;
}

export interface EnqueueInput {
  channel: string;
  chatId: string;
  payload: OutboxPayload;
  /** Idempotency key: enqueueing the same key twice stores one message. */
  dedupeKey?: string;
}

/** Stores outgoing messages; call inside the transaction that caused them. Returns how many were new. */
export async function enqueue(tx: Tx, items: EnqueueInput[], now: Date): Promise<number> {
  const fresh: Prisma.OutboxMessageCreateManyInput[] = [];
  const keys = new Set<string>();
  for (const it of items) {
    if (it.dedupeKey) {
      if (keys.has(it.dedupeKey)) continue;
      keys.add(it.dedupeKey);
    }
    // SQLite runs one write transaction at a time, so "look, then insert" cannot race.
    if (it.dedupeKey && (await tx.outboxMessage.findUnique({ where: { dedupeKey: it.dedupeKey }, select: { id: true } }))) continue;
    fresh.push({ channel: it.channel, chatId: it.chatId, payload: JSON.stringify(it.payload), dedupeKey: it.dedupeKey ?? null, nextAttemptAt: now, createdAt: now });
  }
  if (fresh.length) await tx.outboxMessage.createMany({ data: fresh });
  return fresh.length;
}

/**
 * Claims up to `limit` due messages of a channel, oldest first, marking them
 * `sending`. Only this process drains a channel, so a claim is a plain update.
 */
export async function claimDue(db: Db, channel: string, now: Date, limit: number): Promise<OutboxRow[]> {
  return db.$transaction(async (tx) => {
    const rows = await tx.outboxMessage.findMany({
      where: { channel, status: "pending", nextAttemptAt: { lte: now } },
      orderBy: { id: "asc" },
      take: limit,
    });
    if (rows.length === 0) return [];
    await tx.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { status: "sending" } });
    return rows.map((r) => ({ id: r.id, channel: r.channel, chatId: r.chatId, payload: JSON.parse(r.payload) as OutboxPayload, attempts: r.attempts }));
  });
}

// Writes outside a transaction would run on the adapter's single connection inside
// whatever transaction is open at that moment; each write takes its own turn instead.

export async function markSent(db: Db, id: number, now: Date, platformMessageId: string | null): Promise<void> {
  await db.$transaction((tx) => tx.outboxMessage.update({ where: { id }, data: { status: "sent", sentAt: now, platformMessageId, attempts: { increment: 1 }, lastError: null } }));
}

export async function markRetry(db: Db, id: number, nextAttemptAt: Date, error: string): Promise<void> {
  await db.$transaction((tx) => tx.outboxMessage.update({ where: { id }, data: { status: "pending", nextAttemptAt, lastError: error.slice(0, 500), attempts: { increment: 1 } } }));
}

export async function markFailed(db: Db, id: number, error: string): Promise<void> {
  await db.$transaction((tx) => tx.outboxMessage.update({ where: { id }, data: { status: "failed", lastError: error.slice(0, 500), attempts: { increment: 1 } } }));
}

/**
 * After a crash, messages left `sending` may or may not have reached the platform.
 * They go back to `pending`: at-least-once for that small window, never a resend of
 * anything marked `sent`. Returns how many were recovered.
 */
export async function recoverInFlight(db: Db, channel: string): Promise<number> {
  const r = await db.$transaction((tx) => tx.outboxMessage.updateMany({ where: { channel, status: "sending" }, data: { status: "pending" } }));
  return r.count;
}

export async function nextDueAt(db: Db, channel: string): Promise<Date | null> {
  const r = await db.outboxMessage.findFirst({ where: { channel, status: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
  return r?.nextAttemptAt ?? null;
}

export async function countByStatus(db: Db, channel?: string): Promise<Record<string, number>> {
  const rows = await db.outboxMessage.groupBy({ by: ["status"], where: channel ? { channel } : {}, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

export { Prisma };

/** Gives a claimed message back untried, to go no earlier than `notBefore`. */
export async function releaseClaim(db: Db, id: number, notBefore: Date): Promise<void> {
  await db.$transaction((tx) => tx.outboxMessage.update({ where: { id }, data: { status: "pending", nextAttemptAt: notBefore } }));
}
