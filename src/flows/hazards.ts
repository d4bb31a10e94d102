/**
 * Hazard reports (隐患上报) and their closed loop in chat: the guided report, the
 * one-message report, 整改 / 复查 / 销号, show and list, 挂牌督办 and progress, the
 * ledger, and the deadline and supervision jobs.
 */
import type { CommandContext, CommandDef, StartFlow } from "../core/commands.js";
import type { Actor } from "../core/ports.js";
import type { Answers, FlowDef } from "../core/flow-types.js";
import { HAZARD_NUMBER, LEVELS, move, SECTORS, SUPERVISION_LEVELS, defaultDeadline, isOverdue, type HazardLevel, type HazardRules, type HazardStatus, type Transition } from "../domain/hazards.js";
import { parseQuickHazard } from "../domain/hazard-quick.js";
import { can, within } from "../domain/org.js";
import { say, type Say } from "../prompts/catalog.js";
import { audit } from "../store/audit.js";
import type { Tx } from "../store/db.js";
import * as hz from "../store/hazards.js";
import { personById } from "../store/org.js";
import { formatLocal, formatLocalDateCn, toLocalDate } from "../time/shanghai.js";
import { choice, date, hazardNo, photos, place, text } from "./inputs.js";
import path from "node:path";
import { parsePeriod } from "../domain/period.js";
import { writeHazardLedger } from "../reports/hazard-ledger.js";

type Place = { text: string; lat?: number; lng?: number };

export function hazardReportFlow(rules: HazardRules): FlowDef<Tx> {
  return {
    id: "hazard-report",
    title: "hazard.title",
    steps: [
      { id: "place", prompt: "hazard.ask.place", label: "hazard.label.place", input: place() },
      { id: "sector", prompt: "hazard.ask.sector", label: "hazard.label.sector", input: choice(SECTORS) },
      { id: "description", prompt: "hazard.ask.description", label: "hazard.label.description", input: text({ min: 4, max: 500 }) },
      { id: "level", prompt: "hazard.ask.level", label: "hazard.label.level", input: choice(LEVELS) },
      { id: "photos", prompt: "hazard.ask.photos", label: "hazard.label.photos", input: photos({ min: 1, max: 9 }), optional: true },
      { id: "unit", prompt: "hazard.ask.unit", label: "hazard.label.unit", input: text({ min: 2, max: 60 }) },
      { id: "deadline", prompt: "hazard.ask.deadline", label: "hazard.label.deadline", input: date({ maxDaysAhead: 366 }), optional: true },
    ],
    async beforeStart({ person }) {
      return person.regionPath ? null : say("core.need_bind", { command: "上报隐患" });
    },
    async complete({ tx, now, person }, a) {
      const p = a.place as Place;
      const level = a.level as HazardLevel;
      const deadline = (a.deadline as { date: string } | undefined)?.date ?? defaultDeadline(level, now, rules);
      const region = await tx.region.findUniqueOrThrow({ where: { path: person.regionPath! } });
      const row = await hz.createHazard(tx, {
        reporterId: person.personId!, responsibleId: person.personId!, regionId: region.id, regionPath: region.path,
        place: p.text, ...(p.lat !== undefined ? { lat: p.lat, lng: p.lng! } : {}),
        sector: a.sector as string, description: a.description as string, level, photos: (a.photos as string[] | undefined) ?? [],
        responsibleUnit: a.unit as string, deadline,
      }, person.key, now);
      return { ok: true, replies: [say("hazard.reported", { number: row.number, deadline: formatLocalDateCn(deadline), level })] };
    },
  };
}

