import { afterEach, describe, expect, it } from "vitest";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { change, percent } from "../../src/features/stats/repo.js";
import { COMPLIANCE_COLUMNS, OFFICIAL_COLUMNS, WARNING_COLUMNS } from "../../src/features/stats/rollup.js";
import fs from "node:fs";
import ExcelJS from "exceljs";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});

async function hazard(region: string, createdAt: string, o: { status?: string; level?: string; deadline?: string; listed?: boolean; sector?: string; rectifiedAt?: string } = {}) {
  const db = b.app.store.db;
  const r = await db.region.findUniqueOrThrow({ where: { path: region } });
  const reporter = await db.person.findUniqueOrThrow({ where: { mobile: "13800000007" } });
  const n = await db.hazard.count();
  await db.hazard.create({ data: {
    number: `YH-TEST-${String(n + 1).padStart(4, "0")}`, reporterId: reporter.id, responsibleId: reporter.id, regionId: r.id, regionPath: region,
    place: "某处", sector: o.sector ?? "其他", description: "测试隐患", level: o.level ?? "一般", responsibleUnit: "某单位", deadline: o.deadline ?? "2026-12-31",
    status: o.status ?? "待整改", createdAt: new Date(createdAt), updatedAt: new Date(createdAt), ...(o.listed ? { supervisionLevel: "县" } : {}),
    ...(o.rectifiedAt ? { rectifiedAt: new Date(o.rectifiedAt) } : {}),
  } });
}

