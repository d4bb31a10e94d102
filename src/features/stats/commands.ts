/**
 * Quick stats for chiefs: `统计 …`, or a plain question such as "本周隐患情况",
 * "渠阳镇10月整改率", "今天谁没签到"; 周报 / 月报 / 导出 / 图表 on demand, and the
 * scheduled rollups to each leaders' group. Scope is the access policy's: a
 * township leader asking about another township is refused (and audited).
 */
import path from "node:path";
import type { CommandContext, CommandDef, Rendering } from "../../core/commands.js";
import type { Renderer } from "../../core/effects.js";
import type { Json } from "../../core/flow-types.js";
import type { RoutineConfig } from "../routines/rules.js";
import { commandWithArgs, looksLikeStatsQuestion, parseStatsQuery, type StatsQuery, type Topic } from "./query.js";
import { say, type Say } from "../../prompts/catalog.js";
import { PANEL_WORD_START, panelsAsked, rollupChart, type ChartPanel } from "./rollup-chart.js";
import { buildRollup, kindOf, writeRollupXlsx, type RollupKind } from "./rollup.js";
import { changeSay, dutyFigures, dutyUnsigned, hazardFigures, hazardsFound, patrolFigures, patrolMissing, warningFigures } from "./repo.js";
import type { TickJob } from "../../core/jobs.js";
import { audit } from "../../store/audit.js";
import { inRegion } from "../../store/subtree.js";
import type { Db, Tx } from "../../store/db.js";
import { formatLocal } from "../../time/shanghai.js";
import { latestWarningStatus } from "../warnings/index.js";
import { groupsFor, regionNames } from "../org/index.js";
import { lastAudited } from "../../store/audit.js";

/** Names in one line: the first LIST_MAX of them and how many in all. */
const LIST_MAX = 30;
function listOf(t: (s: Say) => string, items: Say[]): string {
  const shown = items.slice(0, LIST_MAX).map(t).join("、");
  return items.length > LIST_MAX ? shown + t(say("stats.list_more", { count: items.length })) : shown;
}

/**
 * Inside a dialog a question is a question (not the answer) when it names a period:
 * `本周隐患情况` is asked, `村里隐患情况严重` is a description.
 */
const namesAPeriod = (a: string) => /(今天|今日|昨天|本周|这周|上周|本月|这个月|上月|上个月|今年|本年|去年|本季度|上季度|第[一二三四1-4]季度|近\s*\d+\s*天|最近|[0-9一二三四五六七八九十]+月份?)/.test(a);

/** How long `导出` alone exports the question just asked (else last month). */
const EXPORT_FOLLOWS_MS = 30 * 60_000;

/** The question read, and the region it is about if the asker may see it (else the refusal, audited). */
async function scoped(ctx: CommandContext<Tx>, text: string): Promise<{ q: StatsQuery; region: string } | { refused: Say[] }> {
  const regions = await regionNames(ctx.tx);
  const q = parseStatsQuery(text, ctx.now, regions);
  const region = q.regionPath ?? ctx.actor.regionPath!;
  const no = await ctx.access("region.read", { regions: [region] }, { entity: "stats", id: region, refusal: { scope: say("stats.out_of_scope", { region, scope: ctx.actor.regionPath ?? "" }) } });
  return no ? { refused: no } : { q, region };
}

