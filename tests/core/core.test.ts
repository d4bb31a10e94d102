import { afterEach, describe, expect, it } from "vitest";
import { inbound, startBot, texts, type TestBot } from "../helpers/app.js";
import { probeCommand, probeFlow } from "../helpers/flows.js";

let bots: TestBot[] = [];
async function bot(o: Parameters<typeof startBot>[0] = {}) {
  const b = await startBot(o);
  bots.push(b);
  return b;
}
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});

/** Walks the demo flow to its summary. */
async function toSummary(b: TestBot, from: string, o: { group?: boolean } = {}) {
  await b.send(from, "工作提醒", o);
  await b.send(from, "参加防汛调度会", o);
  await b.send(from, "1", o);
  return b.send(from, "明天下午3点", o);
}

describe("help and routing", () => {
  it("answers 帮助 and /help alike, listing the commands", async () => {
    const b = await bot();
    const [kw] = await b.send("u1", "帮助");
    const [slash] = await b.send("u1", "/help");
    expect(kw!.text).toContain("提醒：工作提醒 · 我的提醒");
    expect(slash!.text).toBe(kw!.text);
    const [one] = await b.send("u1", "帮助 工作提醒");
    expect(one!.text).toContain("工作提醒（/remind）— 登记一条到点提醒");
  });

  it("starts the same flow from the keyword and the slash command", async () => {
    const b = await bot();
    const [a] = await b.send("u1", "工作提醒");
    const [c] = await b.send("u2", "/remind");
    expect(a!.text).toContain("请输入要提醒的事项");
    expect(c!.text).toBe(a!.text);
  });

  it("ignores ordinary group chatter but answers commands, mentions and replies to itself", async () => {
    const b = await bot();
    expect(await b.send("u1", "今天天气不错", { group: true })).toEqual([]);
    expect(await b.send("u1", "收到", { group: true })).toEqual([]);
    const [cmd] = await b.send("u1", "帮助", { group: true });
    expect(cmd!.mention).toEqual({ id: "u1", name: "杨波" }); // the roster name, not the chat nickname
    expect(texts(await b.send("u1", "你好", { group: true, mentionsBot: true }))[0]).toContain("没有听懂");
    expect(texts(await b.send("u1", "你好", { group: true, replyToBot: true }))[0]).toContain("没有听懂");
  });

  it("says it did not understand in a private chat, and names an unknown slash command", async () => {
    const b = await bot();
    expect(texts(await b.send("u1", "随便说点什么"))[0]).toContain("没有听懂“随便说点什么”");
    expect(texts(await b.send("u1", "/nosuch"))[0]).toContain("/nosuch");
  });

  it("does not take an answer that merely starts with a keyword for a command", async () => {
    const b = await bot();
    await b.send("u1", "工作提醒");
    const [r] = await b.send("u1", "帮助 群众转移工作");
    expect(r!.text).toContain("请选择事项类别");
  });
});

