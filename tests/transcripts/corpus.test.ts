/**
 * The utterance corpus (issue 14): what grid members, duty officers and chiefs type,
 * the way they type it, each with the reading the bot must make of it. Every file in
 * tests/transcripts/corpus/ puts one person at one point of a conversation (`at`),
 * replays each utterance from there through the real bot on a real SQLite file, and
 * checks the reading: the answer the step stored, the hazard or patrol saved, the
 * warning confirmed, the words of the reply. The pass rate is printed; it must be 100 %.
 *
 * A case is `[said, reading]` (the file's `read` says what the reading is) or an
 * object naming its checks: { say, answer, step, reply, not, hazard, patrol, ack }.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { z } from "zod";
import { projectPath } from "../../src/paths.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { seedHazard, tinyJpeg } from "../helpers/org-fixtures.js";
import type { InboundMessage } from "../../src/core/messages.js";

const BIND = { u1: "13800000007", lz: "13800000005", lwd: "13800000002", zq: "13800000009", duty: "13800000006", county: "13800000001" };

const Fields = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const Checks = z.object({
  say: z.string(),
  /** The value the context's step stored: its reading, "(跳过)" when skipped, "(拒绝)" when the step asks again. */
  answer: z.string().optional(),
  /** Answers the dialog holds afterwards, by step (read as for `answer`). */
  answers: Fields.optional(),
  /** Where the dialog is afterwards: a step id, "summary", "edit" (which item to change), or "none" (no dialog). */
  step: z.string().optional(),
  /** Words the reply must have, and must not have. */
  reply: z.union([z.string(), z.array(z.string())]).optional(),
  not: z.union([z.string(), z.array(z.string())]).optional(),
  /** The hazard this message saved (fields of the row), or null for none. */
  hazard: Fields.nullable().optional(),
  /** The patrol this message saved (fields of its data), or null for none. */
  patrol: Fields.nullable().optional(),
  /** The warning target's status afterwards: 已确认 / 未确认; `measures` the measures stored. */
  ack: z.string().optional(),
  measures: z.string().nullable().optional(),
});
type Case = z.infer<typeof Checks>;
const File = z.object({
  title: z.string(),
  at: z.string(),
  who: z.string(),
  /** What a bare `[said, reading]` pair's reading is. */
  read: z.enum(["answer", "reply", "ack", "step"]).default("answer"),
  /** Said after reaching `at`, before the cases (e.g. a question the bot then asks). */
  before: z.array(z.string()).default([]),
  /** Where the message is typed: the person's private chat (default) or the county's duty group. */
  chat: z.enum(["private", "group"]).default("private"),
  cases: z.array(z.union([z.tuple([z.string(), z.string()]), Checks])),
});

const DIR = projectPath("tests", "transcripts", "corpus");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

function asCase(c: [string, string] | Case, read: z.infer<typeof File>["read"]): Case {
  if (!Array.isArray(c)) return c;
  const [s, v] = c;
  if (read === "answer") return { say: s, answer: v };
  if (read === "ack") return { say: s, ack: v };
  if (read === "step") return { say: s, step: v };
  return { say: s, reply: v };
}

/** How a stored answer reads: a place's text, a date, N photos, 是/否. */
function reading(v: unknown): string {
  if (v === undefined) return "(无)";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (Array.isArray(v)) return `${v.length}张`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("date" in o) return String(o.date) + (o.time ? ` ${String(o.time)}` : "");
    if ("text" in o) return String(o.text);
    return JSON.stringify(o);
  }
  return String(v);
}

interface Ctx {
  b: TestBot;
  /** Values for `{name}` in what is said (a hazard's number). */
  vars?: Record<string, string>;
  /** The step the context stops at (for `answer`). */
  stepId: string | null;
  /** Puts the conversation back where the context left it. */
  reset(): Promise<void>;
}

async function sessionOf(b: TestBot, who: string) {
  const s = await b.app.store.db.flowSession.findFirst({ where: { senderId: who, status: "open" } });
  return s ? (JSON.parse(s.state) as { flow: { flowId: string; at: { kind: string; stepId?: string }; answers: Record<string, unknown>; skipped: string[] } }) : null;
}

const HAZARD_STEPS: [string, string][] = [["place", "泡里村加油站"], ["sector", "消防"], ["description", "灭火器过期，压力不足"], ["level", "一般"], ["photos", "跳过"], ["unit", "泡里村加油站"], ["deadline", "3天"]];
const PATROL_STEPS: [string, string][] = [["patrolled", "是"], ["visited", "5"], ["names", "跳过"], ["hazards", "0"], ["notes", "跳过"], ["photos", "跳过"]];

/** Drives `who` through `steps` until `stop` (the step then asked). */
async function driveTo(b: TestBot, who: string, start: string, steps: [string, string][], stop: string, m: Partial<InboundMessage> & { group?: boolean } = {}) {
  await b.send(who, start, m);
  for (const [id, answer] of steps) {
    if (id === stop) return;
    await b.send(who, answer, m);
  }
  if (stop !== "summary") throw new Error(`no step ${stop}`);
}

