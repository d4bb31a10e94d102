import fs from "node:fs";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { LEDGER_COLUMNS } from "../../src/features/hazards/ledger.js";
import { ensureRegionPath, registerGroup } from "../../src/features/org/repo.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

let b: TestBot;
afterEach(async () => {
  await b?.stop().catch(() => undefined);
});

// u1 杨波 grid member 泡里村/网格1 · a 黄丽 grid member 泡里村/网格2 · lz 刘志强 渠阳镇 leader ·
// wf 吴芳 甘溪乡 leader · zj 张建国 county leader · adm 赵敏 county admin.
const BIND = { u1: "13800000007", a: "13800000008", lz: "13800000005", wf: "13800000010", zj: "13800000001", adm: "13800000004" };
async function bot() {
  b = await startBot({ bind: BIND, env: { DATA_DIR: tmpDir() } });
  return b;
}
const say = async (from: string, text: string, o: Parameters<TestBot["send"]>[2] = {}) => texts(await b.send(from, text, o)).join("\n");
const photo = (p: string) => ({ attachments: [{ kind: "photo" as const, path: p }] });

/** A full guided report by u1; returns the hazard number. */
async function report(level = "一般", deadline = "3天内"): Promise<string> {
  await say("u1", "上报隐患");
  await say("u1", "泡里村加油站");
  await say("u1", "人员密集场所/消防");
  return finishReport(level, deadline);
}
async function finishReport(level: string, deadline: string) {
  await say("u1", "加油站灭火器过期未更换");
  await say("u1", level);
  await say("u1", "", photo("/data/p1.jpg"));
  await say("u1", "完成");
  await say("u1", "渠阳石化加油站");
  const summary = await say("u1", deadline);
  expect(summary).toContain("请核对「隐患上报」");
  const done = await say("u1", "确认");
  return /编号 (YH-\d{8}-\d{4})/.exec(done)![1]!;
}

describe("hazard report", () => {
  it("walks the guided report with photos and a shared location, numbering the hazard", async () => {
    await bot();
    expect(await say("u1", "上报隐患")).toContain("隐患在哪里");
    expect(await say("u1", "", { attachments: [{ kind: "location", lat: 26.521, lng: 109.612, label: "泡里村加油站" }] })).toContain("属于哪个行业领域");
    await say("u1", "人员密集场所/消防");
    await say("u1", "灭火器过期");
    await say("u1", "一般");
    await say("u1", "", photo("/data/a.jpg"));
    expect(await say("u1", "", photo("/data/b.jpg"))).toContain("已收到第2张照片");
    await say("u1", "完成");
    await say("u1", "渠阳石化加油站");
    const summary = await say("u1", "跳过");
    expect(summary).toContain("· 地点：泡里村加油站（26.52100, 109.61200）");
    expect(summary).toContain("· 照片：2张照片");
    expect(summary).toContain("· 整改期限：按默认期限（一般隐患7天，重大隐患30天）");
    expect(await say("u1", "确认")).toBe("隐患已登记，编号 YH-20261125-0001（一般隐患），整改期限 2026年12月2日（周三）。整改后发送「整改 YH-20261125-0001」提交整改情况。");
    const h = await b.app.store.db.hazard.findUniqueOrThrow({ where: { number: "YH-20261125-0001" } });
    expect(h).toMatchObject({ place: "泡里村加油站", lat: 26.521, sector: "人员密集场所/消防", level: "一般", status: "待整改", deadline: "2026-12-02", regionPath: "示范县/渠阳镇/泡里村/网格1", responsibleUnit: "渠阳石化加油站" });
    expect(JSON.parse(h.photos)).toEqual(["/data/a.jpg", "/data/b.jpg"]);
    expect(await b.app.store.db.auditLog.count({ where: { action: "hazard.report" } })).toBe(1);
  });

  it("takes a one-message report and asks only for what is missing", async () => {
    await bot();
    const first = await say("u1", "隐患 泡里村加油站 灭火器过期 一般 3天");
    expect(first).toContain("已从你的消息中识别出部分内容");
    expect(first).toContain("请发送现场照片");
    await say("u1", "跳过");
    const summary = await say("u1", "渠阳石化加油站");
    expect(summary).toContain("· 行业领域：人员密集场所/消防");
    expect(summary).toContain("· 整改期限：2026年11月28日（周六）");
    expect(await say("u1", "确认")).toContain("编号 YH-20261125-0001（一般隐患），整改期限 2026年11月28日");
    // The next one the same day is 0002.
    await say("u1", "隐患 高坪村 山体裂缝 重大 明天 责任单位：高坪村委会 地点：高坪村三组");
    await say("u1", "跳过");
    expect(await say("u1", "1")).toContain("YH-20261125-0002（重大隐患）");
  });

  it("lets only reporters report", async () => {
    b = await startBot({ bind: { duty: "13800000003" } }); // 王秀英, duty officer
    expect(await say("duty", "上报隐患")).toContain("你没有使用「上报隐患」的权限");
  });
});