describe("dialogs in the database", () => {
  it("completes the demo flow and stores the reminder, audited", async () => {
    const b = await bot();
    const [summary] = await toSummary(b, "u1");
    expect(summary!.text).toContain("· 事项：参加防汛调度会");
    expect(summary!.text).toContain("· 日期：2026年11月26日（周四） 15:00");
    expect(summary!.choices).toEqual(["确认", "修改", "取消"]);
    const [done] = await b.send("u1", "确认");
    expect(done!.text).toMatch(/已登记提醒 #1：2026-11-26 15:00/);
    const rows = await b.app.store.db.reminder.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.dueAt.toISOString()).toBe("2026-11-26T07:00:00.000Z");
    const actions = (await b.app.store.db.auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action).filter((a) => /^(session|reminder)\./.test(a));
    expect(actions).toEqual(["session.start", "reminder.create", "session.complete"]);
    expect(await b.app.store.db.flowSession.count()).toBe(0);
  });

  it("resumes exactly where it was after a real restart over the same SQLite file", async () => {
    const b1 = await bot();
    await b1.send("u1", "工作提醒");
    await b1.send("u1", "参加防汛调度会");
    await b1.stop();
    bots = bots.filter((x) => x !== b1);

    const b2 = await bot({ url: b1.url, now: b1.clock.now() });
    const [r] = await b2.send("u1", "会议");
    expect(r!.text).toContain("哪天提醒");
    await b2.send("u1", "明天");
    await b2.send("u1", "跳过");
    const [done] = await b2.send("u1", "确认");
    expect(done!.text).toContain("参加防汛调度会");
  });

  it("cancels with 取消, keeps nothing and audits the answers it dropped", async () => {
    const b = await bot();
    await b.send("u1", "工作提醒");
    await b.send("u1", "参加防汛调度会");
    const [r] = await b.send("u1", "取消");
    expect(r!.text).toBe("已取消「工作提醒」，填写的内容未提交。");
    expect(await b.app.store.db.flowSession.count()).toBe(0);
    expect(await b.app.store.db.reminder.count()).toBe(0);
    const last = await b.app.store.db.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(last.action).toBe("session.cancel");
    expect(JSON.parse(last.before!)).toEqual({ flow: "remind", answers: { content: "参加防汛调度会" } });
    expect(texts(await b.send("u1", "取消"))[0]).toContain("你现在没有正在填写的内容");
    expect(texts(await b.send("u1", "返回"))[0]).toContain("你现在没有正在填写的内容");
  });

  it("keeps two members' dialogs in one group apart", async () => {
    const b = await bot();
    await b.send("a", "工作提醒", { group: true });
    await b.send("b", "工作提醒", { group: true });
    await b.send("a", "A的事项", { group: true });
    const [bq] = await b.send("b", "B的事项", { group: true });
    expect(bq!.mention?.id).toBe("b");
    expect(bq!.text).toContain("请选择事项类别");
    // A third member's words neither advance nor break anyone's dialog.
    expect(await b.send("c", "2", { group: true })).toEqual([]);
    await b.send("a", "2", { group: true });
    const rows = await b.app.store.db.flowSession.findMany({ orderBy: { senderId: "asc" } });
    expect(rows.map((r) => [r.senderId, JSON.parse(r.state).flow.answers])).toEqual([
      ["a", { content: "A的事项", category: "检查" }],
      ["b", { content: "B的事项" }],
    ]);
  });

  it("asks before abandoning an open dialog for another one", async () => {
    const b = await bot({ flows: [probeFlow], commands: [probeCommand] });
    await b.send("u1", "工作提醒");
    await b.send("u1", "参加防汛调度会");
    const [same] = await b.send("u1", "/remind");
    // The same dialog's word: continue where it was, or start again.
    expect(same!.text).toBe("你正在填写「工作提醒」（已填1项），还没有提交。回复 1 继续上次，2 重新开始。");
    expect(same!.choices).toEqual(["继续上次", "重新开始"]);
    expect(texts(await b.send("u1", "1"))[0]).toContain("请选择事项类别");
    const [help] = await b.send("u1", "帮助");
    expect(help!.text).toContain("应急助手可以帮你");
    const [ask] = await b.send("u1", "探针");
    expect(ask!.text).toContain("你正在填写「工作提醒」");
    expect(ask!.choices).toEqual(["是", "否"]);
    const [kept] = await b.send("u1", "否");
    expect(kept!.text).toContain("好的，继续填写「工作提醒」");
    expect(kept!.text).toContain("请选择事项类别");
    await b.send("u1", "/probe");
    const [started] = await b.send("u1", "是");
    expect(started!.text).toContain("请输入要提醒的事项");
    const row = await b.app.store.db.flowSession.findFirstOrThrow();
    expect(row.flowId).toBe("probe");
    const actions = (await b.app.store.db.auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action).filter((a) => /^(session|reminder)\./.test(a));
    expect(actions).toEqual(["session.start", "session.abandon", "session.start"]);
  });

  it("ignores a redelivered message (same platform message id)", async () => {
    const b = await bot();
    const m = inbound("u1", "工作提醒", {}, b.clock.now());
    expect(await b.deliver(m)).toHaveLength(1);
    expect(await b.deliver(m)).toEqual([]);
    expect(await b.app.store.db.inboundMessage.count()).toBe(1);
    expect(await b.app.store.db.outboxMessage.count()).toBe(1);
  });
});

