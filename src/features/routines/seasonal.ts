/**
 * Seasonal reminders (e.g. daily forest-fire reminders during 清明) — dates, time,
 * groups and wording all come from the config file (`seasonal`), not from code.
 */
import type { TickJob } from "../../core/jobs.js";
import type { Db, Tx } from "../../store/db.js";
import { claimPhase, phasesDone } from "./repo.js";
import { addDays, fromLocal, toLocalDate } from "../../time/shanghai.js";
import { toGroup } from "../org/notify.js";
import { groupsFor } from "../org/index.js";
import { sayKey, type PromptKey } from "../../prompts/catalog.js";

export interface Seasonal {
  name: string;
  from: string; // MM-DD
  to: string;
  time: string; // HH:MM
  purposes: string[];
  /** A bureau's own wording, or a prompt key (`seasonal.…`) for the defaults' wording. */
  text?: string | undefined;
  prompt?: string | undefined;
}

/** In season on this date? A range like 12-01…02-28 wraps over the new year. */
export function inSeason(s: Pick<Seasonal, "from" | "to">, date: string): boolean {
  const md = date.slice(5);
  return s.from <= s.to ? s.from <= md && md <= s.to : md >= s.from || md <= s.to;
}

function at(date: string, time: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return fromLocal(y, m, d, Number(time.slice(0, 2)), Number(time.slice(3)));
}

export function seasonalJob(d: { db: Db; reminders: Seasonal[] }): TickJob<Tx, { s: Seasonal; date: string; at: Date }> {
  /** Today's and tomorrow's sends not yet made, earliest first. */
  async function pending(now: Date) {
    const today = toLocalDate(now);
    const out: { s: Seasonal; date: string; at: Date }[] = [];
    for (const s of d.reminders) {
      const done = new Set((await phasesDone(d.db, `seasonal:${s.name}`, [today, addDays(today, 1)])).map((p) => p.date));
      for (const date of [today, addDays(today, 1)]) if (inSeason(s, date) && !done.has(date)) out.push({ s, date, at: at(date, s.time) });
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  return {
    name: "seasonal",
    catchUpWithinMs: 12 * 3600_000,
    nextWorkAt: async (now) => (await pending(now))[0]?.at ?? null,
    due: async (now) => (await pending(now)).filter((p) => p.at <= now),
    async handle({ tx, at: now, t }, p) {
      if (!(await claimPhase(tx, `seasonal:${p.s.name}`, p.date, "*", "send", now))) return [];
      const groups = await groupsFor(tx, p.s.purposes);
      const text = p.s.text ?? t(sayKey(p.s.prompt as PromptKey));
      return [{ notify: groups.flatMap((g) => toGroup(g, text, `seasonal:${p.s.name}:${p.date}`)) }];
    },
  };
}
