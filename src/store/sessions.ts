import type { Db, Tx } from "./db.js";

export interface SessionKey {
  channel: string;
  chatId: string;
  senderId: string;
}

export interface SessionRow extends SessionKey {
  id: number;
  flowId: string;
  state: unknown;
  status: "open" | "expired";
  startedAt: Date;
  expiresAt: Date;
  remindedAt: Date | null;
}

function toRow(r: { id: number; channel: string; chatId: string; senderId: string; flowId: string; state: string; status: string; startedAt: Date; expiresAt: Date; remindedAt: Date | null }): SessionRow {
  return { ...r, state: JSON.parse(r.state), status: r.status === "expired" ? "expired" : "open" };
}

export async function getSession(tx: Tx | Db, k: SessionKey): Promise<SessionRow | null> {
  const r = await tx.flowSession.findUnique({ where: { channel_chatId_senderId: k } });
  return r ? toRow(r) : null;
}

/** Writes the session; a new flow (or a restarted one) resets start time and reminder. */
export async function saveSession(
  tx: Tx,
  k: SessionKey,
  s: { flowId: string; state: unknown; now: Date; expiresAt: Date; isNew: boolean },
): Promise<void> {
  const state = JSON.stringify(s.state);
  const fresh = { flowId: s.flowId, state, status: "open", updatedAt: s.now, expiresAt: s.expiresAt, remindedAt: null };
  await tx.flowSession.upsert({
    where: { channel_chatId_senderId: k },
    create: { ...k, ...fresh, startedAt: s.now },
    update: s.isNew ? { ...fresh, startedAt: s.now } : fresh,
  });
}

export async function deleteSession(tx: Tx, k: SessionKey): Promise<void> {
  await tx.flowSession.deleteMany({ where: k });
}

/** Open sessions whose reminder is due (expiry within `leadMs`) and not yet sent. */
export async function sessionsToRemind(db: Db | Tx, now: Date, leadMs: number): Promise<SessionRow[]> {
  const rows = await db.flowSession.findMany({
    where: { status: "open", remindedAt: null, expiresAt: { lte: new Date(now.getTime() + leadMs), gt: now } },
    orderBy: { expiresAt: "asc" },
    take: 500,
  });
  return rows.map(toRow);
}

export async function sessionsToExpire(db: Db | Tx, now: Date): Promise<SessionRow[]> {
  const rows = await db.flowSession.findMany({ where: { status: "open", expiresAt: { lte: now } }, orderBy: { expiresAt: "asc" }, take: 500 });
  return rows.map(toRow);
}

export async function markReminded(tx: Tx, id: number, now: Date): Promise<boolean> {
  const r = await tx.flowSession.updateMany({ where: { id, status: "open", remindedAt: null }, data: { remindedAt: now } });
  return r.count === 1;
}

export async function markExpired(tx: Tx, id: number, now: Date, expiresAt: Date): Promise<boolean> {
  const r = await tx.flowSession.updateMany({ where: { id, status: "open", expiresAt }, data: { status: "expired", updatedAt: now } });
  return r.count === 1;
}

/** Expired sessions are kept a while so a late reply gets "that dialog timed out". */
export async function purgeExpiredSessions(tx: Tx, before: Date): Promise<number> {
  const r = await tx.flowSession.deleteMany({ where: { status: "expired", updatedAt: { lt: before } } });
  return r.count;
}

/** The earliest moment the sweep has anything to do: a reminder or an expiry. */
export async function nextSessionDeadline(db: Db | Tx, leadMs: number): Promise<Date | null> {
  const [remind, expire] = await Promise.all([
    db.flowSession.findFirst({ where: { status: "open", remindedAt: null }, orderBy: { expiresAt: "asc" }, select: { expiresAt: true } }),
    db.flowSession.findFirst({ where: { status: "open" }, orderBy: { expiresAt: "asc" }, select: { expiresAt: true } }),
  ]);
  const times = [remind && remind.expiresAt.getTime() - leadMs, expire?.expiresAt.getTime()].filter((x): x is number => typeof x === "number");
  return times.length ? new Date(Math.min(...times)) : null;
}
