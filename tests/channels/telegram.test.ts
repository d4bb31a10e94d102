import crypto from "node:crypto";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { splitText, TelegramChannel } from "../../src/channels/telegram.js";
import { bindIdentity, ensureRegionPath, personByMobile, registerGroup } from "../../src/features/org/repo.js";
import { silentLog, startBot, waitFor, type TestBot } from "../helpers/app.js";
import { probeCommand, probeFlow } from "../helpers/flows.js";
import { TelegramEmulator, type Chat, type TgUser } from "../helpers/telegram-emulator.js";
import { tmpDir } from "../helpers/tmp.js";

const group: Chat = { id: -1001, type: "group", title: "泡里村网格群" };
const yang: TgUser = { id: 501, is_bot: false, first_name: "杨波" };
const huang: TgUser = { id: 502, is_bot: false, first_name: "黄丽" };

let emu: TelegramEmulator;
let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
  await emu?.stop();
});

/** `fast`: lift the per-chat pacing (1/s) so a long dialog does not take a second a step. */
async function setup(fast = true): Promise<{ dataDir: string }> {
  emu = new TelegramEmulator();
  await emu.start();
  const dataDir = tmpDir();
  const tg = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, dataDir, log: silentLog, ...(fast ? { limits: { perChatIntervalMs: 0, perChatPerMinute: 1000 } } : {}) });
  b = await startBot({ live: true, channels: [tg], flows: [probeFlow], commands: [probeCommand], bind: {} });
  for (const [u, mobile] of [[yang, "13800000007"], [huang, "13800000008"]] as const) {
    const p = (await personByMobile(b.app.store.db, mobile))!;
    await b.app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "telegram", platformUserId: String(u.id), personId: p.id, by: "test", actor: "test" }, new Date()));
  }
  return { dataDir };
}

const sent = () => emu.callsOf("sendMessage") as { chat_id: number; text: string; reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] }; reply_parameters?: { message_id: number } }[];
async function nextBotMessage(count: number) {
  await waitFor(() => sent().length >= count, `bot message #${count}`);
  const lastId = Math.max(...emu.botMessages.keys());
  return { call: sent()[count - 1]!, messageId: lastId };
}

