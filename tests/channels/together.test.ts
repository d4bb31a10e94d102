import path from "node:path";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import type { Message } from "wechaty";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramChannel } from "../../src/channels/telegram.js";
import { WechatChannel } from "../../src/channels/wechat.js";
import { bindIdentity, personByMobile } from "../../src/features/org/repo.js";
import { startBot, texts, waitFor, type TestBot } from "../helpers/app.js";
import { TelegramEmulator } from "../helpers/telegram-emulator.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot | undefined;
let emu: TelegramEmulator | undefined;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
  await emu?.stop();
  emu = undefined;
});

describe("channels together", () => {
  it("runs Telegram, WeChat and an in-process channel on one core and store", async () => {
    emu = new TelegramEmulator();
    await emu.start();
    const dataDir = tmpDir();
    const errors: object[] = [];
    const log = { info() {}, warn() {}, error: (o: object) => { errors.push(o); } };
    const mocker = new mock.Mocker();
    const tg = new TelegramChannel({ token: emu.token, apiRoot: emu.apiRoot, dataDir, log });
    const wx = new WechatChannel({ puppet: new PuppetMock({ mocker }), name: path.join(dataDir, "bot"), dataDir, log, printQr: false, limits: { minIntervalMs: 0, jitterMs: 0 } });
    b = await startBot({ live: true, channels: [tg, wx] });
    const me = mocker.createContact({ name: "应急助手" });
    mocker.login(me);
    const zhang = mocker.createContact({ name: "张局" });
    const p = (await personByMobile(b.app.store.db, "13800000001"))!;
    await b.app.store.db.$transaction(async (tx) => {
      await bindIdentity(tx, { channel: "wechat", platformUserId: zhang.id, personId: p.id, by: "test", actor: "test" }, new Date());
      await bindIdentity(tx, { channel: "telegram", platformUserId: "601", personId: p.id, by: "test", actor: "test" }, new Date());
    });
    const said: Message[] = [];
    wx.wechaty.on("message", (m) => void (m.self() && said.push(m)));

    zhang.say("帮助").to(me);
    emu.userSends({ id: 601, type: "private" }, { id: 601, is_bot: false, first_name: "张建国" }, { text: "/help" });
    const mem = await b.send("u1", "帮助");
    await waitFor(() => said.length >= 1 && emu!.callsOf("sendMessage").length >= 1, "both platforms to answer");
    // One person, three accounts: each answer knows them as 张建国.
    expect(said[0]!.text()).toContain("你好，张建国。你的身份：局领导");
    expect(String(emu.callsOf("sendMessage")[0]!.text)).toContain("你好，张建国。你的身份：局领导");
    expect(texts(mem)[0]).toContain("你好，杨波");
    expect([...b.app.started].sort()).toEqual(["memory", "telegram", "wechat"]);
    expect(errors).toEqual([]);
  });

  it("keeps the others running when one channel cannot start, and says why", async () => {
    const errors: { channel?: string; reason?: string }[] = [];
    const log = { info() {}, warn() {}, error: (o: object) => { errors.push(o); } };
    emu = new TelegramEmulator();
    await emu.start();
    const bad = new TelegramChannel({ token: "1:bad-token-bad-token-bad-token", apiRoot: emu.apiRoot, dataDir: tmpDir(), log });
    b = await startBot({ channels: [bad], log });
    expect([...b.app.started]).toEqual(["memory"]);
    expect(errors[0]).toMatchObject({ channel: "telegram", reason: expect.stringContaining("Telegram 无法启动") });
    expect(texts(await b.send("u1", "帮助"))[0]).toContain("应急助手可以帮你");
  });

  it("gives up on a channel that does not start in time", async () => {
    const errors: { channel?: string; reason?: string }[] = [];
    const log = { info() {}, warn() {}, error: (o: object) => { errors.push(o); } };
    const stuck = { name: "stuck", limits: {}, start: () => new Promise<void>(() => undefined), send: async () => ({ messageId: null }), stop: async () => undefined };
    b = await startBot({ channels: [stuck], log, channelStartTimeoutMs: 200 });
    expect([...b.app.started]).toEqual(["memory"]);
    expect(errors[0]).toMatchObject({ channel: "stuck", reason: "0 秒内未能启动（网络不通？）" });
  });
});
