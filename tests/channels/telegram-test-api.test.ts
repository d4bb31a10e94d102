/**
 * The same forum-topic case against an emulator we did not write: grammY's real
 * client polling `telegram-test-api` on loopback. In a forum topic every message
 * carries the topic's creation message as `reply_to_message`; that must not count
 * as a reply to its author.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { TelegramChannel } from "../../src/channels/telegram.js";
import { bindIdentity, personByMobile } from "../../src/features/org/repo.js";
import { silentLog, startBot, waitFor, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

const TOKEN = "7000002:TTA-forum-topic-test-token";
let server: TelegramServer | undefined;
let b: TestBot | undefined;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
  await server?.stop();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("Telegram forum topics on telegram-test-api", () => {
  it("绑定成员 typed in a topic without a reply binds nobody; a reply to the member's own message binds him", async () => {
    server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 60 });
    await server.start();
    const chat = { id: -1009, type: "supergroup", title: "渠阳镇工作群", is_forum: true };
    const client = server.getClient(TOKEN, { chatId: -1009, type: "supergroup", userId: 601, firstName: "冯刚", chatTitle: "渠阳镇工作群" });
    const tg = new TelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, dataDir: tmpDir(), log: silentLog, limits: { perChatIntervalMs: 0, perChatPerMinute: 1000 } });
    b = await startBot({ live: true, channels: [tg], bind: {} });
    const admin = (await personByMobile(b.app.store.db, "13800000013"))!; // 渠阳镇 admin
    await b.app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "telegram", platformUserId: "601", personId: admin.id, by: "test", actor: "test" }, new Date()));
    const date = Math.floor(Date.now() / 1000);
    const topicOpening = { message_id: 900, date, chat, from: { id: 501, is_bot: false, first_name: "杨波" }, message_thread_id: 900, forum_topic_created: { name: "隐患排查", icon_color: 7322096 } };
    const inTopic = { chat, is_topic_message: true, message_thread_id: 900 };
    const botSays = () => server!.storage.botMessages.map((m) => String(m.message.text));

    await client.sendMessage(client.makeMessage("/bind_member@TestNameBot 13800000009", { ...inTopic, reply_to_message: topicOpening } as never));
    await waitFor(() => botSays().length >= 1, "the hint", 15_000);
    expect(botSays()[0]).toContain("请「回复」该成员本人发的一条消息");
    expect(await b.app.store.db.chatIdentity.count({ where: { channel: "telegram", platformUserId: "501" } })).toBe(0);
    expect(await b.app.store.db.chatIdentity.count({ where: { person: { mobile: "13800000009" } } })).toBe(0);

    const hello = { message_id: 950, date, from: { id: 602, is_bot: false, first_name: "小周" }, text: "大家好，我是高坪村网格员", ...inTopic };
    await client.sendMessage(client.makeMessage("/bind_member@TestNameBot 13800000009", { ...inTopic, reply_to_message: hello } as never));
    await waitFor(() => botSays().length >= 2, "the binding", 15_000);
    expect(botSays()[1]).toContain("已将账号“小周”绑定为 周强");
    const bound = await b.app.store.db.chatIdentity.findFirstOrThrow({ where: { channel: "telegram", platformUserId: "602" }, include: { person: true } });
    expect(bound.person.name).toBe("周强");
  });
});
