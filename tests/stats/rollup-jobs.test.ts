/**
 * The scheduled rollups: every Monday last week's 周报, on the 1st last month's 月报,
 * to each registered 领导群 for its own region — text, chart and .xlsx together.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { ensureRegionPath, registerGroup } from "../../src/features/org/repo.js";
import { startBot, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});

describe("scheduled rollups", () => {
  it("posts the weekly and the monthly report to each leaders' group, for its region", async () => {
    b = await startBot({ now: new Date("2026-11-28T12:00:00+08:00"), env: { DATA_DIR: tmpDir() } }); // a Saturday
    const db = b.app.store.db;
    await db.$transaction(async (tx) => {
      for (const [chatId, path] of [["县领导群", "示范县"], ["渠阳镇领导群", "示范县/渠阳镇"]] as const) {
        await registerGroup(tx, { channel: "memory", chatId, regionId: (await ensureRegionPath(tx, path)).id, purpose: "领导群", actor: "test" }, b.clock.now());
      }
    });
    const reporter = await db.person.findUniqueOrThrow({ where: { mobile: "13800000007" } });
    const add = (regionPath: string, at: string) => db.hazard.create({ data: {
      number: `YH-J-${at}-${regionPath.length}`, reporterId: reporter.id, responsibleId: reporter.id, regionId: reporter.regionId, regionPath, place: "某处", sector: "工贸",
      description: "测试", level: "一般", responsibleUnit: "某单位", deadline: "2026-12-31", status: "待整改", createdAt: new Date(at), updatedAt: new Date(at),
    } });
    await add("示范县/渠阳镇/泡里村/网格1", "2026-11-24T10:00:00+08:00");
    await add("示范县/甘溪乡/甘溪村/网格1", "2026-11-26T10:00:00+08:00");

    // Monday 30 November 08:00: last week (23–29 November).
    const mine = (m: { chatId: string }) => m.chatId === "县领导群" || m.chatId === "渠阳镇领导群"; // the demo bureau has its own 领导群 too
    const monday = (await b.advance(44 * 3600_000)).filter((m) => mine(m) && m.text.startsWith("【周报】"));
    expect(monday.map((m) => [m.chatId, m.text.split("\n")[0]])).toEqual([
      ["县领导群", "【周报】示范县 2026-11-23至2026-11-29"],
      ["渠阳镇领导群", "【周报】示范县/渠阳镇 2026-11-23至2026-11-29"],
    ]);
    const county = monday[0]!;
    expect(county.text).toContain("排查隐患2处");
    expect(county.text).toContain("· 渠阳镇｜1｜0｜0.0%");
    expect(monday[1]!.text).toContain("排查隐患1处"); // the township's own, not the county's
    expect(fs.readFileSync(county.image!).subarray(1, 4).toString()).toBe("PNG");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(county.file!) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["分乡镇", "分行业", "巡查值班叫应", "预警", "报告"]);
    const units = wb.getWorksheet("分乡镇")!;
    const cells = (n: number) => [1, 2, 3, 4].map((c) => units.getRow(n).getCell(c).text);
    expect([2, 3, 4, 5].map(cells)).toEqual([["双江镇", "0", "0", "—"], ["渠阳镇", "1", "0", "0.0%"], ["甘溪乡", "1", "0", "0.0%"], ["合计", "2", "0", "0.0%"]]);
    expect(wb.getWorksheet("报告")!.getRow(1).getCell(1).text).toBe("【周报】示范县 2026-11-23至2026-11-29");

    // Tuesday 1 December 08:30: November's report, once.
    const december = (await b.advance((24 + 0.5) * 3600_000)).filter((m) => mine(m) && m.text.startsWith("【月报】"));
    expect(december.map((m) => [m.chatId, m.text.split("\n")[0]])).toEqual([
      ["县领导群", "【月报】示范县 2026年11月"],
      ["渠阳镇领导群", "【月报】示范县/渠阳镇 2026年11月"],
    ]);
    expect((await b.advance(24 * 3600_000)).filter((m) => mine(m) && (m.text.startsWith("【月报】") || m.text.startsWith("【周报】")))).toEqual([]);
  });
});
