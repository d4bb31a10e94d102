/**
 * Warnings with call-and-response (预警叫应): issue (发布预警), fan-out through the
 * outbox (privately to each target, one tally per group), confirm (收到), re-call
 * the silent each interval, escalate to their superiors, status (预警 YJ-… 情况),
 * lift (解除预警) and upgrade (升级预警), and the closing summary.
 */
import type { CommandContext, CommandDef } from "../core/commands.js";
import type { FlowDef } from "../core/flow-types.js";
import type { Actor, OutboxItem } from "../core/ports.js";
import { within } from "../domain/org.js";
import { rolesHolding } from "../domain/policy.js";
import type { StepInput } from "../core/flow-types.js";
import { figures, levelRank, warningState, parseCycleSettings, parseOfficialWarning, WARNING_LEVELS, WARNING_TYPES, findWarningNumber, warningNumber, type CycleSettings, type WarningLevel } from "../domain/warnings.js";
import { say, type Say } from "../prompts/catalog.js";
import type { TickJob } from "../core/jobs.js";
import { audit } from "../store/audit.js";
import type { Db, Tx } from "../store/db.js";
import { findRegion, peopleAt, personById } from "../store/org.js";
import { formatLocal, toLocalDate } from "../time/shanghai.js";
import { choice, text } from "./inputs.js";
import { toGroup, toPerson } from "./notify.js";

export type WarningSettings = Record<WarningLevel, CycleSettings>;
const TARGET_ROLES: Record<string, string[]> = { 网格员: ["网格员"], 网格员和值班员: ["网格员", "值班员"], 全部人员: ["网格员", "灾害信息员", "值班员", "带班领导", "局领导", "管理员"] };
const GROUP_PURPOSES = ["网格群", "工作群", "值班群"];
type WarningRow = NonNullable<Awaited<ReturnType<Tx["warning"]["findUnique"]>>>;

const tallyKey = (warningId: number, groupId: number) => `yj:${warningId}:g:${groupId}:tally`;

async function targetGroups(tx: Tx | Db, regions: string[]) {
  const groups = await tx.groupChat.findMany({ where: { purpose: { in: GROUP_PURPOSES } }, include: { region: { select: { path: true } } } });
  return groups.filter((g) => regions.some((r) => within(g.region.path, r)));
}

function tallyText(t: (s: Say) => string, w: WarningRow, inGroup: { status: string }[]): string {
  const confirmed = inGroup.filter((x) => x.status === "已确认").length;
  return t(say("warning.tally", { number: w.number, type: w.type, level: w.level, text: w.text, confirmed, total: inGroup.length }));
}

/** Optional own cycle settings; skipping keeps the level's defaults from the config file. */
function cycleInput(settings: WarningSettings): StepInput<CycleSettings & { [k: string]: number }> {
  return {
    kind: "text",
    hint: () => say("warning.hint.cycle"),
    parse: (m, ctx) => {
      const base = settings[(ctx.answers.level as WarningLevel | undefined) ?? "蓝"];
      const c = parseCycleSettings(m.text, base);
      return c ? { ok: true, value: { ...c } } : { ok: false, error: say("warning.bad_cycle", { text: m.text.slice(0, 20) }) };
    },
    format: (v, ctx) => ctx.t(say("warning.cycle_value", { recall: v.recallMinutes, cycles: v.cycles, escalate: v.escalateAfter, hours: v.hours })),
  };
}

