/**
 * "谁没签到", "今天谁没报", "这次预警叫应率": names, not only figures — within the
 * asker's region.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot;
const HINT = "（回复「导出」可下载这次统计的Excel表格）";
/** The reply's lines (one message holds them all), without the closing export hint every stats reply ends with. */
const ask = async (who: string, text: string) => {
  const lines = texts(await b.send(who, text)).join("\n").split("\n");
  expect(lines.at(-1)).toBe(HINT);
  return lines.slice(0, -1);
};
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});

describe("who has not", () => {
  it("names the shifts nobody signed in to, begun ones only", async () => {
    b = await startBot({ now: new Date("2026-11-25T10:00:00+08:00"), bind: { zj: "13800000001", lz: "13800000005", wx: "13800000003" }, env: { DATA_DIR: tmpDir() } });
    expect((await ask("zj", "今天谁没签到"))[1]).toBe("这段时间没有排班记录（管理员可发送「导入排班表」或「排班」安排值班）。");
    const db = b.app.store.db;
    const person = (m: string) => db.person.findUniqueOrThrow({ where: { mobile: m } });
    const [wang, li, chen, liu] = await Promise.all(["13800000003", "13800000002", "13800000006", "13800000005"].map(person));
    const shift = (regionPath: string, start: string, end: string, officer: number, leader: number) => db.dutyShift.create({ data: {
      date: start.slice(0, 10), startAt: new Date(start), endAt: new Date(end), regionPath, officerIds: `,${officer},`, leaderId: leader, createdAt: b.clock.now(), updatedAt: b.clock.now(),
    } });
    await shift("示范县", "2026-11-25T08:30:00+08:00", "2026-11-25T17:30:00+08:00", wang!.id, li!.id); // county, begun, not signed
    await shift("示范县", "2026-11-25T17:30:00+08:00", "2026-11-26T08:30:00+08:00", wang!.id, li!.id); // not begun yet
    const town = await shift("示范县/渠阳镇", "2026-11-25T08:30:00+08:00", "2026-11-25T17:30:00+08:00", chen!.id, liu!.id);
    expect((await ask("zj", "今天谁没签到"))).toEqual([
      "示范县 2026-11-25：值班3班次，已签到0班次（迟到0），签到率0.0%。",
      "未签到2班次：11-25 08:30 王秀英（带班领导李卫东）、11-25 08:30 陈红（带班领导刘志强）",
    ]);
    // The township leader sees the township's shift only; once signed in, nobody is missing.
    expect((await ask("lz", "今天谁没签到"))[1]).toBe("未签到1班次：11-25 08:30 陈红（带班领导刘志强）");
    await db.dutyEvent.create({ data: { shiftId: town.id, personId: chen!.id, kind: "signin", at: b.clock.now() } });
    expect((await ask("lz", "今天谁没签到"))[1]).toBe("已开始的班次都已签到。");
  });

  it("names grid members who have not reported today, and past misses with their count", async () => {
    b = await startBot({ now: new Date("2026-11-25T18:30:00+08:00"), bind: { lz: "13800000005", zj: "13800000001" }, env: { DATA_DIR: tmpDir() } });
    const db = b.app.store.db;
    const yang = await db.person.findUniqueOrThrow({ where: { mobile: "13800000007" }, include: { region: true } });
    const huang = await db.person.findUniqueOrThrow({ where: { mobile: "13800000008" }, include: { region: true } });
    const zhou = await db.person.findUniqueOrThrow({ where: { mobile: "13800000009" }, include: { region: true } });
    for (const date of ["2026-11-23", "2026-11-24"]) {
      await db.routineReport.create({ data: { routine: "patrol", date, personId: huang.id, regionPath: huang.region.path, status: "missed" } });
      await db.routineReport.create({ data: { routine: "patrol", date, personId: yang.id, regionPath: yang.region.path, status: "reported" } });
    }
    await db.routineReport.create({ data: { routine: "patrol", date: "2026-11-24", personId: zhou.id, regionPath: zhou.region.path, status: "missed" } });
    // Before today's window opens nobody is "not yet reported" for today.
    expect((await ask("lz", "本周谁没报巡查"))[1]).toBe("未报送2人：黄丽（泡里村，漏报2次）、周强（高坪村）");
    // The compliance sheet of its export, per village of the township.
    const [x] = await b.send("lz", "导出");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(x!.file!) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("巡查值班叫应")!;
    const rows = [2, 3, 4].map((n) => [1, 2, 3, 4].map((c) => ws.getRow(n).getCell(c).text));
    expect(rows).toEqual([["泡里村", "2", "2", "50.0%"], ["高坪村", "0", "1", "0.0%"], ["合计", "2", "3", "40.0%"]]);
    await db.routinePhase.create({ data: { routine: "patrol", date: "2026-11-25", window: "*", phase: "open", at: b.clock.now() } });
    await db.routineReport.create({ data: { routine: "patrol", date: "2026-11-25", personId: yang.id, regionPath: yang.region.path, status: "reported" } });
    const today = (await ask("lz", "今天谁没报"));
    expect(today[0]).toBe("示范县/渠阳镇 2026-11-25：巡查日报已报1人次，漏报0人次，报送率100.0%。");
    expect(today[1]).toBe("未报送2人：黄丽（泡里村，今日未报）、周强（高坪村，今日未报）");
    // Regions may have their own window: 高坪村's has not opened yet, so 周强 is not yet "今日未报";
    // once the default window closes, 黄丽 is no longer pending today (the close records her miss).
    const { patrolMissing } = await import("../../src/features/stats/repo.js");
    const { parsePeriod } = await import("../../src/domain/period.js");
    const cfg = { days: "daily" as const, open: "08:00", close: "20:00", regions: { "示范县/渠阳镇/高坪村": { open: "19:00", close: "21:00" } } };
    const names = async () => (await patrolMissing(db, "示范县/渠阳镇", parsePeriod("今天", b.clock.now())!, b.clock.now(), cfg)).filter((m) => m.today).map((m) => m.name);
    expect(await names()).toEqual(["黄丽"]);
    await db.routinePhase.create({ data: { routine: "patrol", date: "2026-11-25", window: "示范县/渠阳镇/高坪村", phase: "open", at: b.clock.now() } });
    expect(await names()).toEqual(["黄丽", "周强"]);
    await db.routinePhase.create({ data: { routine: "patrol", date: "2026-11-25", window: "*", phase: "close", at: b.clock.now() } });
    expect(await names()).toEqual(["周强"]);
  });

  it("answers 这次预警叫应率 with the latest warning's status inside the asker's region", async () => {
    b = await startBot({ now: new Date("2026-11-25T10:00:00+08:00"), bind: { lz: "13800000005", gx: "13800000010" }, env: { DATA_DIR: tmpDir() } });
    expect((await ask("lz", "这次预警叫应率"))).toEqual(["示范县/渠阳镇 近期没有发布过预警。"]);
    const db = b.app.store.db;
    const w = await db.warning.create({ data: {
      number: "YJ-20261125-01", type: "暴雨", level: "橙", text: "暴雨橙色预警", regionPaths: JSON.stringify(["示范县"]), roles: "[]", response: "", issuerId: 1,
      createdAt: b.clock.now(), recallMinutes: 30, cycles: 3, escalateAfter: 2, cycle: 1, lastCycleAt: b.clock.now(), endsAt: new Date("2026-11-26T10:00:00+08:00"), status: "active",
    } });
    const people = await db.person.findMany({ where: { mobile: { in: ["13800000007", "13800000008", "13800000009", "13800000011"] } }, include: { region: true } });
    for (const p of people) {
      await db.warningTarget.create({ data: { warningId: w.id, personId: p.id, regionPath: p.region.path, status: p.mobile === "13800000007" ? "已确认" : "未确认", confirmedAt: p.mobile === "13800000007" ? new Date("2026-11-25T10:06:00+08:00") : null } });
    }
    const mine = (await ask("lz", "这次预警叫应率"));
    expect(mine[0]).toContain("预警 YJ-20261125-01（暴雨橙色，生效中，第1轮叫应）");
    expect(mine[0]).toContain("已确认 1/3 人，叫应率 33.3%，确认用时中位数 6分钟");
    expect(mine.slice(1)).toEqual(["· 示范县/渠阳镇/泡里村 未确认1人：黄丽", "· 示范县/渠阳镇/高坪村 未确认1人：周强"]);
  });
});
