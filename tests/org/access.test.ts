import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { can, type Profile } from "../../src/features/org/policy.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

const person = (regionPath: string, roles: string[], active = true): Profile => ({ personId: 1, regionPath, roles, active });

describe("access policy", () => {
  const township = person("示范县/渠阳镇", ["局领导"]);
  const county = person("示范县", ["局领导"]);
  const grid = person("示范县/渠阳镇/泡里村/网格1", ["网格员"]);

  it("keeps a township leader to their township, never beside it", () => {
    expect(can(township, "region.read", { regions: ["示范县/渠阳镇/泡里村"] })).toEqual({ ok: true });
    expect(can(township, "region.read", { regions: ["示范县/甘溪乡"] })).toEqual({ ok: false, reason: "scope" });
    expect(can(township, "region.read", { regions: ["示范县"] })).toEqual({ ok: false, reason: "scope" });
    // "示范县/渠阳镇二" is a sibling, not a child, of "示范县/渠阳镇".
    expect(can(township, "region.read", { regions: ["示范县/渠阳镇二"] })).toEqual({ ok: false, reason: "scope" });
  });

  it("lets the county leader read both townships", () => {
    expect(can(county, "region.read", { regions: ["示范县/渠阳镇"] })).toEqual({ ok: true });
    expect(can(county, "region.read", { regions: ["示范县/甘溪乡/甘溪村"] })).toEqual({ ok: true });
  });

  it("keeps a grid member to their own grid and out of admin work", () => {
    expect(can(grid, "region.read", { regions: ["示范县/渠阳镇/泡里村/网格1"] })).toEqual({ ok: true });
    expect(can(grid, "region.read", { regions: ["示范县/渠阳镇/泡里村/网格2"] })).toEqual({ ok: false, reason: "scope" });
    expect(can(grid, "org.admin")).toEqual({ ok: false, reason: "role" });
  });

  it("lets the unbound and the deactivated do only public things", () => {
    expect(can({ roles: [], active: true }, "public")).toEqual({ ok: true });
    expect(can({ roles: [], active: true }, "member")).toEqual({ ok: false, reason: "unbound" });
    expect(can(person("示范县", ["管理员"], false), "org.admin")).toEqual({ ok: false, reason: "inactive" });
  });
});

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});
// adm: county admin 赵敏; tadm: 渠阳镇 admin 冯刚; u1: grid member 杨波.
async function bot() {
  const b = await startBot({ bind: { adm: "13800000004", tadm: "13800000013", u1: "13800000007" } });
  bots.push(b);
  return b;
}
const one = async (p: Promise<{ text: string }[]>) => texts(await p as never).join("\n");