export function warningIssueFlow(settings: WarningSettings): FlowDef<Tx> {
  return {
    id: "warning-issue",
    title: "warning.title",
    steps: [
      { id: "type", prompt: "warning.ask.type", label: "warning.label.type", input: choice(WARNING_TYPES) },
      { id: "level", prompt: "warning.ask.level", label: "warning.label.level", input: choice(WARNING_LEVELS) },
      { id: "text", prompt: "warning.ask.text", label: "warning.label.text", input: text({ min: 6, max: 1000 }) },
      { id: "regions", prompt: "warning.ask.regions", label: "warning.label.regions", input: text({ min: 2, max: 200 }) },
      { id: "roles", prompt: "warning.ask.roles", label: "warning.label.roles", input: choice(Object.keys(TARGET_ROLES)) },
      { id: "response", prompt: "warning.ask.response", label: "warning.label.response", input: choice(["仅确认收到", "确认并报告措施"]) },
      { id: "cycle", prompt: "warning.ask.cycle", label: "warning.label.cycle", input: cycleInput(settings), optional: true },
    ],
    permission: "warning.issue",
    async complete({ tx, now, person, t, send, access }, a) {
      const regions: string[] = [];
      for (const name of String(a.regions).split(/[\s、,，]+/).filter(Boolean)) {
        const r = await findRegion(tx, name);
        if (!r.ok) return { ok: false, stepId: "regions", error: say("warning.bad_region", { region: name }) };
        regions.push(r.path);
      }
      // Every area must be the issuer's; a refusal is audited and the areas asked again.
      const outside = regions.find((r) => !person.regionPath || !within(r, person.regionPath));
      const no = await access("warning.issue", { regions }, { entity: "warning", id: String(a.regions).slice(0, 60), refusal: { scope: say("warning.region_out_of_scope", { region: outside ?? "", scope: person.regionPath ?? "" }) } });
      if (no) return { ok: false, stepId: "regions", error: no[0]! };
      const level = a.level as WarningLevel;
      const cycle = (a.cycle as CycleSettings | undefined) ?? settings[level];
      const w = await issue(tx, { issuer: person, type: String(a.type), level, text: String(a.text), regions, roles: TARGET_ROLES[String(a.roles)]!, response: a.response === "确认并报告措施" ? "measures" : "confirm", cycle }, now, t, send);
      return { ok: true, replies: [say("warning.issued", { number: w.number, targets: w.targets, groups: w.groups, recall: cycle.recallMinutes })] };
    },
  };
}

/** Creates the warning and its targets and writes the whole fan-out in one transaction (crash-safe). */
export async function issue(
  tx: Tx, o: { issuer: Actor; type: string; level: WarningLevel; text: string; regions: string[]; roles: string[]; response: string; cycle: CycleSettings },
  now: Date, t: (s: Say) => string, send: (items: OutboxItem[]) => Promise<void>,
): Promise<{ number: string; targets: number; groups: number }> {
  const day = toLocalDate(now);
  const seq = (await tx.warning.count({ where: { number: { startsWith: warningNumber(day, 0).slice(0, -2) } } })) + 1;
  const people = (await tx.person.findMany({ where: { active: true, roles: { some: { role: { in: o.roles } } } }, include: { region: { select: { path: true } } }, orderBy: { id: "asc" } }))
    .filter((p) => o.regions.some((r) => within(p.region.path, r)));
  const w = await tx.warning.create({
    data: {
      number: warningNumber(day, seq), type: o.type, level: o.level, text: o.text, issuerId: o.issuer.personId!, regionPaths: JSON.stringify(o.regions), roles: JSON.stringify(o.roles),
      response: o.response, recallMinutes: o.cycle.recallMinutes, cycles: o.cycle.cycles, escalateAfter: o.cycle.escalateAfter, lastCycleAt: now,
      endsAt: new Date(now.getTime() + o.cycle.hours * 3600_000), status: "active", createdAt: now,
    },
  });
  await tx.warningTarget.createMany({ data: people.map((p) => ({ warningId: w.id, personId: p.id, regionPath: p.region.path, status: "未确认" })) });
  await audit(tx, { at: now, actor: o.issuer.key, action: "warning.issue", entity: "warning", entityId: w.number, after: { ...o, issuer: o.issuer.personId, targets: people.length } });
  const notice = t(say(o.response === "measures" ? "warning.notice_measures" : "warning.notice", { number: w.number, type: w.type, level: w.level, text: w.text }));
  const items: OutboxItem[] = [];
  const unreachable: number[] = [];
  for (const p of people) {
    const mine = await toPerson(tx, p.id, notice, `yj:${w.id}:p:${p.id}:0`);
    if (mine.length === 0) unreachable.push(p.id);
    for (const i of mine) items.push({ ...i, payload: { ...i.payload, choices: ["收到"] } });
  }
  if (unreachable.length) {
    await tx.warningTarget.updateMany({ where: { warningId: w.id, personId: { in: unreachable } }, data: { status: "无法送达", reason: t(say("warning.unreachable_reason")) } });
  }
  const groups = await targetGroups(tx, o.regions);
  for (const g of groups) {
    const inGroup = people.filter((p) => within(p.region.path, g.region.path)).map(() => ({ status: "未确认" }));
    items.push({ ...toGroup(g, tallyText(t, w, inGroup), "")[0]!, dedupeKey: tallyKey(w.id, g.id), payload: { text: tallyText(t, w, inGroup), choices: ["收到"] } });
  }
  await send(items);
  return { number: w.number, targets: people.length, groups: groups.length };
}

