/**
 * Hazard repositories: create (with the day's running number), transitions with
 * their history, and the queries the deadline jobs and the ledger need.
 */
import type { Prisma } from "../../generated/prisma/client.js";
import { hazardNumber, type HazardStatus } from "./rules.js";
import { toLocalDate } from "../../time/shanghai.js";
import { audit } from "../../store/audit.js";
import type { Db, Tx } from "../../store/db.js";
import { inRegion } from "../../store/subtree.js";

export interface NewHazard {
  reporterId: number;
  responsibleId: number;
  regionId: number;
  regionPath: string;
  place: string;
  lat?: number;
  lng?: number;
  sector: string;
  description: string;
  level: string;
  photos: string[];
  responsibleUnit: string;
  deadline: string;
}

export type HazardRow = Prisma.HazardGetPayload<object>;

export async function createHazard(tx: Tx, h: NewHazard, actor: string, now: Date): Promise<HazardRow> {
  const day = toLocalDate(now);
  const prefix = hazardNumber(day, 0).slice(0, -4);
  // One writer at a time (SQLite), so "count today's, add one" cannot collide.
  const seq = (await tx.hazard.count({ where: { number: { startsWith: prefix } } })) + 1;
  const row = await tx.hazard.create({
    data: { ...h, photos: JSON.stringify(h.photos), number: hazardNumber(day, seq), status: "待整改", createdAt: now, updatedAt: now },
  });
  await tx.hazardEvent.create({ data: { hazardId: row.id, at: now, actorId: h.reporterId, kind: "report", toStatus: "待整改", photos: JSON.stringify(h.photos) } });
  await audit(tx, { at: now, actor, action: "hazard.report", entity: "hazard", entityId: row.number, after: { ...h } });
  return row;
}

export async function hazardByNumber(db: Db | Tx, number: string): Promise<HazardRow | null> {
  return db.hazard.findUnique({ where: { number: number.toUpperCase() } });
}

export async function changeStatus(
  tx: Tx, h: HazardRow,
  c: { to: HazardStatus; kind: string; actorId: number; actor: string; note?: string; photos?: string[] }, now: Date,
): Promise<void> {
  const data: Prisma.HazardUpdateInput = { status: c.to, updatedAt: now };
  if (c.to === "已整改") data.rectifiedAt = now;
  if (c.to === "已销号") data.closedAt = now;
  if (c.kind === "reject") data.rectifiedAt = null;
  // Guarded on the status read, so two people acting at once cannot both move it.
  const r = await tx.hazard.updateMany({ where: { id: h.id, status: h.status }, data: data as Prisma.HazardUpdateManyMutationInput });
  if (r.count !== 1) throw new Error(`hazard ${h.number} changed meanwhile`);
  await tx.hazardEvent.create({ data: { hazardId: h.id, at: now, actorId: c.actorId, kind: c.kind, fromStatus: h.status, toStatus: c.to, note: c.note ?? null, photos: JSON.stringify(c.photos ?? []) } });
  await audit(tx, { at: now, actor: c.actor, action: `hazard.${c.kind}`, entity: "hazard", entityId: h.number, before: { status: h.status }, after: { status: c.to, note: c.note, photos: c.photos } });
}

export async function addEvent(tx: Tx, h: HazardRow, e: { kind: string; actorId?: number; note?: string; photos?: string[] }, now: Date): Promise<void> {
  await tx.hazardEvent.create({ data: { hazardId: h.id, at: now, actorId: e.actorId ?? null, kind: e.kind, note: e.note ?? null, photos: JSON.stringify(e.photos ?? []) } });
}

export async function listHazard(tx: Tx, h: HazardRow, level: string, actorId: number, actor: string, now: Date): Promise<void> {
  await tx.hazard.update({ where: { id: h.id }, data: { supervisionLevel: level, listedAt: now, listedBy: actorId, updatedAt: now } });
  await addEvent(tx, h, { kind: "list", actorId, note: `${level}级挂牌督办` }, now);
  await audit(tx, { at: now, actor, action: "hazard.list", entity: "hazard", entityId: h.number, before: { supervisionLevel: h.supervisionLevel }, after: { supervisionLevel: level } });
}

export async function lastEventOf(db: Db | Tx, hazardId: number, kind: string) {
  return db.hazardEvent.findFirst({ where: { hazardId, kind }, orderBy: { id: "desc" } });
}

export async function hazardEvents(db: Db | Tx, hazardIds: number[]) {
  return db.hazardEvent.findMany({ where: { hazardId: { in: hazardIds } }, orderBy: [{ hazardId: "asc" }, { id: "asc" }] });
}

const OPEN = { in: ["待整改", "整改中"] };

/** Open hazards whose deadline is exactly `date` and whose responsible person was not reminded yet. */
export async function dueOn(db: Db | Tx, date: string) {
  return db.hazard.findMany({ where: { status: OPEN, deadline: date, remindedAt: null }, orderBy: { id: "asc" } });
}

/** Open hazards past their deadline (deadline < today). */
export async function overdue(db: Db | Tx, today: string) {
  return db.hazard.findMany({ where: { status: OPEN, deadline: { lt: today } }, orderBy: { id: "asc" } });
}

export async function markHazard(tx: Tx, id: number, field: "remindedAt" | "overdueAt" | "escalatedAt", now: Date): Promise<boolean> {
  const r = await tx.hazard.updateMany({ where: { id, [field]: null }, data: { [field]: now } });
  return r.count === 1;
}

/** Hazards in a region subtree, reported in [from, to). */
export async function hazardsIn(db: Db | Tx, regionPath: string, from: Date, to: Date) {
  return db.hazard.findMany({
    where: { ...inRegion(regionPath), createdAt: { gte: from, lt: to } },
    orderBy: { id: "asc" },
  });
}

/** Listed (挂牌督办) hazards still open or awaiting verification. */
export async function listedOpen(db: Db | Tx) {
  return db.hazard.findMany({ where: { supervisionLevel: { not: null }, status: { not: "已销号" } }, orderBy: { id: "asc" } });
}

/** Open hazards in a subtree due by `date` (inclusive) — for a group's daily digest. */
export async function openDueBy(db: Db | Tx, regionPath: string, date: string) {
  return db.hazard.findMany({
    where: { status: OPEN, deadline: { lte: date }, ...inRegion(regionPath) },
    orderBy: [{ deadline: "asc" }, { id: "asc" }],
  });
}

export async function hazardsOfPerson(db: Db | Tx, personId: number) {
  return db.hazard.findMany({ where: { OR: [{ reporterId: personId }, { responsibleId: personId }] }, orderBy: [{ closedAt: "asc" }, { id: "desc" }], take: 30 });
}
