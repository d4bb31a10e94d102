/**
 * 工作提醒 — the demo flow that proves the engine end to end: text, choice, date
 * (Chinese), an optional time step that is skipped when the date already had a
 * time, the summary with confirm/edit, and a scheduled job that delivers it.
 */
import type { CommandDef } from "../../core/commands.js";
import type { OutboxItem } from "../../core/ports.js";
import { addReminder, isLate, REMINDER_CATEGORIES, reminderDueAt, settleReminder } from "./reminders.js";
import { say, type Say } from "../../prompts/catalog.js";
import type { Db, Tx } from "../../store/db.js";
import type { TickJob } from "../../core/jobs.js";
import { dueReminders, nextReminderDue, pendingRemindersOf } from "./repo.js";
import { formatLocal } from "../../time/shanghai.js";
import { choice, clockTime, date, dateExamples, readAs, text } from "../inputs.js";
import type { Answers, FlowDef } from "../../core/flow-types.js";

type DateAnswer = { date: string; time?: string };

/** The dialog's own when and what steps, also reading the one-message form. */
const whenInput = date({ maxDaysAhead: 366 });
const contentInput = text({ min: 2, max: 200 });

/**
 * `提醒我 明天9点 交巡查日报` (or the time last): the when and the what, read by the
 * dialog's own date and content steps; null when no when is found (the dialog asks).
 */
export function readQuickReminder(args: string, now: Date): Answers | null {
  const words = args.trim().split(/\s+/).filter(Boolean);
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    for (const [when, what] of [[words.slice(0, n), words.slice(n)], [words.slice(-n), words.slice(0, -n)]] as const) {
      const w = when.join("");
      const d = readAs(whenInput, w, { now });
      const c = readAs(contentInput, what.join(" "), { now });
      if (d.ok && c.ok) return { date: d.value, content: c.value };
    }
  }
  return null;
}

export const remindFlow: FlowDef<Tx> = {
  id: "remind",
  title: "remind.title",
  steps: [
    { id: "content", prompt: "remind.ask.content", label: "remind.label.content", input: contentInput },
    { id: "category", prompt: "remind.ask.category", label: "remind.label.category", input: choice(REMINDER_CATEGORIES) },
    {
      id: "date", prompt: "remind.ask.date", promptParams: (c) => dateExamples(c.now), label: "remind.label.date", input: whenInput,
      next: (a) => ((a.date as DateAnswer | undefined)?.time ? null : "time"),
    },
    { id: "time", prompt: "remind.ask.time", label: "remind.label.time", input: clockTime(), optional: true, next: () => null },
  ],
  async complete(ctx, a) {
    const d = a.date as DateAnswer;
    const dueAt = reminderDueAt(d.date, d.time ?? (a.time as string | undefined));
    const r = await addReminder(ctx.tx, {
      channel: ctx.actor.channel, chatId: ctx.actor.chatId, chatKind: ctx.actor.chatKind, creatorId: ctx.actor.senderId, creatorName: ctx.person.name,
      content: a.content as string, category: a.category as string, dueAt,
    }, `${ctx.actor.channel}:${ctx.actor.senderId}`, ctx.now);
    if (!r.ok) return { ok: false, stepId: "date", error: say("remind.error.past", { when: formatLocal(dueAt) }) };
    return { ok: true, replies: [say("remind.created", { id: r.id, when: formatLocal(dueAt), content: a.content as string })] };
  },
};

export const remindCommands: CommandDef<Tx>[] = [
  {
    id: "remind", essential: true, keywords: ["工作提醒", "登记提醒", "提醒我"], slash: ["remind"], describe: "remind.describe", permission: "member", flow: "remind",
    // A when and a what (`提醒我 明天9点 交巡查日报`): a reminder of its own, also inside another dialog.
    complete: (a) => a.trim().split(/\s+/).length >= 2,
    run: async (ctx) => {
      const answers = readQuickReminder(ctx.args, ctx.now);
      return { startFlow: "remind", answers: answers ?? (ctx.args.trim().length >= 2 ? { content: ctx.args.trim() } : {}) };
    },
  },
  {
    id: "reminders", keywords: ["我的提醒"], slash: ["reminders"], describe: "remind.list.describe", permission: "member",
    run: async (ctx) => {
      const rows = await pendingRemindersOf(ctx.tx, ctx.chat.channel, ctx.chat.chatId, ctx.chat.senderId);
      if (rows.length === 0) return [say("remind.list.empty")];
      return [say("remind.list.header", { count: rows.length }), ...rows.map((r): Say => say("remind.list.item", { id: r.id, when: formatLocal(r.dueAt), content: r.content }))];
    },
  },
];

/** The `reminders` job: delivers every due reminder to the chat it was made in. */
export function reminderJob(deps: { db: Db }): TickJob<Tx, Awaited<ReturnType<typeof dueReminders>>[number]> {
  return {
    name: "reminders",
    // Reminders missed while the bot was down are still worth sending (marked late).
    catchUpWithinMs: 24 * 60 * 60_000,
    nextWorkAt: () => nextReminderDue(deps.db),
    due: (at) => dueReminders(deps.db, at),
    async handle({ tx, at, t }, r) {
      if (!(await settleReminder(tx, r.id, at))) return [];
      const params = { content: r.content, category: r.category, name: r.creatorName };
      const text = t(isLate(r.dueAt, at) ? say("remind.due_late", { ...params, when: formatLocal(r.dueAt) }) : say("remind.due", params));
      const item: OutboxItem = { channel: r.channel, chatId: r.chatId, payload: r.chatKind === "group" ? { text, choices: [], mention: { id: r.creatorId, name: r.creatorName } } : { text, choices: [] }, dedupeKey: `reminder:${r.id}` };
      return [{ notify: [item] }];
    },
  };
}