async function contextFor(b: TestBot, at: string, who: string, before: string[] = []): Promise<Omit<Ctx, "b">> {
  const db = b.app.store.db;
  const snapshot = async () => {
    for (const t of before) await b.send(who, t);
    const rows = await db.flowSession.findMany();
    return async () => {
      await db.routineReport.deleteMany({});
      await db.flowSession.deleteMany({});
      for (const { id: _id, ...r } of rows) await db.flowSession.create({ data: r });
    };
  };
  if (at.startsWith("start:")) {
    // `start:值班报告`: the dialog that command opens, at its first question.
    await b.send(who, at.slice("start:".length));
    const s = await sessionOf(b, who);
    if (!s) throw new Error(`${at} opened no dialog`);
    return { stepId: s.flow.at.stepId ?? null, reset: await snapshot() };
  }
  const [kind, step] = at.split("@") as [string, string | undefined];
  switch (kind) {
    case "idle":
      return { stepId: null, reset: async () => {
        await db.routineReport.deleteMany({});
        await db.flowSession.deleteMany({});
      } };
    case "hazard-report": {
      // `photos+2`: at the photo step with two photos already sent.
      const [id, sent] = step!.split("+") as [string, string | undefined];
      await driveTo(b, who, "上报隐患", HAZARD_STEPS, id);
      for (let i = 0; i < Number(sent ?? 0); i++) await b.send(who, "", { attachments: [{ kind: "photo", path: await tinyJpeg() }] });
      return { stepId: id, reset: await snapshot() };
    }
    case "patrol":
      await driveTo(b, who, "巡查", PATROL_STEPS, step!);
      return { stepId: step!, reset: await snapshot() };
    case "hazard-open": {
      // A hazard reported by 杨波, 待整改; {n} is its number.
      const h = await seedHazard(b, "13800000007");
      return { stepId: null, vars: { n: h.number }, reset: async () => {
        await db.flowSession.deleteMany({});
        await db.hazard.update({ where: { id: h.id }, data: { status: "待整改" } });
      } };
    }
    case "hazard-rectified":
    case "hazard-review": {
      // A hazard rectified by its reporter, awaiting 复查 by the township's leader.
      const h = await seedHazard(b, "13800000007", { photos: [await tinyJpeg()] });
      await b.send("u1", `整改 ${h.number}`);
      await b.send("u1", "已完成");
      await b.send("u1", "", { attachments: [{ kind: "photo", path: await tinyJpeg() }] });
      await b.send("u1", "完成");
      await b.send("u1", "已更换全部灭火器");
      await b.send("u1", "确认");
      await db.flowSession.deleteMany({});
      // `hazard-rectified`: nothing open yet; {n} in what is said is the hazard's number.
      if (kind === "hazard-review") await b.send(who, `复查 ${h.number}`);
      const reset = await snapshot();
      return { stepId: step ?? null, vars: { n: h.number }, reset: async () => {
        await reset();
        await db.hazard.update({ where: { id: h.id }, data: { status: "已整改" } });
      } };
    }
    case "warning-notice":
    case "warning-measures":
    case "warning-notice-in-report": {
      // A warning to 渠阳镇's grid members; the measures variant asks them to report measures.
      if (kind === "warning-notice-in-report") await driveTo(b, who, "上报隐患", HAZARD_STEPS, step ?? "description");
      const response = kind === "warning-notice" ? "仅确认收到" : "确认并报告措施";
      for (const t of ["发布预警", "地质灾害", "橙", "高坪村后山出现裂缝，请做好群众转移准备", "渠阳镇", "网格员", response, "跳过", "确认"]) await b.send("lwd", t);
      if (kind === "warning-measures") await b.send(who, "收到");
      const reset = await snapshot();
      const target = await targetOf(b, who);
      return { stepId: kind === "warning-measures" ? "measures" : kind === "warning-notice-in-report" ? (step ?? "description") : null, reset: async () => {
        await reset();
        if (kind !== "warning-measures") await db.warningTarget.update({ where: { id: target.id }, data: { status: "未确认", confirmedAt: null, measures: null } });
        else await db.warningTarget.update({ where: { id: target.id }, data: { measures: null } });
      } };
    }
    case "warning-issue":
      await driveTo(b, who, "发布预警", [["type", "暴雨"], ["level", "橙"], ["text", "预计未来6小时内将出现50毫米以上降雨"], ["regions", "渠阳镇"], ["roles", "网格员"], ["response", "仅确认收到"], ["cycle", "跳过"]], step!);
      return { stepId: step!, reset: await snapshot() };
    default:
      throw new Error(`unknown context ${at}`);
  }
}

