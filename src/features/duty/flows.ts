/**
 * 值班值守 in chat: the 排班表 (import, edit), sign-in (签到) with reminders and
 * escalation to the leader on duty, handover (交班) carrying open items to the next
 * shift, and the noon duty report (值班报告) confirmed by the leader (确认).
 */
import fs from "node:fs";
import type { Access, CommandDef } from "../../core/commands.js";
import type { FlowDef } from "../../core/flow-types.js";
import type { OutboxItem } from "../../core/ports.js";
import { parseHandover, validateDutyRoster, type DutyRules } from "./rules.js";
import { RosterFileError } from "../org/roster-rules.js";
import { say, type Say } from "../../prompts/catalog.js";
import { formatOf, readRosterRows } from "../org/roster-read.js";
import type { TickJob } from "../../core/jobs.js";
import type { Db, Tx } from "../../store/db.js";
import * as duty from "./repo.js";
import { personById } from "../org/index.js";
import { formatLocal, fromLocal, toLocalDate } from "../../time/shanghai.js";
import { choice, file, readAs, text } from "../inputs.js";
import { rolesHolding, within } from "../org/policy.js";
import { toPerson } from "../org/notify.js";
import { audit } from "../../store/audit.js";
import { parseChineseDate } from "../../time/chinese-date.js";

const HOUR = 3600_000;
const hhmm = (t: Date) => formatLocal(t).slice(11);

/**
 * Writes 排班表 rows. Every officer and the 带班领导 of a row must be within the
 * actor's unit (the policy's `duty.schedule`); a row that is not is skipped,
 * listed and audited.
 */
async function importRows(c: { tx: Tx; access: Access; t: (s: Say) => string }, rows: string[][], actor: { key: string; regionPath?: string }, now: Date): Promise<Say[]> {
  let v;
  try {
    v = validateDutyRoster(rows, now);
  } catch (e) {
    if (e instanceof RosterFileError) return [say("duty.import.file_error", { reason: e.say })];
    throw e;
  }
  const r = await duty.importDuty(c.tx, v.rows, {
    actor: actor.key, now, officerRoles: rolesHolding("duty.officer"), leaderRoles: rolesHolding("duty.leader"),
    check: async (row, people) => {
      const all = [...people.officers, people.leader];
      // One unit per shift, led from that unit or above it (a 双江镇 leader does not lead 甘溪乡's shift).
      const unit = people.officers[0]!.regionPath;
      const stray = people.officers.find((p) => p.regionPath !== unit);
      if (stray) return c.t(say("duty.import.mixed_units", { name: stray.name, region: stray.regionPath, unit }));
      if (!within(unit, people.leader.regionPath)) return c.t(say("duty.import.leader_elsewhere", { name: people.leader.name, region: people.leader.regionPath, unit }));
      const outside = all.find((p) => !within(p.regionPath, actor.regionPath ?? "")) ?? all[0]!;
      const no = await c.access("duty.schedule", { regions: all.map((p) => p.regionPath) }, {
        entity: "duty", id: `${row.date}:${people.officers[0]?.regionPath ?? ""}`,
        refusal: { scope: say("duty.import.out_of_scope", { name: outside.name, region: outside.regionPath, scope: actor.regionPath ?? "" }) },
      });
      return no ? no.map(c.t).join("") : null;
    },
  });
  const errors = [...v.errors, ...r.errors].sort((a, b) => a.row - b.row);
  return [say("duty.import.report", { created: r.created, updated: r.updated, errors: errors.length }), ...errors.slice(0, 20).map((e) => say("roster.error_line", { row: e.row, reason: e.reason }))];
}

export const dutyImportFlow: FlowDef<Tx> = {
  id: "duty-import",
  title: "duty.import.title",
  summary: false,
  steps: [{ id: "file", prompt: "duty.import.ask", label: "roster.label.file", input: file(["csv", "xlsx"]) }],
  async complete({ tx, now, person, access, t }, a) {
    const f = a.file as { path: string; name: string };
    let rows: string[][];
    try {
      rows = await readRosterRows(fs.readFileSync(f.path), formatOf(f.name)!);
    } catch (e) {
      return { ok: true, replies: [say("duty.import.file_error", { reason: (e as Error).message })] };
    }
    return { ok: true, replies: await importRows({ tx, access, t }, rows, person, now) };
  },
};

