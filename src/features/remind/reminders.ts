/**
 * Work reminders (工作提醒): the rules of the demo flow, as plain functions.
 */
import { fromLocal } from "../../time/shanghai.js";
import type { Tx } from "../../store/db.js";
import { audit } from "../../store/audit.js";
import { createReminder, markReminderSent, type NewReminder } from "./repo.js";

export const REMINDER_CATEGORIES = ["会议", "检查", "报送", "值守", "其他"] as const;
export const DEFAULT_REMINDER_TIME = "09:00";
/** A reminder more than this late (the bot was down) says so. */
export const LATE_AFTER_MS = 10 * 60_000;

/** The instant a reminder is due: its date at its time (default 09:00), Shanghai time. */
export function reminderDueAt(date: string, time: string | undefined): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = (time ?? DEFAULT_REMINDER_TIME).split(":").map(Number) as [number, number];
  return fromLocal(y, m, d, hh, mm);
}

export function isLate(dueAt: Date, now: Date): boolean {
  return now.getTime() - dueAt.getTime() > LATE_AFTER_MS;
}


/** Registers a reminder (audited). Refuses one that is already due. */
export async function addReminder(tx: Tx, r: NewReminder, actor: string, now: Date): Promise<{ ok: true; id: number } | { ok: false; reason: "past" }> {
  if (r.dueAt.getTime() <= now.getTime()) return { ok: false, reason: "past" };
  const row = await createReminder(tx, r, now);
  await audit(tx, { at: now, actor, action: "reminder.create", entity: "reminder", entityId: row.id, after: { ...r, dueAt: r.dueAt.toISOString() } });
  return { ok: true, id: row.id };
}

/** Marks a due reminder sent (audited); false when it was already handled. */
export async function settleReminder(tx: Tx, id: number, now: Date): Promise<boolean> {
  if (!(await markReminderSent(tx, id, now))) return false;
  await audit(tx, { at: now, actor: "system:reminders", action: "reminder.sent", entity: "reminder", entityId: id, before: { status: "pending" }, after: { status: "sent" } });
  return true;
}
