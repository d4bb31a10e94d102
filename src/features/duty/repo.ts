/** Duty shifts, their events and the noon report. */
import type { DutyRow } from "./rules.js";
import { audit } from "../../store/audit.js";
import type { Db, Tx } from "../../store/db.js";

/** Officer ids are kept comma-bounded (",3,6,") so "is X on this shift" is one LIKE. */
export const idList = (ids: number[]) => `,${ids.join(",")},`;
export const idsOf = (s: string) => s.split(",").filter(Boolean).map(Number);

/** One active person named (or by mobile) who holds one of `roles`; `what` names those roles in the reason. */
async function findPerson(tx: Tx, token: string, roles: readonly string[], what: string) {
  const where = /^1\d{10}$/.test(token) ? { mobile: token } : { name: token };
  const people = await tx.person.findMany({ where: { ...where, active: true }, include: { region: true, roles: true } });
  const fit = people.filter((p) => p.roles.some((r) => roles.includes(r.role)));
  return fit.length === 1 ? { ok: true as const, p: fit[0]! } : { ok: false as const, reason: fit.length ? `“${token}”重名，请改写手机号` : people.length ? `“${token}”不是${what}` : `“${token}”不在花名册` };
}

/** Writes validated 排班表 rows: people matched by name (or mobile); a row whose people do not match is reported. */
/** The people a row names, as the caller's check sees them. */
export interface DutyRowPeople {
  officers: { id: number; name: string; regionPath: string }[];
  leader: { id: number; name: string; regionPath: string };
}

export async function importDuty(
  tx: Tx, rows: DutyRow[],
  o: { actor: string; now: Date; officerRoles: readonly string[]; leaderRoles: readonly string[]; check?: (r: DutyRow, people: DutyRowPeople) => Promise<string | null> },
) {
  const report = { created: 0, updated: 0, errors: [] as { row: number; reason: string }[] };
  for (const r of rows) {
    const officers = await Promise.all(r.officers.map((t) => findPerson(tx, t, o.officerRoles, o.officerRoles.join("/"))));
    const leader = await findPerson(tx, r.leader, o.leaderRoles, o.leaderRoles.join("/"));
    const bad = [...officers, leader].find((x) => !x.ok);
    if (bad && !bad.ok) { report.errors.push({ row: r.row, reason: bad.reason }); continue; }
    const ids = officers.map((x) => (x.ok ? x.p.id : 0));
    const regionPath = officers[0]!.ok ? officers[0]!.p.region.path : "";
    const asSeen = (x: (typeof officers)[number]) => (x.ok ? { id: x.p.id, name: x.p.name, regionPath: x.p.region.path } : { id: 0, name: "", regionPath: "" });
    const refused = await o.check?.(r, { officers: officers.map(asSeen), leader: asSeen(leader) });
    if (refused) { report.errors.push({ row: r.row, reason: refused }); continue; }
    const key = { date: r.date, regionPath, startAt: r.startAt };
    const existing = await tx.dutyShift.findUnique({ where: { date_regionPath_startAt: key } });
    const data = { endAt: r.endAt, officerIds: idList(ids), leaderId: leader.ok ? leader.p.id : 0, updatedAt: o.now };
    if (existing) {
      if (existing.officerIds === data.officerIds && existing.leaderId === data.leaderId && existing.endAt.getTime() === r.endAt.getTime()) continue;
      await tx.dutyShift.update({ where: { id: existing.id }, data });
      report.updated++;
    } else {
      await tx.dutyShift.create({ data: { ...key, ...data, createdAt: o.now } });
      report.created++;
    }
    await audit(tx, { at: o.now, actor: o.actor, action: existing ? "duty.update" : "duty.create", entity: "duty", entityId: `${r.date}:${regionPath}`, before: existing ? { officerIds: existing.officerIds, leaderId: existing.leaderId } : null, after: data });
  }
  return report;
}

/** The person's shift that is on now (or starts within `earlyMs`). */
export async function shiftOf(db: Db | Tx, personId: number, now: Date, earlyMs: number) {
  return db.dutyShift.findFirst({
    where: { officerIds: { contains: `,${personId},` }, startAt: { lte: new Date(now.getTime() + earlyMs) }, endAt: { gt: now } },
    orderBy: { startAt: "asc" },
  });
}

/** Swap requests still waiting on shifts this person leads, oldest first. */
export async function pendingSwapsLedBy(db: Db | Tx, leaderId: number) {
  const shifts = await db.dutyShift.findMany({ where: { leaderId }, select: { id: true } });
  return db.dutySwap.findMany({ where: { status: "pending", shiftId: { in: shifts.map((s) => s.id) } }, orderBy: { id: "asc" } });
}