/** After a confirmation: the tallies of the groups over that person show the new count (edited where the platform allows). */
async function refreshTallies(tx: Tx, w: WarningRow, regionPath: string, t: (s: Say) => string, now: Date): Promise<OutboxItem[]> {
  const groups = (await targetGroups(tx, JSON.parse(w.regionPaths))).filter((g) => within(regionPath, g.region.path));
  if (groups.length === 0) return [];
  const targets = await tx.warningTarget.findMany({ where: { warningId: w.id }, select: { regionPath: true, status: true } });
  const out: OutboxItem[] = [];
  for (const g of groups) {
    const text = tallyText(t, w, targets.filter((x) => within(x.regionPath, g.region.path)));
    const row = await tx.outboxMessage.findUnique({ where: { dedupeKey: tallyKey(w.id, g.id) } });
    if (!row) continue;
    if (row.status !== "sent") {
      // Not out yet: let it go out with the current count.
      await tx.outboxMessage.update({ where: { id: row.id }, data: { payload: JSON.stringify({ ...JSON.parse(row.payload), text }) } });
    } else if (row.platformMessageId) {
      out.push({ channel: row.channel, chatId: row.chatId, payload: { text, choices: ["收到"], edit: row.platformMessageId }, dedupeKey: `${tallyKey(w.id, g.id)}:${now.getTime()}:${Math.random()}` });
    }
  }
  return out;
}

async function confirm(ctx: CommandContext<Tx>): Promise<Say[] | { startFlow: string; answers: Record<string, string> }> {
  const n = findWarningNumber(ctx.args)?.number;
  const open = await ctx.tx.warningTarget.findMany({
    where: { personId: ctx.actor.personId!, status: "未确认", warning: { status: "active", ...(n ? { number: n } : {}) } },
    include: { warning: true }, orderBy: { id: "desc" },
  });
  // "收到" is everyday group talk: with nothing to confirm, say nothing there.
  if (open.length === 0) return ctx.chat.chatKind === "group" ? [] : [say("warning.nothing_to_confirm")];
  const out: Say[] = [];
  let measuresFor: string | null = null;
  for (const tg of open) {
    await ctx.tx.warningTarget.update({ where: { id: tg.id }, data: { status: "已确认", confirmedAt: ctx.now } });
    await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.confirm", entity: "warning", entityId: tg.warning.number });
    await ctx.send(await refreshTallies(ctx.tx, tg.warning, tg.regionPath, ctx.t, ctx.now));
    out.push(say("warning.confirmed", { number: tg.warning.number, minutes: Math.round((ctx.now.getTime() - tg.warning.createdAt.getTime()) / 60_000) }));
    if (tg.warning.response === "measures") measuresFor = tg.warning.number;
  }
  if (measuresFor) return { startFlow: "warning-measures", answers: { number: measuresFor }, intro: out } as never;
  // In a group the edited tally is the answer: groups allow only ~20 bot messages a minute.
  return ctx.chat.chatKind === "group" ? [] : out;
}