describe("hazard lifecycle", () => {
  it("moves 待整改 → 整改中 → 已整改 → (rejected) 整改中 → 已整改 → 已销号, with history", async () => {
    await bot();
    const n = await report("一般", "3天内");
    await say("u1", `整改 ${n}`);
    await say("u1", "已开始整改");
    expect(await say("u1", "已联系加油站更换灭火器")).toContain("请核对「隐患整改」");
    expect(await say("u1", "确认")).toContain(`${n}：待整改 → 整改中`);
    await say("u1", `整改 ${n}`);
    await say("u1", "已完成整改");
    await say("u1", "", photo("/data/fixed.jpg"));
    await say("u1", "完成");
    await say("u1", "已更换4具灭火器");
    expect(await say("u1", "确认")).toContain(`${n}：整改中 → 已整改`);
    await say("lz", `复查 ${n}`);
    await say("lz", "不通过（退回整改）");
    await say("lz", "压力表仍在红区");
    expect(await say("lz", "确认")).toContain(`${n}：已整改 → 整改中`);
    await say("u1", `整改 ${n}`);
    await say("u1", "2");
    await say("u1", "", photo("/data/fixed2.jpg"));
    await say("u1", "完成");
    await say("u1", "已全部更换");
    expect(await say("u1", "确认")).toContain(`${n}：整改中 → 已整改`);
    expect(await say("lz", `销号 ${n}`)).toBe(`${n}：已整改 → 已销号。`);
    const shown = await say("u1", `隐患 ${n}`);
    expect(shown).toContain(`${n}｜已销号｜一般隐患`);
    expect(shown).toContain("已整改→整改中 压力表仍在红区");
    const events = await b.app.store.db.hazardEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => e.toStatus)).toEqual(["待整改", "整改中", "已整改", "整改中", "已整改", "已销号"]);
    expect(JSON.parse(events[2]!.photos)).toEqual(["/data/fixed.jpg"]);
  });

  it("refuses each transition that is not allowed, and says why", async () => {
    await bot();
    const n = await report();
    expect(await say("lz", `销号 ${n}`)).toBe(`${n} 当前为「待整改」，还没有提交整改完成，不能复查或销号。`);
    expect(await say("u1", `复查 ${n}`)).toContain("你没有使用「复查」的权限");
    expect(await say("u1", `销号 ${n}`)).toContain("你没有使用「销号」的权限");
    // 黄丽 is in the same village but another grid, and not responsible: refused before any question.
    expect(await say("a", `整改 ${n}`)).toBe(`只有责任人、本网格网格员或上级领导可以提交 ${n} 的整改情况。`);
    // 吴芳 leads 甘溪乡, not 渠阳镇.
    await say("u1", `整改 ${n}`);
    await say("u1", "2");
    await say("u1", "", photo("/data/x.jpg"));
    await say("u1", "完成");
    await say("u1", "已整改");
    await say("u1", "确认");
    expect(await say("wf", `销号 ${n}`)).toContain(`你不能办理 ${n}`);
    expect(await say("u1", `整改 ${n}`)).toBe(`${n} 已提交整改完成，等待复查，不需要再提交。`);
    expect(await say("wf", `复查 ${n}`)).toContain(`你不能办理 ${n}`);
    // A leader who rectified may not verify their own work.
    const m = await report();
    await say("lz", `整改 ${m}`);
    await say("lz", "2");
    await say("lz", "", photo("/data/y.jpg"));
    await say("lz", "完成");
    await say("lz", "镇里直接整改");
    expect(await say("lz", "确认")).toContain("→ 已整改");
    expect(await say("lz", `销号 ${m}`)).toBe(`${m} 的整改是你提交的，请由其他有复查权限的人复查。`);
    expect(await say("lz", `复查 ${m}`)).toBe(`${m} 的整改是你提交的，请由其他有复查权限的人复查。`);
    expect(await say("zj", `销号 ${m}`)).toBe(`${m}：已整改 → 已销号。`);
    expect(await say("u1", `整改 ${m}`)).toBe(`${m} 已销号，不能再变更。`);
    // A dialog opened without a number meets the same rules when it completes.
    await say("u1", "整改");
    await say("u1", m);
    await say("u1", "1");
    await say("u1", "补充说明");
    expect(await say("u1", "确认")).toBe(`${m} 已销号，不能再变更。`);
    expect(await say("u1", "隐患 YH-20991231-0001")).toBe("没有找到隐患 YH-20991231-0001，请核对编号（形如 YH-20261125-0001）。");
    const refused = await b.app.store.db.auditLog.count({ where: { action: { in: ["hazard.refused", "command.denied"] } } });
    expect(refused).toBeGreaterThanOrEqual(6);
  });
});

