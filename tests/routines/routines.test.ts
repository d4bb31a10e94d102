import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers/tmp.js";
import { dayInfo, EMPTY_CALENDAR, nextYearMissing } from "../../src/domain/calendar.js";
import { parseQuickPatrol, phaseTimes, windowKeyFor } from "../../src/features/routines/rules.js";
import { loadBotConfig } from "../../src/config/bot-config.js";
import { projectPath } from "../../src/paths.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";

let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});
const MIN = 60_000, HOUR = 60 * MIN;
// u1 杨波 and a 黄丽: 泡里村 (the demo 泡里村网格群); u2 周强: 高坪村; b 郑伟: 甘溪乡; lz 刘志强: 渠阳镇 leader;
// duty 王秀英 and chen 陈红: duty officers; adm 赵敏: county admin.
const BIND = { u1: "13800000007", a: "13800000008", u2: "13800000009", b: "13800000011", lz: "13800000005", duty: "13800000003", chen: "13800000006", adm: "13800000004" };
const say = async (from: string, text: string) => texts(await b.send(from, text)).join("\n");

describe("calendar", () => {
  it("knows 2026's holidays and make-up workdays from chinese-days", () => {
    expect(dayInfo("2026-10-01", EMPTY_CALENDAR)).toMatchObject({ holiday: true, workday: false, holidayName: "国庆节", source: "library" });
    expect(dayInfo("2026-10-10", EMPTY_CALENDAR)).toMatchObject({ holiday: false, workday: true, source: "library" }); // 调休 Saturday
    expect(dayInfo("2026-11-28", EMPTY_CALENDAR)).toMatchObject({ holiday: false, workday: false }); // an ordinary Saturday
  });

  it("takes later years from configuration, and says when next year is missing", () => {
    expect(dayInfo("2027-01-01", EMPTY_CALENDAR)).toMatchObject({ workday: true, source: "weekday" }); // no data: a plain Friday
    const cfg = { ...EMPTY_CALENDAR, holidays: { "2027-01-01": "元旦" }, workdays: { "2027-02-20": "春节调休" }, keyPeriods: [{ name: "两会", from: "2027-03-03", to: "2027-03-12" }] };
    expect(dayInfo("2027-01-01", cfg)).toMatchObject({ holiday: true, holidayName: "元旦", source: "config" });
    expect(dayInfo("2027-02-20", cfg)).toMatchObject({ workday: true, source: "config" });
    expect(dayInfo("2027-03-05", cfg)).toMatchObject({ keyPeriod: "两会" });
    expect(nextYearMissing("2026-12-01", EMPTY_CALENDAR)).toBe(2027);
    expect(nextYearMissing("2026-12-01", cfg)).toBeNull();
    expect(nextYearMissing("2026-11-30", EMPTY_CALENDAR)).toBeNull(); // only asked in December
  });
});

