/**
 * Scheduled hazard work (times in the config file): every morning the deadline
 * reminders, the overdue escalation (township leaders the day after the deadline,
 * county leaders M days later) and each group's digest; every week the 挂牌督办
 * progress requests and the leaders' summary.
 */
import type { OutboxItem } from "../../core/ports.js";
import { daysOverdue, type HazardRules } from "./rules.js";
import { rolesHolding } from "../org/policy.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { TickJob } from "../../core/jobs.js";
import type { Db, Tx } from "../../store/db.js";
import * as hz from "./repo.js";
import { peopleAt } from "../org/index.js";
import { toGroup, toPerson } from "../org/notify.js";
import { addDays, formatLocalDateCn, toLocalDate } from "../../time/shanghai.js";
import { groupsFor } from "../org/index.js";

export interface HazardJobDeps {
  db: Db;
  rules: HazardRules;
}

/** Leaders at a level of the hazard's region path (1 = township, 0 = county). */
async function leadersAt(tx: Tx, regionPath: string, depth: number) {
  const path = regionPath.split("/").slice(0, depth + 1).join("/");
  return peopleAt(tx, path, rolesHolding("hazard.list"));
}

type Daily =
  | { kind: "remind"; h: Awaited<ReturnType<typeof hz.dueOn>>[number] }
  | { kind: "overdue"; h: Awaited<ReturnType<typeof hz.overdue>>[number] }
  | { kind: "digest"; g: { channel: string; chatId: string; region: { path: string } } };

type Weekly =
  | { kind: "progress"; h: Awaited<ReturnType<typeof hz.listedOpen>>[number] }
  | { kind: "summary"; g: { channel: string; chatId: string; region: { path: string } }; listed: Awaited<ReturnType<typeof hz.listedOpen>> };

export function hazardJobs(d: HazardJobDeps): TickJob<Tx>[] {
  const daily: TickJob<Tx, Daily> = {
    name: "hazard-daily",
    catchUpWithinMs: 12 * 3600_000,
    async due(at) {
      const today = toLocalDate(at);
      const groups = await groupsFor(d.db, ["网格群", "工作群"]);
      return [
        // 1. Reminders before the deadline.
        ...(await hz.dueOn(d.db, addDays(today, d.rules.remindDaysBefore))).map((h): Daily => ({ kind: "remind", h })),
        // 2. Overdue: the township leaders the day after the deadline; the county M days later.
        ...(await hz.overdue(d.db, today)).map((h): Daily => ({ kind: "overdue", h })),
        // 3. Each grid/work group: what is due today and what is overdue in its region.
        ...groups.map((g): Daily => ({ kind: "digest", g })),
      ];
    },
    async handle({ tx, at: now, t }, x) {
      const today = toLocalDate(now);
      const items: OutboxItem[] = [];
      if (x.kind === "remind") {
        const { h } = x;
        if (!(await hz.markHazard(tx, h.id, "remindedAt", now))) return [];
        const text = t(say("hazard.job.remind", { number: h.number, place: h.place, description: h.description, deadline: formatLocalDateCn(h.deadline) }));
        items.push(...(await toPerson(tx, h.responsibleId, text, `hz:${h.id}:remind`)));
      } else if (x.kind === "overdue") {
        const { h } = x;
        const late = daysOverdue(h.deadline, today);
        const params = { number: h.number, place: h.place, description: h.description, deadline: formatLocalDateCn(h.deadline), days: late, region: h.regionPath };
        if (await hz.markHazard(tx, h.id, "overdueAt", now)) {
          await hz.addEvent(tx, h, { kind: "overdue", note: `逾期${late}天，已告知乡镇领导` }, now);
          const text = t(say("hazard.job.overdue", params));
          items.push(...(await toPerson(tx, h.responsibleId, text, `hz:${h.id}:overdue`)));
          for (const l of await leadersAt(tx, h.regionPath, 1)) items.push(...(await toPerson(tx, l.id, text, `hz:${h.id}:overdue:${l.id}`)));
        }
        if (late >= 1 + d.rules.escalateAfterDays && h.escalatedAt === null && (await hz.markHazard(tx, h.id, "escalatedAt", now))) {
          await hz.addEvent(tx, h, { kind: "escalate", note: `逾期${late}天，已上报县级领导` }, now);
          const text = t(say("hazard.job.escalate", params));
          for (const l of await leadersAt(tx, h.regionPath, 0)) items.push(...(await toPerson(tx, l.id, text, `hz:${h.id}:escalate:${l.id}`)));
        }
      } else {
        const { g } = x;
        const rows = await hz.openDueBy(tx, g.region.path, today);
        if (rows.length === 0) return [];
        const lines: Say[] = [say("hazard.job.digest", { region: g.region.path, due: rows.filter((r) => r.deadline === today).length, overdue: rows.filter((r) => r.deadline < today).length })];
        for (const r of rows.slice(0, 20)) lines.push(say("hazard.job.digest_item", { number: r.number, place: r.place, state: r.deadline < today ? `逾期${daysOverdue(r.deadline, today)}天` : "今天到期", status: r.status }));
        items.push(...toGroup(g, lines.map(t).join("\n"), `hz:digest:${today}`));
      }
      return [{ notify: items }];
    },
  };

  const supervision: TickJob<Tx, Weekly> = {
    name: "hazard-supervision",
    catchUpWithinMs: 24 * 3600_000,
    async due() {
      const listed = await hz.listedOpen(d.db);
      const leaderGroups = await groupsFor(d.db, ["领导群"]);
      return [...listed.map((h): Weekly => ({ kind: "progress", h })), ...leaderGroups.map((g): Weekly => ({ kind: "summary", g, listed }))];
    },
    async handle({ tx, at, t }, x) {
      const week = toLocalDate(at);
      if (x.kind === "progress") {
        const { h } = x;
        const text = t(say("hazard.job.progress_request", { number: h.number, level: h.supervisionLevel!, place: h.place, description: h.description }));
        return [{ notify: await toPerson(tx, h.responsibleId, text, `hz:${h.id}:weekly:${week}`) }];
      }
      const { g } = x;
      const mine = x.listed.filter((h) => h.regionPath === g.region.path || h.regionPath.startsWith(`${g.region.path}/`));
      if (mine.length === 0) return [];
      const lines: Say[] = [say("hazard.job.weekly_header", { region: g.region.path, count: mine.length })];
      for (const h of mine) {
        const last = await hz.lastEventOf(tx, h.id, "progress");
        lines.push(say("hazard.job.weekly_item", { number: h.number, level: h.supervisionLevel!, place: h.place, status: h.status, progress: last?.note ?? "（本周无进展）" }));
      }
      return [{ notify: toGroup(g, lines.map(t).join("\n"), `hz:weekly:${week}`) }];
    },
  };
  return [daily, supervision];
}
