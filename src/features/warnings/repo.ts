/**
 * Warnings' store: the only place that reads or writes Warning, WarningTarget and
 * WarningNotice rows (and the outbox rows that carry a warning's messages).
 */
import { within } from "../org/rules.js";
import type { OutboxItem } from "../../core/ports.js";
import type { Db, Tx } from "../../store/db.js";
import { inRegion } from "../../store/subtree.js";
import type { CycleSettings, WarningLevel } from "./rules.js";

type Reader = Db | Tx;
export type WarningRow = NonNullable<Awaited<ReturnType<Tx["warning"]["findUnique"]>>>;
export type TargetRow = Awaited<ReturnType<Tx["warningTarget"]["findMany"]>>[number];

const GROUP_PURPOSES = ["网格群", "工作群", "值班群"];

export const byId = (db: Reader, id: number) => db.warning.findUnique({ where: { id } });
export const byNumber = (db: Reader, number: string) => db.warning.findUnique({ where: { number } });
export const active = (db: Reader) => db.warning.findMany({ where: { status: "active" } });

/** The latest warning that reached someone in this region. */
export const latestIn = (db: Reader, regionPath: string) =>
  db.warning.findFirst({ where: { targets: { some: inRegion(regionPath) } }, orderBy: { createdAt: "desc" } });

/** How many warnings were numbered on a day with this number prefix. */
export const countNumbered = (tx: Tx, prefix: string) => tx.warning.count({ where: { number: { startsWith: prefix } } });

/** Active people holding one of the roles in one of the regions, with their region. */
export async function peopleToWarn(tx: Tx, roles: string[], regions: string[]) {
  return (await tx.person.findMany({ where: { active: true, roles: { some: { role: { in: roles } } } }, include: { region: { select: { path: true } } }, orderBy: { id: "asc" } }))
    .filter((p) => regions.some((r) => within(p.region.path, r)));
}

export async function create(tx: Tx, o: {
  number: string; type: string; level: WarningLevel; text: string; issuerId: number; regions: string[]; roles: string[]; response: string; cycle: CycleSettings; now: Date;
  targets: { personId: number; regionPath: string }[];
}): Promise<WarningRow> {
  const w = await tx.warning.create({
    data: {
      number: o.number, type: o.type, level: o.level, text: o.text, issuerId: o.issuerId, regionPaths: JSON.stringify(o.regions), roles: JSON.stringify(o.roles),
      response: o.response, recallMinutes: o.cycle.recallMinutes, cycles: o.cycle.cycles, escalateAfter: o.cycle.escalateAfter, lastCycleAt: o.now,
      endsAt: new Date(o.now.getTime() + o.cycle.hours * 3600_000), status: "active", createdAt: o.now,
    },
  });
  await tx.warningTarget.createMany({ data: o.targets.map((p) => ({ warningId: w.id, personId: p.personId, regionPath: p.regionPath, status: "未确认" })) });
  return w;
}

export const regionsOf = (w: WarningRow): string[] => JSON.parse(w.regionPaths) as string[];

/** The groups a warning's tally goes to: grid, work and duty groups in its areas. */
export async function targetGroups(db: Reader, regions: string[]) {
  const groups = await db.groupChat.findMany({ where: { purpose: { in: GROUP_PURPOSES } }, include: { region: { select: { path: true } } } });
  return groups.filter((g) => regions.some((r) => within(g.region.path, r)));
}

export const leaderGroups = (db: Reader) => db.groupChat.findMany({ where: { purpose: "领导群" }, include: { region: true } });

export const targetsOf = (db: Reader, warningId: number) => db.warningTarget.findMany({ where: { warningId } });
export const silentOf = (tx: Tx, warningId: number) => tx.warningTarget.findMany({ where: { warningId, status: { in: ["未确认", "无法送达"] } } });

export async function markUnreachable(tx: Tx, warningId: number, personIds: number[], reason: string): Promise<void> {
  if (personIds.length) await tx.warningTarget.updateMany({ where: { warningId, personId: { in: personIds }, status: "未确认" }, data: { status: "无法送达", reason } });
}

/** A person's targets still to confirm (of one warning, if numbered), newest first. */
export const openTargetsOf = (tx: Tx, personId: number, number?: string) => tx.warningTarget.findMany({
  where: { personId, status: "未确认", warning: { status: "active", ...(number ? { number } : {}) } }, include: { warning: true }, orderBy: { id: "desc" },
});

export const confirm = (tx: Tx, targetId: number, at: Date) => tx.warningTarget.update({ where: { id: targetId }, data: { status: "已确认", confirmedAt: at } });
export const called = (tx: Tx, targetId: number) => tx.warningTarget.update({ where: { id: targetId }, data: { calls: { increment: 1 } } });
export const escalated = (tx: Tx, targetIds: number[], level: number) => tx.warningTarget.updateMany({ where: { id: { in: targetIds } }, data: { escalations: level } });

export async function saveMeasures(tx: Tx, number: string, personId: number, measures: string): Promise<void> {
  const w = await byNumber(tx, number);
  if (w) await tx.warningTarget.updateMany({ where: { warningId: w.id, personId }, data: { measures } });
}

export const lift = (tx: Tx, id: number, at: Date) => tx.warning.update({ where: { id }, data: { status: "lifted", endedAt: at } });
export const end = (tx: Tx, id: number, at: Date) => tx.warning.update({ where: { id }, data: { status: "ended", endedAt: at } });
export const nextCycle = (tx: Tx, id: number, cycle: number, at: Date) => tx.warning.update({ where: { id }, data: { cycle, lastCycleAt: at } });
export const upgrade = (tx: Tx, id: number, level: WarningLevel, c: { recallMinutes: number; cycles: number; escalateAfter: number }) =>
  tx.warning.update({ where: { id }, data: { level, recallMinutes: c.recallMinutes, cycles: c.cycles, escalateAfter: c.escalateAfter } });

/** Records which outbox rows carry a person's notice or re-call (read back by `deliveries`). */
export async function noteNotices(tx: Tx, warningId: number, personId: number, cycle: number, items: OutboxItem[]): Promise<void> {
  const keys = items.flatMap((i) => (i.dedupeKey ? [i.dedupeKey] : []));
  if (keys.length) await tx.warningNotice.createMany({ data: keys.map((outboxKey) => ({ warningId, personId, cycle, outboxKey })) });
}

/** Each private notice and re-call of a warning with its person and delivery status. */
export async function deliveries(db: Reader, warningId: number): Promise<{ personId: number; status: string; lastError: string | null }[]> {
  const notices = await db.warningNotice.findMany({ where: { warningId }, select: { personId: true, outboxKey: true } });
  const rows = new Map((await db.outboxMessage.findMany({ where: { dedupeKey: { in: notices.map((n) => n.outboxKey) } }, select: { dedupeKey: true, status: true, lastError: true } })).map((r) => [r.dedupeKey!, r]));
  return notices.flatMap((n) => {
    const r = rows.get(n.outboxKey);
    return r ? [{ personId: n.personId, status: r.status, lastError: r.lastError }] : [];
  });
}

/** The group's tally message, to update before it goes out or to edit after. */
export const tallyRow = (tx: Tx, key: string) => tx.outboxMessage.findUnique({ where: { dedupeKey: key } });
export const retextQueued = (tx: Tx, id: number, payload: unknown) => tx.outboxMessage.update({ where: { id }, data: { payload: JSON.stringify(payload) } });

export const namesOf = async (db: Reader, ids: number[]) =>
  new Map((await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
export const issuerOf = (tx: Tx, id: number) => tx.person.findUnique({ where: { id }, include: { region: true } });
