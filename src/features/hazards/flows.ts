/**
 * Hazard reports (隐患上报) and their closed loop in chat: the guided report, the
 * one-message report, 整改 / 复查 / 销号, show and list, 挂牌督办 and progress, the
 * ledger, and the deadline and supervision jobs.
 */
import type { Access, CommandContext, CommandDef, StartFlow, WithFiles } from "../../core/commands.js";
import type { Renderer } from "../../core/effects.js";
import type { Actor } from "../../core/ports.js";
import type { Answers, FlowDef } from "../../core/flow-types.js";
import { ASKS_FOR_PHOTOS, findHazardNumber, leadingHazardNumber, LEVEL_ANSWERS, LEVELS, move, SECTOR_ALIASES, SECTORS, sectorHinted, SUPERVISION_LEVELS, defaultDeadline, isOverdue, type HazardLevel, type HazardRules, type HazardStatus, type Transition } from "./rules.js";
import { parseQuickHazard } from "./quick.js";
import { say, type Say } from "../../prompts/catalog.js";
import { audit } from "../../store/audit.js";
import type { Db, Tx } from "../../store/db.js";
import * as hz from "./repo.js";
import { personById } from "../org/index.js";
import { formatLocal, formatLocalDateCn, toLocalDate } from "../../time/shanghai.js";
import { choice, choiceOf, date, dateExamples, hazardNo, photos, place, readAs, text } from "../inputs.js";
import { toPerson } from "../org/notify.js";
import { within } from "../org/policy.js";
import path from "node:path";
import { parsePeriod } from "../../domain/period.js";
import { writeHazardLedger } from "./ledger.js";
import { findRegionIn, regionByPath, regionNames, shortRegionName } from "../org/index.js";

type Place = { text: string; lat?: number; lng?: number };

/** Working days as the bureau's calendar has them (for "3个工作日内"). */
export type Workdays = (d: string) => boolean;

