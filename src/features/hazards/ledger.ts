/**
 * The hazard ledger (隐患台账) as an .xlsx file: one row per hazard with every
 * field, its status history and photo references, plus a sheet of all events.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { isOverdue } from "./rules.js";
import type { Period } from "../../domain/period.js";
import type { Db, Tx } from "../../store/db.js";
import { hazardEvents, hazardsIn } from "./repo.js";
import { formatLocal, toLocalDate } from "../../time/shanghai.js";
import { namesOf } from "../org/index.js";

export const LEDGER_COLUMNS = [
  "编号", "上报时间", "区域", "地点", "经纬度", "行业领域", "隐患描述", "隐患等级", "责任单位", "整改期限",
  "状态", "是否逾期", "挂牌督办", "上报人", "整改完成时间", "销号时间", "照片", "状态记录",
] as const;

export interface LedgerSummary {
  found: number;
  rectified: number;
  closed: number;
  overdue: number;
  major: number;
}

export async function writeHazardLedger(db: Db | Tx, o: { regionPath: string; period: Period; now: Date; dir: string }): Promise<{ file: string; summary: LedgerSummary }> {
  const rows = await hazardsIn(db, o.regionPath, o.period.from, o.period.to);
  const events = await hazardEvents(db, rows.map((r) => r.id));
  const people = await namesOf(db, [...rows.map((r) => r.reporterId), ...events.flatMap((e) => (e.actorId ? [e.actorId] : []))]);
  const today = toLocalDate(o.now);

  const wb = new ExcelJS.Workbook();
  wb.creator = "应急助手";
  wb.created = o.now;
  const ws = wb.addWorksheet("隐患台账", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = LEDGER_COLUMNS.map((h) => ({ header: h, key: h, width: ["隐患描述", "状态记录", "照片"].includes(h) ? 40 : 16 }));
  ws.getRow(1).font = { bold: true };
  for (const h of rows) {
    const history = events.filter((e) => e.hazardId === h.id).map((e) => `${formatLocal(e.at)} ${e.fromStatus ?? ""}${e.toStatus ? `→${e.toStatus}` : e.kind === "progress" ? "进展" : e.kind === "list" ? "挂牌" : e.kind}${e.actorId ? `（${people.get(e.actorId) ?? ""}）` : ""}${e.note ? `：${e.note}` : ""}`);
    const photos = [...JSON.parse(h.photos) as string[], ...events.filter((e) => e.hazardId === h.id).flatMap((e) => JSON.parse(e.photos) as string[])];
    ws.addRow({
      编号: h.number, 上报时间: formatLocal(h.createdAt), 区域: h.regionPath, 地点: h.place,
      经纬度: h.lat != null ? `${h.lat.toFixed(5)},${h.lng!.toFixed(5)}` : "", 行业领域: h.sector, 隐患描述: h.description,
      隐患等级: h.level, 责任单位: h.responsibleUnit, 整改期限: h.deadline, 状态: h.status, 是否逾期: isOverdue(h, today) ? "是" : "否",
      挂牌督办: h.supervisionLevel ? `${h.supervisionLevel}级` : "", 上报人: people.get(h.reporterId) ?? "",
      整改完成时间: h.rectifiedAt ? formatLocal(h.rectifiedAt) : "", 销号时间: h.closedAt ? formatLocal(h.closedAt) : "",
      照片: [...new Set(photos)].join("\n"), 状态记录: history.join("\n"),
    });
  }
  const ev = wb.addWorksheet("状态记录");
  ev.columns = ["编号", "时间", "事项", "原状态", "新状态", "经办人", "说明"].map((h) => ({ header: h, key: h, width: h === "说明" ? 40 : 16 }));
  ev.getRow(1).font = { bold: true };
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));
  for (const e of events) ev.addRow({ 编号: numberOf.get(e.hazardId), 时间: formatLocal(e.at), 事项: e.kind, 原状态: e.fromStatus ?? "", 新状态: e.toStatus ?? "", 经办人: e.actorId ? people.get(e.actorId) ?? "" : "系统", 说明: e.note ?? "" });

  fs.mkdirSync(o.dir, { recursive: true });
  const stamp = formatLocal(o.now).replace(/[-: ]/g, "");
  const file = path.join(o.dir, `隐患台账-${o.regionPath.split("/").pop()}-${o.period.label.replace(/[^\d年月至-]/g, "")}-${stamp}.xlsx`);
  await wb.xlsx.writeFile(file);
  const summary: LedgerSummary = {
    found: rows.length,
    rectified: rows.filter((r) => r.status === "已整改" || r.status === "已销号").length,
    closed: rows.filter((r) => r.status === "已销号").length,
    overdue: rows.filter((r) => isOverdue(r, today)).length,
    major: rows.filter((r) => r.level === "重大").length,
  };
  return { file, summary };
}
