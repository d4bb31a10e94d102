/**
 * The roster (花名册) file format and its row-by-row validation. Header, in this
 * order and spelling: 姓名,手机号,区域,角色. Pure: rows of strings in, good rows and
 * numbered errors out.
 */
import { say, type Say } from "../../prompts/catalog.js";
import { z } from "zod";
import { isRole, ROLES, splitRegionPath, type Role } from "./rules.js";

export const ROSTER_HEADER = ["姓名", "手机号", "区域", "角色"] as const;

export interface RosterRow {
  /** Row number in the file (the header is row 1). */
  row: number;
  name: string;
  mobile: string;
  regionPath: string;
  roles: Role[];
}

export interface RowError {
  row: number;
  reason: string;
}

/** A file that cannot be read at all: what to tell the person (a prompt), and the technical detail for the log. */
export class RosterFileError extends Error {
  override name = "RosterFileError";
  constructor(readonly say: Say, detail?: string) {
    super(detail ?? say.key);
  }
}

const RowSchema = z.object({
  name: z.string().trim().min(1, "姓名为空").max(30, "姓名超过30个字"),
  mobile: z.string().transform((s) => s.replace(/[\s-]/g, "")).pipe(z.string().regex(/^1[3-9]\d{9}$/, "手机号格式不对（应为11位手机号）")),
  regionPath: z.string().transform((s, ctx) => {
    const parts = splitRegionPath(s);
    if (s.trim() === "") ctx.addIssue({ code: "custom", message: "区域为空" });
    else if (parts.some((p) => p === "")) ctx.addIssue({ code: "custom", message: `区域“${s}”中有空的一级` });
    else if (parts.length > 6) ctx.addIssue({ code: "custom", message: `区域“${s}”层级过多（最多6级）` });
    return parts.join("/");
  }),
  roles: z.string().transform((s, ctx) => {
    const parts = s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean);
    if (parts.length === 0) ctx.addIssue({ code: "custom", message: "角色为空" });
    for (const p of parts) if (!isRole(p)) ctx.addIssue({ code: "custom", message: `未知角色“${p}”（可用：${ROLES.join("、")}）` });
    return [...new Set(parts)] as Role[];
  }),
});

/**
 * Validates a whole file. Throws RosterFileError when the header is wrong (nothing
 * can be read); otherwise returns every good row and every bad row's reason.
 */
export function validateRoster(rows: string[][]): { rows: RosterRow[]; errors: RowError[] } {
  const header = (rows[0] ?? []).map((c) => c.replace(/^\uFEFF/, "").trim());
  while (header.length > ROSTER_HEADER.length && header[header.length - 1] === "") header.pop();
  if (header.join(",") !== ROSTER_HEADER.join(",")) {
    throw new RosterFileError(say("roster.bad_header", { expected: ROSTER_HEADER.join(","), actual: header.join(",") }));
  }
  const good: RosterRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === "")) return; // blank line
    const r = RowSchema.safeParse({ name: cells[0] ?? "", mobile: cells[1] ?? "", regionPath: cells[2] ?? "", roles: cells[3] ?? "" });
    if (!r.success) {
      errors.push({ row, reason: r.error.issues.map((x) => x.message).join("；") });
      return;
    }
    const first = seen.get(r.data.mobile);
    if (first !== undefined) {
      errors.push({ row, reason: `手机号${r.data.mobile}与第${first}行重复` });
      return;
    }
    seen.set(r.data.mobile, row);
    good.push({ row, ...r.data });
  });
  return { rows: good, errors };
}