/** 整改: start work, or finish it with evidence (photo + note). */
export const hazardRectifyFlow: FlowDef<Tx> = {
  id: "hazard-rectify",
  title: "hazard.rectify.title",
  steps: [
    { id: "number", prompt: "hazard.ask.number", label: "hazard.label.number", input: hazardNo() },
    { id: "stage", prompt: "hazard.rectify.ask.stage", label: "hazard.rectify.label.stage", input: choice(["已开始整改", "已完成整改"]), next: (a) => (a.stage === "已完成整改" ? "photos" : "note") },
    { id: "photos", prompt: "hazard.rectify.ask.photos", label: "hazard.label.photos", input: photos({ min: 1, max: 9 }) },
    { id: "note", prompt: "hazard.rectify.ask.note", label: "hazard.rectify.label.note", input: text({ min: 2, max: 500 }), next: () => null },
  ],
  async complete({ tx, now, person }, a) {
    const t: Transition = a.stage === "已完成整改" ? "rectify" : "start";
    const r = await transition(tx, person, String(a.number), t, now, { note: a.note as string, photos: (a.photos as string[] | undefined) ?? [] });
    return { ok: true, replies: r };
  },
};

/** 复查: a verifier passes (销号) or sends it back with a reason. */
export const hazardReviewFlow: FlowDef<Tx> = {
  id: "hazard-review",
  title: "hazard.review.title",
  steps: [
    { id: "number", prompt: "hazard.ask.number", label: "hazard.label.number", input: hazardNo() },
    { id: "result", prompt: "hazard.review.ask.result", label: "hazard.review.label.result", input: choice(["通过（销号）", "不通过（退回整改）"]), next: (a) => (a.result === "不通过（退回整改）" ? "reason" : null) },
    { id: "reason", prompt: "hazard.review.ask.reason", label: "hazard.review.label.reason", input: text({ min: 2, max: 300 }) },
  ],
  async complete({ tx, now, person }, a) {
    const pass = a.result === "通过（销号）";
    return { ok: true, replies: await transition(tx, person, String(a.number), pass ? "close" : "reject", now, pass ? {} : { note: a.reason as string }) };
  },
};

const REFUSALS = {
  closed: "hazard.refuse.closed",
  not_rectified: "hazard.refuse.not_rectified",
  already_rectified: "hazard.refuse.already_rectified",
  not_open: "hazard.refuse.not_open",
} as const;

/** May this person rectify (the responsible one, a grid member of that grid, a leader above it)? */
function mayRectify(actor: Actor, h: hz.HazardRow): boolean {
  if (actor.personId === h.responsibleId) return true;
  if (!actor.regionPath || !within(h.regionPath, actor.regionPath)) return false;
  return actor.roles.some((r) => ["网格员", "局领导", "带班领导", "管理员"].includes(r));
}

/**
 * Everything that may refuse a lifecycle step: who (role, region, responsibility),
 * the status, and separation of duties. Refusals are audited.
 */
async function refuse(tx: Tx, actor: Actor, h: hz.HazardRow, t: Transition, now: Date): Promise<Say[] | { to: HazardStatus }> {
  const verifying = t === "close" || t === "reject";
  if (!(verifying ? can(actor, "hazard.verify", h.regionPath).ok : mayRectify(actor, h))) {
    await audit(tx, { at: now, actor: actor.key, action: "command.denied", entity: "hazard", entityId: h.number, after: { transition: t, reason: "role-or-scope" } });
    return [say(verifying ? "hazard.refuse.not_verifier" : "hazard.refuse.not_responsible", { number: h.number })];
  }
  const m = move(h.status as HazardStatus, t);
  if (!m.ok) {
    await audit(tx, { at: now, actor: actor.key, action: "hazard.refused", entity: "hazard", entityId: h.number, after: { transition: t, status: h.status, reason: m.reason } });
    return [say(REFUSALS[m.reason], { number: h.number, status: h.status })];
  }
  // Separation of duties: whoever submitted the rectification does not verify it.
  if (verifying && (await hz.lastEventOf(tx, h.id, "rectify"))?.actorId === actor.personId) return [say("hazard.refuse.self_verify", { number: h.number })];
  return { to: m.to };
}

