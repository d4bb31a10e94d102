/** The import report as prompts, shared by the chat command and the command line. */
import type { RowError } from "./roster-rules.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { ImportReport } from "./repo.js";

export const ERRORS_SHOWN = 20;

export function importReportLines(r: ImportReport, errors: RowError[], shown = ERRORS_SHOWN): Say[] {
  const out: Say[] = [say("roster.report", { created: r.created, updated: r.updated, unchanged: r.unchanged, regions: r.regionsCreated })];
  if (errors.length) out.push(say("roster.bad_rows", { errors: errors.length }));
  for (const e of errors.slice(0, shown)) out.push(say("roster.error_line", { row: e.row, reason: e.reason }));
  if (errors.length > shown) out.push(say("org.more", { count: errors.length - shown }));
  if (r.deactivated) out.push(say("roster.deactivated", { count: r.deactivated }));
  else if (r.missing.length) out.push(say("roster.missing", { count: r.missing.length, names: r.missing.slice(0, 20).map((m) => m.name).join("、") }));
  return out;
}