/** Shifts a leader is on duty for that overlap `now`. */
export async function shiftsLedBy(db: Db | Tx, leaderId: number, now: Date) {
  return db.dutyShift.findMany({ where: { leaderId, startAt: { lte: now }, endAt: { gt: now } } });
}

export async function previousShift(db: Db | Tx, s: { regionPath: string; startAt: Date }) {
  return db.dutyShift.findFirst({ where: { regionPath: s.regionPath, startAt: { lt: s.startAt } }, orderBy: { startAt: "desc" } });
}

export async function eventOf(db: Db | Tx, shiftId: number, kind: string) {
  return db.dutyEvent.findFirst({ where: { shiftId, kind }, orderBy: { id: "desc" } });
}

export async function addDutyEvent(tx: Tx, e: { shiftId: number; personId?: number; kind: string; at: Date; late?: boolean; note?: string; openItems?: string[] }) {
  return tx.dutyEvent.create({ data: { shiftId: e.shiftId, personId: e.personId ?? null, kind: e.kind, at: e.at, late: e.late ?? false, note: e.note ?? null, openItems: JSON.stringify(e.openItems ?? []) } });
}

/** Shifts around `now` that the duty job may have to act on. */
export async function shiftsAround(db: Db | Tx, now: Date, beforeMs: number, afterMs: number) {
  return db.dutyShift.findMany({ where: { startAt: { lte: new Date(now.getTime() + beforeMs) }, endAt: { gt: new Date(now.getTime() - afterMs) } }, include: { events: true }, orderBy: { startAt: "asc" } });
}

export async function noonReportOf(db: Db | Tx, shiftId: number) {
  return db.noonReport.findUnique({ where: { shiftId } });
}

/** Files (or re-files) the noon report of a shift; a re-filed report needs the leader's confirmation again. */
export async function saveNoonReport(tx: Tx, r: { shiftId: number; date: string; regionPath: string; reporterId: number; status: string; details: string | null; handled: string | null; reportedUp: string | null }, now: Date) {
  const { shiftId, date, regionPath, reporterId, ...data } = r;
  return tx.noonReport.upsert({
    where: { shiftId },
    create: { shiftId, date, regionPath, reporterId, ...data, at: now },
    update: { ...data, reporterId, at: now, confirmedBy: null, confirmedAt: null },
  });
}

export async function confirmNoonReport(tx: Tx, id: number, by: number, now: Date): Promise<void> {
  await tx.noonReport.update({ where: { id }, data: { confirmedBy: by, confirmedAt: now } });
}

/** The shift on a date that has this person among its officers. */
export async function shiftOnDateOf(db: Db | Tx, date: string, personId: number) {
  return db.dutyShift.findFirst({ where: { date, officerIds: { contains: `,${personId},` } } });
}

export async function shiftById(db: Db | Tx, id: number) {
  return db.dutyShift.findUnique({ where: { id } });
}

/** An active person (by mobile or name) who holds one of these roles, with their region's path. */
export async function officerNamed(db: Db | Tx, who: string, roles: readonly string[]) {
  return db.person.findFirst({ where: { active: true, ...(/^1\d{10}$/.test(who) ? { mobile: who } : { name: who }), roles: { some: { role: { in: [...roles] } } } }, include: { region: { select: { path: true } } } });
}

export async function requestSwap(tx: Tx, s: { shiftId: number; fromId: number; toId: number }, now: Date) {
  return tx.dutySwap.create({ data: { ...s, status: "pending", requestedAt: now } });
}

export async function swapById(db: Db | Tx, id: number) {
  return db.dutySwap.findUnique({ where: { id } });
}

/** Decides a swap; an approved one puts the new officer on the shift in the same transaction. */
export async function decideSwap(tx: Tx, swap: { id: number; fromId: number; toId: number }, shift: { id: number; officerIds: string }, approve: boolean, by: number, now: Date): Promise<void> {
  await tx.dutySwap.update({ where: { id: swap.id }, data: { status: approve ? "approved" : "rejected", decidedBy: by, decidedAt: now } });
  if (approve) {
    const ids = idsOf(shift.officerIds).map((x) => (x === swap.fromId ? swap.toId : x));
    await tx.dutyShift.update({ where: { id: shift.id }, data: { officerIds: idList(ids), updatedAt: now } });
  }
}
