/**
 * Scheduled hazard work (times in the config file): every morning the deadline
 * reminders, the overdue escalation (township leaders the day after the deadline,
 * county leaders M days later) and each group's digest; every week the 挂牌督办
 * progress requests and the leaders' summary.
 */
import type { OutboxItem } from "../core/ports.js";
import { daysOverdue, type HazardRules } from "../domain/hazards.js";
import { rolesHolding } from "../domain/policy.js";
import { say, type Say } from "../prompts/catalog.js";
import type { JobDef } from "../scheduler/scheduler.js";
import type { Db, Tx } from "../store/db.js";
import * as hz from "../store/hazards.js";
import { peopleAt } from "../store/org.js";
import { enqueueNoting, toGroup, toPerson } from "./notify.js";
import { addDays, formatLocalDateCn, toLocalDate } from "../time/shanghai.js";

export interface HazardJobDeps {
  db: Db;
  rules: HazardRules;
  render: (s: Say) => string;
  now: () => Date;
  notify: (channels: Set<string>) => void;
}

/** Leaders at a level of the hazard's region path (1 = township, 0 = county). */
async function leadersAt(tx: Tx, regionPath: string, depth: number) {
  const path = regionPath.split("/").slice(0, depth + 1).join("/");
  return peopleAt(tx, path, rolesHolding("hazard.list"));
}

export function hazardJobs(d: HazardJobDeps): JobDef[] {
  const send = enqueueNoting;

  const daily: JobDef = {
    name: "hazard-daily",
    catchUpWithinMs: 12 * 3600_000,
    async run() {
      const now = d.now();
      const today = toLocalDate(now);
      const touched = new Set<string>();
      // 1. Reminders before the deadline.
      for (const h of await hz.dueOn(d.db, addDays(today, d.rules.remindDaysBefore))) {
        await d.db.$transaction(async (tx) => {
          if (!(await hz.markHazard(tx, h.id, "remindedAt", now))) return;
          const text = d.render(say("hazard.job.remind", { number: h.number, place: h.place, description: h.description, deadline: formatLocalDateCn(h.deadline) }));
          await send(tx, await toPerson(tx, h.responsibleId, text, `hz:${h.id}:remind`), now, touched);
        });
      }
      // 2. Overdue: the township leaders the day after the deadline; the county M days later.
      for (const h of await hz.overdue(d.db, today)) {
        const late = daysOverdue(h.deadline, today);
        await d.db.$transaction(async (tx) => {
          const params = { number: h.number, place: h.place, description: h.description, deadline: formatLocalDateCn(h.deadline), days: late, region: h.regionPath };
          if (await hz.markHazard(tx, h.id, "overdueAt", now)) {
            await hz.addEvent(tx, h, { kind: "overdue", note: `逾期${late}天，已告知乡镇领导` }, now);
            const text = d.render(say("hazard.job.overdue", params));
            await send(tx, await toPerson(tx, h.responsibleId, text, `hz:${h.id}:overdue`), now, touched);
            for (const l of await leadersAt(tx, h.regionPath, 1)) await send(tx, await toPerson(tx, l.id, text, `hz:${h.id}:overdue:${l.id}`), now, touched);
          }
          if (late >= 1 + d.rules.escalateAfterDays && h.escalatedAt === null && (await hz.markHazard(tx, h.id, "escalatedAt", now))) {
            await hz.addEvent(tx, h, { kind: "escalate", note: `逾期${late}天，已上报县级领导` }, now);
            const text = d.render(say("hazard.job.escalate", params));
            for (const l of await leadersAt(tx, h.regionPath, 0)) await send(tx, await toPerson(tx, l.id, text, `hz:${h.id}:escalate:${l.id}`), now, touched);
          }
        });
      }
      // 3. Each grid/work group: what is due today and what is overdue in its region.
      const groups = await d.db.groupChat.findMany({ where: { purpose: { in: ["网格群", "工作群"] } }, include: { region: { select: { path: true } } } });
      for (const g of groups) {
        const rows = await hz.openDueBy(d.db, g.region.path, today);
        if (rows.length === 0) continue;
        const lines: Say[] = [say("hazard.job.digest", { region: g.region.path, due: rows.filter((r) => r.deadline === today).length, overdue: rows.filter((r) => r.deadline < today).length })];
        for (const r of rows.slice(0, 20)) lines.push(say("hazard.job.digest_item", { number: r.number, place: r.place, state: r.deadline < today ? `逾期${daysOverdue(r.deadline, today)}天` : "今天到期", status: r.status }));
        await d.db.$transaction(async (tx) => send(tx, toGroup(g, lines.map(d.render).join("\n"), `hz:digest:${today}`), now, touched));
      }
      if (touched.size) d.notify(touched);
    },
  };

  const supervision: JobDef = {
    name: "hazard-supervision",
    catchUpWithinMs: 24 * 3600_000,
    async run() {
      const now = d.now();
      const week = toLocalDate(now);
      const touched = new Set<string>();
      const listed = await hz.listedOpen(d.db);
      for (const h of listed) {
        await d.db.$transaction(async (tx) => {
          const text = d.render(say("hazard.job.progress_request", { number: h.number, level: h.supervisionLevel!, place: h.place, description: h.description }));
          await send(tx, await toPerson(tx, h.responsibleId, text, `hz:${h.id}:weekly:${week}`), now, touched);
        });
      }
      const leaderGroups = await d.db.groupChat.findMany({ where: { purpose: "领导群" }, include: { region: { select: { path: true } } } });
      for (const g of leaderGroups) {
        const mine = listed.filter((h) => h.regionPath === g.region.path || h.regionPath.startsWith(`${g.region.path}/`));
        if (mine.length === 0) continue;
        const lines: Say[] = [say("hazard.job.weekly_header", { region: g.region.path, count: mine.length })];
        for (const h of mine) {
          const last = await hz.lastEventOf(d.db, h.id, "progress");
          lines.push(say("hazard.job.weekly_item", { number: h.number, level: h.supervisionLevel!, place: h.place, status: h.status, progress: last?.note ?? "（本周无进展）" }));
        }
        await d.db.$transaction(async (tx) => send(tx, toGroup(g, lines.map(d.render).join("\n"), `hz:weekly:${week}`), now, touched));
      }
      if (touched.size) d.notify(touched);
    },
  };
  return [daily, supervision];
}
