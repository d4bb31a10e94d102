import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseHandover, parseShift, validateDutyRoster } from "../../src/features/duty/rules.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});
const MIN = 60_000;
// duty 王秀英 (示范县 duty officer), chen 陈红 (渠阳镇 duty officer), lwd 李卫东 (county leader on duty),
// lz 刘志强 (渠阳镇 leader), adm 赵敏 (county admin).
const BIND = { duty: "13800000003", chen: "13800000006", lwd: "13800000002", lz: "13800000005", adm: "13800000004" };
// What the bot answered in the sender's own chat (messages to others are checked separately).
const say = async (from: string, text: string, o: Parameters<TestBot["send"]>[2] = {}) => texts((await b.send(from, text, o)).filter((m) => m.chatId === (o.chat ?? (o.group ? "group-1" : `dm-${from}`)))).join("\n");
const now = new Date("2026-11-25T07:00:00+08:00");

describe("duty roster", () => {
  it("reads shifts like 08:30-次日08:30", () => {
    expect(parseShift("2026-11-25", "08:30-次日08:30")).toEqual({ startAt: new Date("2026-11-25T00:30:00Z"), endAt: new Date("2026-11-26T00:30:00Z") });
    expect(parseShift("2026-11-25", "08:30—17:30")).toEqual({ startAt: new Date("2026-11-25T00:30:00Z"), endAt: new Date("2026-11-25T09:30:00Z") });
    expect(parseShift("2026-11-25", "17:30-08:30")).toBeNull();
    expect(parseHandover("正常 待办：催收泡里村隐患整改；核实甘溪村险情")).toEqual({ note: "正常", openItems: ["催收泡里村隐患整改", "核实甘溪村险情"] });
  });

  it("imports a 排班表 file: good rows in, bad rows reported with number and reason", async () => {
    b = await startBot({ bind: BIND, now });
    const f = path.join(tmpDir(), "排班表.csv");
    fs.writeFileSync(f, [
      "日期,班次,值班员,带班领导",
      "2026-11-25,08:30-次日08:30,王秀英,李卫东",
      "11月26日,08:30-次日08:30,王秀英,李卫东",
      "2026-11-27,08:30-次日08:30,王不存在,李卫东",
      "2026-11-28,全天,王秀英,李卫东",
      "2月30日,08:30-次日08:30,王秀英,李卫东",
      "2026-11-29,08:30-次日08:30,王秀英,陈红",
    ].join("\n"));
    await say("adm", "导入排班表");
    const r = await say("adm", "", { attachments: [{ kind: "file", path: f, name: "排班表.csv" }] });
    expect(r).toContain("新增2个班次，更新0个；有问题的行4行未导入");
    expect(r).toContain("第4行：“王不存在”不在花名册");
    expect(r).toContain("第5行：班次“全天”应写作 08:30-次日08:30 或 08:30-17:30");
    expect(r).toContain("第6行：日期“2月30日”无法识别");
    expect(r).toContain("第7行：“陈红”不是局领导/带班领导");
    expect(await b.app.store.db.dutyShift.count()).toBe(2);
    expect(() => validateDutyRoster([["日期", "值班员", "班次", "带班领导"]], now)).toThrow(expect.objectContaining({ say: expect.objectContaining({ key: "roster.bad_header" }) }));
    expect(await say("chen", "导入排班表")).toContain("你没有使用「导入排班表」的权限");
  });
});

