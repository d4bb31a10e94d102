/**
 * Daily routines in chat: the patrol report (巡查/日报) and the 零报告 on holidays and
 * in key periods, each run like a stand-up — window opens with a reminder, at 80 %
 * the non-reporters are named, at the close a summary goes out and misses are
 * recorded — and the December check that next year's calendar is known.
 */
import type { CommandDef, StartFlow } from "../../core/commands.js";
import type { FlowDef } from "../../core/flow-types.js";
import type { OutboxItem } from "../../core/ports.js";
import { dayInfo, nextYearMissing, type CalendarConfig } from "../../domain/calendar.js";
import { within } from "../org/rules.js";
import { rolesHolding } from "../org/policy.js";
import { isActive, parseQuickPatrol, phaseTimes, PHASES, ROUTINE_GROUPS, ROUTINE_ROLES, windowKeyFor, windowOf, type Phase, type RoutineConfig, type RoutineId } from "./rules.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { TickJob } from "../../core/jobs.js";
import type { Db, Tx } from "../../store/db.js";
import { holdersOf, peopleAt, type PersonProfile } from "../org/index.js";
import * as rt from "./repo.js";
import { addDays, formatLocal, toLocalDate } from "../../time/shanghai.js";
import { confirm, DID, number, photos, text } from "../inputs.js";
import { toGroup, toPerson } from "../org/notify.js";
import { countyAdmins, groupsFor } from "../org/index.js";

export interface RoutineDeps {
  routines: Record<RoutineId, RoutineConfig>;
  calendar: CalendarConfig;
}

type PatrolData = { patrolled: boolean; visited: number; names?: string; hazards: number; notes?: string; photos?: string[] };

async function record(tx: Tx, d: RoutineDeps, routine: RoutineId, person: { personId?: number; regionPath?: string; key: string }, data: unknown, now: Date): Promise<{ late: boolean; date: string }> {
  const date = toLocalDate(now);
  const w = windowOf(windowKeyFor(person.regionPath!, d.routines[routine]), d.routines[routine]);
  const late = now >= phaseTimes(w, date).close;
  await rt.saveReport(tx, { routine, date, personId: person.personId!, regionPath: person.regionPath!, data, late, actor: person.key }, now);
  return { late, date };
}

export function patrolFlow(d: RoutineDeps): FlowDef<Tx> {
  return {
    id: "patrol",
    permission: "routine.patrol",
    title: "patrol.title",
    steps: [
      { id: "patrolled", prompt: "patrol.ask.patrolled", label: "patrol.label.patrolled", input: confirm({ yes: [...DID.yes, "巡查了", "已巡查", "查了", "巡了", "去了", "已巡", "巡查过了"], no: [...DID.no, "没巡查", "未巡查", "没去", "今天没去", "没查", "没巡", "今天没巡查"] }), next: (a) => (a.patrolled ? "visited" : "notes") },
      { id: "visited", prompt: "patrol.ask.visited", label: "patrol.label.visited", input: number({ min: 0, max: 500 }) },
      { id: "names", prompt: "patrol.ask.names", label: "patrol.label.names", input: text({ min: 2, max: 300 }), optional: true },
      { id: "hazards", prompt: "patrol.ask.hazards", label: "patrol.label.hazards", input: number({ min: 0, max: 100 }) },
      { id: "notes", prompt: "patrol.ask.notes", label: "patrol.label.notes", input: text({ min: 2, max: 500 }), optional: true },
      { id: "photos", prompt: "patrol.ask.photos", label: "patrol.label.photos", input: photos({ min: 1, max: 9 }), optional: true },
    ],
    async complete({ tx, now, person }, a) {
      const data: PatrolData = {
        patrolled: a.patrolled as boolean, visited: (a.visited as number | undefined) ?? 0, hazards: (a.hazards as number | undefined) ?? 0,
        ...(a.names ? { names: a.names as string } : {}), ...(a.notes ? { notes: a.notes as string } : {}), ...(a.photos ? { photos: a.photos as string[] } : {}),
      };
      // Hazards found: a button that starts the report right away.
      return { ok: true, replies: await patrolRecorded(tx, d, person, data, now), ...(data.hazards > 0 ? { choices: ["上报隐患"] } : {}) };
    },
  };
}

async function patrolRecorded(tx: Tx, d: RoutineDeps, person: { personId?: number; regionPath?: string; key: string }, data: PatrolData, now: Date): Promise<Say[]> {
  const r = await record(tx, d, "patrol", person, data, now);
  const out: Say[] = [data.patrolled ? say("patrol.done", { visited: data.visited, hazards: data.hazards }) : say("patrol.done_not_patrolled")];
  if (r.late) out.push(say("routine.late"));
  if (data.hazards > 0) out.push(say("patrol.report_hazards", { count: data.hazards }));
  return out;
}