describe("deadlines, escalation and supervision (fake clock)", () => {
  it("reminds the day before, tells the township leaders the day after, and the county 3 days later", async () => {
    await bot();
    const n = await report("一般", "3天内"); // deadline 2026-11-28
    const day = 24 * 3600_000;
    // 11-27 09:00: the reminder to the responsible person (u1), privately.
    let out = await b.advance(2 * day);
    const remind = out.filter((m) => m.text.startsWith("⏰ 隐患整改提醒"));
    expect(remind.map((m) => m.chatId)).toEqual(["u1"]);
    expect(remind[0]!.text).toContain(`${n}（泡里村加油站：加油站灭火器过期未更换）整改期限为 2026年11月28日（周六）`);
    // 11-29 09:00: overdue → responsible + 渠阳镇 leaders (刘志强).
    out = await b.advance(2 * day);
    const overdue = out.filter((m) => m.text.startsWith("⚠️ 隐患逾期"));
    expect(overdue.map((m) => m.chatId).sort()).toEqual(["lz", "u1"]);
    expect(overdue[0]!.text).toContain("已逾期1天");
    // 11-30 … 12-01: not yet the county.
    out = await b.advance(2 * day);
    expect(out.filter((m) => m.text.startsWith("🔴"))).toEqual([]);
    // 12-02 09:00: overdue 4 days = 1 + 3 → county leaders (张建国; 李卫东 has no account → @ in a group if any).
    out = await b.advance(day);
    const up = out.filter((m) => m.text.startsWith("🔴 隐患逾期升级"));
    expect(up.map((m) => m.chatId)).toContain("zj");
    expect(up[0]!.text).toContain("已逾期4天");
    // Once only.
    out = await b.advance(day);
    expect(out.filter((m) => /^(⚠️|🔴)/.test(m.text))).toEqual([]);
    const kinds = (await b.app.store.db.hazardEvent.findMany({ orderBy: { id: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(["report", "overdue", "escalate"]);
  });

  it("posts each group's daily digest of due and overdue hazards", async () => {
    await bot();
    await b.app.store.db.$transaction(async (tx) => {
      const r = await ensureRegionPath(tx, "示范县/渠阳镇/泡里村");
      await registerGroup(tx, { channel: "memory", chatId: "泡里村网格群", regionId: r.id, purpose: "网格群", actor: "test" }, b.clock.now());
    });
    const n = await report("一般", "明天");
    const out = await b.advance(24 * 3600_000); // 11-26 09:00: due today
    const digest = out.find((m) => m.chatId === "泡里村网格群" && m.text.startsWith("【隐患日报】"))!;
    expect(digest.text).toBe(`【隐患日报】示范县/渠阳镇/泡里村：今天到期1处，逾期0处：\n· ${n}｜泡里村加油站｜今天到期｜待整改`);
  });

  it("runs the weekly 挂牌督办 cycle: progress request, progress, leaders' summary", async () => {
    await bot();
    await b.app.store.db.$transaction(async (tx) => {
      const r = await ensureRegionPath(tx, "示范县");
      await registerGroup(tx, { channel: "memory", chatId: "县领导群", regionId: r.id, purpose: "领导群", actor: "test" }, b.clock.now());
    });
    const minor = await report("一般", "30天内");
    const n = await report("重大", "30天内");
    expect(await say("zj", `挂牌督办 ${minor} 县`)).toContain("不是重大隐患");
    expect(await say("u1", `挂牌督办 ${n} 县`)).toContain("你没有使用「挂牌督办」的权限");
    expect(await say("wf", `挂牌督办 ${n} 县`)).toContain("只能用于你的辖区（示范县/甘溪乡）之内");
    expect(await say("lz", `挂牌督办 ${n} 县`)).toContain("县级挂牌督办由县级领导登记"); // the township's own leader: the county lists
    expect(await say("zj", `挂牌督办 ${n} 县`)).toContain(`${n} 已列入县级挂牌督办`);
    // Wed 11-25 → Mon 11-30 09:30.
    let out = await b.advance((5 * 24 + 0.5) * 3600_000);
    const request = out.find((m) => m.text.startsWith("📌 挂牌督办"))!;
    expect(request.chatId).toBe("u1");
    const weekly = (ms: typeof out) => ms.find((m) => m.chatId === "县领导群" && m.text.startsWith("【挂牌督办周报】"))!;
    let summary = weekly(out);
    expect(summary.text).toContain(`· ${n}｜县级｜泡里村加油站｜待整改｜（本周无进展）`);
    expect(await say("u1", `进展 ${n} 已停用两台加油机，灭火器已采购`)).toBe(`已记录 ${n} 的整改进展。`);
    out = await b.advance(7 * 24 * 3600_000);
    summary = weekly(out);
    expect(summary.text).toContain(`· ${n}｜县级｜泡里村加油站｜待整改｜已停用两台加油机，灭火器已采购`);
    // Closed → out of the cycle.
    await b.app.store.db.hazard.update({ where: { number: n }, data: { status: "已销号" } });
    out = await b.advance(7 * 24 * 3600_000);
    expect(out.filter((m) => m.text.includes("挂牌督办") && !m.text.startsWith("【周报】"))).toEqual([]); // the weekly rollup still counts it
  }, 120_000); // weeks of a fake clock: heavy on a loaded 2-core machine (a guard, not a speed check)
});

describe("ledger", () => {
  it("exports every hazard in scope with every field and its history", async () => {
    await bot();
    const n = await report();
    await say("u1", `整改 ${n}`);
    await say("u1", "已开始整改");
    await say("u1", "已通知加油站");
    await say("u1", "确认");
    const [r] = await b.send("lz", "隐患台账 本月");
    expect(r!.text).toBe("示范县/渠阳镇 2026年11月 隐患台账：排查隐患1处（重大0处），已整改0处，整改率0.0%，已销号0处，逾期未改0处。明细见附件。");
    expect(r!.file).toMatch(/隐患台账-渠阳镇-2026年11月-\d{12}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(r!.file!) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("隐患台账")!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...LEDGER_COLUMNS]);
    const row = ws.getRow(2);
    const cell = (h: string) => row.getCell(LEDGER_COLUMNS.indexOf(h as never) + 1).text;
    expect(cell("编号")).toBe(n);
    expect(cell("状态")).toBe("整改中");
    expect(cell("上报人")).toBe("杨波");
    expect(cell("照片")).toBe("/data/p1.jpg");
    expect(cell("状态记录")).toContain("待整改→整改中（杨波）：已通知加油站");
    expect(ws.rowCount).toBe(2);
    // 甘溪乡's leader sees none of 渠阳镇's hazards.
    const [other] = await b.send("wf", "隐患台账 本月");
    expect(other!.text).toContain("排查隐患0处");
    expect(await say("lz", "隐患台账 明年春天")).toContain("没有看懂时间");
  });
});
