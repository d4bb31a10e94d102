/**
 * Weekly and monthly rollups (周报 / 月报): headline figures with 环比/同比, a
 * per-township and a per-sector table, overdue and 挂牌督办 lists, patrol and duty
 * compliance, warning confirm rates — as prompts, and as an .xlsx with one sheet
 * per table and the official 隐患排查治理情况 columns.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { within } from "../org/rules.js";
import { warningState } from "../warnings/rules.js";
import { weeksEnding, type Period } from "../../domain/period.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { Db, Tx } from "../../store/db.js";
import { inRegion } from "../../store/subtree.js";
import { formatLocal, localParts } from "../../time/shanghai.js";
import { CELL, changeSay, childRegions, dutyFigures, hazardsByIds, hazardsRectified, openListedIn, EMPTY_TALLY, figuresOf, hazardsFound, hazardTally, overdueNumbers, patrolTally, percent, warningsIn, warningTally, type HazardTally } from "./repo.js";

export const OFFICIAL_COLUMNS = ["单位", "排查隐患（处）", "已整改（处）", "整改率", "重大隐患（处）", "重大隐患已销号（处）", "挂牌督办（省/市/县）", "逾期未改（处）"] as const;

export interface RollupRow {
  unit: string;
  found: number;
  rectified: number;
  rate: string;
  major: number;
  majorClosed: number;
  listed: string;
  overdue: number;
}

function row(unit: string, t: Omit<HazardTally, "key">): RollupRow {
  return { unit, found: t.found, rectified: t.rectified, rate: percent(t.rectified, t.found), major: t.major, majorClosed: t.majorClosed, listed: `${t.listed.省}/${t.listed.市}/${t.listed.县}`, overdue: t.overdue };
}

function sum(tallies: HazardTally[]): Omit<HazardTally, "key"> {
  const out = structuredClone(EMPTY_TALLY);
  for (const t of tallies) {
    for (const k of ["found", "major", "rectified", "closed", "majorClosed", "overdue"] as const) out[k] += t[k];
    for (const k of ["省", "市", "县", "all"] as const) out.listed[k] += t.listed[k];
  }
  return out;
}

/** Patrol, duty and 叫应 per unit: the compliance table. */
export interface ComplianceRow {
  unit: string;
  patrolReported: number;
  patrolMissed: number;
  patrolRate: string;
  shifts: number;
  signedIn: number;
  late: number;
  dutyRate: string;
  called: number;
  confirmed: number;
  confirmRate: string;
}

export const COMPLIANCE_COLUMNS = ["单位", "巡查日报已报（人次）", "漏报（人次）", "报送率", "值班班次", "已签到", "迟到", "签到率", "预警叫应（人次）", "已确认", "叫应率"] as const;
export const WARNING_COLUMNS = ["预警编号", "类型", "级别", "发布时间", "状态", "叫应（人次）", "已确认", "叫应率"] as const;

export type RollupKind = "week" | "month" | "range";

export interface Rollup {
  title: Say;
  lines: Say[];
  townships: RollupRow[];
  sectors: RollupRow[];
  total: RollupRow;
  compliance: ComplianceRow[];
  complianceTotal: ComplianceRow;
  warnings: Awaited<ReturnType<typeof warningsIn>>;
  /** Found (reported that week) and rectified (rectified that week), week by week up to the period's end (or today). */
  trend: { label: string; found: number; rectified: number }[];
}

/** Weeks in a rollup's trend line: two months for a weekly report, a quarter otherwise. */
export const TREND_WEEKS: Record<RollupKind, number> = { week: 8, month: 13, range: 13 };
const TITLES = { week: "rollup.title_week", month: "rollup.title_month", range: "rollup.title_range" } as const;

/** A rollup's kind from its period: a calendar month, a Monday-to-Sunday week, or any other range. */
export function kindOf(p: Period): RollupKind {
  if (p.kind === "month" || p.kind === "week") return p.kind;
  // Seven days typed as a range that happen to be Monday to Sunday read as a week.
  const days = Math.round((p.to.getTime() - p.from.getTime()) / 86_400_000);
  return days === 7 && localParts(p.from).weekday === 1 ? "week" : "range";
}

async function compliance(db: Db | Tx, units: { name: string; path: string }[], regionPath: string, p: Period): Promise<{ rows: ComplianceRow[]; total: ComplianceRow }> {
  const [patrol, called] = await Promise.all([patrolTally(db, regionPath, p), warningTally(db, regionPath, p)]);
  const make = async (unit: string, path: string): Promise<ComplianceRow> => {
    const pa = patrol.filter((x) => within(x.key, path)), wa = called.filter((x) => within(x.key, path));
    const reported = pa.reduce((n, x) => n + x.reported, 0), missed = pa.reduce((n, x) => n + x.missed, 0);
    const total = wa.reduce((n, x) => n + x.total, 0), confirmed = wa.reduce((n, x) => n + x.confirmed, 0);
    const duty = await dutyFigures(db, path, p); // shifts are few: a query per unit is cheap
    return { unit, patrolReported: reported, patrolMissed: missed, patrolRate: percent(reported, reported + missed), shifts: duty.shifts, signedIn: duty.signedIn, late: duty.late, dutyRate: duty.rate, called: total, confirmed, confirmRate: percent(confirmed, total) };
  };
  return { rows: await Promise.all(units.map((u) => make(u.name, u.path))), total: await make("合计", regionPath) };
}