describe("access control in chat", () => {
  it("refuses a grid member's admin command and audits it", async () => {
    const b = await bot();
    expect(await one(b.send("u1", "登记群 示范县/渠阳镇 工作群", { group: true, chat: "g" }))).toBe("你没有使用「登记群」的权限。如有疑问请联系管理员。");
    expect(await one(b.send("u1", "/unbind 13800000008"))).toContain("你没有使用「解绑」的权限");
    const denied = await b.app.store.db.auditLog.findMany({ where: { action: "command.denied" }, orderBy: { id: "asc" } });
    expect(denied.map((d) => [d.actor, d.entityId, JSON.parse(d.after!).reason])).toEqual([["memory:u1", "register-group", "role"], ["memory:u1", "unbind", "role"]]);
    expect(await b.app.store.db.groupChat.count({ where: { chatId: "g" } })).toBe(0);
  });

  it("registers a group within the admin's region and refuses one beside it", async () => {
    const b = await bot();
    expect(await one(b.send("tadm", "登记群 泡里村 网格群", { group: true, chat: "g1" }))).toBe("已将本群登记为：示范县/渠阳镇/泡里村，网格群。");
    expect(await one(b.send("u1", "群信息", { group: true, chat: "g1" }))).toMatch(/^本群登记为：示范县\/渠阳镇\/泡里村，网格群（登记于 /);
    expect(await one(b.send("tadm", "登记群 示范县/甘溪乡 工作群", { group: true, chat: "g2" }))).toBe("区域“示范县/甘溪乡”不在你的管理范围（示范县/渠阳镇）内，未执行。");
    expect(await b.app.store.db.auditLog.count({ where: { action: "command.denied", actor: "memory:tadm" } })).toBe(1);
    expect(await one(b.send("adm", "登记群 示范县/甘溪乡 工作群", { group: true, chat: "g2" }))).toContain("已将本群登记为：示范县/甘溪乡，工作群");
    expect(await one(b.send("adm", "登记群 网格1 网格群", { group: true, chat: "g3" }))).toContain("有多个区域符合");
    expect(await one(b.send("adm", "登记群 示范县 聊天群", { group: true, chat: "g3" }))).toContain("用法：登记群");
    expect(await one(b.send("adm", "登记群 示范县 值班群"))).toBe("请在要查看或登记的群里发送这条命令。");
    expect(await one(b.send("adm", "群信息", { group: true, chat: "g9" }))).toContain("本群尚未登记");
  });

  it("lists the unbound people of the group's region", async () => {
    const b = await bot();
    await b.send("tadm", "登记群 示范县/渠阳镇/泡里村 网格群", { group: true, chat: "g1" });
    await b.send("stranger", "大家好", { group: true, chat: "g1", senderName: "陌生人" });
    const r = await one(b.send("tadm", "未绑定成员", { group: true, chat: "g1" }));
    expect(r).toContain("示范县/渠阳镇/泡里村 范围内尚未绑定的人员共1人");
    expect(r).toContain("· 黄丽（网格员、灾害信息员，示范县/渠阳镇/泡里村/网格2）");
    expect(r).not.toContain("杨波");
    expect(r).toContain("本群中发过言但未绑定的账号1个：陌生人");
  });

  it("deactivates a person, who is then refused", async () => {
    const b = await bot();
    expect(await one(b.send("tadm", "停用 13800000007"))).toBe("已停用 杨波。");
    expect(await one(b.send("u1", "工作提醒"))).toBe("你的账号已停用，暂时不能使用。如有疑问请联系管理员。");
    expect(await one(b.send("tadm", "停用 13800000011"))).toBe("郑伟（示范县/甘溪乡/甘溪村/网格1）不在你的管理范围（示范县/渠阳镇）内，未改动。");
    await b.send("tadm", "启用 13800000007");
    expect(await one(b.send("u1", "工作提醒"))).toContain("请输入要提醒的事项");
  });

  it("imports a roster file sent in chat, only inside the admin's region", async () => {
    const b = await bot();
    const f = path.join(tmpDir(), "渠阳镇花名册.csv");
    fs.writeFileSync(f, "姓名,手机号,区域,角色\n钱七,13700000001,示范县/渠阳镇/新村/网格1,网格员\n孙八,13700000002,示范县/甘溪乡,网格员\n");
    expect(await one(b.send("tadm", "导入花名册"))).toContain("请发送花名册文件");
    expect(await one(b.send("tadm", "这是文件"))).toContain("这一步需要发送文件（csv/xlsx）");
    const r = await one(b.send("tadm", "", { attachments: [{ kind: "file", path: f, name: "渠阳镇花名册.csv" }] }));
    expect(r).toContain("新增1人");
    expect(r).toContain("第3行：孙八（13700000002）的区域“示范县/甘溪乡”不在你的管理范围（示范县/渠阳镇）内，未导入");
    expect(await b.app.store.db.person.count({ where: { mobile: { in: ["13700000001", "13700000002"] } } })).toBe(1);
    expect(await one(b.send("u1", "导入花名册"))).toContain("你没有使用「导入花名册」的权限");
  });
});