describe("routine rules", () => {
  it("gives each region its own window, the most specific one winning", () => {
    const cfg = { days: "daily" as const, open: "08:00", close: "20:00", regions: { "示范县/甘溪乡": { open: "08:30", close: "19:00", remind: "09:00" }, "示范县/甘溪乡/甘溪村": { open: "07:00", close: "18:00", nag: "17:00" } } };
    expect(windowKeyFor("示范县/渠阳镇/泡里村/网格1", cfg)).toBe("*");
    expect(windowKeyFor("示范县/甘溪乡/某村/网格1", cfg)).toBe("示范县/甘溪乡");
    expect(windowKeyFor("示范县/甘溪乡/甘溪村/网格1", cfg)).toBe("示范县/甘溪乡/甘溪村");
    expect(windowKeyFor("示范县/甘溪乡二", cfg)).toBe("*");
    const t = phaseTimes(cfg.regions["示范县/甘溪乡"], "2026-11-25");
    expect([t.open, t.nag, t.close].map((d) => d.toISOString())).toEqual(["2026-11-25T01:00:00.000Z", "2026-11-25T08:54:00.000Z", "2026-11-25T11:00:00.000Z"]);
    expect(phaseTimes(cfg.regions["示范县/甘溪乡/甘溪村"], "2026-11-25").nag.toISOString()).toBe("2026-11-25T09:00:00.000Z");
  });

  it("puts the nag at 80 % of the window", () => {
    const t = phaseTimes({ open: "08:00", close: "20:00" }, "2026-11-25");
    expect(t.nag.toISOString()).toBe("2026-11-25T09:36:00.000Z"); // 17:36 Shanghai
  });
  it.each([
    ["正常", { patrolled: true, visited: 0, hazards: 0 }],
    ["检查5家 发现隐患1处", { patrolled: true, visited: 5, hazards: 1 }],
    ["走访3家", { patrolled: true, visited: 3, hazards: 0 }],
    ["未巡查 下大雨", { patrolled: false, visited: 0, hazards: 0, notes: "下大雨" }],
    ["今天去了镇上", null],
    // As people type it (issue 14).
    ["检查5家企业 发现2处隐患", { patrolled: true, visited: 5, hazards: 2 }],
    ["检查五家 发现隐患一处", { patrolled: true, visited: 5, hazards: 1 }],
    ["检查五家，无隐患", { patrolled: true, visited: 5, hazards: 0 }],
    ["巡查正常", { patrolled: true, visited: 0, hazards: 0 }],
    ["今天巡查正常", { patrolled: true, visited: 0, hazards: 0 }],
    ["今天巡查了5家企业，发现隐患1处", { patrolled: true, visited: 5, hazards: 1 }],
    ["巡查了十家 查出3个隐患", { patrolled: true, visited: 10, hazards: 3 }],
    ["正常。", { patrolled: true, visited: 0, hazards: 0 }],
    ["一切正常👍", { patrolled: true, visited: 0, hazards: 0 }],
    ["未发现隐患", { patrolled: true, visited: 0, hazards: 0 }],
    ["３家 隐患０处", { patrolled: true, visited: 3, hazards: 0 }],
    ["没巡查，下雨", { patrolled: false, visited: 0, hazards: 0, notes: "下雨" }],
    ["路上有点堵", null],
  ])("reads the one-message patrol %s", (s, want) => {
    expect(parseQuickPatrol(s)).toEqual(want);
  });
  it("refuses a config whose window is upside down", () => {
    const cfg = { routines: { patrol: { regions: { "示范县/甘溪乡": { open: "19:00", close: "08:00" } } } } };
    const f = path.join(tmpDir(), "bad.json");
    fs.writeFileSync(f, JSON.stringify(cfg));
    expect(() => loadBotConfig(f)).toThrow(/routines\.patrol\.regions\.示范县\/甘溪乡：应满足 open < nag < close/);
    expect(loadBotConfig().routines.patrol).toMatchObject({ open: "08:00", close: "20:00" });
  });
});

describe("the patrol day (fake clock)", () => {
  it("opens, nags exactly the non-reporters at 80 %, summarises at the close and records misses", async () => {
    b = await startBot({ bind: BIND, now: new Date("2026-11-25T07:00:00+08:00") });
    let out = await b.advance(HOUR); // 08:00
    const open = out.filter((m) => m.chatId === "泡里村网格群");
    expect(texts(open)).toEqual(["【巡查日报】今日巡查日报开始报送，请各网格员在 20:00 前发送「巡查」报送（如：巡查 正常）。"]);

    expect(await say("u1", "巡查 正常")).toBe("今日巡查日报已报送：检查0家，发现隐患0处。");
    out = await b.advance(9 * HOUR + 36 * MIN); // 17:36
    expect(out.find((m) => m.chatId === "泡里村网格群")!.text).toBe("【巡查日报】还有1人未报送：黄丽。请在 20:00 前报送。");
    // (the window and its times come from the config defaults (features/routines/config.ts): 08:00–20:00, nag at 80 %)
    expect(out.filter((m) => m.text.startsWith("「巡查日报」还没有报送")).map((m) => m.chatId).sort()).toEqual(["a", "b", "u2"]);

    // 黄丽 reports through the dialog before the close.
    await say("a", "巡查");
    await say("a", "是");
    await say("a", "3");
    await say("a", "渠阳加油站、泡里村小学、村卫生室");
    await say("a", "1");
    await say("a", "跳过");
    await say("a", "跳过");
    const [done] = await b.send("a", "确认");
    expect(done!.text).toBe("今日巡查日报已报送：检查3家，发现隐患1处。\n发现的1处隐患请逐条发送「上报隐患」登记，便于跟踪整改。");
    expect(done!.choices).toEqual(["上报隐患"]); // one press starts the hazard report
    expect(await say("a", "1")).toContain("隐患在哪里");
    await say("a", "取消");

    out = await b.advance(2 * HOUR + 24 * MIN); // 20:00
    expect(out.find((m) => m.chatId === "泡里村网格群")!.text).toBe("【巡查日报】2026-11-25 应报2人，已报2人。\n已报：杨波、黄丽\n未报：无");
    expect(out.find((m) => m.chatId === "lz")!.text).toBe("【巡查日报】示范县/渠阳镇 2026-11-25：应报3人，已报2人\n· 泡里村：2/2，未报：—\n· 高坪村：0/1，未报：周强");
    const rows = await b.app.store.db.routineReport.findMany({ where: { routine: "patrol", date: "2026-11-25" }, orderBy: { personId: "asc" } });
    const names = new Map((await b.app.store.db.person.findMany()).map((p) => [p.id, p.name]));
    expect(rows.map((r) => [names.get(r.personId), r.status])).toEqual([["杨波", "reported"], ["黄丽", "reported"], ["周强", "missed"], ["郑伟", "missed"]]);

    // A late report after the close is kept, marked late.
    expect(await say("u2", "巡查 检查2家")).toBe("今日巡查日报已报送：检查2家，发现隐患0处。\n（已超过截止时间，按迟报记录。）");
    const late = await b.app.store.db.routineReport.findFirstOrThrow({ where: { routine: "patrol", personId: rows[2]!.personId } });
    expect(late).toMatchObject({ status: "reported", late: true });
    // Each phase happens once.
    expect((await b.advance(HOUR)).filter((m) => m.chatId === "泡里村网格群")).toEqual([]);
  });

  it("lets only grid members file a patrol report", async () => {
    b = await startBot({ bind: BIND });
    expect(await say("duty", "巡查 正常")).toContain("你没有使用「巡查」的权限");
  });
});