export function zeroFlow(d: RoutineDeps): FlowDef<Tx> {
  return {
    id: "zero",
    permission: "routine.zero",
    title: "zero.title",
    steps: [
      // "是否无事故、无险情…？": 没有 / 无 / 零报告 is 是 (nothing happened), 有情况 is 否.
      { id: "nothing", prompt: "zero.ask.nothing", label: "zero.label.nothing", input: confirm(NOTHING_HAPPENED), next: (a) => (a.nothing ? null : "details") },
      { id: "details", prompt: "zero.ask.details", label: "zero.label.details", input: text({ min: 4, max: 1000 }) },
    ],
    async complete({ tx, now, person }, a) {
      const r = await record(tx, d, "zero", person, { nothing: a.nothing, ...(a.details ? { details: a.details } : {}) }, now);
      return { ok: true, replies: [say(a.nothing ? "zero.done" : "zero.done_with_details"), ...(r.late ? [say("routine.late")] : [])] };
    },
  };
}

/** Answers to "is there nothing to report?" (零报告). */
const NOTHING_HAPPENED = {
  yes: ["无", "没有", "没", "没事", "无事故无险情", "无事故、无险情", "无事故,无险情", "无事故无险情无重要情况", "平安无事", "0报告", "零报告无", "无事故", "无险情", "无情况", "没有情况", "零报告", "正常", "一切正常", "平安", "平稳", "无异常", "都没有", "啥也没有"],
  no: ["有", "有情况", "有险情", "有事故", "有事", "有异常"],
} as const;

export function routineCommands(d: RoutineDeps): CommandDef<Tx>[] {
  return [
    {
      id: "patrol", complete: (a) => parseQuickPatrol(a) !== null, replaces: ["patrol"],
      // Written without a space or as a sentence: 巡查正常, 今天巡查了5家企业，发现隐患1处.
      matches: (norm) => /^(今天|今日)?(已经?)?(巡查|巡检)/.test(norm) && parseQuickPatrol(norm) !== null, keywords: ["巡查", "日报", "巡查日报", "报巡查", "交巡查", "报日报", "交日报", "报巡查日报", "巡查上报"], slash: ["patrol"], describe: "patrol.describe", permission: "routine.patrol", opens: ["patrol"],
      run: async (ctx): Promise<Say[] | StartFlow> => {
        const q = parseQuickPatrol(ctx.args);
        if (q) return patrolRecorded(ctx.tx, d, ctx.actor, q, ctx.now);
        return ctx.args ? { startFlow: "patrol", answers: {}, intro: [say("patrol.quick_unclear")] } : { startFlow: "patrol", answers: {} };
      },
    },
    {
      id: "zero", complete: (a) => /^(无|无情况|正常|平安)$/.test(a.trim()), replaces: ["zero"], keywords: ["零报告"], slash: ["zero"], describe: "zero.describe", permission: "routine.zero", opens: ["zero"],
      run: async (ctx): Promise<Say[] | StartFlow> => {
        const info = dayInfo(toLocalDate(ctx.now), d.calendar);
        if (ctx.args === "" || !/^(无|无情况|正常|平安)$/.test(ctx.args)) return { startFlow: "zero", answers: {}, intro: info.holiday || info.keyPeriod ? [] : [say("zero.not_required_today")] };
        await record(ctx.tx, d, "zero", ctx.actor, { nothing: true }, ctx.now);
        return [say("zero.done")];
      },
    },
  ];
}


export interface RoutineJobDeps extends RoutineDeps {
  db: Db;
}

type PhaseDue = { id: RoutineId; date: string; window: string; phase: Phase; at: Date };

