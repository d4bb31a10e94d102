import { afterEach, describe, expect, it } from "vitest";
import { startBot, texts, type TestBot } from "../helpers/app.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});
async function bot(o: Parameters<typeof startBot>[0] = {}) {
  const b = await startBot({ bind: { adm: "13800000004", u1: "13800000007" }, ...o });
  bots.push(b);
  return b;
}
const one = async (p: Promise<{ text: string }[]>) => texts(await p as never).join("\n");
const identities = (b: TestBot, account: string) => b.app.store.db.chatIdentity.findMany({ where: { platformUserId: account }, include: { person: true } });

describe("binding (绑定)", () => {
  it("lets an unbound sender only ask for help and bind", async () => {
    const b = await bot();
    const help = await one(b.send("new", "帮助"));
    expect(help).toContain("帮助（/help）");
    expect(help).toContain("绑定（/bind）");
    expect(help).not.toContain("工作提醒");
    expect(help).toContain("你还没有绑定身份");
    expect(await one(b.send("new", "工作提醒"))).toBe("请先绑定身份再使用「工作提醒」：发送「绑定」，按提示回复姓名和手机号。");
    expect(await one(b.send("new", "群信息"))).toContain("请先绑定身份");
    expect(await one(b.send("new", "你好"))).toContain("你还没有绑定身份，发送「绑定」开始");
    const denied = await b.app.store.db.auditLog.findMany({ where: { action: "command.denied", actor: "memory:new" } });
    expect(denied.map((d) => [d.entityId, JSON.parse(d.after!).reason])).toEqual([["remind", "unbound"], ["group-info", "unbound"]]);
  });

  it("binds by name and mobile, after which the person is known by the roster", async () => {
    const b = await bot();
    expect(await one(b.send("new", "绑定"))).toContain("请回复你的姓名");
    expect(await one(b.send("new", "黄丽"))).toContain("手机号");
    expect(await one(b.send("new", "138-0000-0008"))).toBe("绑定成功：黄丽，示范县/渠阳镇/泡里村/网格2，身份：网格员、灾害信息员。发送「帮助」查看你能做什么。");
    const [id] = await identities(b, "new");
    expect(id!.person.name).toBe("黄丽");
    expect(id!.boundBy).toBe("self");
    expect(await one(b.send("new", "帮助"))).toContain("你好，黄丽。你的身份：网格员、灾害信息员");
    expect(await one(b.send("new", "绑定"))).toBe("你已绑定为 黄丽（示范县/渠阳镇/泡里村/网格2），不需要再绑定。如需更换请联系管理员。");
    expect(await b.app.store.db.auditLog.count({ where: { action: "identity.bind", actor: "memory:new" } })).toBe(1);
  });

  it("refuses a wrong mobile and an unknown name, binding nothing", async () => {
    const b = await bot();
    await b.send("new", "绑定");
    await b.send("new", "黄丽");
    expect(await one(b.send("new", "13800000007"))).toBe("姓名与手机号不匹配，未绑定。请核对后重新发送「绑定」（还可尝试2次）。");
    await b.send("new", "绑定");
    await b.send("new", "王二麻子");
    expect(await one(b.send("new", "13900000000"))).toBe("花名册中没有“王二麻子”，未绑定。请核对后重新发送「绑定」（还可尝试1次）。");
    expect(await identities(b, "new")).toEqual([]);
    expect(await one(b.send("new", "13800000008"))).toContain("没有听懂"); // the dialog is over
  });

  it("cools down after three failures and lets the person try again later", async () => {
    const b = await bot();
    for (let i = 0; i < 2; i++) {
      await b.send("new", "绑定");
      await b.send("new", "黄丽");
      await b.send("new", "13800000001");
    }
    await b.send("new", "绑定");
    await b.send("new", "黄丽");
    expect(await one(b.send("new", "13800000001"))).toContain("已连续3次未能绑定，15分钟内不能再试");
    expect(await one(b.send("new", "绑定"))).toMatch(/绑定失败次数过多，请在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 之后再试/);
    b.clock.advance(15 * 60_000 + 1);
    await b.send("new", "绑定");
    await b.send("new", "黄丽");
    expect(await one(b.send("new", "13800000008"))).toContain("绑定成功");
  });

  it("binds with an admin's one-time invite code", async () => {
    const b = await bot();
    const reply = await one(b.send("adm", "邀请码 13800000011"));
    const code = /邀请码：([A-Z0-9]{6})/.exec(reply)![1]!;
    expect(reply).toContain("郑伟 的邀请码");
    await b.send("new", "绑定");
    expect(await one(b.send("new", code.toLowerCase()))).toContain("绑定成功：郑伟");
    await b.send("other", "绑定");
    expect(await one(b.send("other", code))).toContain("邀请码无效、已使用或已过期");
  });

  it("lets an admin unbind a person and bind an account for them", async () => {
    const b = await bot();
    expect(await one(b.send("adm", "解绑 13800000007"))).toBe("已解除 杨波 的1个账号绑定。");
    expect(await one(b.send("u1", "工作提醒"))).toContain("请先绑定身份");
    expect(await b.app.store.db.auditLog.count({ where: { action: "identity.unbind" } })).toBe(1);
    expect(await one(b.send("adm", "绑定成员 13800000007", { group: true, replyTo: { senderId: "u1", senderName: "波哥" } }))).toBe("已将账号“波哥”绑定为 杨波（示范县/渠阳镇/泡里村/网格1）。");
    expect(await one(b.send("u1", "工作提醒"))).toContain("请输入要提醒的事项");
    expect(await one(b.send("adm", "解绑 13999999999"))).toBe("花名册中没有手机号为 13999999999 的人员。");
  });
});
