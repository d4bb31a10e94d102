/**
 * Quick stats for chiefs: `统计 …`, or a plain question such as "本周隐患情况",
 * "渠阳镇10月整改率", "今天谁没签到". Scope is the access policy's: a township
 * leader asking about another township is refused.
 */
import type { CommandDef } from "../core/commands.js";
import { can } from "../domain/org.js";
import { looksLikeStatsQuestion, parseStatsQuery, type Topic } from "../domain/stats-query.js";
import { say, type Say } from "../prompts/catalog.js";
import { changeSay, dutyFigures, dutyUnsigned, hazardFigures, hazardsFound, inRegion, patrolFigures, patrolMissing, warningFigures } from "../reports/stats.js";
import { formatLocal } from "../time/shanghai.js";
import { warningStatus } from "./warnings.js";

/** Names in one line, the first `max` of them and how many more. */
const LIST_MAX = 30;
function listOf(t: (s: Say) => string, items: Say[]): string {
  const shown = items.slice(0, LIST_MAX).map(t).join("、");
  return items.length > LIST_MAX ? shown + t(say("stats.list_more", { count: items.length })) : shown;
}
import { audit } from "../store/audit.js";
import type { Tx } from "../store/db.js";


export const statsCommand: CommandDef<Tx> = {
  id: "stats", keywords: ["统计"], slash: ["stats"], describe: "stats.describe", permission: "region.read",
  matches: looksLikeStatsQuestion,
  run: async (ctx) => {
    const regions = await ctx.tx.region.findMany({ select: { name: true, path: true } });
    const q = parseStatsQuery(ctx.args, ctx.now, regions);
    const region = q.regionPath ?? ctx.actor.regionPath!;
    if (!can(ctx.actor, "region.read", region).ok) {
      await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "command.denied", entity: "stats", entityId: region, after: { reason: "scope", question: ctx.args.slice(0, 60) } });
      return [say("stats.out_of_scope", { region, scope: ctx.actor.regionPath ?? "" })];
    }
    const out: Say[] = [];
    const want = (t: Topic) => q.topic === t || q.topic === "all";
    const head = { region, period: q.period.label };
    if (want("hazard")) {
      const f = await hazardFigures(ctx.tx, region, q.period, ctx.now);
      const [prev, lastYear] = await Promise.all([hazardsFound(ctx.tx, region, q.previous), hazardsFound(ctx.tx, region, q.lastYear)]);
      out.push(say("stats.hazard", { ...head, ...f, mom: changeSay(f.found, prev), yoy: changeSay(f.found, lastYear) }));
    }
    if (want("patrol")) {
      out.push(say("stats.patrol", { ...head, ...(await patrolFigures(ctx.tx, region, q.period)) }));
      if (q.who) {
        const missing = await patrolMissing(ctx.tx, region, q.period, ctx.now);
        out.push(missing.length ? say("stats.patrol_missing", { count: missing.length, list: listOf(ctx.t, missing.map((m) => say("stats.patrol_missing_item", {
          name: m.name, place: m.place, times: m.today ? say("stats.patrol_missing_today") : m.times > 1 ? say("stats.patrol_missing_times", { count: m.times }) : "",
        }))) }) : say("stats.patrol_none_missing"));
      }
    }
    if (want("duty")) {
      out.push(say("stats.duty", { ...head, ...(await dutyFigures(ctx.tx, region, q.period)) }));
      if (q.who) {
        const unsigned = await dutyUnsigned(ctx.tx, region, q.period, ctx.now);
        out.push(unsigned.length ? say("stats.duty_unsigned", { count: unsigned.length, list: listOf(ctx.t, unsigned.map((u) => say("stats.duty_unsigned_item", {
          start: formatLocal(u.start).slice(5), officers: u.officers.join("、"), leader: u.leader,
        }))) }) : say("stats.duty_all_signed"));
      }
    }
    if (want("warning")) {
      if (q.latest) {
        // "这次预警": the latest warning that reached this region, its 叫应 within the region.
        const w = await ctx.tx.warning.findFirst({ where: { targets: { some: inRegion(region) } }, orderBy: { createdAt: "desc" } });
        out.push(...(w ? await warningStatus(ctx.tx, w, region) : [say("stats.no_warning", { region })]));
      } else out.push(say("stats.warning", { ...head, ...(await warningFigures(ctx.tx, region, q.period)) }));
    }
    return out;
  },
};

import path from "node:path";
import type { JobDef } from "../scheduler/scheduler.js";
import type { Db } from "../store/db.js";
import { buildRollup, writeRollupXlsx } from "../reports/rollup.js";
import { panelsAsked, rollupChart } from "../reports/rollup-chart.js";
import { toGroup, enqueueNoting } from "./notify.js";