describe("expiry", () => {
  it("reminds once before expiry, then expires and says so; a late reply is told", async () => {
    const b = await bot({ env: { SESSION_TTL_MINUTES: "30", SESSION_REMINDER_MINUTES: "5" } });
    await b.send("u1", "工作提醒", { group: true });
    await b.send("u1", "参加防汛调度会", { group: true });
    // Only what concerns this chat (routine reminders go to the demo groups meanwhile).
    const here = async (ms: number) => (await b.advance(ms)).filter((m) => m.chatId === "group-1");
    expect(await here(24 * 60_000)).toEqual([]);
    const warn = await here(2 * 60_000);
    expect(warn).toHaveLength(1);
    expect(warn[0]!.text).toMatch(/「工作提醒」还有\d+分钟将自动关闭/);
    expect(warn[0]!.text).toContain("请选择事项类别"); // the question again
    expect(warn[0]!.mention?.id).toBe("u1");
    expect(await here(2 * 60_000)).toEqual([]); // only one reminder
    const gone = await here(3 * 60_000);
    expect(texts(gone)).toEqual(["「工作提醒」超过30分钟没有回复，已自动关闭，填写的内容未提交。需要时请重新发送「工作提醒」。"]);
    const [late] = await b.send("u1", "会议", { group: true });
    expect(late!.text).toContain("已超时关闭");
    const [none] = await b.send("u1", "会议", { group: true, replyToBot: true });
    expect(none!.text).toContain("没有听懂");
  });

  it("treats a reply after the deadline as expired even before the sweep ran", async () => {
    const b = await bot();
    await b.send("u1", "工作提醒");
    b.clock.advance(31 * 60_000);
    const [r] = await b.send("u1", "参加防汛调度会");
    expect(r!.text).toContain("「工作提醒」已超时关闭");
    expect(await b.app.store.db.flowSession.count()).toBe(0);
  });
});

describe("bad input never crashes", () => {
  it("answers empty text, emoji, control characters and absurd dates in Chinese", async () => {
    const b = await bot();
    expect(texts(await b.send("u1", ""))[0]).toContain("空消息");
    expect(texts(await b.send("u1", "   \u0000\u0007  "))[0]).toContain("空消息");
    expect(texts(await b.send("u1", "🔥🔥🔥"))[0]).toContain("没有听懂");
    await b.send("u1", "工作提醒");
    await b.send("u1", "检查😀加油站\u0000消防设施");
    await b.send("u1", "2");
    expect(texts(await b.send("u1", "2月30日"))[0]).toContain("2月没有30日");
    expect(texts(await b.send("u1", "13月5日"))[0]).toContain("没有13月");
    expect(texts(await b.send("u1", "1999年1月1日"))[0]).toContain("已经过去了");
    expect(texts(await b.send("u1", "明天25点"))[0]).toContain("不存在");
    const row = await b.app.store.db.flowSession.findFirstOrThrow();
    expect(JSON.parse(row.state).flow.answers.content).toBe("检查😀加油站消防设施");
  });

  it("refuses 1 MB of text with a clear answer and keeps the dialog", async () => {
    const b = await bot();
    await b.send("u1", "工作提醒");
    const [r] = await b.send("u1", "隐".repeat(1_000_000));
    expect(r!.text).toContain("太长了（1000000字）");
    const [next] = await b.send("u1", "参加防汛调度会");
    expect(next!.text).toContain("请选择事项类别");
  });

  it("answers with an apology instead of crashing when a handler throws", async () => {
    const b = await bot();
    const db = b.app.store.db;
    // Break the store under the core: the session table disappears.
    await db.$executeRawUnsafe('ALTER TABLE "FlowSession" RENAME TO "FlowSessionGone"');
    const [r] = await b.send("u1", "工作提醒");
    expect(r!.text).toContain("出了问题");
    await db.$executeRawUnsafe('ALTER TABLE "FlowSessionGone" RENAME TO "FlowSession"');
    const [ok] = await b.send("u1", "工作提醒");
    expect(ok!.text).toContain("请输入要提醒的事项");
  });
});

describe("scheduled delivery of the demo reminder", () => {
  it("sends the reminder when due, once", async () => {
    const b = await bot();
    await toSummary(b, "u1", { group: true });
    await b.send("u1", "确认", { group: true });
    const at = await b.advance(31 * 60 * 60_000); // to 2026-11-26 16:00
    const due = at.filter((m) => m.text.includes("⏰"));
    expect(due).toHaveLength(1);
    expect(due[0]!.text).toBe("⏰ 工作提醒（会议）：参加防汛调度会（登记人：杨波）");
    expect(due[0]!.mention?.id).toBe("u1");
    expect((await b.advance(60 * 60_000)).filter((m) => m.text.includes("⏰"))).toEqual([]);
  });
});