describe("零报告 on holidays", () => {
  it("requires it on 2026-10-01 and not on the 调休 Saturday 2026-10-10", async () => {
    b = await startBot({ bind: BIND, now: new Date("2026-10-01T07:00:00+08:00") });
    let out = await b.advance(HOUR);
    expect(out.find((m) => m.chatId === "县应急局值班群")!.text).toBe("【零报告】今天是节假日/重点时段，请各单位值班员在 12:00 前发送「零报告」。");
    expect(await say("duty", "零报告 无")).toBe("今日零报告已报送。");
    out = await b.advance(3 * HOUR); // 11:00 — 80 % of 08:00–12:00 is 11:12
    out = await b.advance(12 * MIN);
    expect(out.find((m) => m.chatId === "县应急局值班群")!.text).toBe("【零报告】还有1人未报送：陈红。请在 12:00 前报送。");
    out = await b.advance(48 * MIN);
    expect(out.find((m) => m.chatId === "县应急局值班群")!.text).toBe("【零报告】2026-10-01 应报2人，已报1人。\n已报：王秀英\n未报：陈红");
    // Nine days on: the make-up Saturday is a workday, not a holiday: no 零报告 window.
    out = await b.advance(9 * 24 * HOUR - 4 * HOUR); // 2026-10-10 08:00
    expect(out.filter((m) => m.text.startsWith("【零报告】") && m.text.includes("2026-10-10"))).toEqual([]);
    const opened = await b.app.store.db.routinePhase.findMany({ where: { routine: "zero" }, select: { date: true }, distinct: ["date"] });
    expect(opened.map((p) => p.date)).toEqual(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]);
  });

  it("asks for details when there is something to report", async () => {
    b = await startBot({ bind: BIND, now: new Date("2026-10-02T09:00:00+08:00") });
    expect(await say("duty", "零报告")).toContain("是否无事故、无险情");
    await say("duty", "否");
    await say("duty", "渠阳镇一处民房漏雨，已安排转移1户3人");
    expect(await say("duty", "确认")).toBe("今日情况已报送。");
  });
});

describe("calendar check in December", () => {
  it("tells the county admins that next year's calendar is missing", async () => {
    b = await startBot({ bind: BIND, now: new Date("2026-12-01T08:00:00+08:00") });
    const out = await b.advance(HOUR + MIN);
    const warn = out.filter((m) => m.text.startsWith("提醒：系统还没有2027年"));
    expect(warn.map((m) => m.chatId)).toEqual(["adm"]);
  });
});