/** The last full week (Mon–Sun) or month before `now`, with its 环比 and 同比 periods. */
export function lastFull(kind: "week" | "month", now: Date) {
  const q = parseStatsQuery(kind === "week" ? "上周" : "上月", now, []);
  return q;
}

/** 周报 / 月报 on demand (`月报 10月`, `周报`), and 导出 (the same as an .xlsx). */
export function rollupCommands(o: { dataDir: string }): CommandDef<Tx>[] {
  const make = (kind: "week" | "month", file: boolean): CommandDef<Tx> => ({
    id: file ? `export-${kind}` : `rollup-${kind}`,
    keywords: [file ? (kind === "week" ? "导出周报" : "导出") : kind === "week" ? "周报" : "月报"],
    slash: [file ? (kind === "week" ? "export_week" : "export") : kind === "week" ? "weekly" : "monthly"],
    describe: file ? "rollup.export_describe" : kind === "week" ? "rollup.week_describe" : "rollup.month_describe",
    permission: "region.read",
    run: async (ctx) => {
      const regions = await ctx.tx.region.findMany({ select: { name: true, path: true } });
      const q = ctx.args ? parseStatsQuery(ctx.args, ctx.now, regions) : lastFull(kind, ctx.now);
      const region = q.regionPath ?? ctx.actor.regionPath!;
      if (!can(ctx.actor, "region.read", region).ok) return [say("stats.out_of_scope", { region, scope: ctx.actor.regionPath ?? "" })];
      const r = await buildRollup(ctx.tx, { regionPath: region, period: q.period, previous: q.previous, lastYear: q.lastYear, kind, now: ctx.now });
      if (!file) return { says: [r.title, ...r.lines], image: await rollupChart(r, ctx.t, { dataDir: o.dataDir, now: ctx.now }) };
      const xlsx = await writeRollupXlsx(r, ctx.t, path.join(o.dataDir, "exports"), ctx.now);
      return { says: [r.title, say("rollup.exported")], file: xlsx };
    },
  });
  return [make("week", false), make("month", false), make("month", true), chartCommand(o.dataDir)];
}

function chartCommand(dataDir: string): CommandDef<Tx> {
  return {
  id: "chart", keywords: ["图表"], slash: ["chart"], describe: "rollup.chart_describe", permission: "region.read",
  run: async (ctx) => {
    const regions = await ctx.tx.region.findMany({ select: { name: true, path: true } });
    const q = parseStatsQuery(ctx.args || "本月", ctx.now, regions);
    const region = q.regionPath ?? ctx.actor.regionPath!;
    if (!can(ctx.actor, "region.read", region).ok) return [say("stats.out_of_scope", { region, scope: ctx.actor.regionPath ?? "" })];
    const r = await buildRollup(ctx.tx, { regionPath: region, period: q.period, previous: q.previous, lastYear: q.lastYear, kind: "month", now: ctx.now });
    return { says: [r.title, r.lines[0]!], image: await rollupChart(r, ctx.t, { dataDir, now: ctx.now, panels: panelsAsked(ctx.args) }) };
  },
  };
}

/** Every Monday the weekly report, on the 1st the monthly one, to each leaders' group for its region. */
export function rollupJobs(d: { db: Db; render: (s: Say) => string; now: () => Date; notify: (c: Set<string>) => void; dataDir: string }): JobDef[] {
  const job = (kind: "week" | "month"): JobDef => ({
    name: kind === "week" ? "weekly-report" : "monthly-report",
    catchUpWithinMs: 12 * 3600_000,
    async run() {
      const now = d.now();
      const q = lastFull(kind, now);
      const touched = new Set<string>();
      for (const g of await d.db.groupChat.findMany({ where: { purpose: "领导群" }, include: { region: true } })) {
        const r = await buildRollup(d.db, { regionPath: g.region.path, period: q.period, previous: q.previous, lastYear: q.lastYear, kind, now });
        const file = await writeRollupXlsx(r, d.render, path.join(d.dataDir, "exports"), now);
        const image = await rollupChart(r, d.render, { dataDir: d.dataDir, now });
        const text = [r.title, ...r.lines].map(d.render).join("\n");
        await d.db.$transaction((tx) => enqueueNoting(tx, toGroup(g, text, `rollup:${kind}:${q.period.label}`).map((i) => ({ ...i, payload: { ...i.payload, file, image } })), now, touched));
      }
      if (touched.size) d.notify(touched);
    },
  });
  return [job("week"), job("month")];
}
