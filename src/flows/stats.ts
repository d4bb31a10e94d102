/**
 * Quick stats for chiefs: `统计 …`, or a plain question such as "本周隐患情况",
 * "渠阳镇10月整改率", "今天谁没签到". Scope is the access policy's: a township
 * leader asking about another township is refused.
 */
import type { CommandDef } from "../core/commands.js";
import { can } from "../domain/org.js";
import { looksLikeStatsQuestion, parseStatsQuery, type Topic } from "../domain/stats-query.js";
import { say, type Say } from "../prompts/catalog.js";
import { change, dutyFigures, hazardFigures, hazardsFound, patrolFigures, warningFigures } from "../reports/stats.js";
import { audit } from "../store/audit.js";
import type { Tx } from "../store/db.js";

function changeSay(cur: number, before: number): Say {
  const c = change(cur, before);
  return c.dir === "up" ? say("stats.change.up", { pct: c.pct }) : c.dir === "down" ? say("stats.change.down", { pct: c.pct }) : c.dir === "flat" ? say("stats.change.flat") : say("stats.change.none");
}

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
    if (want("patrol")) out.push(say("stats.patrol", { ...head, ...(await patrolFigures(ctx.tx, region, q.period)) }));
    if (want("duty")) out.push(say("stats.duty", { ...head, ...(await dutyFigures(ctx.tx, region, q.period)) }));
    if (want("warning")) out.push(say("stats.warning", { ...head, ...(await warningFigures(ctx.tx, region, q.period)) }));
    return out;
  },
};