export function hazardReportFlow(rules: HazardRules, isWorkday?: Workdays): FlowDef<Tx> {
  return {
    id: "hazard-report",
    title: "hazard.title",
    steps: [
      { id: "place", prompt: "hazard.ask.place", label: "hazard.label.place", input: place() },
      { id: "sector", prompt: "hazard.ask.sector", label: "hazard.label.sector", input: choice(SECTORS, SECTOR_ALIASES, (n) => { const s = sectorHinted(n); return s ? { option: s } : undefined; }) },
      { id: "description", prompt: "hazard.ask.description", label: "hazard.label.description", input: text({ min: 2, max: 500 }) },
      { id: "level", prompt: "hazard.ask.level", label: "hazard.label.level", input: choice(LEVELS, LEVEL_ANSWERS) },
      { id: "photos", prompt: "hazard.ask.photos", label: "hazard.label.photos", input: photos({ min: 1, max: 9 }), optional: true },
      { id: "unit", prompt: "hazard.ask.unit", label: "hazard.label.unit", input: text({ min: 2, max: 60 }) },
      { id: "deadline", prompt: "hazard.ask.deadline", promptParams: (c) => dateExamples(c.now), whenSkipped: "hazard.deadline_default", label: "hazard.label.deadline", input: date({ maxDaysAhead: 366, ...(isWorkday ? { isWorkday } : {}) }), optional: true },
    ],
    async beforeStart({ person }) {
      return person.regionPath ? null : say("core.need_bind", { command: "上报隐患" });
    },
    async complete({ tx, now, person }, a) {
      const p = a.place as Place;
      const level = a.level as HazardLevel;
      const deadline = (a.deadline as { date: string } | undefined)?.date ?? defaultDeadline(level, now, rules);
      const region = await regionByPath(tx, person.regionPath!);
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

/** 整改's stage, as the step reads it and as `整改 YH-… 已完成` is read in one message. */
const rectifyStage = choiceOf([
      { value: "started", label: "hazard.rectify.stage.started", also: ["开始整改", "已开始", "开始了", "整改中", "正在整改"] },
      { value: "done", label: "hazard.rectify.stage.done", also: ["完成整改", "已完成", "完成了", "整改完成", "已整改", "整改好了", "改好了", "已经整改完成了", "整改完成了", "已整改完成", "整改完毕", "已整改到位", "整改到位"] },
    ]);

/** 整改: start work, or finish it with evidence (photo + note). */
export const hazardRectifyFlow: FlowDef<Tx> = {
  id: "hazard-rectify",
  title: "hazard.rectify.title",
  steps: [
    { id: "number", prompt: "hazard.ask.number", label: "hazard.label.number", input: hazardNo() },
    { id: "stage", prompt: "hazard.rectify.ask.stage", label: "hazard.rectify.label.stage", input: rectifyStage, next: (a) => (a.stage === "done" ? "photos" : "note") },
    { id: "photos", prompt: "hazard.rectify.ask.photos", label: "hazard.label.photos", input: photos({ min: 1, max: 9 }) },
    { id: "note", prompt: "hazard.rectify.ask.note", label: "hazard.rectify.label.note", input: text({ min: 2, max: 500 }), next: () => null },
  ],
  permission: "member",
  async complete({ tx, now, person, access }, a) {
    const t: Transition = a.stage === "done" ? "rectify" : "start";
    const r = await transition({ tx, access }, person, String(a.number), t, now, { note: a.note as string, photos: (a.photos as string[] | undefined) ?? [] });
    return { ok: true, replies: r };
  },
};

/** 复查's result, as the step reads it and as `复查 YH-… 不通过，…` is read in one message. */
const reviewResult = choiceOf([
  { value: "pass", label: "hazard.review.result.pass", also: ["通过", "合格", "同意", "销号", "同意销号", "复查通过", "可以销号"] },
  { value: "reject", label: "hazard.review.result.reject", also: ["不通过", "不合格", "退回", "退回整改", "驳回", "不同意", "复查不通过"], rest: "reason" },
]);

/** 复查: a verifier passes (销号) or sends it back with a reason. */
export const hazardReviewFlow: FlowDef<Tx> = {
  id: "hazard-review",
  title: "hazard.review.title",
  steps: [
    { id: "number", prompt: "hazard.ask.number", label: "hazard.label.number", input: hazardNo() },
    { id: "result", prompt: "hazard.review.ask.result", label: "hazard.review.label.result", input: reviewResult, next: (a) => (a.result === "reject" ? "reason" : null) },
    { id: "reason", prompt: "hazard.review.ask.reason", label: "hazard.review.label.reason", input: text({ min: 2, max: 300 }) },
  ],
  permission: "hazard.verify",
  async complete({ tx, now, person, access }, a) {
    const pass = a.result === "pass";
    return { ok: true, replies: await transition({ tx, access }, person, String(a.number), pass ? "close" : "reject", now, pass ? {} : { note: a.reason as string }) };
  },
};

const REFUSALS = {
  closed: "hazard.refuse.closed",
  not_rectified: "hazard.refuse.not_rectified",
  already_rectified: "hazard.refuse.already_rectified",
  not_open: "hazard.refuse.not_open",
} as const;

type Ctx = { tx: Tx; access: Access };

/** The hazard as the policy sees it: where it is, who is party to it. */
const asTarget = (h: hz.HazardRow) => ({ regions: [h.regionPath], parties: [h.responsibleId] });

/**
 * Where a supervision listing lives: 县级 (and the 市/省 listings the county records) belong to
 * the county, so listing a hazard, and closing a listed one, is the county's to do.
 */
const listingRegion = (h: { regionPath: string }) => h.regionPath.split("/")[0]!;

/**
 * Everything that may refuse a lifecycle step: the policy (role, region,
 * responsibility, separation of duties), then the status. Refusals are audited.
 */
async function refuse(c: Ctx, actor: Actor, h: hz.HazardRow, t: Transition, now: Date): Promise<Say[] | { to: HazardStatus }> {
  const verifying = t === "close" || t === "reject";
  const about = { entity: "hazard", id: h.number };
  const no = verifying
    ? await c.access("hazard.verify", {
      regions: [h.regionPath], ...(h.supervisionLevel ? { next: [listingRegion(h)] } : {}), self: (await hz.lastEventOf(c.tx, h.id, "rectify"))?.actorId ?? null,
    }, {
      ...about, refusal: {
        role: say("hazard.refuse.not_verifier", { number: h.number }),
        scope: h.supervisionLevel && within(h.regionPath, actor.regionPath ?? "") ? say("hazard.refuse.listed_verifier", { number: h.number, level: h.supervisionLevel }) : say("hazard.refuse.not_verifier", { number: h.number }),
        self: say("hazard.refuse.self_verify", { number: h.number }),
      },
    })
    : await c.access("hazard.rectify", asTarget(h), { ...about, refusal: { role: say("hazard.refuse.not_responsible", { number: h.number }), scope: say("hazard.refuse.not_responsible", { number: h.number }) } });
  if (no) return no;
  const m = move(h.status as HazardStatus, t);
  if (!m.ok) {
    await audit(c.tx, { at: now, actor: actor.key, action: "hazard.refused", entity: "hazard", entityId: h.number, after: { transition: t, status: h.status, reason: m.reason } });
    return [say(REFUSALS[m.reason], { number: h.number, status: h.status })];
  }
  return { to: m.to };
}

/** Refuses before any question is asked; null to go ahead. A rectification is checked as its next possible step. */
async function precheck(c: Ctx, actor: Actor, number: string, verify: boolean, now: Date): Promise<Say[] | null> {
  const h = await hz.hazardByNumber(c.tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const r = await refuse(c, actor, h, verify ? "close" : h.status === "整改中" ? "rectify" : "start", now);
  return Array.isArray(r) ? r : null;
}

/** One lifecycle step, with its checks, history and audit. Returns what to say. */
export async function transition(c: Ctx, actor: Actor, number: string, t: Transition, now: Date, o: { note?: string; photos?: string[] } = {}): Promise<Say[]> {
  const h = await hz.hazardByNumber(c.tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const r = await refuse(c, actor, h, t, now);
  if (Array.isArray(r)) return r;
  await hz.changeStatus(c.tx, h, { to: r.to, kind: t, actorId: actor.personId!, actor: actor.key, ...(o.note ? { note: o.note } : {}), ...(o.photos ? { photos: o.photos } : {}) }, now);
  return [say("hazard.moved", { number: h.number, from: h.status, to: r.to })];
}

async function showHazard(ctx: CommandContext<Tx>, number: string): Promise<Say[]> {
  const { tx, now } = ctx;
  const h = await hz.hazardByNumber(tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const no = await ctx.access("hazard.view", { regions: [h.regionPath], parties: [h.reporterId, h.responsibleId] }, { entity: "hazard", id: h.number });
  if (no) return no;
  const [reporter, events] = await Promise.all([personById(tx, h.reporterId), hz.hazardEvents(tx, [h.id])]);
  const photos = allPhotos(h, events);
  const out: Say[] = [say("hazard.show", {
    number: h.number, status: h.status, overdue: isOverdue(h, toLocalDate(now)) ? "（已逾期）" : "", level: h.level, sector: h.sector,
    place: h.place, description: h.description, unit: h.responsibleUnit, deadline: formatLocalDateCn(h.deadline),
    reporter: reporter?.name ?? "", region: h.regionPath, photos: photos.length,
  })];
  if (h.supervisionLevel) out.push(say("hazard.show_listed", { level: h.supervisionLevel }));
  for (const e of events) out.push(say("hazard.show_event", { when: formatLocal(e.at), what: e.toStatus ? `${e.fromStatus ?? "—"}→${e.toStatus}` : e.kind === "progress" ? "进展" : e.kind === "list" ? "挂牌督办" : e.kind, note: e.note ?? "" }));
  if (photos.length && ctx.allows("hazard.photos", { regions: [h.regionPath], parties: [h.reporterId, h.responsibleId] })) out.push(say("hazard.photos.hint", { number: h.number }));
  return out;
}

/** The report's photos, then each rectification's evidence, in order and once each. */
function allPhotos(h: hz.HazardRow, events: { photos: string | null }[]): string[] {
  const all = [...(JSON.parse(h.photos) as string[]), ...events.flatMap((e) => (e.photos ? (JSON.parse(e.photos) as string[]) : []))];
  return [...new Set(all)];
}

/**
 * `隐患 YH-… 照片`: the evidence, to the verifier and leaders in scope only, and
 * always privately (asked in a group, the pictures go to the asker's own chat).
 */
async function sendPhotos(ctx: CommandContext<Tx>, number: string): Promise<Say[] | WithFiles> {
  const h = await hz.hazardByNumber(ctx.tx, number);
  if (!h) return [say("hazard.not_found", { number })];
  const no = await ctx.access("hazard.photos", { regions: [h.regionPath], parties: [h.reporterId, h.responsibleId] }, { entity: "hazard", id: h.number, refusal: { role: say("hazard.photos.not_yours", { number: h.number }) } });
  if (no) return no;
  const photos = allPhotos(h, await hz.hazardEvents(ctx.tx, [h.id]));
  if (photos.length === 0) return [say("hazard.photos.none", { number: h.number })];
  const items = [];
  for (const [i, p] of photos.entries()) {
    const text = ctx.t(say("hazard.photos.caption", { number: h.number, index: i + 1, count: photos.length }));
    if (ctx.chat.chatKind === "private") items.push({ channel: ctx.chat.channel, chatId: ctx.chat.chatId, payload: { text, choices: [], image: p }, dedupeKey: `hzp:${h.id}:${ctx.msg.messageId}:${i}` });
    else for (const it of await toPerson(ctx.tx, ctx.actor.personId!, text, `hzp:${h.id}:${ctx.msg.messageId}:${i}`)) if (it.payload.mention === undefined) items.push({ ...it, payload: { ...it.payload, image: p } });
  }
  if (items.length === 0) return [say("hazard.photos.need_private", { number: h.number })];
  return { says: [say(ctx.chat.chatKind === "private" ? "hazard.photos.sent" : "hazard.photos.sent_private", { number: h.number, count: photos.length })], effects: [{ notify: items }] };
}

/** Inside a dialog these arguments make a command, not an answer (core/route.ts). */
const hasHazardNumber = (a: string) => findHazardNumber(a) !== null;
const hasArgs = (a: string) => a.trim() !== "";
/** A one-message report that names the place, what is wrong and its level (only the shape is read here). */
const quickReportComplete = (a: string) => {
  const q = parseQuickHazard(a, new Date(0));
  return q.place !== undefined && q.level !== undefined && [...(q.description ?? "")].length >= 4;
};

/** The ways a region's name may be written in a question (`渠阳镇`, `渠阳`), longest first. */
function namesIn(path: string): string[] {
  const name = path.split("/").pop()!;
  const short = shortRegionName(name);
  return [...new Set([name, short])].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);
}

/** `隐患泡里村加油站 灭火器过期`: the keyword glued to a report with a place and a description. */
const gluedReport = (norm: string) => {
  if (!/^隐患[^\s:：,，台]/.test(norm)) return false;
  const q = parseQuickHazard(norm.slice(2), new Date(0));
  return q.place !== undefined && [...(q.description ?? "")].length >= 4;
};

/** The hazard number a command starts with (typed any way people type it). */
function numberArg(args: string): string | null {
  return leadingHazardNumber(args)?.number ?? null;
}

const startWith = (flow: string, answers: Answers, intro: Say[] = []): StartFlow => ({ startFlow: flow, answers, intro });

/** The ledger renderer (core/renders.ts): the period re-read at the request's moment, the workbook written outside any transaction. */
export function hazardLedgerRenderer(o: { db: Db; dataDir: string }): Renderer {
  return async (raw, at) => {
    const p = raw as { region: string; period: string };
    const period = parsePeriod(p.period, at)!;
    const { file, summary } = await writeHazardLedger(o.db, { regionPath: p.region, period, now: at, dir: path.join(o.dataDir, "exports") });
    const rate = summary.found ? `${((summary.rectified / summary.found) * 100).toFixed(1)}%` : "—";
    return { says: [say("hazard.ledger.summary", { region: p.region, period: period.label, ...summary, rate })], file };
  };
}

/** The one-message report: the dialog opens with what it read, asking only for the rest. */
function quickReport(ctx: CommandContext<Tx>, isWorkday?: Workdays): StartFlow {
  // (Taken by `matches`, the args are the whole message, 隐患 and all.)
  const q = parseQuickHazard(ctx.args.replace(/^隐患(?=[^\s:：,，])/, ""), ctx.now, isWorkday ? { isWorkday } : {});
  const answers: Answers = {};
  if (q.place) answers.place = { text: q.place };
  if (q.sector) answers.sector = q.sector;
  if (q.description && [...q.description].length >= 2) answers.description = q.description;
  if (q.level) answers.level = q.level;
  if (q.unit) answers.unit = q.unit;
  if (q.deadline) answers.deadline = { date: q.deadline };
  const intro: Say[] = Object.keys(answers).length ? [say("hazard.quick.read")] : [];
  // A date already past is not taken as the deadline, and not hidden in the description either.
  if (q.pastDeadline) intro.push(say("hazard.quick.past_deadline", { date: formatLocalDateCn(q.pastDeadline) }));
  return startWith("hazard-report", answers, intro);
}

export function hazardCommands(isWorkday?: Workdays): CommandDef<Tx>[] {
  return [
    {
      id: "hazard-report", keywords: ["上报隐患", "隐患上报", "报隐患", "报个隐患", "报告隐患", "上报一个隐患", "报告一个隐患", "发现隐患", "发现一处隐患", "举报隐患"], slash: ["report"], describe: "hazard.describe", permission: "hazard.report", flow: "hazard-report",
      // `上报隐患 泡里村加油站 灭火器过期`: what follows the words is read as the one-message report.
      complete: quickReportComplete,
      run: async (ctx) => quickReport(ctx, isWorkday),
    },
    {
      id: "hazard", complete: (a) => hasHazardNumber(a) || quickReportComplete(a), keywords: ["隐患"], slash: ["hazard"], describe: "hazard.quick.describe", permission: "member", opens: ["hazard-report"],
      // "YH-20261125-0001 照片" or "隐患YH-…" (no space) ask about that hazard too.
      // And `隐患泡里村加油站 灭火器过期` (no space after 隐患) is a report that names its place and what is wrong.
      matches: (norm) => /^(查看|看看|看一下|看下|查一下|查询|查|看)?\s*(一下)?\s*(隐患)?\s*(编号)?\s*[:：,，]?\s*y\s*h\s*[-_—–·.]?\s*\d{8}/.test(norm) || gluedReport(norm),
      checks: [{ action: "hazard.view", target: "hazard" }, { action: "hazard.photos", target: "hazard" }, { action: "hazard.report", target: "hazard" }],
      run: async (ctx) => {
        // A number anywhere ("隐患 YH-… 照片", "看下YH-…的照片") asks about that hazard; else it is a report.
        const f = findHazardNumber(ctx.args);
        if (f) return ASKS_FOR_PHOTOS.test(`${f.before}${f.rest}`) ? sendPhotos(ctx, f.number) : showHazard(ctx, f.number);
        const no = await ctx.access("hazard.report", {}, { entity: "command", id: "hazard-report" });
        if (no) return no;
        return quickReport(ctx, isWorkday);
      },
    },
    {
      id: "hazard-rectify", essential: true, complete: hasHazardNumber, keywords: ["整改"], slash: ["rectify"], describe: "hazard.rectify.describe", permission: "member", opens: ["hazard-rectify"],
      checks: [{ action: "hazard.rectify", target: "hazard" }],
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        if (!n) return startWith("hazard-rectify", {});
        const refused = await precheck(ctx, ctx.actor, n, false, ctx.now);
        if (refused) return refused;
        // `整改 YH-… 已完成`, `整改 YH-… 已经整改完成了`: the stage read by the stage step itself.
        const rest = leadingHazardNumber(ctx.args)?.rest ?? "";
        const stage = rest ? readAs(rectifyStage, rest, ctx) : null;
        return startWith("hazard-rectify", { number: n, ...(stage?.ok ? { stage: stage.value } : {}) });
      },
    },
    {
      id: "hazard-review", complete: hasHazardNumber, keywords: ["复查"], slash: ["review"], describe: "hazard.review.describe", permission: "hazard.verify", opens: ["hazard-review"],
      checks: [{ action: "hazard.verify", target: "hazard" }],
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        if (!n) return startWith("hazard-review", {});
        const refused = await precheck(ctx, ctx.actor, n, true, ctx.now);
        if (refused) return refused;
        // `复查 YH-… 通过` / `复查 YH-… 不通过，灭火器还没换`: the result (and reason) read by the result step itself.
        const rest = leadingHazardNumber(ctx.args)?.rest ?? "";
        const result = rest ? readAs(reviewResult, rest, ctx) : null;
        return startWith("hazard-review", { number: n, ...(result?.ok ? { result: result.value, ...(result.also ?? {}) } : {}) });
      },
    },
    {
      id: "hazard-close", complete: hasHazardNumber, keywords: ["销号"], slash: ["close"], describe: "hazard.close.describe", permission: "hazard.verify",
      checks: [{ action: "hazard.verify", target: "hazard" }],
      run: async (ctx) => {
        const n = numberArg(ctx.args);
        return n ? transition(ctx, ctx.actor, n, "close", ctx.now) : [say("org.usage", { usage: "销号 YH-20261125-0001" })];
      },
    },
    {
      id: "my-hazards", essential: true, keywords: ["我的隐患"], slash: ["my_hazards"], describe: "hazard.mine.describe", permission: "member",
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
      id: "hazard-ledger", complete: hasArgs, keywords: ["隐患台账"], slash: ["ledger"], describe: "hazard.ledger.describe", permission: "member",
      checks: [{ action: "region.read", target: "region" }],
      run: async (ctx) => {
        // `隐患台账 10月 渠阳镇`: a region named (read as the quick stats read it), and the period in the rest.
        const named = findRegionIn(ctx.args.replace(/\s+/g, ""), await regionNames(ctx.tx));
        const region = named ?? ctx.actor.regionPath!;
        const rest = named ? ctx.args.replace(new RegExp(namesIn(named).join("|"), "g"), " ").trim() : ctx.args;
        const period = parsePeriod(rest || "本月", ctx.now);
        if (!period) return [say("hazard.ledger.bad_period", { text: rest })];
        const no = await ctx.access("region.read", { regions: [region] }, { entity: "hazard-ledger", id: region });
        if (no) return no;
        // The workbook is drawn after the commit (hazardLedgerRenderer), not in this transaction.
        return { render: { kind: "hazard-ledger", params: { region, period: rest || "本月" } } };
      },
    },
    {
      id: "hazard-list", keywords: ["挂牌督办"], slash: ["supervise"], describe: "hazard.list.describe", permission: "hazard.list",
      checks: [{ action: "hazard.list", target: "hazard" }],
      run: async (ctx) => list(ctx),
    },
    {
      id: "hazard-progress", complete: hasHazardNumber, keywords: ["进展"], slash: ["progress"], describe: "hazard.progress.describe", permission: "member",
      checks: [{ action: "hazard.rectify", target: "hazard" }],
      run: async (ctx) => {
        const arg = leadingHazardNumber(ctx.args);
        const n = arg?.number;
        const note = arg?.rest ?? "";
        if (!n || note.length < 2) return [say("org.usage", { usage: "进展 YH-20261125-0001 已完成储罐区防火堤施工50%" })];
        const h = await hz.hazardByNumber(ctx.tx, n);
        if (!h) return [say("hazard.not_found", { number: n })];
        const no = await ctx.access("hazard.rectify", asTarget(h), { entity: "hazard", id: h.number });
        if (no) return no;
        await hz.addEvent(ctx.tx, h, { kind: "progress", actorId: ctx.actor.personId!, note }, ctx.now);
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "hazard.progress", entity: "hazard", entityId: h.number, after: { note } });
        return [say("hazard.progress.done", { number: h.number })];
      },
    },
  ];
}

async function list(ctx: CommandContext<Tx>): Promise<Say[]> {
  const arg = leadingHazardNumber(ctx.args);
  const num = arg?.number;
  const lv = (arg?.rest ?? "").replace(/(级|级督办|挂牌)$/, "");
  if (!num || !(SUPERVISION_LEVELS as readonly string[]).includes(lv)) return [say("org.usage", { usage: "挂牌督办 YH-20261125-0001 县（省/市/县）" })];
  const h = await hz.hazardByNumber(ctx.tx, num);
  if (!h) return [say("hazard.not_found", { number: num })];
  const no = await ctx.access("hazard.list", { regions: [h.regionPath], next: [listingRegion(h)] }, {
    entity: "hazard", id: h.number,
    refusal: within(h.regionPath, ctx.actor.regionPath ?? "") ? { scope: say("hazard.list.county_only", { number: h.number, level: lv }) } : {},
  });
  if (no) return no;
  if (h.level !== "重大") return [say("hazard.list.only_major", { number: h.number })];
  if (h.status === "已销号") return [say("hazard.refuse.closed", { number: h.number })];
  await hz.listHazard(ctx.tx, h, lv, ctx.actor.personId!, ctx.actor.key, ctx.now);
  return [say("hazard.list.done", { number: h.number, level: lv })];
}