/** How duty officers say 正常 / 有情况 (`没有情况` is 正常, though 有情况 is inside it). */
const NOON_STATUS_WORDS: Record<string, string> = {
  一切正常: "正常", 平安无事: "正常", 一切平安: "正常", 无事故无险情: "正常", 无事故: "正常", 无险情: "正常", 无异常: "正常", 平稳: "正常", 平安: "正常", 没事: "正常", 没有情况: "正常", 无情况: "正常", 无: "正常", 没有: "正常", 情况正常: "正常", 值班正常: "正常", 今日值班正常: "正常",
  有: "有情况", 有事: "有情况", 有险情: "有情况", 有事故: "有情况", 有突发情况: "有情况", 有异常: "有情况",
};

const noonStatus = choice(["正常", "有情况"], NOON_STATUS_WORDS);
function readNoonStatus(args: string): string | null {
  const a = args.trim();
  if (!a) return null;
  const r = readAs(noonStatus, a, { now: new Date(0) });
  return r.ok ? r.value : null;
}

export const noonReportFlow: FlowDef<Tx> = {
  id: "noon-report",
  title: "duty.noon.title",
  steps: [
    { id: "status", prompt: "duty.noon.ask.status", label: "duty.noon.label.status", input: noonStatus, next: (a) => (a.status === "有情况" ? "details" : "handled") },
    { id: "details", prompt: "duty.noon.ask.details", label: "duty.noon.label.details", input: text({ min: 4, max: 1000 }) },
    { id: "handled", prompt: "duty.noon.ask.handled", label: "duty.noon.label.handled", input: text({ min: 2, max: 1000 }), optional: true },
    { id: "reportedUp", prompt: "duty.noon.ask.reported_up", label: "duty.noon.label.reported_up", input: text({ min: 2, max: 1000 }), optional: true },
  ],
  async complete({ tx, now, person, t }, a) {
    const s = await duty.shiftOf(tx, person.personId!, now, 0);
    if (!s) return { ok: true, replies: [say("duty.not_on_duty")] };
    const data = { status: a.status as string, details: (a.details as string) ?? null, handled: (a.handled as string) ?? null, reportedUp: (a.reportedUp as string) ?? null };
    await duty.saveNoonReport(tx, { shiftId: s.id, date: toLocalDate(now), regionPath: s.regionPath, reporterId: person.personId!, ...data }, now);
    const leader = await personById(tx, s.leaderId);
    const note = t(say("duty.noon.to_leader", { region: s.regionPath, reporter: person.name, status: data.status, details: data.details ?? "无" }));
    return { ok: true, replies: [say("duty.noon.done", { leader: leader?.name ?? "" })], effects: [{ notify: await toPerson(tx, s.leaderId, note, `noon:${s.id}:${now.getTime()}`) }] };
  },
};