describe("quick stats on a hand-built dataset", () => {
  it("rounds 整改率 and words 环比 / 同比", () => {
    expect(percent(2, 3)).toBe("66.7%");
    expect(percent(1, 8)).toBe("12.5%");
    expect(percent(0, 0)).toBe("—");
    expect(change(3, 2)).toEqual({ dir: "up", pct: "50.0%" });
    expect(change(3, 4)).toEqual({ dir: "down", pct: "25.0%" });
    expect(change(2, 2)).toEqual({ dir: "flat", pct: "" });
    expect(change(2, 0)).toEqual({ dir: "none", pct: "" });
  });

  it("answers exact figures in scope, and refuses beside it", async () => {
    b = await startBot({ bind: { lz: "13800000005", zj: "13800000001", u1: "13800000007" }, env: { DATA_DIR: tmpDir() } });
    const qy = "示范县/渠阳镇/泡里村/网格1";
    await hazard(qy, "2026-10-03T10:00:00+08:00", { status: "已销号", rectifiedAt: "2026-10-06T15:00:00+08:00", sector: "工贸" });
    await hazard(qy, "2026-10-15T10:00:00+08:00", { status: "已整改", level: "重大", listed: true, rectifiedAt: "2026-10-20T15:00:00+08:00", sector: "工贸" });
    await hazard(qy, "2026-10-31T23:59:00+08:00", { deadline: "2026-11-10" }); // last minute of October; overdue now
    await hazard(qy, "2026-11-01T00:00:00+08:00"); // first minute of November: not October
    await hazard(qy, "2026-09-10T10:00:00+08:00");
    await hazard(qy, "2026-09-20T10:00:00+08:00");
    for (const d of ["2025-10-01", "2025-10-10", "2025-10-20", "2025-10-30"]) await hazard(qy, `${d}T12:00:00+08:00`);
    await hazard("示范县/甘溪乡/甘溪村/网格1", "2026-10-05T10:00:00+08:00");

    const [r] = await b.send("lz", "渠阳镇10月整改率");
    expect(r!.text).toBe("示范县/渠阳镇 2026年10月：排查隐患3处（重大1处），已整改2处，整改率66.7%，已销号1处，逾期未改1处，挂牌督办1处；环比上升50.0%，同比下降25.0%。\n（回复「导出」可下载这次统计的Excel表格）");
    expect(texts(await b.send("lz", "甘溪乡10月隐患"))).toEqual(["“示范县/甘溪乡”不在你的查看范围（示范县/渠阳镇）内。"]);
    expect(await b.app.store.db.auditLog.count({ where: { action: "command.denied", entity: "stats" } })).toBe(1);
    expect(texts(await b.send("zj", "甘溪乡10月隐患"))[0]).toContain("示范县/甘溪乡 2026年10月：排查隐患1处");
    expect(texts(await b.send("zj", "统计 10月 隐患"))[0]).toContain("示范县 2026年10月：排查隐患4处");
    expect(texts(await b.send("u1", "本月隐患情况"))[0]).toContain("示范县/渠阳镇/泡里村/网格1 2026年11月：排查隐患1处"); // a grid member: their grid
    // 月报 and its Excel export, with the official columns and totals.
    const month = texts(await b.send("zj", "月报 10月")).join("\n");
    expect(month).toContain("【月报】示范县 2026年10月");
    expect(month).toContain("排查隐患4处（重大1处），已整改2处，整改率50.0%");
    expect(month).toContain("· 渠阳镇｜3｜2｜66.7%｜1｜0｜0/0/1｜1");
    expect(month).toContain("· 甘溪乡｜1｜0｜0.0%｜0｜0｜0/0/0｜0");
    expect(month).toContain("分行业：行业｜排查｜已整改｜整改率｜重大｜逾期\n· 其他｜2｜0｜0.0%｜0｜1\n· 工贸｜2｜2｜100.0%｜1｜0");
    const [x] = await b.send("zj", "导出 10月");
    expect(x!.file).toMatch(/【月报】示范县2026年10月-\d{12}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(x!.file!) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("分乡镇")!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...OFFICIAL_COLUMNS]);
    const total = ws.getRow(ws.rowCount);
    expect([total.getCell(1).text, total.getCell(2).text, total.getCell(3).text, total.getCell(4).text]).toEqual(["合计", "4", "2", "50.0%"]);
    const sectors = wb.getWorksheet("分行业")!;
    expect([2, 3, 4].map((n) => [sectors.getRow(n).getCell(1).text, sectors.getRow(n).getCell(2).text, sectors.getRow(n).getCell(4).text]))
      .toEqual([["其他", "2", "0.0%"], ["工贸", "2", "100.0%"], ["合计", "4", "50.0%"]]);
    const compliance = wb.getWorksheet("巡查值班叫应")!;
    expect((compliance.getRow(1).values as unknown[]).slice(1)).toEqual([...COMPLIANCE_COLUMNS]);
    expect(compliance.getRow(compliance.rowCount).getCell(1).text).toBe("合计");
    expect((wb.getWorksheet("预警")!.getRow(1).values as unknown[]).slice(1)).toEqual([...WARNING_COLUMNS]);
    // `导出` alone right after a question exports that question, in the asker's scope.
    await b.send("lz", "渠阳镇10月整改率");
    const [mine] = await b.send("lz", "导出");
    expect(mine!.file).toMatch(/【月报】示范县渠阳镇2026年10月-\d{12}\.xlsx$/);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(fs.readFileSync(mine!.file!) as unknown as ArrayBuffer);
    const byVillage = wb2.getWorksheet("分乡镇")!;
    expect([byVillage.getRow(byVillage.rowCount).getCell(2).text, byVillage.getRow(byVillage.rowCount).getCell(4).text]).toEqual(["3", "66.7%"]);
    // The weekly trend under the October report: found by week reported, rectified by week rectified.
    const { buildRollup } = await import("../../src/features/stats/rollup.js");
    const { rollupChartSpec } = await import("../../src/features/stats/rollup-chart.js");
    const { chartSvg } = await import("../../src/reports/chart.js");
    const { parseStatsQuery } = await import("../../src/features/stats/query.js");
    const oct = parseStatsQuery("10月", new Date("2026-11-25T09:00:00+08:00"), []);
    const rollup = await buildRollup(b.app.store.db, { regionPath: "示范县", ...oct, kind: "month", now: new Date("2026-11-25T09:00:00+08:00") });
    expect(rollup.trend.filter((w) => w.found || w.rectified)).toEqual([
      { label: "9/7", found: 1, rectified: 0 }, { label: "9/14", found: 1, rectified: 0 }, { label: "9/28", found: 1, rectified: 0 },
      { label: "10/5", found: 1, rectified: 1 }, { label: "10/12", found: 1, rectified: 0 }, { label: "10/19", found: 0, rectified: 1 },
      { label: "10/26", found: 1, rectified: 0 }, // 31 October 23:59 counts; 1 November 00:00, in the same week, is November's
    ]);
    expect(rollup.trend).toHaveLength(13);
    const svg = await chartSvg(rollupChartSpec(rollup, (x) => b.app.prompts.render(x)));
    for (const text of ["【月报】示范县 2026年10月", "各单位隐患排查与整改", "近13周趋势（按周）", "分行业隐患", "渠阳镇", "10/26", "工贸"]) expect(svg).toContain(text);
    // Nothing to draw in a panel (a grid has no sub-units; no hazards by sector): the panel is left out.
    const bare = rollupChartSpec({ ...rollup, townships: [], sectors: [] }, (x) => b.app.prompts.render(x)) as { vconcat: { title: { text: string } }[] };
    expect(bare.vconcat.map((p) => p.title.text)).toEqual(["近13周趋势（按周）"]);
    const [chart] = await b.send("zj", "图表 10月 趋势");
    const png = fs.readFileSync(chart!.image!);
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // Typed without a space, or with a region and no period (the last full week), or 导出周报.
    expect(texts(await b.send("zj", "月报10月")).join("\n")).toBe(month);
    expect(texts(await b.send("zj", "周报 渠阳镇"))[0]).toMatch(/^【周报】示范县\/渠阳镇 2026-11-16至2026-11-22\n/);
    expect((await b.send("zj", "导出周报"))[0]!.file).toMatch(/【周报】示范县2026-11-16至2026-11-22-\d{12}\.xlsx$/);
    expect((await b.send("zj", "导出10月隐患"))[0]!.file).toMatch(/【月报】示范县2026年10月-\d{12}\.xlsx$/);
    expect((await b.send("zj", "图表趋势"))[0]!.image).toMatch(/\.png$/);
    // In a group an ordinary remark is still ignored.
    expect(await b.send("u1", "今天隐患排查很辛苦", { group: true })).toEqual([]);
  });
});

describe("charts", () => {
  it("renders a PNG with Chinese labels from the font that came with npm install", async () => {
    const { barChart, barSpec, chartSvg } = await import("../../src/reports/chart.js");
    const dir = tmpDir();
    const rows = [{ label: "渠阳镇", series: "排查", value: 3 }, { label: "渠阳镇", series: "已整改", value: 2 }, { label: "甘溪乡", series: "排查", value: 1 }];
    const svg = await chartSvg(barSpec({ title: "10月各乡镇隐患排查整改情况", rows }));
    expect(svg).toContain("10月各乡镇隐患排查整改情况");
    expect(svg).toContain("渠阳镇");
    const file = await barChart({ title: "10月各乡镇隐患排查整改情况", rows, file: `${dir}/c.png`, dataDir: dir });
    const png = fs.readFileSync(file);
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(w).toBeGreaterThan(600);
    expect(h).toBeGreaterThan(300);
    expect(png.length).toBeGreaterThan(10_000); // glyphs drawn, not empty boxes only
  });
});
