/**
 * The figures a chief quotes, from indexed counts (never by loading rows into
 * JS): hazards found / rectified / 整改率 with 环比 and 同比, patrol report rate,
 * duty sign-ins, warnings and their 叫应率.
 */
import type { Period } from "../../domain/period.js";
import { ROUTINE_ROLES, windowKeyFor, type RoutineConfig } from "../routines/rules.js";
import { say, type Say } from "../../prompts/catalog.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../../store/db.js";
import { idsOf } from "../duty/index.js";
import { holdersOf } from "../org/index.js";
import { inRegion, inRegionSql } from "../../store/subtree.js";
import { toLocalDate } from "../../time/shanghai.js";

export interface HazardFigures {
  found: number;
  major: number;
  rectified: number;
  closed: number;
  overdue: number;
  listed: number;
  /** 整改率 with one decimal, "—" when nothing was found. */
  rate: string;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** 环比 / 同比 wording: 上升12.5% / 下降20.0% / 持平 / 上期为0. */
export function change(cur: number, before: number): { dir: "up" | "down" | "flat" | "none"; pct: string } {
  if (before === 0) return { dir: cur === 0 ? "flat" : "none", pct: "" };
  if (cur === before) return { dir: "flat", pct: "" };
  return { dir: cur > before ? "up" : "down", pct: `${(Math.round((Math.abs(cur - before) / before) * 1000) / 10).toFixed(1)}%` };
}

/** The change as a prompt: 上升12.5% / 下降20.0% / 持平 / 上期为0. */
export function changeSay(cur: number, before: number): Say {
  const c = change(cur, before);
  return c.dir === "up" ? say("stats.change.up", { pct: c.pct }) : c.dir === "down" ? say("stats.change.down", { pct: c.pct }) : c.dir === "flat" ? say("stats.change.flat") : say("stats.change.none");
}

/** Hazard figures per group: one pass over the period's rows, counted in SQLite. */
export interface HazardTally {
  key: string;
  found: number;
  major: number;
  rectified: number;
  closed: number;
  majorClosed: number;
  overdue: number;
  /** 挂牌督办 by level. */
  listed: { 省: number; 市: number; 县: number; all: number };
}

/** Group keys: one group, or a cell per region path and sector joined by a tab (split with CELL). */
const GROUPS = { none: Prisma.sql`''`, cell: Prisma.sql`regionPath || char(9) || sector` } as const;
export const CELL = "\t";

/**
 * The period-first covering index (prisma/schema.prisma), named so the planner
 * cannot pick the region-first one: it would walk every row of a county
 * (measured at 1M hazards: 0.3 s a query instead of 0.02–0.07 s).
 */
const PERIOD_INDEX = Prisma.raw("Hazard INDEXED BY Hazard_period_cover");

/**
 * Every hazard figure for a region and period in one scan of the covering index
 * (the sums run in SQLite), as one figure or per (region path, sector) cell. No
 * hazard row reaches JS: a county month at a million hazards is one query, not a
 * hundred.
 */
export async function hazardTally(db: Db | Tx, regionPath: string, p: Period, now: Date, by: keyof typeof GROUPS = "none"): Promise<HazardTally[]> {
  const today = toLocalDate(now);
  const rows = await db.$queryRaw<Record<string, bigint | number | string | null>[]>(Prisma.sql`
    SELECT ${GROUPS[by]} AS key, COUNT(*) AS found,
      SUM(level = '重大') AS major,
      SUM(status IN ('已整改', '已销号')) AS rectified,
      SUM(status = '已销号') AS closed,
      SUM(level = '重大' AND status = '已销号') AS majorClosed,
      SUM(status IN ('待整改', '整改中') AND deadline < ${today}) AS overdue,
      SUM(supervisionLevel = '省') AS province, SUM(supervisionLevel = '市') AS city, SUM(supervisionLevel = '县') AS county,
      SUM(supervisionLevel IS NOT NULL) AS listed
    FROM ${PERIOD_INDEX}
    WHERE createdAt >= ${p.from} AND createdAt < ${p.to} AND ${inRegionSql(regionPath)}
    GROUP BY 1 ORDER BY 1`);
  const n = (v: unknown) => Number(v ?? 0);
  return rows.map((r) => ({
    key: String(r.key ?? ""), found: n(r.found), major: n(r.major), rectified: n(r.rectified), closed: n(r.closed), majorClosed: n(r.majorClosed), overdue: n(r.overdue),
    listed: { 省: n(r.province), 市: n(r.city), 县: n(r.county), all: n(r.listed) },
  }));
}

export const EMPTY_TALLY: Omit<HazardTally, "key"> = { found: 0, major: 0, rectified: 0, closed: 0, majorClosed: 0, overdue: 0, listed: { 省: 0, 市: 0, 县: 0, all: 0 } };

/** The figures a chief quotes, from a tally (one region, or sums of cells). */
export function figuresOf(t: Omit<HazardTally, "key">): HazardFigures {
  return { found: t.found, major: t.major, rectified: t.rectified, closed: t.closed, overdue: t.overdue, listed: t.listed.all, rate: percent(t.rectified, t.found) };
}

export async function hazardFigures(db: Db | Tx, regionPath: string, p: Period, now: Date): Promise<HazardFigures> {
  return figuresOf((await hazardTally(db, regionPath, p, now))[0] ?? EMPTY_TALLY);
}

export async function hazardsFound(db: Db | Tx, regionPath: string, p: Period): Promise<number> {
  const [r] = await db.$queryRaw<{ n: bigint | number }[]>(Prisma.sql`SELECT COUNT(*) AS n FROM ${PERIOD_INDEX} WHERE createdAt >= ${p.from} AND createdAt < ${p.to} AND ${inRegionSql(regionPath)}`);
  return Number(r?.n ?? 0);
}

/** Numbers of the period's open hazards past their deadline, earliest deadline first. */
export async function overdueNumbers(db: Db | Tx, regionPath: string, p: Period, now: Date, limit: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: bigint | number }[]>(Prisma.sql`SELECT id FROM ${PERIOD_INDEX}
    WHERE createdAt >= ${p.from} AND createdAt < ${p.to} AND ${inRegionSql(regionPath)} AND status IN ('待整改', '整改中') AND deadline < ${toLocalDate(now)}
    ORDER BY deadline, createdAt LIMIT ${limit}`);
  return rows.map((r) => Number(r.id));
}