export function dutyCommands(rules: DutyRules): CommandDef<Tx>[] {
  return [
    {
      id: "signin", keywords: ["签到"], slash: ["signin"], describe: "duty.signin.describe", permission: "duty.officer",
      run: async (ctx) => {
        const s = await duty.shiftOf(ctx.tx, ctx.actor.personId!, ctx.now, HOUR);
        if (!s) return [say("duty.not_on_duty")];
        if (await duty.eventOf(ctx.tx, s.id, "signin")) return [say("duty.signin.already", { start: formatLocal(s.startAt) })];
        const late = ctx.now.getTime() > s.startAt.getTime() + rules.signInGraceMinutes * 60_000;
        await duty.addDutyEvent(ctx.tx, { shiftId: s.id, personId: ctx.actor.personId!, kind: "signin", at: ctx.now, late });
        const leader = await personById(ctx.tx, s.leaderId);
        const out: Say[] = [say(late ? "duty.signin.late" : "duty.signin.done", { start: formatLocal(s.startAt), end: formatLocal(s.endAt), leader: leader?.name ?? "" })];
        const prev = await duty.previousShift(ctx.tx, s);
        const handover = prev ? await duty.eventOf(ctx.tx, prev.id, "handover") : null;
        if (handover) {
          const items = JSON.parse(handover.openItems) as string[];
          out.push(say("duty.signin.handover", { note: handover.note ?? "正常", count: items.length }));
          for (const i of items) out.push(say("duty.open_item", { item: i }));
        }
        return out;
      },
    },
    {
      id: "handover", complete: (a) => a.trim() !== "", keywords: ["交班"], slash: ["handover"], describe: "duty.handover.describe", permission: "duty.officer",
      run: async (ctx) => {
        const s = await duty.shiftOf(ctx.tx, ctx.actor.personId!, ctx.now, 0);
        if (!s) return [say("duty.not_on_duty")];
        const h = parseHandover(ctx.args);
        await duty.addDutyEvent(ctx.tx, { shiftId: s.id, personId: ctx.actor.personId!, kind: "handover", at: ctx.now, note: h.note, openItems: h.openItems });
        return [say("duty.handover.done", { count: h.openItems.length })];
      },
    },
    {
      id: "noon-report", keywords: ["值班报告"], slash: ["noon"], describe: "duty.noon.describe", permission: "duty.officer", flow: "noon-report",
      // `值班报告 正常` / `值班报告：一切正常`: the status read by the status step itself.
      complete: (a) => readNoonStatus(a) !== null,
      run: async (ctx) => {
        const status = readNoonStatus(ctx.args);
        const answers: Record<string, string> = status ? { status } : {};
        return { startFlow: "noon-report", answers };
      },
    },
    {
      id: "confirm-report", keywords: ["确认"], slash: ["confirm"], describe: "duty.confirm.describe", permission: "duty.leader", outsideDialogs: true,
      run: async (ctx) => {
        const shifts = await duty.shiftsLedBy(ctx.tx, ctx.actor.personId!, ctx.now);
        const out: Say[] = [];
        for (const s of shifts) {
          const r = await duty.noonReportOf(ctx.tx, s.id);
          if (!r || r.confirmedAt) continue;
          await duty.confirmNoonReport(ctx.tx, r.id, ctx.actor.personId!, ctx.now);
          out.push(say("duty.confirm.done", { region: s.regionPath, status: r.status }));
        }
        return out.length ? out : [say("duty.confirm.nothing")];
      },
    },
    {
      id: "duty-edit", complete: (a) => a.trim() !== "", keywords: ["排班"], slash: ["schedule"], describe: "duty.edit.describe", permission: "duty.schedule",
      checks: [{ action: "duty.schedule", target: "shift" }],
      run: async (ctx) => {
        const parts = ctx.args.split(/\s+/).filter(Boolean);
        if (parts.length < 4) return [say("org.usage", { usage: "排班 2026-11-26 08:30-次日08:30 王秀英 李卫东" })];
        return importRows(ctx, [["日期", "班次", "值班员", "带班领导"], [parts[0]!, parts[1]!, parts.slice(2, -1).join("、"), parts.at(-1)!]], ctx.actor, ctx.now);
      },
    },
    {
      id: "duty-swap", complete: (a) => a.trim() !== "", keywords: ["换班"], slash: ["swap"], describe: "duty.swap.describe", permission: "duty.officer",
      checks: [{ action: "duty.swap", target: "colleague" }],
      run: async (ctx) => {
        const [when, who] = ctx.args.split(/\s+/);
        const date = when ? parseChineseDate(when, ctx.now, true) : null;
        if (!date?.ok || !who) return [say("org.usage", { usage: "换班 11月26日 陈红" })];
        const s = await duty.shiftOnDateOf(ctx.tx, date.value.date, ctx.actor.personId!);
        if (!s) return [say("duty.swap.no_shift", { date: date.value.date })];
        const target = await duty.officerNamed(ctx.tx, who, rolesHolding("duty.officer"));
        if (target?.id === ctx.actor.personId) return [say("duty.swap.self")];
        if (!target) return [say("duty.swap.bad_target", { who })];
        // A swap stays inside the unit whose roster it is.
        const no = await ctx.access("duty.swap", { regions: [target.region.path] }, { entity: "duty", id: s.id, refusal: { scope: say("duty.swap.other_unit", { who: target.name, region: target.region.path, unit: ctx.actor.regionPath ?? "" }) } });
        if (no) return no;
        const swap = await duty.requestSwap(ctx.tx, { shiftId: s.id, fromId: ctx.actor.personId!, toId: target.id }, ctx.now);
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "duty.swap.request", entity: "duty", entityId: swap.id, after: { shift: s.id, to: target.id } });
        const ask = await toPerson(ctx.tx, s.leaderId, ctx.t(say("duty.swap.ask_leader", { id: swap.id, from: ctx.actor.name, to: target.name, start: formatLocal(s.startAt) })), `swap:${swap.id}`);
        const leader = await personById(ctx.tx, s.leaderId);
        return { says: [say("duty.swap.requested", { id: swap.id, leader: leader?.name ?? "" })], effects: [{ notify: ask }] };
      },
    },
    ...(["approve", "reject"] as const).map((which): CommandDef<Tx> => ({
      id: `duty-swap-${which}`, keywords: [which === "approve" ? "同意换班" : "拒绝换班"], slash: [`swap_${which}`],
      describe: which === "approve" ? "duty.swap.approve_describe" : "duty.swap.reject_describe", permission: "duty.leader",
      checks: [{ action: "duty.approve", target: "shift" }],
      run: async (ctx) => {
        // "同意换班 3", "同意换班 #3", "同意换班＃3" — or no number when exactly one request awaits this leader.
        const typed = ctx.args.normalize("NFKC").replace(/[#号\s]/g, "");
        let id = Number(typed);
        if (typed === "") {
          const mine = await duty.pendingSwapsLedBy(ctx.tx, ctx.actor.personId!);
          if (mine.length !== 1) return [mine.length ? say("duty.swap.which", { ids: mine.map((x) => `#${x.id}`).join("、"), word: which === "approve" ? "同意换班" : "拒绝换班", first: mine[0]!.id }) : say("duty.swap.none_waiting")];
          id = mine[0]!.id;
        }
        const swap = Number.isInteger(id) && id > 0 ? await duty.swapById(ctx.tx, id) : null;
        const s = swap ? await duty.shiftById(ctx.tx, swap.shiftId) : null;
        if (!swap || !s) return [say("duty.swap.not_found", { id: typed })];
        const leaderName = (await personById(ctx.tx, s.leaderId))?.name ?? "";
        const no = await ctx.access("duty.approve", { parties: [s.leaderId] }, { entity: "duty", id: swap.id, refusal: { scope: say("duty.swap.not_yours", { id: swap.id, leader: leaderName }) } });
        if (no) return no;
        if (swap.status !== "pending") return [say("duty.swap.decided", { id: swap.id })];
        const approve = which === "approve";
        await duty.decideSwap(ctx.tx, swap, s, approve, ctx.actor.personId!, ctx.now);
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: `duty.swap.${which}`, entity: "duty", entityId: swap.id, before: { officerIds: s.officerIds } });
        const [from, to] = await Promise.all([personById(ctx.tx, swap.fromId), personById(ctx.tx, swap.toId)]);
        const note = ctx.t(say(approve ? "duty.swap.approved" : "duty.swap.rejected", { id: swap.id, from: from?.name ?? "", to: to?.name ?? "", start: formatLocal(s.startAt) }));
        const notify = [...(await toPerson(ctx.tx, swap.fromId, note, `swap:${id}:from`)), ...(approve ? await toPerson(ctx.tx, swap.toId, note, `swap:${id}:to`) : [])];
        return { says: [say(approve ? "duty.swap.approved" : "duty.swap.rejected", { id: swap.id, from: from?.name ?? "", to: to?.name ?? "", start: formatLocal(s.startAt) })], effects: [{ notify }] };
      },
    })),
    { id: "duty-import", keywords: ["导入排班表"], slash: ["import_duty"], describe: "duty.import.describe", permission: "duty.schedule", flow: "duty-import", checks: [{ action: "duty.schedule", target: "shift" }] },
  ];
}