describe("a duty day (fake clock)", () => {
  it("reminds, takes sign-ins on time and late, escalates a missing one, confirms the noon report, carries the handover", async () => {
    b = await startBot({ bind: BIND, now });
    expect(await say("adm", "排班 2026-11-25 08:30-次日08:30 王秀英 李卫东")).toContain("新增1个班次");
    await say("adm", "排班 2026-11-25 08:30-次日08:30 陈红 刘志强");
    await say("adm", "排班 2026-11-26 08:30-次日08:30 王秀英 李卫东");

    let out = await b.advance(60 * MIN); // 08:00: 30 min before
    expect(out.filter((m) => m.text.startsWith("⏰ 值班提醒")).map((m) => m.chatId).sort()).toEqual(["chen", "duty"]);
    b.clock.advance(5 * MIN);
    expect(await say("duty", "签到")).toBe("签到成功。本班 2026-11-25 08:30 至 2026-11-26 08:30，带班领导：李卫东。");
    expect(await say("duty", "签到")).toContain("已经为 2026-11-25 08:30 开始的班次签到过了");

    out = await b.advance(40 * MIN); // 08:45: grace over
    expect(out.filter((m) => m.text.startsWith("⚠️")).map((m) => m.chatId)).toEqual(["chen"]);
    out = await b.advance(15 * MIN); // 09:00: 30 min, still nobody in 渠阳镇 → its leader on duty
    const esc = out.filter((m) => m.text.startsWith("🔴"));
    expect(esc.map((m) => [m.chatId, m.text])).toEqual([["lz", "🔴 示范县/渠阳镇 08:30 开始的值班至今无人签到（值班员：陈红），请带班领导核实。"]]);
    b.clock.advance(10 * MIN);
    expect(await say("chen", "签到")).toBe("已签到（迟到）。本班 2026-11-25 08:30 至 2026-11-26 08:30，带班领导：刘志强。");
    const signins = await b.app.store.db.dutyEvent.findMany({ where: { kind: "signin" }, orderBy: { id: "asc" } });
    expect(signins.map((e) => e.late)).toEqual([false, true]);

    // Noon report: 确认 inside the dialog answers its summary; outside, it is the leader's command.
    expect(await say("duty", "值班报告")).toContain("今日值班值守情况");
    await say("duty", "正常");
    await say("duty", "跳过");
    expect(await say("duty", "跳过")).toContain("请核对「值班报告」");
    const sent = await b.send("duty", "确认");
    expect(texts(sent)).toContain("值班报告已报送，已请带班领导李卫东确认。");
    expect(sent.find((m) => m.chatId === "lwd")?.text).toBe("【值班报告】示范县 值班员王秀英报送：正常（无）。请发送「确认」确认。");
    expect(await say("lz", "确认")).toBe("目前没有等你确认的值班报告。");
    expect(await say("lwd", "确认")).toBe("已确认 示范县 今日值班报告（正常）。");
    // 确认 from someone with nothing to confirm reads as an answer with no question, not as "no permission".
    expect(await say("duty", "确认")).toContain("你现在没有正在填写的内容");
    const noon = await b.app.store.db.noonReport.findFirstOrThrow();
    expect(noon.confirmedAt).not.toBeNull();

    // 渠阳镇 files nothing: reminder at 11:30, its leader told at 12:00.
    out = await b.advance(2 * 60 * MIN + 20 * MIN); // 09:10 → 11:30
    expect(out.filter((m) => m.text.startsWith("⏰ 请在 12:00 前")).map((m) => m.chatId)).toEqual(["chen"]);
    out = await b.advance(30 * MIN); // 12:00
    expect(out.filter((m) => m.text.startsWith("🔴")).map((m) => [m.chatId, m.text])).toEqual([["lz", "🔴 示范县/渠阳镇 今日值班报告 12:00 前未报送（值班员：陈红），请带班领导督促。"]]);

    // Handover with open items, seen at the next shift's sign-in.
    b.clock.set(new Date("2026-11-26T08:20:00+08:00"));
    expect(await say("duty", "交班 正常 待办：催收泡里村隐患整改；核实甘溪村险情")).toBe("交班已记录，移交待办2项，下一班签到时会看到。");
    b.clock.set(new Date("2026-11-26T08:31:00+08:00"));
    expect(await say("duty", "签到")).toBe("签到成功。本班 2026-11-26 08:30 至 2026-11-27 08:30，带班领导：李卫东。\n上一班交班：正常；移交待办2项：\n· 待办：催收泡里村隐患整改\n· 待办：核实甘溪村险情");
  });

  it("swaps a shift only with the leader on duty's confirmation", async () => {
    b = await startBot({ bind: BIND, now });
    await say("adm", "排班 2026-11-26 08:30-次日08:30 王秀英 李卫东");
    // A county officer at the county bureau (a colleague on the same roster) and the account bound to her.
    const county = await b.app.store.db.region.findUniqueOrThrow({ where: { path: "示范县" } });
    const he = await b.app.store.db.person.create({ data: { name: "何静", mobile: "13800000099", regionId: county.id, createdAt: now, updatedAt: now, roles: { create: [{ role: "值班员" }] } } });
    await b.app.store.db.chatIdentity.create({ data: { channel: "memory", platformUserId: "he", personId: he.id, boundAt: now, boundBy: "test" } });
    // 陈红 is 渠阳镇's officer: a county shift is not hers to take, and the refusal is audited.
    expect(await say("duty", "换班 11月26日 陈红")).toBe("陈红（示范县/渠阳镇）不是本单位（示范县）的值班员，不能换班。");
    expect(await b.app.store.db.auditLog.count({ where: { action: "command.denied", actor: "memory:duty", entity: "duty" } })).toBe(1);
    const asked = await b.send("duty", "换班 11月26日 何静");
    expect(texts(asked.filter((m) => m.chatId === "dm-duty"))).toEqual(["换班申请 #1 已提交，等待带班领导李卫东确认。"]);
    expect(asked.find((m) => m.chatId === "lwd")!.text).toBe("【换班申请 #1】王秀英 申请把 2026-11-26 08:30 开始的值班换给 何静。同意请回复「同意换班 1」，不同意回复「拒绝换班 1」。");
    expect(await say("duty", "换班 11月27日 何静")).toBe("2026-11-27 的排班表中没有你的班次。");
    expect(await say("duty", "换班 11月26日 杨波")).toBe("“杨波”不是可以换班的值班员。");
    expect(await say("lz", "同意换班 1")).toBe("换班申请 #1 需由该班带班领导李卫东确认，你不能办理。"); // not this shift's leader
    expect(await say("lz", "同意换班")).toBe("现在没有等你确认的换班申请。");
    const ok = await b.send("lwd", "同意换班"); // the one request waiting for him
    expect(ok.find((m) => m.chatId === "dm-lwd")!.text).toBe("换班申请 #1 已同意：2026-11-26 08:30 开始的值班由 王秀英 换为 何静。");
    expect(ok.filter((m) => m.chatId !== "dm-lwd").map((m) => m.chatId).sort()).toEqual(["duty", "he"]);
    expect(await say("lwd", "拒绝换班 1")).toBe("换班申请 #1 已经处理过了。");
    b.clock.set(new Date("2026-11-26T08:25:00+08:00"));
    expect(await say("he", "签到")).toContain("签到成功。本班 2026-11-26 08:30");
    expect(await say("duty", "签到")).toContain("没有值班");
  });

  it("tells people off duty so", async () => {
    b = await startBot({ bind: BIND, now });
    expect(await say("duty", "签到")).toBe("排班表中你现在没有值班（或班次尚未开始）。如有疑问请联系管理员。");
  });
});