export async function patrolFigures(db: Db | Tx, regionPath: string, p: Period) {
  const where = { routine: "patrol", ...inRegion(regionPath), date: { gte: toLocalDate(p.from), lt: toLocalDate(p.to) } };
  const [reported, missed] = await Promise.all([
    db.routineReport.count({ where: { ...where, status: "reported" } }),
    db.routineReport.count({ where: { ...where, status: "missed" } }),
  ]);
  return { reported, missed, rate: percent(reported, reported + missed) };
}

export async function dutyFigures(db: Db | Tx, regionPath: string, p: Period) {
  const shifts = await db.dutyShift.findMany({ where: { ...inRegion(regionPath), startAt: { gte: p.from, lt: p.to } }, select: { id: true } });
  const ids = shifts.map((s) => s.id);
  const [signedIn, late] = await Promise.all([
    db.dutyEvent.count({ where: { shiftId: { in: ids }, kind: "signin" } }),
    db.dutyEvent.count({ where: { shiftId: { in: ids }, kind: "signin", late: true } }),
  ]);
  return { shifts: ids.length, signedIn, late, rate: percent(signedIn, ids.length) };
}

export async function warningFigures(db: Db | Tx, regionPath: string, p: Period) {
  const targets = { ...inRegion(regionPath), warning: { createdAt: { gte: p.from, lt: p.to } } };
  const [warnings, total, confirmed] = await Promise.all([
    db.warning.count({ where: { createdAt: { gte: p.from, lt: p.to }, targets: { some: inRegion(regionPath) } } }),
    db.warningTarget.count({ where: targets }),
    db.warningTarget.count({ where: { ...targets, status: "已确认" } }),
  ]);
  return { warnings, total, confirmed, rate: percent(confirmed, total) };
}

/** Shifts in the period that have begun (by `now`) with nobody signed in: when, who was on duty, the leader. */
export async function dutyUnsigned(db: Db | Tx, regionPath: string, p: Period, now: Date) {
  const shifts = await db.dutyShift.findMany({
    where: { ...inRegion(regionPath), startAt: { gte: p.from, lt: p.to < now ? p.to : now }, events: { none: { kind: "signin" } } },
    orderBy: { startAt: "asc" },
  });
  const ids = [...new Set(shifts.flatMap((s) => [...idsOf(s.officerIds), s.leaderId]))];
  const names = new Map((await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((x) => [x.id, x.name]));
  return shifts.map((s) => ({ start: s.startAt, officers: idsOf(s.officerIds).map((i) => names.get(i) ?? "?"), leader: names.get(s.leaderId) ?? "?" }));
}

/**
 * Grid members who did not send the patrol report in the period: misses the
 * daily close recorded, and — while their own window is open today (regions may
 * have their own times) — those who have not reported yet today.
 */
export async function patrolMissing(db: Db | Tx, regionPath: string, p: Period, now: Date, cfg: RoutineConfig) {
  const where = { routine: "patrol", ...inRegion(regionPath), date: { gte: toLocalDate(p.from), lt: toLocalDate(p.to) } };
  const missed = await db.routineReport.groupBy({ by: ["personId"], where: { ...where, status: "missed" }, _count: { _all: true } });
  const times = new Map(missed.map((m) => [m.personId, m._count._all]));
  const today = toLocalDate(now);
  const pendingToday = new Set<number>();
  if (p.from <= now && now < p.to) {
    const phases = new Set((await db.routinePhase.findMany({ where: { routine: "patrol", date: today }, select: { window: true, phase: true } })).map((x) => `${x.window}:${x.phase}`));
    const reported = new Set((await db.routineReport.findMany({ where: { routine: "patrol", date: today, ...inRegion(regionPath) }, select: { personId: true } })).map((r) => r.personId));
    for (const person of await holdersOf(db, ROUTINE_ROLES.patrol, regionPath)) {
      const w = windowKeyFor(person.regionPath, cfg);
      if (phases.has(`${w}:open`) && !phases.has(`${w}:close`) && !reported.has(person.id)) pendingToday.add(person.id);
    }
  }
  const ids = [...new Set([...times.keys(), ...pendingToday])];
  const people = await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, region: { select: { name: true, path: true } } }, orderBy: { id: "asc" } });
  return people
    .map((x) => ({ name: x.name, place: x.region.path.split("/")[2] ?? x.region.name, path: x.region.path, times: times.get(x.id) ?? 0, today: pendingToday.has(x.id) }))
    .sort((a, b) => b.times - a.times || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)); // code-point order: the same on every machine
}