async function targetOf(b: TestBot, who: string) {
  const mobile = BIND[who as keyof typeof BIND];
  const p = await b.app.store.db.person.findUniqueOrThrow({ where: { mobile } });
  return b.app.store.db.warningTarget.findFirstOrThrow({ where: { personId: p.id }, orderBy: { id: "desc" } });
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Replays one case; returns what did not hold (empty when the reading is right). */
async function play(b: TestBot, ctx: Ctx, who: string, group: boolean, c: Case): Promise<string[]> {
  const db = b.app.store.db;
  const lastHazard = (await db.hazard.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
  const lastReport = (await db.routineReport.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
  const said = c.say.replace(/\{(\w+)\}/g, (m, k: string) => ctx.vars?.[k] ?? m);
  const sent = await b.send(who, said, group ? { group: true, chat: "group-1" } : {});
  const reply = texts(sent.filter((m) => m.chatId === (group ? "group-1" : `dm-${who}`))).join("\n");
  const wrong: string[] = [];
  const s = await sessionOf(b, who);
  if (c.answer !== undefined) {
    const id = ctx.stepId!;
    const got = s?.flow.skipped.includes(id) ? "(跳过)" : s && s.flow.at.stepId === id && !(id in s.flow.answers) ? "(拒绝)" : reading(s?.flow.answers[id]);
    if (got !== c.answer) wrong.push(`answer ${got} ≠ ${c.answer}`);
  }
  for (const [k, v] of Object.entries(c.answers ?? {})) {
    const got = reading(s?.flow.answers[k]);
    if (got !== String(v)) wrong.push(`answers.${k} ${got} ≠ ${String(v)}`);
  }
  if (c.step !== undefined) {
    const got = !s ? "none" : s.flow.at.kind === "summary" || s.flow.at.kind === "edit" ? s.flow.at.kind : `${s.flow.flowId === "hazard-report" || s.flow.flowId === "patrol" ? "" : `${s.flow.flowId}:`}${s.flow.at.stepId}`;
    if (got !== c.step) wrong.push(`step ${got} ≠ ${c.step}`);
  }
  for (const w of list(c.reply)) if (!reply.includes(w)) wrong.push(`reply lacks «${w}»`);
  for (const w of list(c.not)) if (reply.includes(w)) wrong.push(`reply has «${w}»`);
  if (c.hazard !== undefined) {
    const h = await db.hazard.findFirst({ where: { id: { gt: lastHazard } } });
    if (c.hazard === null) {
      if (h) wrong.push(`saved hazard ${h.number}`);
    } else if (!h) wrong.push("no hazard saved");
    else for (const [k, v] of Object.entries(c.hazard)) if ((h as Record<string, unknown>)[k] !== v) wrong.push(`hazard.${k} ${JSON.stringify((h as Record<string, unknown>)[k])} ≠ ${JSON.stringify(v)}`);
  }
  if (c.patrol !== undefined) {
    const r = await db.routineReport.findFirst({ where: { id: { gt: lastReport }, routine: "patrol" } });
    if (c.patrol === null) {
      if (r) wrong.push("saved a patrol");
    } else if (!r) wrong.push("no patrol saved");
    else {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.patrol)) if (data[k] !== v) wrong.push(`patrol.${k} ${JSON.stringify(data[k])} ≠ ${JSON.stringify(v)}`);
    }
  }
  if (c.ack !== undefined || c.measures !== undefined) {
    const t = await targetOf(b, who);
    if (c.ack !== undefined && t.status !== c.ack) wrong.push(`target ${t.status} ≠ ${c.ack}`);
    if (c.measures !== undefined && t.measures !== c.measures) wrong.push(`measures ${JSON.stringify(t.measures)} ≠ ${JSON.stringify(c.measures)}`);
  }
  if (wrong.length) wrong.push(`reply: ${reply.replace(/\n/g, " ⏎ ").slice(0, 160)}`);
  return wrong;
}

const tally = { passed: 0, total: 0 };
afterAll(() => {
  if (tally.total) console.log(`utterance corpus: ${tally.passed}/${tally.total} read as expected (${((100 * tally.passed) / tally.total).toFixed(1)} %)`);
});

describe("utterance corpus (tests/transcripts/corpus/*.yaml)", () => {
  it("has at least 300 utterances", () => {
    const n = files.reduce((s, f) => s + File.parse(YAML.parse(fs.readFileSync(path.join(DIR, f), "utf8"))).cases.length, 0);
    expect(n).toBeGreaterThanOrEqual(300);
  });

  for (const file of files) {
    const f = File.parse(YAML.parse(fs.readFileSync(path.join(DIR, file), "utf8")));
    it(`${file}: ${f.title} (${f.cases.length})`, async () => {
      const b = await startBot({ bind: BIND });
      try {
        const ctx: Ctx = { b, ...(await contextFor(b, f.at, f.who, f.before)) };
        const failed: string[] = [];
        for (const raw of f.cases) {
          const c = asCase(raw, f.read);
          await ctx.reset();
          const wrong = await play(b, ctx, f.who, f.chat === "group", c);
          tally.total++;
          if (wrong.length) failed.push(`«${c.say.replace(/\{(\w+)\}/g, (m, k: string) => ctx.vars?.[k] ?? m)}»: ${wrong.join("; ")}`);
          else tally.passed++;
        }
        expect(failed).toEqual([]);
      } finally {
        await b.stop();
      }
    }, 300_000);
  }
});
