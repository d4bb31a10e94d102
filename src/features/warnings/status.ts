/**
 * A warning's 叫应 status and its group tally, as sentences: sent, delivered,
 * confirmed, rate, median, the silent by village. With `scope`, only the targets in
 * that region (a township leader asking about the county's warning sees their own).
 */
import { within } from "../org/rules.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { Db, Tx } from "../../store/db.js";
import * as repo from "./repo.js";
import { figures, warningState } from "./rules.js";

export const tallyKey = (warningId: number, groupId: number) => `yj:${warningId}:g:${groupId}:tally`;

export function tallyText(t: (s: Say) => string, w: repo.WarningRow, inGroup: { status: string }[]): string {
  const confirmed = inGroup.filter((x) => x.status === "已确认").length;
  return t(say("warning.tally", { number: w.number, type: w.type, level: w.level, text: w.text, confirmed, total: inGroup.length }));
}

export async function warningStatus(db: Db | Tx, w: repo.WarningRow, scope?: string): Promise<Say[]> {
  const inScope = (path: string) => !scope || within(path, scope);
  const targets = (await repo.targetsOf(db, w.id)).filter((x) => inScope(x.regionPath));
  const f = figures(targets, w.createdAt);
  const mine = new Set(targets.map((x) => x.personId));
  const notices = (await repo.deliveries(db, w.id)).filter((d) => mine.has(d.personId));
  const silent = targets.filter((x) => x.status === "未确认");
  const names = await repo.namesOf(db, silent.map((x) => x.personId));
  const byRegion = new Map<string, string[]>();
  for (const s of silent) {
    const key = s.regionPath.split("/").slice(0, 3).join("/");
    byRegion.set(key, [...(byRegion.get(key) ?? []), names.get(s.personId) ?? ""]);
  }
  const unreachable = targets.filter((x) => x.status === "无法送达");
  const out: Say[] = [say("warning.status", {
    number: w.number, type: w.type, level: w.level, state: warningState(w.status),
    sent: notices.length, delivered: notices.filter((m) => m.status === "sent").length, confirmed: f.confirmed, total: f.total, rate: f.rate,
    median: f.medianMinutes === null ? "—" : `${f.medianMinutes}分钟`, cycle: w.cycle,
  })];
  for (const [r, ns] of [...byRegion].sort()) out.push(say("warning.status_silent", { region: r, count: ns.length, names: ns.slice(0, 30).join("、") }));
  if (unreachable.length) out.push(say("warning.status_unreachable", { count: unreachable.length, reasons: [...new Set(unreachable.map((u) => u.reason ?? ""))].join("；") }));
  return out;
}

/** "这次预警" for quick stats: the latest warning that reached the region, its 叫应 within it. */
export async function latestWarningStatus(db: Db | Tx, region: string): Promise<Say[] | null> {
  const w = await repo.latestIn(db, region);
  return w ? warningStatus(db, w, region) : null;
}
