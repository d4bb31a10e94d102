import type { Db, Tx } from "../../store/db.js";
import { audit } from "../../store/audit.js";

/** Records a person's report for the day (a late one turns a recorded miss into a late report). */
export async function saveReport(tx: Tx, r: { routine: string; date: string; personId: number; regionPath: string; data: unknown; late: boolean; actor: string }, now: Date): Promise<"new" | "updated"> {
  const key = { routine: r.routine, date: r.date, personId: r.personId };
  const before = await tx.routineReport.findUnique({ where: { routine_date_personId: key } });
  const data = { status: "reported", regionPath: r.regionPath, reportedAt: now, data: JSON.stringify(r.data), late: r.late };
  await tx.routineReport.upsert({ where: { routine_date_personId: key }, create: { ...key, ...data }, update: data });
  await audit(tx, { at: now, actor: r.actor, action: `routine.${r.routine}.report`, entity: "routine", entityId: `${r.routine}:${r.date}:${r.personId}`, before: before ? { status: before.status } : null, after: r.data });
  return before ? "updated" : "new";
}

export async function reportsOn(db: Db | Tx, routine: string, date: string) {
  return db.routineReport.findMany({ where: { routine, date }, orderBy: { id: "asc" } });
}

/** Records a miss for each person who did not report (idempotent). */
export async function recordMisses(tx: Tx, routine: string, date: string, people: { id: number; regionPath: string }[]): Promise<number> {
  let n = 0;
  for (const p of people) {
    const key = { routine, date, personId: p.id };
    if (await tx.routineReport.findUnique({ where: { routine_date_personId: key } })) continue;
    await tx.routineReport.create({ data: { ...key, regionPath: p.regionPath, status: "missed" } });
    n++;
  }
  return n;
}

/** Claims a phase of a window; false when it already happened. */
export async function claimPhase(tx: Tx, routine: string, date: string, window: string, phase: string, now: Date): Promise<boolean> {
  const key = { routine, date, window, phase };
  if (await tx.routinePhase.findUnique({ where: { routine_date_window_phase: key } })) return false;
  await tx.routinePhase.create({ data: { ...key, at: now } });
  return true;
}

export async function phasesDone(db: Db | Tx, routine: string, dates: string[]) {
  return db.routinePhase.findMany({ where: { routine, date: { in: dates } } });
}
