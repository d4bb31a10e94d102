/**
 * The access failures seen in trials, by name: each is now refused, audited, and
 * leaves nothing changed; what should still work, works.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { can } from "../../src/features/org/policy.js";
import { pruneMedia, saveMedia } from "../../src/channels/media.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { importInChat, seedHazard, selfBind, tinyJpeg } from "../helpers/org-fixtures.js";
import { tmpDir } from "../helpers/tmp.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});
// adm: county admin 赵敏; tadm: 渠阳镇 admin 冯刚; chief: county 局领导 张建国; lz: 渠阳镇 局领导 刘志强;
// u1: grid member 杨波 (泡里村/网格1); wf: 甘溪乡 局领导 吴芳; chen: 渠阳镇 值班员 陈红.
const BIND = { adm: "13800000004", tadm: "13800000013", chief: "13800000001", lz: "13800000005", u1: "13800000007", wf: "13800000010", chen: "13800000006", zq: "13800000009" };
async function bot() {
  const b = await startBot({ bind: BIND });
  bots.push(b);
  return b;
}
const one = async (p: Promise<{ text: string }[]>) => texts(await p as never).join("\n");
const denials = (b: TestBot, actor: string) => b.app.store.db.auditLog.findMany({ where: { action: "command.denied", actor: `memory:${actor}` }, orderBy: { id: "asc" } });
const reasons = async (b: TestBot, actor: string) => (await denials(b, actor)).map((d) => { const a = JSON.parse(d.after!); return `${a.action}:${a.reason}`; });
const rolesOf = async (b: TestBot, mobile: string) => (await b.app.store.db.person.findUniqueOrThrow({ where: { mobile }, include: { roles: true, region: true } }));

describe("scope is checked on what exists and on what it becomes", () => {
  it("a township admin's roster row cannot move the county chief into a grid; the other rows import and the chief still issues warnings", async () => {
    const b = await bot();
    const r = await importInChat(b, "tadm", "张建国,13800000001,示范县/渠阳镇/泡里村/网格1,网格员\n钱七,13700000001,示范县/渠阳镇/泡里村/网格2,网格员\n");
    expect(r).toContain("新增1人");
    expect(r).toContain("第2行：张建国（13800000001）现属“示范县”，不在你的管理范围（示范县/渠阳镇）内，未导入");
    const chief = await rolesOf(b, "13800000001");
    expect([chief.region.path, chief.roles.map((x) => x.role)]).toEqual(["示范县", ["局领导"]]);
    expect(await reasons(b, "tadm")).toEqual(["org.person.change:scope"]);
    expect(await one(b.send("chief", "发布预警"))).toContain("预警类型？");
  });

  it("an admin cannot grant himself (or anyone) a role above his own, nor take one away", async () => {
    const b = await bot();
    const r = await importInChat(b, "tadm", "冯刚,13800000013,示范县/渠阳镇,管理员、局领导\n刘志强,13800000005,示范县/渠阳镇,带班领导\n陈红,13800000006,示范县/渠阳镇,值班员、带班领导\n");
    expect(r).toContain("第2行：冯刚（13800000013）：不能授予或取消高于你本人的角色（局领导），未导入");
    expect(r).toContain("第3行：刘志强（13800000005）：不能授予或取消高于你本人的角色（局领导），未导入");
    expect(r).toContain("更新1人"); // 陈红 may be made 带班领导 by an admin
    expect((await rolesOf(b, "13800000013")).roles.map((x) => x.role)).toEqual(["管理员"]);
    expect((await rolesOf(b, "13800000005")).roles.map((x) => x.role).sort()).toEqual(["局领导", "带班领导"].sort());
    // Nor his own roles at all, even one of his rank.
    expect(await importInChat(b, "tadm", "冯刚,13800000013,示范县/渠阳镇,管理员、带班领导\n")).toContain("第2行：冯刚（13800000013）是你本人：自己的角色须由其他管理员调整，未导入");
    expect(await reasons(b, "tadm")).toEqual(["org.person.change:rank", "org.person.change:rank", "org.person.change:self"]);
  });

  it("登记群 cannot re-register the county 领导群 as a township's 网格群", async () => {
    const b = await bot();
    expect(await one(b.send("tadm", "登记群 示范县/渠阳镇/泡里村 网格群", { group: true, chat: "县应急局领导群" })))
      .toBe("本群已登记为 示范县，领导群，不在你的管理范围（示范县/渠阳镇）内，不能改登记。");
    const g = await b.app.store.db.groupChat.findFirstOrThrow({ where: { chatId: "县应急局领导群" }, include: { region: true } });
    expect([g.region.path, g.purpose]).toEqual(["示范县", "领导群"]);
    expect(await reasons(b, "tadm")).toEqual(["org.group.register:scope"]);
    // The county admin may.
    expect(await one(b.send("adm", "登记群 示范县 领导群", { group: true, chat: "县应急局领导群" }))).toBe("已将本群登记为：示范县，领导群。");
  });

  it("绑定成员 cannot rebind the county chief's account to a grid member, nor bind the admin's own account", async () => {
    const b = await bot();
    const reply = { group: true, chat: "g1", replyTo: { senderId: "chief", senderName: "张局" } };
    expect(await one(b.send("tadm", "绑定成员 13800000008", reply))).toBe("账号“张局”现在绑定的是 张建国（示范县），不在你的管理范围（示范县/渠阳镇）内，未改动。");
    expect((await b.app.store.db.chatIdentity.findFirstOrThrow({ where: { platformUserId: "chief" }, include: { person: true } })).person.name).toBe("张建国");
    expect(await one(b.send("tadm", "绑定成员 13800000008", { group: true, chat: "g1", replyTo: { senderId: "tadm", senderName: "冯刚" } }))).toContain("不能把你自己的账号绑定给别人");
    expect(await one(b.send("tadm", "绑定成员 13800000008 tadm", { group: true, chat: "g1" }))).toContain("请「回复」该成员本人发的一条消息");
    expect(await reasons(b, "tadm")).toEqual(["org.bind:scope"]);
    // A new account, replied to, for someone in the township: bound.
    expect(await one(b.send("tadm", "绑定成员 13800000008", { group: true, chat: "g1", replyTo: { senderId: "huang", senderName: "丽丽" } }))).toBe("已将账号“丽丽”绑定为 黄丽（示范县/渠阳镇/泡里村/网格2）。");
  });

  it("排班 needs every officer and the 带班领导 within the admin's unit; 换班 stays inside the unit", async () => {
    const b = await bot();
    expect(await one(b.send("tadm", "排班 2026-11-26 08:30-次日08:30 陈红 李卫东"))).toContain("李卫东（示范县）不在你的管理范围（示范县/渠阳镇）内，本行未导入");
    expect(await b.app.store.db.dutyShift.count()).toBe(0);
    expect(await one(b.send("tadm", "排班 2026-11-26 08:30-次日08:30 陈红 刘志强"))).toContain("新增1个班次");
    expect(await reasons(b, "tadm")).toEqual(["duty.schedule:scope"]);
  });
});

describe("what the first trial found", () => {
  it("an admin cannot deactivate or unbind himself, nor deactivate or hand out the account of someone who outranks him; he may unbind them", async () => {
    const b = await bot();
    expect(await one(b.send("tadm", "停用 13800000013"))).toBe("不能对你自己办理「停用」（办理后你将无法再使用本助手），请由其他管理员办理。");
    expect(await one(b.send("tadm", "解绑 13800000013"))).toContain("不能对你自己办理「解绑」");
    expect(await one(b.send("tadm", "停用 13800000005"))).toBe("刘志强是局领导，高于你本人的角色，「停用」须由相应层级的负责人办理，未改动。");
    // An invite code hands its user the person's roles: an admin using a leader's code would be that leader.
    // The chief's code comes from the operator (npm run invite); township leaders' from the county chief.
    expect(await one(b.send("adm", "邀请码 13800000001"))).toContain("张建国是局领导，高于你本人的角色：「邀请码」会把这些权限交给使用它的账号，须由上级局领导办理");
    expect(await one(b.send("tadm", "邀请码 13800000005"))).toContain("刘志强是局领导，高于你本人的角色");
    expect((await rolesOf(b, "13800000013")).active).toBe(true);
    expect((await rolesOf(b, "13800000005")).active).toBe(true);
    expect(await reasons(b, "tadm")).toEqual(["org.person.change:self", "org.bind:self", "org.person.change:rank", "org.bind.person:rank"]);
  });

  it("the county chief invites a township leader; a new code voids the old; the leader's own account is told at once of the new binding", async () => {
    const b = await bot();
    const first = /邀请码：([A-Z0-9]{6})/.exec(await one(b.send("chief", "邀请码 13800000005")))![1]!;
    const second = /邀请码：([A-Z0-9]{6})/.exec(await one(b.send("chief", "邀请码 13800000005")))![1]!;
    expect(second).not.toBe(first);
    await b.send("newphone", "绑定");
    expect(await one(b.send("newphone", first))).toContain("邀请码无效、已使用或已过期");
    await b.send("newphone", "绑定");
    const out = await b.send("newphone", second);
    expect(out.find((m) => m.chatId === "dm-newphone")?.text).toContain("绑定成功：刘志强");
    // 刘志强's own account (lz) hears of it privately, with what to do if it was not him.
    const alert = out.find((m) => m.chatId === "lz");
    expect(alert?.text).toMatch(/^【账号安全提醒】你的身份（刘志强）刚在.+被另一个聊天账号绑定。如果不是你本人操作，请立即联系管理员发送「解绑 你的手机号」/);
    // An admin cannot hand himself a leader's account by 绑定成员 either.
    const r = await b.send("adm", "绑定成员 13800000001", { group: true, chat: "grp-x", replyTo: { senderId: "adm-second", senderName: "赵敏2" } });
    expect(r.map((m) => m.text).join("\n")).toContain("张建国是局领导，高于你本人的角色：「绑定成员」会把这些权限交给使用它的账号");
    expect(await b.app.store.db.chatIdentity.count({ where: { platformUserId: "adm-second" } })).toBe(0);
  });

  it("a leader's or admin's identity cannot be taken by typing a name and a mobile; an impostor can be unbound", async () => {
    const b = await bot();
    expect(await selfBind(b, "stranger", "张建国", "13800000001")).toContain("领导和管理员的账号须使用邀请码绑定");
    expect(await b.app.store.db.chatIdentity.count({ where: { platformUserId: "stranger" } })).toBe(0);
    expect(await selfBind(b, "stranger2", "赵敏", "138 0000 0004")).toContain("未绑定");
    // A grid member still binds himself; the county admin can unbind a wrongly bound leader.
    expect(await selfBind(b, "yang2", "周强", "13800000009")).toContain("绑定成功：周强");
    expect(await one(b.send("adm", "解绑 13800000001"))).toContain("已解除 张建国 的1个账号绑定");
  });

  it("县级挂牌督办 is the county's: a township leader can neither list a hazard nor close a listed one", async () => {
    const b = await bot();
    const h = await seedHazard(b, "13800000007", { level: "重大", description: "油罐区防火堤开裂", deadline: "2026-12-25" });
    expect(await one(b.send("lz", `挂牌督办 ${h.number} 县`))).toBe(`县级挂牌督办由县级领导登记，${h.number} 未挂牌。请报县应急管理局办理。`);
    expect(await one(b.send("chief", `挂牌督办 ${h.number} 县`))).toContain("已列入县级挂牌督办");
    await b.send("u1", `整改 ${h.number}`);
    for (const a of ["已完成整改"]) await b.send("u1", a);
    await b.send("u1", "", { attachments: [{ kind: "photo", path: "/tmp/x.jpg" }] });
    for (const a of ["完成", "防火堤已修复", "确认"]) await b.send("u1", a);
    expect(await one(b.send("lz", `销号 ${h.number}`))).toBe(`${h.number} 已列入县级挂牌督办，须由县级复查、销号，你不能办理。`);
    expect((await b.app.store.db.hazard.findFirstOrThrow()).status).toBe("已整改");
    expect(await one(b.send("chief", `销号 ${h.number}`))).toContain("已整改 → 已销号");
  });

  it("the reporter sees his own hazard's photos; 排班 takes only officers of one unit, led from it or above", async () => {
    const b = await bot();
    const photo = await tinyJpeg();
    await b.send("u1", "隐患 泡里村加油站 灭火器过期 一般 3天");
    for (const a of ["加油站东侧", "", "完成", "加油站", "跳过", "确认"]) await b.send("u1", a, a === "" ? { attachments: [{ kind: "photo", path: photo }] } : {});
    const h = await b.app.store.db.hazard.findFirstOrThrow();
    expect(await one(b.send("u1", `隐患 ${h.number}`))).toContain(`查看照片请发送「隐患 ${h.number} 照片」`);
    expect(await one(b.send("u1", `隐患 ${h.number} 照片`))).toContain(`${h.number} 共1张照片，已发给你。`);
    expect(await one(b.send("adm", "排班 2026-11-26 08:30-次日08:30 杨波 李卫东"))).toContain("“杨波”不是值班员");
    expect(await one(b.send("adm", "排班 2026-11-26 08:30-次日08:30 陈红 吴芳"))).toContain("带班领导吴芳（示范县/甘溪乡）不属于值班单位（示范县/渠阳镇）或其上级");
    expect(await one(b.send("adm", "排班 2026-11-26 08:30-次日08:30 陈红 李卫东"))).toContain("新增1个班次"); // a county leader may lead
  });

  it("a roster row may name a region the short way; the skipped rows are not reported as missing", async () => {
    const b = await bot();
    const r = await importInChat(b, "tadm", "陈红,13800000006,渠阳镇,值班员\n钱七,13700000001,泡里村/网格3,网格员\n张建国,13800000001,渠阳镇,网格员\n");
    expect(r).toContain("新增1人");
    expect((await rolesOf(b, "13700000001")).region.path).toBe("示范县/渠阳镇/泡里村/网格3");
    expect(r).toContain("第4行：张建国");
    expect(r).not.toMatch(/仍保持启用：[^。]*(张建国|陈红)/);
  });
});

describe("every refusal is audited, with actor, action, target and reason", () => {
  it("hazard view, 进展, self-verification, 预警 情况/升级/解除 and 发布预警 outside one's region", async () => {
    const b = await bot();
    // 杨波 reports, and the township leader rectifies it himself, then may not verify his own work.
    await b.send("u1", "隐患 泡里村加油站 灭火器过期 一般 3天");
    for (const a of ["加油站东侧", "跳过", "加油站", "跳过", "确认"]) await b.send("u1", a);
    const h = await b.app.store.db.hazard.findFirstOrThrow();
    expect(await one(b.send("wf", `隐患 ${h.number}`))).toContain("只能用于你的辖区（示范县/甘溪乡）之内");
    expect(await one(b.send("wf", `进展 ${h.number} 已更换灭火器`))).toContain("「进展」只能用于你的辖区（示范县/甘溪乡）之内");
    await b.send("lz", `整改 ${h.number}`);
    await b.send("lz", "已开始整改");
    await b.send("lz", "已联系加油站");
    await b.send("lz", "确认");
    await b.send("lz", `整改 ${h.number}`);
    await b.send("lz", "已完成整改");
    await b.send("lz", "", { attachments: [{ kind: "photo", path: "/tmp/x.jpg" }] });
    await b.send("lz", "完成");
    await b.send("lz", "已更换");
    await b.send("lz", "确认");
    expect((await b.app.store.db.hazard.findFirstOrThrow()).status).toBe("已整改");
    expect(await one(b.send("lz", `销号 ${h.number}`))).toBe(`${h.number} 的整改是你提交的，请由其他有复查权限的人复查。`);
    const [hz] = (await denials(b, "lz"));
    expect([hz!.entity, hz!.entityId, JSON.parse(hz!.after!).action, JSON.parse(hz!.after!).reason]).toEqual(["hazard", h.number, "hazard.verify", "self"]);
    expect((await denials(b, "wf")).map((d) => [d.entity, d.entityId, JSON.parse(d.after!).action, JSON.parse(d.after!).reason]))
      .toEqual([["hazard", h.number, "hazard.view", "scope"], ["hazard", h.number, "hazard.rectify", "scope"]]);

    // A county warning: a township leader may not see its status, lift or upgrade it; nor issue one for the county.
    await b.send("chief", "发布预警 示范县气象台发布暴雨黄色预警信号：预计未来6小时内将出现50毫米以上降雨");
    for (const a of ["示范县", "网格员", "仅确认收到", "跳过", "确认"]) await b.send("chief", a);
    const w = await b.app.store.db.warning.findFirstOrThrow();
    await b.send("wf", `预警 ${w.number} 情况`);
    await b.send("wf", `升级预警 ${w.number} 红`);
    await b.send("wf", `解除预警 ${w.number}`);
    await b.send("wf", "发布预警 暴雨蓝色预警：请注意防范");
    for (const a of ["示范县", "网格员", "仅确认收到", "跳过"]) await b.send("wf", a);
    expect(await one(b.send("wf", "确认"))).toContain("区域“示范县”不在你的管辖范围（示范县/甘溪乡）内");
    expect((await denials(b, "wf")).slice(2).map((d) => [d.entity, JSON.parse(d.after!).action, JSON.parse(d.after!).reason]))
      .toEqual([["warning", "warning.manage", "scope"], ["warning", "warning.manage", "scope"], ["warning", "warning.manage", "scope"], ["warning", "warning.issue", "scope"]]);
    expect((await b.app.store.db.warning.findFirstOrThrow()).status).toBe("active");
  });
});

describe("permissions are asked again when a dialog completes", () => {
  it("a person deactivated mid-dialog cannot submit, and nothing is saved", async () => {
    const b = await bot();
    await b.send("u1", "隐患 泡里村加油站 灭火器过期 一般 3天");
    for (const a of ["加油站东侧", "跳过", "加油站", "跳过"]) await b.send("u1", a);
    await b.send("tadm", "停用 13800000007");
    const r = await one(b.send("u1", "确认"));
    expect(r).toContain("你的账号已停用");
    expect(r).toContain("「隐患上报」没有提交，填写的内容未保存。");
    expect(await b.app.store.db.hazard.count()).toBe(0);
    expect(await b.app.store.db.flowSession.count({ where: { senderId: "u1" } })).toBe(0);
    expect(await reasons(b, "u1")).toEqual(["hazard.report:inactive"]);
  });

  it("an account unbound mid-dialog cannot submit either", async () => {
    const b = await bot();
    await b.send("chen", "值班报告");
    await b.send("chen", "正常");
    await b.send("tadm", "解绑 13800000006");
    // The next answer already meets the refusal: the dialog ends there, nothing saved.
    const r = await one(b.send("chen", "跳过"));
    expect(r).toContain("请先绑定身份");
    expect(r).toContain("「值班报告」没有提交，填写的内容未保存。");
    expect(await b.app.store.db.flowSession.count({ where: { senderId: "chen" } })).toBe(0);
    expect(await b.app.store.db.noonReport.count()).toBe(0);
  });
});

describe("evidence visible to those who need it, to nobody else", () => {
  it("隐患 YH-… 照片 goes privately to a verifier in scope, and is refused to others", async () => {
    const b = await bot();
    const photo = await tinyJpeg();
    await b.send("u1", "隐患 泡里村加油站 灭火器过期 一般 3天");
    for (const a of ["加油站东侧", "", "完成", "加油站", "跳过", "确认"]) await b.send("u1", a, a === "" ? { attachments: [{ kind: "photo", path: photo }] } : {});
    const h = await b.app.store.db.hazard.findFirstOrThrow();
    expect(JSON.parse(h.photos)).toEqual([photo]);
    const asked = await b.send("lz", `隐患 ${h.number} 照片`, { group: true, chat: "泡里村网格群" });
    expect(asked.filter((m) => m.chatId === "泡里村网格群").map((m) => m.text)).toEqual([`${h.number} 共1张照片，已私聊发给你（群里不发照片）。`]);
    expect(asked.filter((m) => m.chatId === "lz").map((m) => [m.text, m.image])).toEqual([[`${h.number} 照片 1/1`, photo]]);
    expect(await one(b.send("zq", `隐患 ${h.number} 照片`))).toContain("的照片只发给复查人、辖区领导和上报人、整改责任人本人"); // another grid member
    expect(await one(b.send("wf", `隐患 ${h.number} 照片`))).toContain("只能用于你的辖区");
    expect([...(await reasons(b, "zq")), ...(await reasons(b, "wf"))]).toEqual(["hazard.photos:role", "hazard.photos:scope"]);
  });

  it("media files are 0600, named by content not by the sender, and pruned after the retention", async () => {
    const dir = tmpDir();
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const f = await saveMedia(dir, png, "text/csv"); // declared wrongly: the bytes say png
    expect(path.extname(f.path)).toBe(".png");
    expect(fs.statSync(f.path).mode & 0o777).toBe(0o600);
    const csvFile = await saveMedia(dir, Buffer.from("姓名,手机号\n"), "text/csv");
    expect(path.extname(csvFile.path)).toBe(".csv");
    expect(path.extname((await saveMedia(dir, Buffer.from("x"), undefined)).path)).toBe(".bin");
    const old = new Date(Date.now() - 40 * 86_400_000);
    fs.utimesSync(f.path, old, old);
    expect(pruneMedia(dir, new Date(), 30)).toBe(1);
    expect(fs.existsSync(f.path)).toBe(false);
    expect(fs.existsSync(csvFile.path)).toBe(true);
  });

  it("mobiles typed in the bind dialog are masked in the audit log", async () => {
    const b = await bot();
    await selfBind(b, "newbie", "黄丽", "13800000008");
    // The roster's own rows (person.create) carry the mobile by design; what the dialog left must not.
    const rows = await b.app.store.db.auditLog.findMany({ where: { NOT: { action: { startsWith: "person." } } } });
    expect(rows.some((r) => `${r.before}${r.after}`.includes("13800000008"))).toBe(false);
    expect(rows.some((r) => `${r.before}`.includes("138****0008"))).toBe(true);
  });
});

describe("the policy table", () => {
  it("ranks roles so that nobody grants above their own", () => {
    const admin = { personId: 1, regionPath: "示范县", roles: ["管理员"], active: true };
    expect(can(admin, "org.person.change", { regions: ["示范县/渠阳镇"], roles: ["网格员"] })).toEqual({ ok: true });
    expect(can(admin, "org.person.change", { regions: ["示范县/渠阳镇"], roles: ["局领导"] })).toEqual({ ok: false, reason: "rank" });
    expect(can({ ...admin, roles: ["管理员", "局领导"] }, "org.person.change", { roles: ["局领导"] })).toEqual({ ok: true });
    // What it becomes counts as much as what it is.
    expect(can({ ...admin, regionPath: "示范县/渠阳镇" }, "org.person.change", { regions: ["示范县/渠阳镇"], next: ["示范县"] })).toEqual({ ok: false, reason: "scope" });
  });
});
