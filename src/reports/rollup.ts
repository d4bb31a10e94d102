/**
 * Weekly and monthly rollups (周报 / 月报): headline figures with 环比/同比, a
 * per-township and a per-sector table, overdue and 挂牌督办 lists, patrol and duty
 * compliance, warning confirm rates — as prompts, and as an .xlsx with one sheet
 * per table and the official 隐患排查治理情况 columns.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Period } from "../domain/period.js";
import { say, type Say } from "../prompts/catalog.js";
import type { Db, Tx } from "../store/db.js";
import { formatLocal, toLocalDate } from "../time/shanghai.js";
import { changeSay, dutyFigures, hazardFigures, hazardsFound, inRegion, patrolFigures, percent, warningFigures } from "./stats.js";

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

async function row(db: Db | Tx, unit: string, where: object, today: string): Promise<RollupRow> {
  const [found, rectified, major, majorClosed, overdue, byLevel] = await Promise.all([
    db.hazard.count({ where }),
    db.hazard.count({ where: { ...where, status: { in: ["已整改", "已销号"] } } }),
    db.hazard.count({ where: { ...where, level: "重大" } }),
    db.hazard.count({ where: { ...where, level: "重大", status: "已销号" } }),
    db.hazard.count({ where: { ...where, status: { in: ["待整改", "整改中"] }, deadline: { lt: today } } }),
    db.hazard.groupBy({ by: ["supervisionLevel"], where: { ...where, supervisionLevel: { not: null } }, _count: { _all: true } }),
  ]);
  const lv = (l: string) => byLevel.find((x) => x.supervisionLevel === l)?._count._all ?? 0;
  return { unit, found, rectified, rate: percent(rectified, found), major, majorClosed, listed: `${lv("省")}/${lv("市")}/${lv("县")}`, overdue };
}

export interface Rollup {
  title: Say;
  lines: Say[];
  townships: RollupRow[];
  sectors: RollupRow[];
  total: RollupRow;
}

export async function buildRollup(db: Db | Tx, o: { regionPath: string; period: Period; previous: Period; lastYear: Period; kind: "week" | "month"; now: Date }): Promise<Rollup> {
  const today = toLocalDate(o.now);
  const scope = { ...inRegion(o.regionPath), createdAt: { gte: o.period.from, lt: o.period.to } };
  const children = await db.region.findMany({ where: { parent: { path: o.regionPath } }, orderBy: { path: "asc" } });
  const townships = await Promise.all(children.map((c) => row(db, c.name, { ...scope, ...inRegion(c.path) }, today)));
  const sectorNames = (await db.hazard.groupBy({ by: ["sector"], where: scope, _count: { _all: true }, orderBy: { sector: "asc" } })).map((s) => s.sector);
  const sectors = await Promise.all(sectorNames.map((s) => row(db, s, { ...scope, sector: s }, today)));
  const total = await row(db, "合计", scope, today);
  const f = await hazardFigures(db, o.regionPath, o.period, o.now);
  const [prev, lastYear, patrol, duty, warn] = await Promise.all([
    hazardsFound(db, o.regionPath, o.previous), hazardsFound(db, o.regionPath, o.lastYear),
    patrolFigures(db, o.regionPath, o.period), dutyFigures(db, o.regionPath, o.period), warningFigures(db, o.regionPath, o.period),
  ]);
  const lines: Say[] = [
    say("rollup.headline", { ...f, mom: changeSay(f.found, prev), yoy: changeSay(f.found, lastYear) }),
    say("rollup.compliance", { patrolRate: patrol.rate, missed: patrol.missed, dutyRate: duty.rate, late: duty.late, warnings: warn.warnings, warnRate: warn.rate }),
    say("rollup.table_header"),
    ...townships.map((t) => say("rollup.table_row", { ...t })),
  ];
  const overdue = await db.hazard.findMany({ where: { ...scope, status: { in: ["待整改", "整改中"] }, deadline: { lt: today } }, orderBy: { deadline: "asc" }, take: 10 });
  if (overdue.length) lines.push(say("rollup.overdue", { count: total.overdue, list: overdue.map((h) => `${h.number}（${h.place}）`).join("、") }));
  const listed = await db.hazard.findMany({ where: { ...scope, supervisionLevel: { not: null }, status: { not: "已销号" } }, take: 10 });
  if (listed.length) lines.push(say("rollup.listed", { count: listed.length, list: listed.map((h) => `${h.number}（${h.supervisionLevel}级，${h.status}）`).join("、") }));
  return { title: say(o.kind === "week" ? "rollup.title_week" : "rollup.title_month", { region: o.regionPath, period: o.period.label }), lines, townships, sectors, total };
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
  const text = wb.addWorksheet("报告");
  text.getColumn(1).width = 120;
  for (const l of [r.title, ...r.lines]) text.addRow([render(l)]);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${render(r.title).replace(/[\\/:*?"<>|\s]/g, "")}-${formatLocal(now).replace(/[-: ]/g, "")}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}