/** Patrol reports and misses per reported region path, one grouped query. */
export async function patrolTally(db: Db | Tx, regionPath: string, p: Period): Promise<{ key: string; reported: number; missed: number }[]> {
  const rows = await db.$queryRaw<{ key: string; reported: bigint | number | null; missed: bigint | number | null }[]>(Prisma.sql`
    SELECT regionPath AS key, SUM(status = 'reported') AS reported, SUM(status = 'missed') AS missed FROM RoutineReport
    WHERE routine = 'patrol' AND date >= ${toLocalDate(p.from)} AND date < ${toLocalDate(p.to)} AND ${inRegionSql(regionPath)}
    GROUP BY regionPath`);
  return rows.map((r) => ({ key: r.key, reported: Number(r.reported ?? 0), missed: Number(r.missed ?? 0) }));
}

/** People called by the period's warnings, and how many confirmed, per region path. */
export async function warningTally(db: Db | Tx, regionPath: string, p: Period): Promise<{ key: string; total: number; confirmed: number }[]> {
  const rows = await db.warningTarget.groupBy({ by: ["regionPath", "status"], where: { ...inRegion(regionPath), warning: { createdAt: { gte: p.from, lt: p.to } } }, _count: { _all: true } });
  const out = new Map<string, { key: string; total: number; confirmed: number }>();
  for (const r of rows) {
    const x = out.get(r.regionPath) ?? { key: r.regionPath, total: 0, confirmed: 0 };
    x.total += r._count._all;
    if (r.status === "已确认") x.confirmed += r._count._all;
    out.set(r.regionPath, x);
  }
  return [...out.values()];
}

/** The period's warnings that reached the region, with their 叫应 inside it. */
export async function warningsIn(db: Db | Tx, regionPath: string, p: Period) {
  const ws = await db.warning.findMany({ where: { createdAt: { gte: p.from, lt: p.to }, targets: { some: inRegion(regionPath) } }, orderBy: { createdAt: "asc" } });
  const counts = await db.warningTarget.groupBy({ by: ["warningId", "status"], where: { warningId: { in: ws.map((w) => w.id) }, ...inRegion(regionPath) }, _count: { _all: true } });
  return ws.map((w) => {
    const mine = counts.filter((c) => c.warningId === w.id);
    const total = mine.reduce((n, c) => n + c._count._all, 0);
    const confirmed = mine.filter((c) => c.status === "已确认").reduce((n, c) => n + c._count._all, 0);
    return { number: w.number, type: w.type, level: w.level, at: w.createdAt, status: w.status, total, confirmed, rate: percent(confirmed, total) };
  });
}

/** Hazards rectified in a period (by when the rectification was reported), in a region's subtree. */
export async function hazardsRectified(db: Db | Tx, regionPath: string, p: Pick<Period, "from" | "to">): Promise<number> {
  return db.hazard.count({ where: { ...inRegion(regionPath), rectifiedAt: { gte: p.from, lt: p.to } } });
}

/** A region's direct children (the units a rollup's table lists), by path. */
export async function childRegions(db: Db | Tx, regionPath: string): Promise<{ name: string; path: string }[]> {
  return db.region.findMany({ where: { parent: { path: regionPath } }, orderBy: { path: "asc" }, select: { name: true, path: true } });
}

/** Hazards by id, in the order the ids are given. */
export async function hazardsByIds(db: Db | Tx, ids: readonly number[]) {
  const rows = await db.hazard.findMany({ where: { id: { in: [...ids] } } });
  return rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/** Open 挂牌督办 hazards found in a period: the oldest `limit`, and how many there are. */
export async function openListedIn(db: Db | Tx, regionPath: string, p: Pick<Period, "from" | "to">, limit: number) {
  const where = { ...inRegion(regionPath), createdAt: { gte: p.from, lt: p.to }, supervisionLevel: { not: null }, status: { not: "已销号" } };
  const [rows, count] = await Promise.all([db.hazard.findMany({ where, orderBy: { createdAt: "asc" }, take: limit }), db.hazard.count({ where })]);
  return { rows, count };
}
