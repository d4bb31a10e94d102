import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";
import { tmpDbUrl, tmpDir } from "../helpers/tmp.js";

/** The scripted console, exactly as operators run it: `npm start -- --jsonl` in a shell pipe. */
function pipe(lines: object[], env: Record<string, string> = {}): { out: Record<string, unknown>[]; raw: string } {
  const dir = tmpDir();
  const input = path.join(dir, "in.jsonl");
  fs.writeFileSync(input, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const raw = execFileSync("sh", ["-c", `cat "${input}" | npm start -- --jsonl`], {
    cwd: projectPath(), encoding: "utf8", env: { ...process.env, DATABASE_URL: tmpDbUrl(), LOG_LEVEL: "warn", ...env },
  });
  return { raw, out: raw.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("console --jsonl (end to end through a shell pipe)", () => {
  it("takes a roster file by path: a township admin's file touching a county person imports the rest and lists the skipped row; the county chief still issues warnings", () => {
    const roster = path.join(tmpDir(), "渠阳镇花名册.csv");
    fs.writeFileSync(roster, "姓名,手机号,区域,角色\n张建国,13800000001,示范县/渠阳镇/泡里村/网格1,网格员\n钱七,13700000001,示范县/渠阳镇/泡里村/网格2,网格员\n");
    const admin = { chat: "冯刚私聊", group: false, from: "13800000013" };
    const chief = { chat: "张建国私聊", group: false, from: "13800000001" };
    const { out } = pipe([
      { ...admin, text: "导入花名册", at: "2026-11-25T09:00:00+08:00" },
      { ...admin, file: roster },
      { ...chief, text: "发布预警 示范县气象台发布暴雨黄色预警信号：预计未来6小时内将出现50毫米以上降雨" },
      ...["示范县", "网格员", "仅确认收到", "跳过", "确认"].map((text) => ({ ...chief, text })),
    ]);
    const report = out.filter((o) => o.chat === "冯刚私聊").map((o) => String(o.text)).join("\n");
    expect(report).toContain("新增1人");
    expect(report).toContain("第2行：张建国（13800000001）现属“示范县”，不在你的管理范围（示范县/渠阳镇）内，未导入");
    expect(String(out.filter((o) => o.chat === "张建国私聊").at(-1)!.text)).toMatch(/^预警 YJ-20261125-01 已发布/);
  });


  it("runs a whole dialog, fires the reminder when the clock is moved, and prints only JSON", () => {
    const p = { chat: "渠阳镇工作群", group: true, from: "13800000001", name: "张三" };
    const { out, raw } = pipe([
      { ...p, text: "工作提醒", at: "2026-11-25T09:00:00+08:00" },
      { ...p, from: "13800000002", name: "李四", text: "收到" },
      { ...p, text: "报送防汛物资清单" },
      { ...p, text: "3" },
      { ...p, text: "明天下午3点" },
      { ...p, text: "确认" },
      { at: "2026-11-26T15:00:00+08:00" },
      { chat: "dm", group: false, from: "13800000003", text: "😀" },
    ]);
    expect(raw.split("\n").filter(Boolean).every((l) => l.startsWith("{"))).toBe(true);
    // The demo groups also get the day's routine reminders; this test follows its own chats.
    expect(out.filter((o) => o.chat === "渠阳镇工作群" || o.chat === "dm")).toEqual([
      { chat: "渠阳镇工作群", to: "13800000001", text: "请输入要提醒的事项（例如：下午3点参加防汛调度会）：", choices: [] },
      { chat: "渠阳镇工作群", to: "13800000001", text: "请选择事项类别：", choices: ["会议", "检查", "报送", "值守", "其他"] },
      { chat: "渠阳镇工作群", to: "13800000001", text: expect.stringContaining("哪天提醒"), choices: [] },
      { chat: "渠阳镇工作群", to: "13800000001", text: expect.stringContaining("· 类别：报送"), choices: ["确认", "修改", "取消"] },
      { chat: "渠阳镇工作群", to: "13800000001", text: "已登记提醒 #1：2026-11-26 15:00 提醒“报送防汛物资清单”。发送「我的提醒」可查看。", choices: [] },
      { chat: "渠阳镇工作群", to: "13800000001", text: "⏰ 工作提醒（报送）：报送防汛物资清单（登记人：张建国）", choices: [] },
      { chat: "dm", to: null, text: "没有听懂“😀”。发送「帮助」查看我能做什么。", choices: [] },
    ]);
  });

  it("knows console senders by roster mobile, and starts with the demo bureau", () => {
    const { out } = pipe([
      { chat: "泡里村网格群", group: true, from: "13800000004", text: "群信息" },
      { chat: "dm", group: false, from: "13800000007", text: "帮助" },
      { chat: "dm2", group: false, from: "somebody", text: "工作提醒" },
    ]);
    expect(out[0]).toMatchObject({ to: "13800000004", text: expect.stringContaining("本群登记为：示范县/渠阳镇/泡里村，网格群") });
    expect(out[1]).toMatchObject({ text: expect.stringContaining("你好，杨波。你的身份：网格员") });
    expect(out[2]).toMatchObject({ text: "请先绑定身份再使用「工作提醒」：发送「绑定」，按提示回复姓名和手机号。" });
  });

  it("carries a hazard through its loop — report, rectify with a photo, close — into the ledger", async () => {
    const dir = tmpDir();
    const pic = path.join(dir, "现场.jpg");
    fs.writeFileSync(pic, "jpeg bytes");
    const grid = { chat: "13800000007", group: false, from: "13800000007" }; // 杨波, grid member (console: id = mobile)
    const lead = { chat: "13800000005", group: false, from: "13800000005" }; // 刘志强, 渠阳镇 leader
    const { out } = pipe([
      { ...grid, text: "隐患 泡里村加油站 灭火器过期 一般 3天", at: "2026-11-25T09:00:00+08:00" },
      { ...grid, photo: pic },
      { ...grid, text: "完成" },
      { ...grid, text: "渠阳石化加油站" },
      { ...grid, text: "确认" },
      { ...grid, text: "整改 YH-20261125-0001", at: "2026-11-26T10:00:00+08:00" },
      { ...grid, text: "已完成整改" },
      { ...grid, photo: pic },
      { ...grid, text: "完成" },
      { ...grid, text: "已更换4具灭火器" },
      { ...grid, text: "确认" },
      { ...lead, text: "销号 YH-20261125-0001", at: "2026-11-27T09:30:00+08:00" },
      { ...lead, text: "隐患台账 本月" },
    ], { DATA_DIR: dir });
    const texts = out.map((o) => String(o.text));
    expect(texts).toContain("隐患已登记，编号 YH-20261125-0001（一般隐患），整改期限 2026年11月28日（周六）。整改后发送「整改 YH-20261125-0001」提交整改情况。");
    expect(texts).toContain("YH-20261125-0001：待整改 → 已整改。");
    expect(texts).toContain("YH-20261125-0001：已整改 → 已销号。");
    const ledger = out.at(-1)!;
    expect(ledger).toMatchObject({ chat: "13800000005", text: expect.stringContaining("排查隐患1处（重大0处），已整改1处，整改率100.0%，已销号1处") });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(String(ledger.file)) as unknown as ArrayBuffer);
    const row = wb.getWorksheet("隐患台账")!.getRow(2);
    expect(row.getCell(1).text).toBe("YH-20261125-0001");
    expect(row.getCell(11).text).toBe("已销号");
    expect(row.getCell(17).text.split("\n")).toEqual([pic]);
    expect(row.getCell(18).text).toContain("待整改→已整改（杨波）：已更换4具灭火器");
    expect(row.getCell(18).text).toContain("已整改→已销号（刘志强）");
  });

  it("shows a full patrol day: reminder, reports, nag, summary", () => {
    const grp = { chat: "泡里村网格群", group: true };
    const { out } = pipe([
      { at: "2026-11-25T07:59:00+08:00" },
      { at: "2026-11-25T08:01:00+08:00" },
      { ...grp, from: "13800000007", text: "巡查 检查4家 发现隐患1处", at: "2026-11-25T10:00:00+08:00" },
      { at: "2026-11-25T17:40:00+08:00" },
      { ...grp, from: "13800000008", text: "巡查 正常", at: "2026-11-25T18:00:00+08:00" },
      { at: "2026-11-25T20:01:00+08:00" },
    ]);
    const inGroup = out.filter((o) => o.chat === "泡里村网格群").map((o) => `${o.to ?? "*"}|${o.text}`);
    expect(inGroup).toEqual([
      "*|【巡查日报】今日巡查日报开始报送，请各网格员在 20:00 前发送「巡查」报送（如：巡查 正常）。",
      "13800000007|今日巡查日报已报送：检查4家，发现隐患1处。\n发现的1处隐患请逐条发送「上报隐患」登记，便于跟踪整改。",
      "*|【巡查日报】还有1人未报送：黄丽。请在 20:00 前报送。",
      "13800000008|「巡查日报」还没有报送，请在 20:00 前报送。",
      "13800000008|今日巡查日报已报送：检查0家，发现隐患0处。",
      "*|【巡查日报】2026-11-25 应报2人，已报2人。\n已报：杨波、黄丽\n未报：无",
    ]);
  });

  it("answers 本周统计 and 月报 10月 for a chief, writing the chart", () => {
    const dir = tmpDir();
    const chief = { chat: "13800000001", group: false, from: "13800000001" }; // 张建国, county leader
    const { out } = pipe([
      { chat: "13800000007", group: false, from: "13800000007", text: "隐患 泡里村加油站 灭火器过期 一般 3天", at: "2026-10-30T09:00:00+08:00" },
      { chat: "13800000007", group: false, from: "13800000007", text: "跳过" },
      { chat: "13800000007", group: false, from: "13800000007", text: "渠阳石化加油站" },
      { chat: "13800000007", group: false, from: "13800000007", text: "确认" },
      { ...chief, text: "本周统计", at: "2026-11-25T09:00:00+08:00" },
      { ...chief, text: "月报 10月" },
    ], { DATA_DIR: dir });
    const mine = out.filter((o) => o.chat === "13800000001");
    expect(String(mine[0]!.text)).toMatch(/^示范县 2026-11-23至2026-11-29：排查隐患0处/);
    const report = mine[1]!;
    expect(String(report.text)).toContain("【月报】示范县 2026年10月");
    expect(String(report.text)).toContain("排查隐患1处（重大0处），已整改0处，整改率0.0%");
    expect(String(report.text)).toContain("· 渠阳镇｜1｜0｜0.0%");
    expect(fs.readFileSync(String(report.image)).subarray(1, 4).toString()).toBe("PNG");
  }, 90_000); // the console replays four weeks of scheduled jobs (daily windows, weekly reports with charts)

  it("skips invalid lines with a note on stderr and exits 0", () => {
    const r = spawnSync("sh", ["-c", "printf '%s\\n' 'not json' '{\"chat\":1}' '{\"chat\":\"c\",\"group\":false,\"from\":\"u\",\"text\":\"帮助\"}' | npm start -- --jsonl"], {
      cwd: projectPath(), encoding: "utf8", env: { ...process.env, DATABASE_URL: tmpDbUrl(), LOG_LEVEL: "warn" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout).text).toContain("应急助手可以帮你");
    expect(r.stderr).toContain("not JSON");
    expect(r.stderr).toContain("invalid line");
  });

  it("stops at start-up with one clear line on a bad setting", () => {
    const r = spawnSync("sh", ["-c", "echo | npm start -- --jsonl"], {
      cwd: projectPath(), encoding: "utf8", env: { ...process.env, DATABASE_URL: tmpDbUrl(), SESSION_TTL_MINUTES: "半小时" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('配置错误：SESSION_TTL_MINUTES="半小时" 应为 1 到 1440 之间的整数');
    expect(r.stdout).toBe("");
  });
});
