import type { Db, Tx } from "../../store/db.js";

export interface NewReminder {
  channel: string;
  chatId: string;
  chatKind: string;
  creatorId: string;
  creatorName: string;
  content: string;
  category: string;
  dueAt: Date;
}

export async function createReminder(tx: Tx, r: NewReminder, now: Date) {
  return tx.reminder.create({ data: { ...r, createdAt: now } });
}

export async function dueReminders(db: Db | Tx, now: Date, take = 500) {
  return db.reminder.findMany({ where: { status: "pending", dueAt: { lte: now } }, orderBy: { dueAt: "asc" }, take });
}

/** Marks a reminder sent; false if someone else already did. */
export async function markReminderSent(tx: Tx, id: number, now: Date): Promise<boolean> {
  const r = await tx.reminder.updateMany({ where: { id, status: "pending" }, data: { status: "sent", sentAt: now } });
  return r.count === 1;
}

export async function pendingRemindersOf(db: Db | Tx, channel: string, chatId: string, creatorId: string) {
  return db.reminder.findMany({ where: { channel, chatId, creatorId, status: "pending" }, orderBy: { dueAt: "asc" }, take: 20 });
}

export async function nextReminderDue(db: Db | Tx): Promise<Date | null> {
  const r = await db.reminder.findFirst({ where: { status: "pending" }, orderBy: { dueAt: "asc" }, select: { dueAt: true } });
  return r?.dueAt ?? null;
}