export const statsCommand = (o: { patrol: RoutineConfig }): CommandDef<Tx> => ({
  id: "stats", complete: namesAPeriod, keywords: ["统计"], slash: ["stats"], describe: "stats.describe", permission: "region.read", checks: [{ action: "region.read", target: "region" }],
  matches: looksLikeStatsQuestion,
  run: async (ctx) => {
    const s = await scoped(ctx, ctx.args);
    if ("refused" in s) return s.refused;
    const { q, region } = s;
    // Who looked at what (and what a following `导出` exports).
    await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "stats.query", entity: "stats", entityId: region, after: { question: ctx.args.slice(0, 200) } });
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
        const missing = await patrolMissing(ctx.tx, region, q.period, ctx.now, o.patrol);
        out.push(missing.length ? say("stats.patrol_missing", { count: missing.length, list: listOf(ctx.t, missing.map((m) => say("stats.patrol_missing_item", {
          name: m.name, place: m.place, times: m.today ? say("stats.patrol_missing_today") : m.times > 1 ? say("stats.patrol_missing_times", { count: m.times }) : "",
        }))) }) : say("stats.patrol_none_missing"));
      }
    }
    if (want("duty")) {
      const duty = await dutyFigures(ctx.tx, region, q.period);
      out.push(say("stats.duty", { ...head, ...duty }));
      if (q.who) {
        const unsigned = await dutyUnsigned(ctx.tx, region, q.period, ctx.now);
        out.push(unsigned.length ? say("stats.duty_unsigned", { count: unsigned.length, list: listOf(ctx.t, unsigned.map((u) => say("stats.duty_unsigned_item", {
          start: formatLocal(u.start).slice(5), officers: u.officers.join("、"), leader: u.leader,
        }))) }) : say(duty.shifts ? "stats.duty_all_signed" : "stats.duty_no_shifts"));
      }
    }
    if (want("warning")) {
      if (q.latest) {
        // "这次预警": the latest warning that reached this region, its 叫应 within the region.
        out.push(...((await latestWarningStatus(ctx.tx, region)) ?? [say("stats.no_warning", { region })]));
      } else out.push(say("stats.warning", { ...head, ...(await warningFigures(ctx.tx, region, q.period)) }));
    }
    out.push(say("stats.export_hint"));
    return out;
  },
});

/** The last full week (Mon–Sun) or month before `now`, with its 环比 and 同比 periods. */
export function lastFull(kind: "week" | "month", now: Date): StatsQuery {
  return parseStatsQuery(kind === "week" ? "上周" : "上月", now, []);
}

/**
 * What a rollup render is asked for, as values: the region, the question as typed
 * (re-read at the request's moment), or the last full week or month.
 */
export interface RollupParams {
  region: string;
  /** `asked`: the question's own period; `week` / `month`: the last full one. */
  period: "asked" | "week" | "month";
  question: string;
  /** `scheduled`: the report, its chart and its workbook in one message (the Monday / 1st rollups). */
  output: "report" | "export" | "chart" | "scheduled";
  panels?: ChartPanel[];
  [k: string]: Json | undefined;
}

const rollupRender = (params: RollupParams): Rendering => ({ render: { kind: "rollup", params: params as unknown as Json } });

/** The argument after a command word, typed with or without a space ("月报10月", "月报 10月"). */
const argsAfter = (words: readonly string[], args: string) => {
  const w = words.find((x) => args.startsWith(x));
  return (w ? args.slice(w.length) : args).trim();
};

/**
 * The rollup renderer (core/renders.ts): figures read on the render connection
 * after the command's commit, the chart and workbook drawn outside any transaction.
 */
export function rollupRenderer(d: { db: Db; render: (s: Say) => string; dataDir: string }): Renderer {
  return async (raw, at) => {
    const p = raw as unknown as RollupParams;
    const regions = await regionNames(d.db);
    const q = p.period === "asked" ? parseStatsQuery(p.question, at, regions) : lastFull(p.period, at);
    const kind: RollupKind = p.period === "asked" ? kindOf(q.period) : p.period;
    const r = await buildRollup(d.db, { regionPath: p.region, period: q.period, previous: q.previous, lastYear: q.lastYear, kind, now: at });
    if (p.output === "export") return { says: [r.title, say("rollup.exported")], file: await writeRollupXlsx(r, d.render, path.join(d.dataDir, "exports"), at) };
    if (p.output === "chart") return { says: [r.title, r.lines[0]!], image: await rollupChart(r, d.render, { dataDir: d.dataDir, now: at, ...(p.panels ? { panels: p.panels } : {}) }) };
    const image = await rollupChart(r, d.render, { dataDir: d.dataDir, now: at });
    if (p.output === "scheduled") return { says: [r.title, ...r.lines], image, file: await writeRollupXlsx(r, d.render, path.join(d.dataDir, "exports"), at) };
    return { says: [r.title, ...r.lines], image };
  };
}