/** Refuses before any question is asked; null to go ahead. A rectification is checked as its next possible step. */
async function precheck(tx: Tx, actor: Actor, number: string, verify: boolean, now: Date): Promise<Say[] | null> {
  const h = await hz.hazardByNumber(tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const r = await refuse(tx, actor, h, verify ? "close" : h.status === "整改中" ? "rectify" : "start", now);
  return Array.isArray(r) ? r : null;
}

/** One lifecycle step, with its checks, history and audit. Returns what to say. */
export async function transition(tx: Tx, actor: Actor, number: string, t: Transition, now: Date, o: { note?: string; photos?: string[] } = {}): Promise<Say[]> {
  const h = await hz.hazardByNumber(tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const r = await refuse(tx, actor, h, t, now);
  if (Array.isArray(r)) return r;
  await hz.changeStatus(tx, h, { to: r.to, kind: t, actorId: actor.personId!, actor: actor.key, ...(o.note ? { note: o.note } : {}), ...(o.photos ? { photos: o.photos } : {}) }, now);
  return [say("hazard.moved", { number: h.number, from: h.status, to: r.to })];
}

async function showHazard(tx: Tx, actor: Actor, number: string, now: Date): Promise<Say[]> {
  const h = await hz.hazardByNumber(tx, number);
  if (!h || !(can(actor, "region.read", h.regionPath).ok || h.reporterId === actor.personId || h.responsibleId === actor.personId)) {
    return [say("hazard.not_found", { number })];
  }
  const [reporter, events] = await Promise.all([personById(tx, h.reporterId), hz.hazardEvents(tx, [h.id])]);
  const out: Say[] = [say("hazard.show", {
    number: h.number, status: h.status, overdue: isOverdue(h, toLocalDate(now)) ? "（已逾期）" : "", level: h.level, sector: h.sector,
    place: h.place, description: h.description, unit: h.responsibleUnit, deadline: formatLocalDateCn(h.deadline),
    reporter: reporter?.name ?? "", region: h.regionPath, photos: JSON.parse(h.photos).length,
  })];
  if (h.supervisionLevel) out.push(say("hazard.show_listed", { level: h.supervisionLevel }));
  for (const e of events) out.push(say("hazard.show_event", { when: formatLocal(e.at), what: e.toStatus ? `${e.fromStatus ?? "—"}→${e.toStatus}` : e.kind === "progress" ? "进展" : e.kind === "list" ? "挂牌督办" : e.kind, note: e.note ?? "" }));
  return out;
}

function numberArg(args: string): string | null {
  const n = args.split(/\s+/)[0]?.toUpperCase() ?? "";
  return HAZARD_NUMBER.test(n) ? n : null;
}

const startWith = (flow: string, answers: Answers, intro: Say[] = []): StartFlow => ({ startFlow: flow, answers, intro });

export function hazardCommands(o: { dataDir: string }): CommandDef<Tx>[] {
  return [
    {
      id: "hazard-ledger", keywords: ["隐患台账"], slash: ["ledger"], describe: "hazard.ledger.describe", permission: "member",
      run: async (ctx) => {
        const period = parsePeriod(ctx.args, ctx.now);
        if (!period) return [say("hazard.ledger.bad_period", { text: ctx.args })];
        const { file, summary } = await writeHazardLedger(ctx.tx, { regionPath: ctx.actor.regionPath!, period, now: ctx.now, dir: path.join(o.dataDir, "exports") });
        const rate = summary.found ? `${((summary.rectified / summary.found) * 100).toFixed(1)}%` : "—";
        return { says: [say("hazard.ledger.summary", { region: ctx.actor.regionPath!, period: period.label, ...summary, rate })], file };
      },
    },
    { id: "hazard-report", keywords: ["上报隐患", "隐患上报"], slash: ["report"], describe: "hazard.describe", permission: "hazard.report", flow: "hazard-report" },
    {
      id: "hazard", keywords: ["隐患"], slash: ["hazard"], describe: "hazard.quick.describe", permission: "member",
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        if (n) return showHazard(ctx.tx, ctx.actor, n, ctx.now);
        if (!can(ctx.actor, "hazard.report").ok) return [say("core.not_allowed", { command: "隐患上报" })];
        const q = parseQuickHazard(ctx.args, ctx.now);
        const answers: Answers = {};
        if (q.place) answers.place = { text: q.place };
        if (q.sector) answers.sector = q.sector;
        if (q.description && [...q.description].length >= 4) answers.description = q.description;
        if (q.level) answers.level = q.level;
        if (q.unit) answers.unit = q.unit;
        if (q.deadline) answers.deadline = { date: q.deadline };
        return startWith("hazard-report", answers, Object.keys(answers).length ? [say("hazard.quick.read")] : []);
      },
    },
    {
      id: "hazard-rectify", keywords: ["整改"], slash: ["rectify"], describe: "hazard.rectify.describe", permission: "member",
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        return (n && (await precheck(ctx.tx, ctx.actor, n, false, ctx.now))) || startWith("hazard-rectify", n ? { number: n } : {});
      },
    },
    {
      id: "hazard-review", keywords: ["复查"], slash: ["review"], describe: "hazard.review.describe", permission: "hazard.verify",
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        return (n && (await precheck(ctx.tx, ctx.actor, n, true, ctx.now))) || startWith("hazard-review", n ? { number: n } : {});
      },
    },
    {
      id: "hazard-close", keywords: ["销号"], slash: ["close"], describe: "hazard.close.describe", permission: "hazard.verify",
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        return n ? transition(ctx.tx, ctx.actor, n, "close", ctx.now) : [say("org.usage", { usage: "销号 YH-20261125-0001" })];
      },
    },
    {
      id: "my-hazards", keywords: ["我的隐患"], slash: ["my_hazards"], describe: "hazard.mine.describe", permission: "member",
      run: async (ctx) => {
        const rows = await hz.hazardsOfPerson(ctx.tx, ctx.actor.personId!);
        if (rows.length === 0) return [say("hazard.mine.empty")];
        const today = toLocalDate(ctx.now);
        return [say("hazard.mine.header", { count: rows.length }), ...rows.map((h) => say("hazard.mine.item", {
          number: h.number, status: h.status + (isOverdue(h, today) ? "·逾期" : ""), place: h.place, deadline: formatLocalDateCn(h.deadline),
        }))];
      },
    },
    {
      id: "hazard-list", keywords: ["挂牌督办"], slash: ["supervise"], describe: "hazard.list.describe", permission: "hazard.list",
      run: async (ctx) => list(ctx),
    },
    {
      id: "hazard-progress", keywords: ["进展"], slash: ["progress"], describe: "hazard.progress.describe", permission: "member",
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        const note = ctx.args.split(/\s+/).slice(1).join(" ").trim();
        if (!n || note.length < 2) return [say("org.usage", { usage: "进展 YH-20261125-0001 已完成储罐区防火堤施工50%" })];
        const h = await hz.hazardByNumber(ctx.tx, n);
        if (!h || !mayRectify(ctx.actor, h)) return [say("hazard.not_found", { number: n })];
        await hz.addEvent(ctx.tx, h, { kind: "progress", actorId: ctx.actor.personId!, note }, ctx.now);
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "hazard.progress", entity: "hazard", entityId: h.number, after: { note } });
        return [say("hazard.progress.done", { number: h.number })];
      },
    },
  ];
}

async function list(ctx: CommandContext<Tx>): Promise<Say[]> {
  const [n, level] = ctx.args.split(/\s+/);
  const num = numberArg(n ?? "");
  const lv = (level ?? "").replace(/级$/, "");
  if (!num || !(SUPERVISION_LEVELS as readonly string[]).includes(lv)) return [say("org.usage", { usage: "挂牌督办 YH-20261125-0001 县（省/市/县）" })];
  const h = await hz.hazardByNumber(ctx.tx, num);
  if (!h) return [say("hazard.not_found", { number: num })];
  if (!can(ctx.actor, "hazard.list", h.regionPath).ok) {
    await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "command.denied", entity: "hazard", entityId: h.number, after: { action: "list", reason: "scope" } });
    return [say("org.out_of_scope", { scope: ctx.actor.regionPath ?? "" })];
  }
  if (h.level !== "重大") return [say("hazard.list.only_major", { number: h.number })];
  if (h.status === "已销号") return [say("hazard.refuse.closed", { number: h.number, status: h.status })];
  await hz.listHazard(ctx.tx, h, lv, ctx.actor.personId!, ctx.actor.key, ctx.now);
  return [say("hazard.list.done", { number: h.number, level: lv })];
}