export function routineJobs(d: RoutineJobDeps): TickJob<Tx>[] {
  const ids: RoutineId[] = ["patrol", "zero"];
  const windowsOf = (id: RoutineId) => ["*", ...Object.keys(d.routines[id].regions)];

  /** Every (routine, date, window, phase) due by `now` and not yet done, in time order. */
  async function pending(now: Date): Promise<PhaseDue[]> {
    const today = toLocalDate(now);
    const out: PhaseDue[] = [];
    for (const id of ids) {
      const dates = [addDays(today, -1), today, addDays(today, 1)].filter((date) => isActive(d.routines[id], date, d.calendar));
      const phases = await rt.phasesDone(d.db, id, dates);
      const done = new Set(phases.map((p) => `${p.date}|${p.window}|${p.phase}`));
      // Yesterday's leftovers (the bot was down over its close) only if the bot ran that day.
      const ranYesterday = new Set(phases.filter((p) => p.date === addDays(today, -1)).map((p) => p.window));
      for (const date of dates) for (const w of windowsOf(id)) {
        if (date < today && !ranYesterday.has(w)) continue;
        const times = phaseTimes(windowOf(w, d.routines[id]), date);
        for (const phase of PHASES) if (!done.has(`${date}|${w}|${phase}`)) out.push({ id, date, window: w, phase, at: times[phase] });
      }
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async function runPhase(tx: Tx, { id, date, window, phase }: PhaseDue, now: Date, t: (s: Say) => string): Promise<OutboxItem[]> {
    const cfg = d.routines[id];
    if (!(await rt.claimPhase(tx, id, date, window, phase, now))) return [];
    const people = (await holdersOf(tx, ROUTINE_ROLES[id])).filter((p) => windowKeyFor(p.regionPath, cfg) === window);
    const reports = new Map((await rt.reportsOn(tx, id, date)).filter((r) => r.status === "reported").map((r) => [r.personId, r]));
    const missing = people.filter((p) => !reports.has(p.id));
    const times = phaseTimes(windowOf(window, cfg), date);
    const groups = (await groupsFor(tx, [ROUTINE_GROUPS[id]]))
      .filter((g) => people.some((p) => within(p.regionPath, g.region.path)));
    const items: OutboxItem[] = [];
    const key = `rt:${id}:${date}:${window}:${phase}`;
    for (const g of groups) {
      const inGroup = people.filter((p) => within(p.regionPath, g.region.path));
      const absent = missing.filter((p) => within(p.regionPath, g.region.path));
      let lines: Say[] = [];
      if (phase === "open") lines = [say(`${id}.job.open`, { close: formatLocal(times.close).slice(11) })];
      else if (phase === "nag" && absent.length) lines = [say(`${id}.job.nag`, { count: absent.length, names: absent.map((p) => p.name).join("、"), close: formatLocal(times.close).slice(11) })];
      else if (phase === "close") {
        const present = inGroup.filter((p) => reports.has(p.id));
        lines = [say(`${id}.job.summary`, { date, reported: present.length, expected: inGroup.length, names: present.map((p) => p.name).join("、") || "无", missing: absent.map((p) => p.name).join("、") || "无" })];
      }
      if (lines.length) items.push(...toGroup(g, lines.map(t).join("\n"), key));
    }
    if (phase === "nag") for (const p of missing) items.push(...(await toPerson(tx, p.id, t(say("routine.nag_private", { what: t(say(`${id}.title`)), close: formatLocal(times.close).slice(11) })), `${key}:${p.id}`)));
    if (phase === "close") {
      await rt.recordMisses(tx, id, date, missing);
      if (id === "patrol") items.push(...(await townshipTables(tx, date, people, reports, key, t)));
    }
    return items;
  }

  /** Each township leader gets a per-village table of who reported. */
  async function townshipTables(tx: Tx, date: string, people: PersonProfile[], reports: Map<number, unknown>, key: string, t: (s: Say) => string): Promise<OutboxItem[]> {
    const out: OutboxItem[] = [];
    const townships = [...new Set(people.map((p) => p.regionPath.split("/").slice(0, 2).join("/")))].filter((x) => x.includes("/"));
    for (const town of townships) {
      const mine = people.filter((p) => within(p.regionPath, town));
      const villages = [...new Set(mine.map((p) => p.regionPath.split("/").slice(0, 3).join("/")))].sort();
      const lines: Say[] = [say("patrol.job.table_header", { township: town, date, reported: mine.filter((p) => reports.has(p.id)).length, expected: mine.length })];
      for (const v of villages) {
        const inV = mine.filter((p) => within(p.regionPath, v));
        const absent = inV.filter((p) => !reports.has(p.id));
        lines.push(say("patrol.job.table_row", { village: v.split("/").pop()!, reported: inV.length - absent.length, expected: inV.length, missing: absent.map((p) => p.name).join("、") || "—" }));
      }
      const text = lines.map(t).join("\n");
      for (const l of await peopleAt(tx, town, rolesHolding("duty.leader"))) out.push(...(await toPerson(tx, l.id, text, `${key}:table:${l.id}`)));
    }
    return out;
  }

  const tick: TickJob<Tx, PhaseDue> = {
    name: "routines",
    catchUpWithinMs: 12 * 3600_000,
    nextWorkAt: async (now) => (await pending(now))[0]?.at ?? null,
    due: async (now) => (await pending(now)).filter((p) => p.at <= now),
    handle: async ({ tx, at, t }, p) => [{ notify: await runPhase(tx, p, at, t) }],
  };

  const calendarCheck: TickJob<Tx, number> = {
    name: "calendar-check",
    due: async (now) => {
      const year = nextYearMissing(toLocalDate(now), d.calendar);
      return year === null ? [] : [year];
    },
    async handle({ tx, at: now, t }, year) {
      const admins = await countyAdmins(tx);
      const items: OutboxItem[] = [];
      for (const a of admins) items.push(...(await toPerson(tx, a.id, t(say("calendar.missing_next_year", { year })), `cal:${toLocalDate(now)}:${a.id}`)));
      return [{ notify: items }];
    },
  };
  return [tick, calendarCheck];
}