export const warningMeasuresFlow: FlowDef<Tx> = {
  id: "warning-measures",
  title: "warning.measures.title",
  permission: "member",
  summary: false,
  steps: [
    { id: "number", prompt: "warning.measures.ask", label: "warning.label.text", input: text({ min: 2, max: 30 }) },
    { id: "measures", prompt: "warning.measures.ask", label: "warning.measures.label", input: text({ min: 4, max: 1000 }) },
  ],
  async complete({ tx, now, person }, a) {
    const w = await tx.warning.findUnique({ where: { number: String(a.number) } });
    if (w) await tx.warningTarget.updateMany({ where: { warningId: w.id, personId: person.personId! }, data: { measures: String(a.measures) } });
    await audit(tx, { at: now, actor: person.key, action: "warning.measures", entity: "warning", entityId: String(a.number), after: { measures: a.measures } });
    return { ok: true, replies: [say("warning.measures.done", { number: String(a.number) })] };
  },
};

/**
 * A warning's 叫应 status: sent, delivered, confirmed, rate, median, the silent by
 * village. With `scope`, only the targets in that region (a township leader
 * asking about the county's warning sees their own people).
 */
export async function warningStatus(tx: Tx, w: WarningRow, scope?: string): Promise<Say[]> {
  const inScope = (path: string) => !scope || within(path, scope);
  const targets = (await tx.warningTarget.findMany({ where: { warningId: w.id } })).filter((x) => inScope(x.regionPath));
  const f = figures(targets, w.createdAt);
  const mine = new Set(targets.map((x) => x.personId));
  // Private notices and re-calls: yj:<warning>:p:<person>:<cycle>.
  const notices = (await tx.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `yj:${w.id}:p:` } }, select: { dedupeKey: true, status: true } }))
    .filter((m) => mine.has(Number(m.dedupeKey!.split(":")[3])));
  const silent = targets.filter((x) => x.status === "未确认");
  const names = new Map((await tx.person.findMany({ where: { id: { in: silent.map((x) => x.personId) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
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

function warningArg(args: string): { number: string | null; rest: string } {
  const f = findWarningNumber(args);
  return f ? { number: f.number, rest: f.rest } : { number: null, rest: "" };
}

/** The warning as the policy sees it: its areas, its issuer. */
async function managed(ctx: CommandContext<Tx>, args: string, o: { change?: boolean } = {}): Promise<{ w: WarningRow; rest: string } | { says: Say[] }> {
  const { number, rest } = warningArg(args);
  const w = number ? await ctx.tx.warning.findUnique({ where: { number } }) : null;
  if (!w) return { says: [say("warning.not_found", { number: number ?? args })] };
  // Lifting or upgrading changes the issuer's warning: besides its areas, the issuer's level must be the actor's.
  const issuer = o.change ? await personById(ctx.tx, w.issuerId) : null;
  const no = await ctx.access("warning.manage", { regions: JSON.parse(w.regionPaths) as string[], ...(issuer ? { next: [issuer.regionPath] } : {}), parties: [w.issuerId] }, {
    entity: "warning", id: w.number,
    ...(issuer ? { refusal: { scope: say("warning.issuer_level", { number: w.number, issuer: issuer.name, region: issuer.regionPath }) } } : {}),
  });
  return no ? { says: no } : { w, rest };
}

export function warningCommands(settings: WarningSettings): CommandDef<Tx>[] {
  return [
    {
      id: "warning-issue", keywords: ["发布预警"], opens: ["warning-issue"], checks: [{ action: "warning.issue", target: "region" }], slash: ["warn"], describe: "warning.describe", permission: "warning.issue",
      run: async (ctx) => {
        if (!ctx.args) return { startFlow: "warning-issue", answers: {} };
        const p = parseOfficialWarning(ctx.args);
        return { startFlow: "warning-issue", answers: { text: ctx.args, ...(p.type ? { type: p.type } : {}), ...(p.level ? { level: p.level } : {}) }, intro: p.type || p.level ? [say("warning.parsed", { type: p.type ?? "?", level: p.level ?? "?" })] : [] };
      },
    },
    { id: "warning-confirm", keywords: ["收到"], slash: ["ack"], describe: "warning.confirm_describe", permission: "member", opens: ["warning-measures"], run: confirm as never },
    {
      id: "warning-status", keywords: ["预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["warning"], describe: "warning.status_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args);
        return "says" in m ? m.says : warningStatus(ctx.tx, m.w);
      },
    },
    {
      id: "warning-lift", keywords: ["解除预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["lift"], describe: "warning.lift_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args, { change: true });
        if ("says" in m) return m.says;
        const { w } = m;
        if (w.status !== "active") return [say("warning.not_active", { number: w.number })];
        await ctx.tx.warning.update({ where: { id: w.id }, data: { status: "lifted", endedAt: ctx.now } });
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.lift", entity: "warning", entityId: w.number });
        const notice = ctx.t(say("warning.lifted_notice", { number: w.number, type: w.type, level: w.level }));
        await ctx.send((await targetGroups(ctx.tx, JSON.parse(w.regionPaths))).flatMap((g) => toGroup(g, notice, `yj:${w.id}:lift`)));
        return [say("warning.lifted", { number: w.number })];
      },
    },
    {
      id: "warning-upgrade", keywords: ["升级预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["upgrade"], describe: "warning.upgrade_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args, { change: true });
        if ("says" in m) return m.says;
        const { w } = m;
        const level = m.rest.replace(/色$/, "") as WarningLevel;
        if (w.status !== "active") return [say("warning.not_active", { number: w.number })];
        if (levelRank(level) <= levelRank(w.level)) return [say("warning.upgrade_bad", { level: w.level })];
        const c = settings[level];
        await ctx.tx.warning.update({ where: { id: w.id }, data: { level, recallMinutes: c.recallMinutes, cycles: w.cycle + c.cycles, escalateAfter: c.escalateAfter } });
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.upgrade", entity: "warning", entityId: w.number, before: { level: w.level }, after: { level } });
        const notice = ctx.t(say("warning.upgraded_notice", { number: w.number, type: w.type, from: w.level, to: level }));
        await ctx.send((await targetGroups(ctx.tx, JSON.parse(w.regionPaths))).flatMap((g) => toGroup(g, notice, `yj:${w.id}:up:${level}`)));
        return [say("warning.upgraded", { number: w.number, level })];
      },
    },
  ];
}

export interface WarningJobDeps {
  db: Db;
}

/** Each interval: call the silent again; after N calls tell their township leaders, then the county; at the end, the closing summary. */
export function warningJob(d: WarningJobDeps): TickJob<Tx, { id: number }> {
  const nextAt = (w: { lastCycleAt: Date; recallMinutes: number; cycle: number; cycles: number; endsAt: Date }) =>
    w.cycle < w.cycles ? new Date(Math.min(w.lastCycleAt.getTime() + w.recallMinutes * 60_000, w.endsAt.getTime())) : w.endsAt;
  return {
    name: "warnings",
    catchUpWithinMs: 6 * 3600_000,
    nextWorkAt: async () => {
      const ws = await d.db.warning.findMany({ where: { status: "active" } });
      return ws.length ? new Date(Math.min(...ws.map((w) => nextAt(w).getTime()))) : null;
    },
    due: async (now) => (await d.db.warning.findMany({ where: { status: "active" } })).filter((w) => nextAt(w) <= now).map((w) => ({ id: w.id })),
    async handle({ tx, at: now, t }, { id }) {
      // Read again in the transaction: the due list may be a moment old.
      const w = await tx.warning.findUnique({ where: { id } });
      if (!w || w.status !== "active" || nextAt(w) > now) return [];
      const items: OutboxItem[] = [];
      if (now >= w.endsAt || w.cycle >= w.cycles) {
        await tx.warning.update({ where: { id: w.id }, data: { status: "ended", endedAt: now } });
        const lines = await warningStatus(tx, { ...w, status: "ended" });
        const text = lines.map(t).join("\n");
        items.push(...(await toPerson(tx, w.issuerId, text, `yj:${w.id}:end`)));
        const issuer = await tx.person.findUnique({ where: { id: w.issuerId }, include: { region: true } });
        const leaders = issuer ? await tx.groupChat.findMany({ where: { purpose: "领导群" }, include: { region: true } }) : [];
        for (const g of leaders.filter((g) => issuer && within(issuer.region.path, g.region.path))) items.push(...toGroup(g, text, `yj:${w.id}:end`));
      } else {
        const cycle = w.cycle + 1;
        await tx.warning.update({ where: { id: w.id }, data: { cycle, lastCycleAt: now } });
        // A notice the platform refused for good: that person is 无法送达, with the reason.
        const failed = await tx.outboxMessage.findMany({ where: { status: "failed", dedupeKey: { startsWith: `yj:${w.id}:p:` } }, select: { dedupeKey: true, lastError: true } });
        for (const f of failed) {
          const pid = Number(f.dedupeKey!.split(":")[3]);
          await tx.warningTarget.updateMany({ where: { warningId: w.id, personId: pid, status: "未确认" }, data: { status: "无法送达", reason: f.lastError ?? "发送失败" } });
        }
        // The unreachable are not called again, but their superiors still hear that they are silent.
        const silent = await tx.warningTarget.findMany({ where: { warningId: w.id, status: { in: ["未确认", "无法送达"] } } });
        const names = new Map((await tx.person.findMany({ where: { id: { in: silent.map((s) => s.personId) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
        const recall = t(say("warning.recall", { number: w.number, type: w.type, level: w.level, text: w.text, cycle }));
        for (const s of silent) {
          if (s.status === "无法送达") continue;
          await tx.warningTarget.update({ where: { id: s.id }, data: { calls: { increment: 1 } } });
          for (const i of await toPerson(tx, s.personId, recall, `yj:${w.id}:p:${s.personId}:${cycle}`)) items.push({ ...i, payload: { ...i.payload, choices: ["收到"] } });
        }
        for (const g of await targetGroups(tx, JSON.parse(w.regionPaths))) {
          const here = silent.filter((s) => within(s.regionPath, g.region.path));
          if (here.length) items.push(...toGroup(g, t(say("warning.recall_group", { number: w.number, count: here.length, names: here.map((s) => names.get(s.personId)).join("、") })), `yj:${w.id}:g:${g.id}:recall:${cycle}`));
        }
        // After N unanswered cycles the township leaders hear of it; after 2N, the county.
        for (const [level, depth] of [[1, 1], [2, 0]] as const) {
          if (cycle < w.escalateAfter * level) continue;
          const due = silent.filter((s) => s.escalations < level);
          const byArea = new Map<string, typeof due>();
          for (const s of due) {
            const area = s.regionPath.split("/").slice(0, depth + 1).join("/");
            byArea.set(area, [...(byArea.get(area) ?? []), s]);
          }
          for (const [area, list] of byArea) {
            const text = t(say("warning.escalate", { number: w.number, type: w.type, level: w.level, area, count: list.length, names: list.map((s) => `${names.get(s.personId)}（${s.regionPath.split("/").slice(1).join("/")}）`).join("、") }));
            for (const l of await peopleAt(tx, area, rolesHolding("warning.manage"))) items.push(...(await toPerson(tx, l.id, text, `yj:${w.id}:esc:${level}:${area}:${l.id}`)));
          }
          if (due.length) await tx.warningTarget.updateMany({ where: { id: { in: due.map((s) => s.id) } }, data: { escalations: level } });
        }
      }
      return [{ notify: items }];
    },
  };
}

export { formatLocal };