async function trend(db: Db | Tx, regionPath: string, p: Period, weeks: number, now: Date): Promise<Rollup["trend"]> {
  return Promise.all(weeksEnding(p, weeks, now).map(async (w) => {
    const [found, rectified] = await Promise.all([
      hazardsFound(db, regionPath, w),
      hazardsRectified(db, regionPath, w),
    ]);
    return { label: w.label, found, rectified };
  }));
}

export async function buildRollup(db: Db | Tx, o: { regionPath: string; period: Period; previous: Period; lastYear: Period; kind: RollupKind; now: Date }): Promise<Rollup> {
  const children = await childRegions(db, o.regionPath);
  const [cells, prev, lastYear, comp, warnings, weekly] = await Promise.all([
    hazardTally(db, o.regionPath, o.period, o.now, "cell"),
    hazardsFound(db, o.regionPath, o.previous), hazardsFound(db, o.regionPath, o.lastYear),
    compliance(db, children, o.regionPath, o.period), warningsIn(db, o.regionPath, o.period),
    trend(db, o.regionPath, o.period, TREND_WEEKS[o.kind], o.now),
  ]);
  const ct = comp.total;
  // One pass gives every (region path, sector) cell; units, sectors and the total are sums of cells.
  const pathOf = (k: string) => k.split(CELL)[0]!, sectorOf = (k: string) => k.split(CELL)[1]!;
  const townships = children.map((c) => row(c.name, sum(cells.filter((x) => within(pathOf(x.key), c.path)))));
  const sectors = [...new Set(cells.map((x) => sectorOf(x.key)))].sort().map((s) => row(s, sum(cells.filter((x) => sectorOf(x.key) === s))));
  const t = sum(cells);
  const total = row("合计", t);
  const f = figuresOf(t);
  const lines: Say[] = [
    say("rollup.headline", { ...f, mom: changeSay(f.found, prev), yoy: changeSay(f.found, lastYear) }),
    say("rollup.compliance", { patrolRate: ct.patrolRate, missed: ct.patrolMissed, dutyRate: ct.dutyRate, late: ct.late, warnings: warnings.length, warnRate: ct.confirmRate }),
    say("rollup.table_header"),
    ...townships.map((t) => say("rollup.table_row", { ...t })),
  ];
  if (sectors.length) lines.push(say("rollup.sector_header"), ...sectors.map((s) => say("rollup.sector_row", { ...s })));
  const withPatrol = comp.rows.filter((r) => r.patrolReported + r.patrolMissed > 0);
  if (withPatrol.length) lines.push(say("rollup.patrol_by_unit", { list: withPatrol.map((r) => `${r.unit}${r.patrolRate}`).join("、") }));
  const ids = await overdueNumbers(db, o.regionPath, o.period, o.now, 10);
  const overdue = await hazardsByIds(db, ids);
  if (overdue.length) lines.push(say("rollup.overdue", { count: total.overdue, list: overdue.map((h) => `${h.number}（${h.place}）`).join("、") }));
  const { rows: listed, count: listedCount } = await openListedIn(db, o.regionPath, o.period, 10);
  if (listed.length) lines.push(say("rollup.listed", { count: listedCount, list: listed.map((h) => `${h.number}（${h.supervisionLevel}级，${h.status}）`).join("、") }));
  return { title: say(TITLES[o.kind], { region: o.regionPath, period: o.period.label }), lines, townships, sectors, total, compliance: comp.rows, complianceTotal: ct, warnings, trend: weekly };
}

export async function writeRollupXlsx(r: Rollup, render: (s: Say) => string, dir: string, now: Date): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "应急助手";
  const sheet = (name: string, rows: RollupRow[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = OFFICIAL_COLUMNS.map((h) => ({ header: h, key: h, width: h === "单位" ? 20 : 16 }));
    ws.getRow(1).font = { bold: true };
    for (const x of [...rows, r.total]) ws.addRow([x.unit, x.found, x.rectified, x.rate, x.major, x.majorClosed, x.listed, x.overdue]);
  };
  sheet("分乡镇", r.townships);
  sheet("分行业", r.sectors);
  const table = (name: string, columns: readonly string[], rows: (string | number)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = columns.map((h, i) => ({ header: h, key: h, width: i === 0 ? 20 : 14 }));
    ws.getRow(1).font = { bold: true };
    for (const x of rows) ws.addRow(x);
  };
  table("巡查值班叫应", COMPLIANCE_COLUMNS, [...r.compliance, r.complianceTotal].map((x) => [x.unit, x.patrolReported, x.patrolMissed, x.patrolRate, x.shifts, x.signedIn, x.late, x.dutyRate, x.called, x.confirmed, x.confirmRate]));
  table("预警", WARNING_COLUMNS, r.warnings.map((w) => [w.number, w.type, `${w.level}色`, formatLocal(w.at), render(warningState(w.status)), w.total, w.confirmed, w.rate]));
  const text = wb.addWorksheet("报告");
  text.getColumn(1).width = 120;
  for (const l of [r.title, ...r.lines]) text.addRow([render(l)]);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${render(r.title).replace(/[\\/:*?"<>|\s]/g, "")}-${formatLocal(now).replace(/[-: ]/g, "")}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}
