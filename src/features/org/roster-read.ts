/**
 * Reads a roster file into rows of strings: CSV (UTF-8, or GBK as Excel saves it
 * on Chinese Windows) or XLSX (the first worksheet).
 */
import { say, type Say } from "../../prompts/catalog.js";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { RosterFileError } from "./roster-rules.js";

export type RosterFormat = "csv" | "xlsx";

export function formatOf(fileName: string): RosterFormat | null {
  const ext = fileName.toLowerCase().split(".").pop();
  return ext === "csv" ? "csv" : ext === "xlsx" ? "xlsx" : null;
}

function decode(buf: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder("gbk").decode(buf);
  }
}

export async function readRosterRows(buf: Buffer, format: RosterFormat): Promise<string[][]> {
  if (format === "csv") {
    try {
      return parse(decode(buf), { bom: true, relax_column_count: true, skip_empty_lines: false, trim: false }) as string[][];
    } catch (e) {
      throw new RosterFileError(say("roster.csv_unreadable"), (e as Error).message);
    }
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw new RosterFileError(say("roster.xlsx_unreadable"), (e as Error).message);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new RosterFileError(say("roster.xlsx_no_sheet"));
  const rows: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= 4; c++) cells.push(row.getCell(c).text ?? "");
    rows.push(cells);
  }
  return rows;
}