describe("Telegram through grammY against a loopback Bot API", () => {
  it("runs a whole flow in a group: buttons, a photo, a location; other members don't disturb it", async () => {
    const { dataDir } = await setup();
    probeFlow.completed.length = 0;

    const start = emu.userSends(group, yang, { text: "/probe@yingji_bot" });
    let m = await nextBotMessage(1);
    expect(String(m.call.chat_id)).toBe(String(group.id));
    expect(m.call.text).toBe('<a href="tg://user?id=501">@杨波</a> 请输入要提醒的事项（例如：下午3点参加防汛调度会）：');
    expect(m.call.reply_parameters?.message_id).toBe(start);

    emu.userSends(group, huang, { text: "大家好，今天巡查完了" }); // chatter: ignored
    emu.userSends(group, yang, { text: "张三丰" });
    m = await nextBotMessage(2);
    expect(m.call.reply_markup?.inline_keyboard).toEqual([[{ text: "跳过", callback_data: "c:0:501" }]]);
    expect(sent()[0]!.reply_markup).toEqual({ force_reply: true, selective: true }); // a question without buttons asks for a reply

    // Someone else's press is refused and changes nothing.
    emu.userPresses(group, huang, m.messageId, 0);
    await waitFor(() => emu.callsOf("answerCallbackQuery").some((q) => q.text === "这不是给你的选项"), "refusal of a foreign press");
    emu.userPresses(group, yang, m.messageId, 0);
    m = await nextBotMessage(3);
    expect(emu.botMessages.get(m.messageId - 1)?.reply_markup).toEqual({ inline_keyboard: [] }); // keyboard closed
    expect(m.call.reply_markup?.inline_keyboard.map((r) => r[0]!.text)).toEqual(["危险化学品", "人员密集场所/消防", "其他"]);

    emu.userPresses(group, yang, m.messageId, 1);
    m = await nextBotMessage(4);
    expect(m.call.text).toContain("哪天提醒");
    emu.userSends(group, yang, { text: "明天" });
    m = await nextBotMessage(5);

    const photo = crypto.randomBytes(4096);
    emu.userSends(group, yang, { photo });
    m = await nextBotMessage(6);
    expect(m.call.text).toContain("已收到第1张照片");
    emu.userPresses(group, yang, m.messageId, 0); // 完成
    m = await nextBotMessage(7);
    emu.userSends(group, yang, { location: { latitude: 26.52, longitude: 109.61 } });
    m = await nextBotMessage(8);
    emu.userPresses(group, yang, m.messageId, 0); // 是
    m = await nextBotMessage(9);
    expect(m.call.text).toContain("请核对");
    emu.userPresses(group, yang, m.messageId, 0); // 确认
    await waitFor(() => probeFlow.completed.length === 1, "the flow to complete");

    const answers = probeFlow.completed[0] as { name: string; count?: number; kind: string; pics: string[]; where: { lat: number } };
    expect(answers).toMatchObject({ name: "张三丰", kind: "人员密集场所/消防", where: { lat: 26.52 } });
    expect(answers.count).toBeUndefined();
    // The largest photo size, stored by content hash under the data folder.
    const sha = crypto.createHash("sha256").update(photo).digest("hex");
    expect(answers.pics).toEqual([`${dataDir}/media/${sha.slice(0, 2)}/${sha}.jpg`]);
    expect(fs.readFileSync(answers.pics[0]!).equals(photo)).toBe(true);
    expect(sent().every((s) => String(s.chat_id) === String(group.id) && s.text.includes("tg://user?id=501"))).toBe(true);
  });

  it("honours a 429 retry_after and loses nothing", async () => {
    await setup(false);
    emu.fail("sendMessage", 1, { code: 429, retryAfter: 1, description: "Too Many Requests: retry after 1" });
    const t0 = Date.now();
    emu.userSends({ id: 501, type: "private" }, yang, { text: "帮助" });
    await waitFor(() => sent().length === 1, "the help after the 429", 15_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(emu.calls.filter((c) => c.method === "sendMessage").map((c) => c.ok)).toEqual([false, true]); // refused, then sent
    const row = await waitFor(() => b.app.store.db.outboxMessage.findFirst({ where: { channel: "telegram", status: "sent" } }), "the row marked sent");
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(sent()[0]!.text).toContain("应急助手可以帮你");
  });

  it("handles a redelivered update once", async () => {
    await setup();
    emu.userSends({ id: 501, type: "private" }, yang, { text: "工作提醒" });
    await nextBotMessage(1);
    emu.redeliverLast();
    emu.userSends({ id: 501, type: "private" }, yang, { text: "取消" });
    await nextBotMessage(2);
    expect(sent().map((s) => s.text)).toEqual(["请输入要提醒的事项（例如：下午3点参加防汛调度会）：", "已取消「工作提醒」，填写的内容未提交。"]);
    expect(await b.app.store.db.inboundMessage.count({ where: { channel: "telegram" } })).toBe(2);
  });

  it("edits one tally message per group on each confirmation instead of posting again", async () => {
    await setup();
    const lwd = (await personByMobile(b.app.store.db, "13800000002"))!;
    await b.app.store.db.$transaction(async (tx) => {
      await bindIdentity(tx, { channel: "memory", platformUserId: "lwd", personId: lwd.id, by: "test", actor: "test" }, new Date());
      const r = await ensureRegionPath(tx, "示范县/渠阳镇/泡里村");
      await registerGroup(tx, { channel: "telegram", chatId: String(group.id), regionId: r.id, purpose: "网格群", actor: "test" }, new Date());
    });
    await b.send("lwd", "发布预警 渠阳镇气象台发布暴雨橙色预警：未来3小时降雨量将达50毫米以上");
    await b.send("lwd", "渠阳镇");
    await b.send("lwd", "网格员");
    await b.send("lwd", "仅确认收到");
    await b.send("lwd", "跳过");
    await b.send("lwd", "确认");
    const toGroup = () => sent().filter((s) => String(s.chat_id) === String(group.id));
    await waitFor(() => toGroup().length === 1 && sent().filter((s) => String(s.chat_id) === "501").length === 1, "the tally and the private notices");
    const tally = toGroup()[0]!;
    expect(tally.text).toContain("本群已确认 0/2 人");
    const tallyId = [...emu.botMessages.entries()].find(([, m]) => String((m.chat as { id: number }).id) === String(group.id))![0];
    // 杨波 presses 收到 under his private notice; 黄丽 types 收到 in the group.
    const privateId = [...emu.botMessages.entries()].find(([, m]) => String((m.chat as { id: number }).id) === "501")![0];
    emu.userPresses({ id: 501, type: "private" }, yang, privateId, 0);
    await waitFor(() => emu.callsOf("editMessageText").length === 1, "the first tally edit");
    emu.userSends(group, huang, { text: "收到" });
    await waitFor(() => emu.callsOf("editMessageText").length === 2, "the second tally edit");
    const edits = emu.callsOf("editMessageText") as { chat_id: string; message_id: number; text: string }[];
    expect(edits.map((e) => [String(e.chat_id), e.message_id])).toEqual([[String(group.id), tallyId], [String(group.id), tallyId]]);
    expect(edits[0]!.text).toContain("本群已确认 1/2 人");
    expect(edits[1]!.text).toContain("本群已确认 2/2 人");
    await new Promise((r) => setTimeout(r, 200)); // anything late would show now
    expect(toGroup()).toHaveLength(1); // never re-posted, and no reply per confirmation
  });

  it("in a forum topic, 绑定成员 without a real reply binds nobody; a real reply binds that member", async () => {
    await setup();
    const forum: Chat = { id: -1002, type: "supergroup", title: "渠阳镇工作群" };
    const admin: TgUser = { id: 601, is_bot: false, first_name: "冯刚" };
    const newbie: TgUser = { id: 602, is_bot: false, first_name: "小周" };
    const p = (await personByMobile(b.app.store.db, "13800000013"))!; // 渠阳镇 admin
    await b.app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "telegram", platformUserId: String(admin.id), personId: p.id, by: "test", actor: "test" }, new Date()));
    // The topic was opened by yang; in it, every message "replies" to that first message.
    const topic = emu.createTopic(forum, yang, "隐患排查");
    emu.userSends(forum, admin, { text: "/bind_member@yingji_bot 13800000009", topic });
    await waitFor(() => sent().length >= 1, "the hint");
    expect(sent()[0]!.text).toContain("请「回复」该成员本人发的一条消息");
    expect(await b.app.store.db.chatIdentity.findMany({ where: { channel: "telegram", platformUserId: { in: [String(yang.id), String(admin.id)] } }, include: { person: true } }).then((r) => r.map((x) => x.person.name).sort())).toEqual(["冯刚", "杨波"]);
    expect(await b.app.store.db.chatIdentity.count({ where: { person: { mobile: "13800000009" } } })).toBe(0);
    // A real reply to the newcomer's own message, inside the topic, binds the newcomer.
    const hello = emu.userSends(forum, newbie, { text: "大家好，我是高坪村网格员", topic });
    emu.userSends(forum, admin, { text: "/bind_member@yingji_bot 13800000009", topic, replyTo: hello });
    await waitFor(() => sent().length >= 2, "the binding");
    expect(sent()[1]!.text).toContain("已将账号“小周”绑定为 周强");
    expect((await b.app.store.db.chatIdentity.findFirstOrThrow({ where: { channel: "telegram", platformUserId: String(newbie.id) }, include: { person: true } })).person.name).toBe("周强");
  });

  it("takes updates by webhook, checking the secret token", async () => {
    emu = new TelegramEmulator();
    await emu.start();
    const tg = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, dataDir: tmpDir(), log: silentLog, webhook: { url: "https://bot.example.gov.cn/tg", port: 0, secret: "s3cret-token-0123456789" } });
    b = await startBot({ live: true, channels: [tg], bind: {} });
    expect(emu.callsOf("setWebhook")[0]).toMatchObject({ url: "https://bot.example.gov.cn/tg", secret_token: "s3cret-token-0123456789" });
    const update = { update_id: 1, message: { message_id: 5, date: 0, chat: { id: 501, type: "private" }, from: yang, text: "帮助" } };
    const post = (secret: string, at = "/tg") => fetch(`http://127.0.0.1:${tg.webhookPort}${at}`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body: JSON.stringify(update) });
    // Only the webhook's own path answers, and only to POST.
    expect((await post("s3cret-token-0123456789", "/")).status).toBe(404);
    expect((await post("s3cret-token-0123456789", "/tg/../admin")).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${tg.webhookPort}/tg`)).status).toBe(405);
    expect((await post("wrong")).status).toBe(401);
    expect(emu.callsOf("sendMessage")).toHaveLength(0);
    expect((await post("s3cret-token-0123456789")).status).toBe(200);
    await waitFor(() => emu.callsOf("sendMessage").length === 1, "the answer to the webhook update");
    expect(String(emu.callsOf("sendMessage")[0]!.text)).toContain("你还没有绑定身份");
  });

  it("sends images and files, and refuses a bad token with a clear reason while the rest runs", async () => {
    await setup();
    const dir = tmpDir();
    fs.writeFileSync(`${dir}/chart.png`, crypto.randomBytes(100));
    const channel = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, dataDir: dir, log: silentLog });
    await channel.send({ channel: "telegram", chatId: String(group.id), text: "本周隐患统计", choices: [], image: `${dir}/chart.png` });
    const photo = emu.callsOf("sendPhoto")[0] as { caption: string; photo: { size: number } };
    expect(photo.caption).toBe("本周隐患统计");
    expect(photo.photo.size).toBe(100);
    // A rollup: chart and workbook, and a text too long for a caption — all three arrive, in that order.
    fs.writeFileSync(`${dir}/report.xlsx`, crypto.randomBytes(50));
    const long = "【周报】示范县\n" + "· 渠阳镇｜3｜2｜66.7%\n".repeat(80);
    const before = emu.calls.length;
    await channel.send({ channel: "telegram", chatId: String(group.id), text: long, choices: [], image: `${dir}/chart.png`, file: `${dir}/report.xlsx` });
    const calls = emu.calls.slice(before).map((c) => c.method);
    expect(calls).toEqual(["sendPhoto", "sendMessage", "sendDocument"]);
    expect(String(emu.callsOf("sendMessage").at(-1)!.text)).toContain("【周报】示范县");
    expect((emu.callsOf("sendDocument").at(-1) as { document: { size: number } }).document.size).toBe(50);

    // Longer than Telegram's 4096: in pieces cut between lines, buttons on the last.
    const huge = Array.from({ length: 400 }, (_, i) => `· 第${i + 1}行 渠阳镇｜3｜2｜66.7% & <b>`).join("\n");
    const sentBefore = emu.callsOf("sendMessage").length;
    await channel.send({ channel: "telegram", chatId: String(group.id), text: huge, choices: ["收到"] });
    const parts = emu.callsOf("sendMessage").slice(sentBefore) as { text: string; reply_markup?: unknown }[];
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    expect(parts.map((p) => p.text).join("\n").replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">")).toBe(huge);
    expect(parts.map((p) => p.reply_markup !== undefined)).toEqual([...Array(parts.length - 1).fill(false), true]);

    // One line longer than a piece is cut by characters, never inside an escape.
    expect(splitText("&".repeat(12), 10).map((p) => p.length)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(splitText("甲乙\n丙丁", 3)).toEqual(["甲乙", "丙丁"]);
    const blanks = splitText("\n\n甲\n\n\n乙", 4); // blank lines are kept: the pieces join back to the text
    expect(blanks).toEqual(["\n\n甲\n", "\n乙"]);
    expect(blanks.join("\n")).toBe("\n\n甲\n\n\n乙");

    const bad = new TelegramChannel({ token: "999:wrong", apiRoot: emu.apiRoot, dataDir: dir, log: silentLog });
    await expect(bad.start(async () => undefined)).rejects.toThrow(/Telegram 无法启动（请检查 TELEGRAM_BOT_TOKEN 和网络）：401 Unauthorized/);
  });
});