/** 周报 / 月报 on demand (`月报 10月`, `周报 渠阳镇`), 导出 (any stats question as an .xlsx) and 图表. */
export function rollupCommands(): CommandDef<Tx>[] {
  const report = (kind: "week" | "month"): CommandDef<Tx> => {
    const words = kind === "week" ? ["周报", "上周周报"] : ["月报", "上月月报"];
    return {
      id: `rollup-${kind}`, complete: (a) => a.trim() !== "", keywords: words, slash: [kind === "week" ? "weekly" : "monthly"], matches: commandWithArgs(words),
      describe: kind === "week" ? "rollup.week_describe" : "rollup.month_describe", permission: "region.read", checks: [{ action: "region.read", target: "region" }],
      run: async (ctx) => {
        const question = argsAfter(words, ctx.args);
        const s = await scoped(ctx, question);
        if ("refused" in s) return s.refused;
        // No period named ("周报 渠阳镇"): the last full week or month, for the region named.
        return rollupRender({ region: s.region, period: s.q.periodGiven ? "asked" : kind, question, output: "report" });
      },
    };
  };
  const exportWords = ["导出"];
  const exportCommand: CommandDef<Tx> = {
    id: "export", complete: (a) => a.trim() !== "", keywords: exportWords, slash: ["export"], describe: "rollup.export_describe", permission: "region.read", checks: [{ action: "region.read", target: "region" }],
    matches: commandWithArgs(exportWords, /^(周报|月报)/),
    run: async (ctx) => {
      let args = argsAfter(exportWords, ctx.args);
      // `导出周报` / `导出月报 渠阳镇`: that rollup, last week or month unless a period is named.
      const named = /^(周报|月报)/.exec(args)?.[1];
      if (named) args = args.slice(2).trim();
      // `导出` alone: the question this person just asked; otherwise last month.
      const last = args || named ? null : await lastAudited(ctx.tx, ctx.actor.key, "stats.query", new Date(ctx.now.getTime() - EXPORT_FOLLOWS_MS));
      const question = args || (last ? (JSON.parse(last.after ?? "{}") as { question?: string }).question ?? "" : "");
      const s = await scoped(ctx, question);
      if ("refused" in s) return s.refused;
      // A question without a period means this month, as its answer did; 导出周报/月报 or a bare 导出, the last full one.
      const asAsked = s.q.periodGiven || (!named && question !== "");
      return rollupRender({ region: s.region, period: asAsked ? "asked" : named === "周报" ? "week" : "month", question, output: "export" });
    },
  };
  const chartWords = ["图表"];
  const chartCommand: CommandDef<Tx> = {
    id: "chart", complete: (a) => a.trim() !== "", keywords: chartWords, slash: ["chart"], describe: "rollup.chart_describe", permission: "region.read", checks: [{ action: "region.read", target: "region" }],
    matches: commandWithArgs(chartWords, PANEL_WORD_START),
    run: async (ctx) => {
      const args = argsAfter(chartWords, ctx.args);
      const s = await scoped(ctx, args || "本月");
      if ("refused" in s) return s.refused;
      return rollupRender({ region: s.region, period: "asked", question: args || "本月", output: "chart", panels: panelsAsked(args) });
    },
  };
  return [report("week"), report("month"), exportCommand, chartCommand];
}

/**
 * Every Monday the weekly report, on the 1st the monthly one, to each leaders'
 * group for its region: queued as renders (figures, chart and workbook are drawn
 * after the commit), one per group, each at most once per period.
 */
export function rollupJobs(d: { db: Db }): TickJob<Tx>[] {
  const job = (kind: "week" | "month"): TickJob<Tx, { channel: string; chatId: string; region: { path: string } }> => ({
    name: kind === "week" ? "weekly-report" : "monthly-report",
    catchUpWithinMs: 12 * 3600_000,
    due: () => groupsFor(d.db, ["领导群"]),
    async handle({ at }, g) {
      const label = lastFull(kind, at).period.label;
      const params: RollupParams = { region: g.region.path, period: kind, question: "", output: "scheduled" };
      return [{ render: { kind: "rollup", params: params as unknown as Json, dedupeKey: `rollup:${kind}:${label}:${g.channel}:${g.chatId}`, at, target: { channel: g.channel, chatId: g.chatId, payload: { text: "", choices: [] }, dedupeKey: `rollup:${kind}:${label}:${g.channel}:${g.chatId}` } } }];
    },
  });
  return [job("week"), job("month")];
}