export interface DutyJobDeps {
  db: Db;
  rules: DutyRules;
}

/** Before a shift: remind; no sign-in after the grace: remind again; later: tell the leader. Noon: remind, then tell the leader. */
export function dutyJobs(d: DutyJobDeps): TickJob<Tx>[] {
  const min = 60_000;
  const steps = (s: { startAt: Date; date: string }) => {
    const [y, mo, dd] = toLocalDate(s.startAt).split("-").map(Number) as [number, number, number];
    const at = (hm: string) => fromLocal(y, mo, dd, Number(hm.slice(0, 2)), Number(hm.slice(3)));
    return [
      { kind: "remind", at: new Date(s.startAt.getTime() - d.rules.remindBeforeMinutes * min) },
      { kind: "late", at: new Date(s.startAt.getTime() + d.rules.signInGraceMinutes * min) },
      { kind: "escalate", at: new Date(s.startAt.getTime() + d.rules.escalateAfterMinutes * min) },
      { kind: "noon-remind", at: at(d.rules.noonRemind) },
      { kind: "noon-escalate", at: at(d.rules.noonDeadline) },
    ].filter((x) => !x.kind.startsWith("noon") || x.at > s.startAt);
  };

  async function pending(now: Date) {
    const shifts = await duty.shiftsAround(d.db, now, 2 * HOUR, 0);
    const out: { s: (typeof shifts)[number]; kind: string; at: Date }[] = [];
    for (const s of shifts) for (const st of steps(s)) if (!s.events.some((e) => e.kind === st.kind)) out.push({ s, ...st });
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  type Step = Awaited<ReturnType<typeof pending>>[number];

  const job: TickJob<Tx, Step> = {
    name: "duty",
    catchUpWithinMs: 6 * HOUR,
    nextWorkAt: async (now) => (await pending(now))[0]?.at ?? null,
    due: async (now) => (await pending(now)).filter((x) => x.at <= now),
    async handle({ tx, at: now, t }, x) {
      const { s } = x;
      // Done already (a second run of the same minute): nothing again.
      if (await duty.eventOf(tx, s.id, x.kind)) return [];
      const signedIn = s.events.some((e) => e.kind === "signin") || (await duty.eventOf(tx, s.id, "signin"));
      const noon = await duty.noonReportOf(tx, s.id);
      const officers = duty.idsOf(s.officerIds);
      const names = (await Promise.all(officers.map((id) => personById(tx, id)))).map((p) => p?.name ?? "").join("、");
      let items: OutboxItem[] = [];
      const key = `duty:${s.id}:${x.kind}`;
      if (x.kind === "remind" && !signedIn) for (const id of officers) items.push(...(await toPerson(tx, id, t(say("duty.job.remind", { start: hhmm(s.startAt), region: s.regionPath })), `${key}:${id}`)));
      if (x.kind === "late" && !signedIn) for (const id of officers) items.push(...(await toPerson(tx, id, t(say("duty.job.late", { start: hhmm(s.startAt) })), `${key}:${id}`)));
      if (x.kind === "escalate" && !signedIn) items = await toPerson(tx, s.leaderId, t(say("duty.job.escalate", { region: s.regionPath, start: hhmm(s.startAt), names })), key);
      if (x.kind === "noon-remind" && !noon) for (const id of officers) items.push(...(await toPerson(tx, id, t(say("duty.job.noon_remind", { deadline: d.rules.noonDeadline })), `${key}:${id}`)));
      if (x.kind === "noon-escalate" && !noon) items = await toPerson(tx, s.leaderId, t(say("duty.job.noon_escalate", { region: s.regionPath, names, deadline: d.rules.noonDeadline })), key);
      await duty.addDutyEvent(tx, { shiftId: s.id, kind: x.kind, at: now, note: items.length ? "sent" : "not needed" });
      return [{ notify: items }];
    },
  };
  return [job];
}
