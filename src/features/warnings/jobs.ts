/**
 * The 叫应 cycle: each interval the silent are called again; after N calls their
 * township leaders hear of it, after 2N the county; at the end, the closing
 * summary to the issuer and the leaders' groups above them.
 */
import type { TickJob } from "../../core/jobs.js";
import type { OutboxItem } from "../../core/ports.js";
import { within } from "../org/rules.js";
import { rolesHolding } from "../org/policy.js";
import { toGroup, toPerson } from "../org/notify.js";
import { say } from "../../prompts/catalog.js";
import type { Db, Tx } from "../../store/db.js";
import { peopleAt } from "../org/index.js";
import * as repo from "./repo.js";
import { warningStatus } from "./status.js";

const nextAt = (w: { lastCycleAt: Date; recallMinutes: number; cycle: number; cycles: number; endsAt: Date }) =>
  w.cycle < w.cycles ? new Date(Math.min(w.lastCycleAt.getTime() + w.recallMinutes * 60_000, w.endsAt.getTime())) : w.endsAt;

export function warningJob(d: { db: Db }): TickJob<Tx, { id: number }> {
  return {
    name: "warnings",
    catchUpWithinMs: 6 * 3600_000,
    nextWorkAt: async () => {
      const ws = await repo.active(d.db);
      return ws.length ? new Date(Math.min(...ws.map((w) => nextAt(w).getTime()))) : null;
    },
    due: async (now) => (await repo.active(d.db)).filter((w) => nextAt(w) <= now).map((w) => ({ id: w.id })),
    async handle({ tx, at: now, t }, { id }) {
      // Read again in the transaction: the due list may be a moment old.
      const w = await repo.byId(tx, id);
      if (!w || w.status !== "active" || nextAt(w) > now) return [];
      const items: OutboxItem[] = [];
      if (now >= w.endsAt || w.cycle >= w.cycles) {
        await repo.end(tx, w.id, now);
        const text = (await warningStatus(tx, { ...w, status: "ended" })).map(t).join("\n");
        items.push(...(await toPerson(tx, w.issuerId, text, `yj:${w.id}:end`)));
        const issuer = await repo.issuerOf(tx, w.issuerId);
        const leaders = issuer ? await repo.leaderGroups(tx) : [];
        for (const g of leaders.filter((g) => issuer && within(issuer.region.path, g.region.path))) items.push(...toGroup(g, text, `yj:${w.id}:end`));
        return [{ notify: items }];
      }
      const cycle = w.cycle + 1;
      await repo.nextCycle(tx, w.id, cycle, now);
      // A notice the platform refused for good: that person is 无法送达, with the reason.
      for (const f of (await repo.deliveries(tx, w.id)).filter((x) => x.status === "failed")) {
        await repo.markUnreachable(tx, w.id, [f.personId], f.lastError ?? "发送失败");
      }
      // The unreachable are not called again, but their superiors still hear that they are silent.
      const silent = await repo.silentOf(tx, w.id);
      const names = await repo.namesOf(tx, silent.map((s) => s.personId));
      const recall = t(say("warning.recall", { number: w.number, type: w.type, level: w.level, text: w.text, cycle }));
      for (const s of silent) {
        if (s.status === "无法送达") continue;
        await repo.called(tx, s.id);
        const mine = (await toPerson(tx, s.personId, recall, `yj:${w.id}:p:${s.personId}:${cycle}`)).map((i) => ({ ...i, payload: { ...i.payload, choices: ["收到"] } }));
        await repo.noteNotices(tx, w.id, s.personId, cycle, mine);
        items.push(...mine);
      }
      for (const g of await repo.targetGroups(tx, repo.regionsOf(w))) {
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
        if (due.length) await repo.escalated(tx, due.map((s) => s.id), level);
      }
      return [{ notify: items }];
    },
  };
}
