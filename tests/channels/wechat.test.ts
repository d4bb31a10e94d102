import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { FileBox } from "file-box";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import type { Message } from "wechaty";
import { afterEach, describe, expect, it } from "vitest";
import { numberedChoices, WechatChannel } from "../../src/channels/wechat.js";
import { bindIdentity, personByMobile } from "../../src/features/org/repo.js";
import { silentLog, startBot, waitFor, type TestBot } from "../helpers/app.js";
import { probeCommand, probeFlow } from "../helpers/flows.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot | undefined;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
  b = undefined;
});

async function setup() {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const dataDir = tmpDir();
  const wx = new WechatChannel({ puppet, name: path.join(dataDir, "bot"), dataDir, log: silentLog, printQr: false, limits: { minIntervalMs: 0, perMinute: 1000, jitterMs: 0 } });
  b = await startBot({ live: true, channels: [wx], flows: [probeFlow], commands: [probeCommand], bind: {} });
  mocker.scan("https://login.weixin.qq.com/l/test-qr", 2 /* Waiting */);
  await waitFor(() => fs.existsSync(path.join(dataDir, "wechat-login.png")), "the login QR code PNG");
  const me = mocker.createContact({ name: "应急助手" });
  mocker.login(me);
  const yang = mocker.createContact({ name: "波波" }); // a nickname: identity is the id, not this
  const huang = mocker.createContact({ name: "黄丽" });
  const room = mocker.createRoom({ topic: "泡里村网格群", memberIdList: [me.id, yang.id, huang.id] });
  for (const [c, mobile] of [[yang, "13800000007"], [huang, "13800000008"]] as const) {
    const p = (await personByMobile(b.app.store.db, mobile))!;
    await b.app.store.db.$transaction((tx) => bindIdentity(tx, { channel: "wechat", platformUserId: c.id, personId: p.id, by: "test", actor: "test" }, new Date()));
  }
  const said: Message[] = [];
  wx.wechaty.on("message", (m) => void (m.self() && said.push(m)));
  return { mocker, wx, me, yang, huang, room, said, dataDir };
}

describe("WeChat through Wechaty on the mock puppet", () => {
  it("saves the login QR code as a PNG", async () => {
    const { dataDir } = await setup();
    const png = fs.readFileSync(path.join(dataDir, "wechat-login.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("renders choices as a numbered list", () => {
    expect(numberedChoices("请选择：", ["会议", "检查"])).toBe("请选择：\n1. 会议\n2. 检查\n（回复 1/2）");
    expect(numberedChoices("好的", [])).toBe("好的");
  });

  it("runs a whole flow in a room with numbered choices and an image; another member's chatter does not disturb it", async () => {
    const { me, yang, huang, room, said, dataDir } = await setup();
    probeFlow.completed.length = 0;
    const botSays = async (n: number) => {
      await waitFor(() => said.length >= n, `bot message #${n}`);
      return said[n - 1]!;
    };

    yang.say("探针", [me]).to(room);
    let m = await botSays(1);
    expect(m.room()?.id).toBe(room.id);
    expect(m.text()).toContain("请输入要提醒的事项");
    expect(m.text()).toMatch(/^@波波 请输入要提醒的事项/); // @mention of the member, by the name WeChat shows

    huang.say("今天泡里村巡查完了，一切正常").to(room); // chatter
    yang.say("张三丰").to(room);
    m = await botSays(2);
    expect(m.text()).toContain("1. 跳过\n（回复 1）");
    yang.say("1").to(room);
    m = await botSays(3);
    expect(m.text()).toContain("1. 危险化学品\n2. 人员密集场所/消防\n3. 其他\n（回复 1/2/3）");
    yang.say("2").to(room);
    await botSays(4);
    yang.say("明天").to(room);
    await botSays(5);
    const photo = crypto.randomBytes(2048);
    yang.say(FileBox.fromBase64(photo.toString("base64"), "隐患照片.jpg")).to(room);
    m = await botSays(6);
    expect(m.text()).toContain("已收到第1张照片");
    yang.say("完成").to(room);
    await botSays(7);
    yang.say("跳过").to(room);
    await botSays(8);
    yang.say("是").to(room);
    m = await botSays(9);
    expect(m.text()).toContain("请核对");
    yang.say("1").to(room);
    await waitFor(() => probeFlow.completed.length === 1, "the flow to complete");

    const answers = probeFlow.completed[0] as { name: string; kind: string; pics: string[] };
    expect(answers).toMatchObject({ name: "张三丰", kind: "人员密集场所/消防" });
    const sha = crypto.createHash("sha256").update(photo).digest("hex");
    expect(answers.pics).toEqual([path.join(dataDir, "media", sha.slice(0, 2), `${sha}.jpg`)]);
    expect(fs.readFileSync(answers.pics[0]!).equals(photo)).toBe(true);
    expect(said).toHaveLength(9); // nothing for 黄丽's chatter
    expect(said.every((s) => s.room()?.id === room.id)).toBe(true);
  });

  it("answers in private chat and sends an image", async () => {
    const { me, yang, said, wx, dataDir } = await setup();
    yang.say("帮助").to(me); // a private message to the bot's account
    await waitFor(() => said.length >= 1, "help in private");
    expect(said[0]!.room()).toBeUndefined();
    expect(said[0]!.text()).toContain("你好，杨波。你的身份：网格员");
    const png = path.join(dataDir, "chart.png");
    fs.writeFileSync(png, crypto.randomBytes(64));
    await wx.send({ channel: "wechat", chatId: yang.id, text: "本周统计图", choices: [], image: png });
    await waitFor(() => said.length >= 3, "text and image");
    expect(said[1]!.text()).toBe("本周统计图");
    expect((await said[2]!.toFileBox()).name).toBe("chart.png");
  });
});
