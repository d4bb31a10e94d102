import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { RosterFileError, validateRoster } from "../../src/features/org/roster-rules.js";
import { projectPath } from "../../src/paths.js";
import { Prompts } from "../../src/prompts/load.js";
import { readRosterRows } from "../../src/features/org/roster-read.js";
import { openStore, type Store } from "../../src/store/db.js";
import { importRoster } from "../../src/features/org/repo.js";
import { tmpDbUrl, tmpDir } from "../helpers/tmp.js";

const HEADER = ["姓名", "手机号", "区域", "角色"];
const now = new Date("2026-11-25T09:00:00+08:00");
let stores: Store[] = [];
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});
async function store(url = tmpDbUrl()) {
  const s = await openStore(url);
  stores.push(s);
  return s;
}

/** 1,000 people across 4 townships × 5 villages × 5 grids, with 20 bad rows among them. */
function bigRoster(): { rows: string[][]; bad: Map<number, RegExp> } {
  const rows: string[][] = [HEADER];
  const bad = new Map<number, RegExp>();
  const breakers: [(r: string[]) => void, RegExp][] = [
    [(r) => (r[1] = "1380000"), /手机号格式不对/],
    [(r) => (r[3] = "村长"), /未知角色“村长”/],
    [(r) => (r[0] = ""), /姓名为空/],
    [(r) => (r[2] = "示范县//泡里村"), /有空的一级/],
  ];
  for (let i = 0; i < 1000; i++) {
    const t = i % 4, v = Math.floor(i / 4) % 5, g = Math.floor(i / 20) % 5;
    const r = [`人员${i}`, `139${String(10_000_000 + i).slice(0, 8)}`, `示范县/镇${t}/村${v}/网格${g}`, i % 10 === 0 ? "网格员、灾害信息员" : "网格员"];
    if (i % 50 === 7 && i < 950) {
      const [brk, reason] = breakers[(i / 50) % 4 | 0]!;
      brk(r);
      bad.set(rows.length + 1, reason);
    }
    rows.push(r);
  }
  // A duplicate mobile is the 20th bad row: it repeats row 2's number.
  rows[rows.length - 1]![1] = rows[1]![1]!;
  bad.set(rows.length, /与第2行重复/);
  return { rows, bad };
}

async function writeXlsx(rows: string[][], file: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("花名册");
  for (const r of rows) ws.addRow(r.map((c, i) => (i === 1 && /^\d{11}$/.test(c) ? Number(c) : c))); // Excel keeps mobiles as numbers
  await wb.xlsx.writeFile(file);
}

describe("roster validation", () => {
  it("refuses a file whose header is not 姓名,手机号,区域,角色 in that order", () => {
    expect(() => validateRoster([["姓名", "区域", "手机号", "角色"]])).toThrow(RosterFileError);
    expect(() => validateRoster([["姓名", "区域", "手机号", "角色"]])).toThrow(expect.objectContaining({ say: { key: "roster.bad_header", params: { expected: "姓名,手机号,区域,角色", actual: "姓名,区域,手机号,角色" } } }));
    expect(validateRoster([["\uFEFF姓名", "手机号", "区域", "角色", ""]]).rows).toEqual([]);
  });

  it("says in Chinese why a file cannot be read, keeping the library's English for the log only", async () => {
    const prompts = Prompts.load(projectPath("prompts"));
    for (const [buf, format, key] of [
      [Buffer.from("not a zip file"), "xlsx", "roster.xlsx_unreadable"],
      [Buffer.from('姓名,手机号\n"张三,138'), "csv", "roster.csv_unreadable"],
    ] as const) {
      const e = await readRosterRows(buf, format).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(RosterFileError);
      const told = prompts.text("roster.file_error", { reason: prompts.render((e as RosterFileError).say) });
      expect((e as RosterFileError).say.key).toBe(key);
      expect(told.replace(/XLSX|CSV|UTF-8|\.xlsx|Excel/g, "")).not.toMatch(/[A-Za-z]{3,}/);
      expect((e as Error).message.length).toBeGreaterThan(0);
    }
  });

  it("reports each bad row with its number and reason, and keeps the good ones", () => {
    const v = validateRoster([
      HEADER,
      ["张三", "138 0000 0001", " 示范县 / 渠阳镇 ", "网格员，值班员"],
      ["李四", "12345", "示范县", "网格员"],
      ["", "", "", ""],
      ["王五", "13800000003", "示范县", "网格员、队长"],
      ["赵六", "13800000001", "示范县", "管理员"],
    ]);
    expect(v.rows).toEqual([{ row: 2, name: "张三", mobile: "13800000001", regionPath: "示范县/渠阳镇", roles: ["网格员", "值班员"] }]);
    expect(v.errors).toEqual([
      { row: 3, reason: "手机号格式不对（应为11位手机号）" },
      { row: 5, reason: "未知角色“队长”（可用：网格员、灾害信息员、值班员、带班领导、局领导、管理员）" },
      { row: 6, reason: "手机号13800000001与第2行重复" },
    ]);
  });
});

describe("roster import", () => {
  it("imports a 1,000-person XLSX with 20 bad rows: good rows in, each bad row named; re-import changes nothing", async () => {
    const { rows, bad } = bigRoster();
    const file = path.join(tmpDir(), "花名册.xlsx");
    await writeXlsx(rows, file);
    const read = await readRosterRows(fs.readFileSync(file), "xlsx");
    const v = validateRoster(read);
    expect(v.errors.map((e) => e.row)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const e of v.errors) expect(e.reason).toMatch(bad.get(e.row)!);
    expect(v.rows).toHaveLength(980);

    const s = await store();
    const first = await importRoster(s.db, v.rows, { actor: "test", now });
    const prefixes = new Set(v.rows.flatMap((r) => r.regionPath.split("/").map((_, i, a) => a.slice(0, i + 1).join("/"))));
    expect(first).toMatchObject({ created: 980, updated: 0, unchanged: 0, regionsCreated: prefixes.size });
    expect(await s.db.region.count()).toBe(prefixes.size);
    expect(await s.db.person.count()).toBe(980);
    expect(await s.db.personRole.count({ where: { role: "灾害信息员" } })).toBe(v.rows.filter((r) => r.roles.includes("灾害信息员")).length);
    const audits = await s.db.auditLog.count();

    const again = await importRoster(s.db, validateRoster(await readRosterRows(fs.readFileSync(file), "xlsx")).rows, { actor: "test", now });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 980, regionsCreated: 0, missing: [], deactivated: 0 });
    expect(await s.db.auditLog.count()).toBe(audits);
  });

  it("updates people by mobile, audits before/after, and deactivates nobody silently", async () => {
    const s = await store();
    const v1 = validateRoster([HEADER, ["张三", "13800000001", "示范县/渠阳镇", "网格员"], ["李四", "13800000002", "示范县", "值班员"]]);
    await importRoster(s.db, v1.rows, { actor: "test", now });
    const v2 = validateRoster([HEADER, ["张三", "13800000001", "示范县/甘溪乡", "网格员、灾害信息员"]]);
    const r = await importRoster(s.db, v2.rows, { actor: "test", now });
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 0, deactivated: 0, missing: [{ name: "李四", mobile: "13800000002", regionPath: "示范县" }] });
    expect((await s.db.person.findUniqueOrThrow({ where: { mobile: "13800000002" } })).active).toBe(true);
    const a = await s.db.auditLog.findFirstOrThrow({ where: { action: "person.update" } });
    expect(JSON.parse(a.before!)).toMatchObject({ region: "示范县/渠阳镇", roles: ["网格员"] });
    expect(JSON.parse(a.after!)).toMatchObject({ region: "示范县/甘溪乡", roles: ["灾害信息员", "网格员"] });
    const d = await importRoster(s.db, v2.rows, { actor: "test", now, deactivateMissing: true });
    expect(d.deactivated).toBe(1);
    expect((await s.db.person.findUniqueOrThrow({ where: { mobile: "13800000002" } })).active).toBe(false);
  });

  it("reads CSV in UTF-8 with BOM and in GBK as Excel saves it", async () => {
    const csv = "姓名,手机号,区域,角色\n张三,13800000001,示范县,\"网格员,值班员\"\n";
    const utf8 = await readRosterRows(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), "csv");
    expect(validateRoster(utf8).rows[0]).toMatchObject({ name: "张三", roles: ["网格员", "值班员"] });
    // GBK bytes of the same text, made with the platform's own decoder tables.
    const gbk = Buffer.from(execIconv(csv));
    expect(validateRoster(await readRosterRows(gbk, "csv")).rows[0]).toMatchObject({ name: "张三", regionPath: "示范县" });
  });

  it("runs from the command line: good rows in, bad rows listed, exit code 2", () => {
    const dir = tmpDir();
    const file = path.join(dir, "roster.csv");
    fs.writeFileSync(file, "姓名,手机号,区域,角色\n张三,13800000001,示范县/渠阳镇,网格员\n李四,1380000,示范县,网格员\n");
    const run = () => spawnSync("npm", ["run", "roster:import", "--", file], { cwd: projectPath(), encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
    const url = tmpDbUrl();
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("新增1人");
    expect(r.stdout).toContain("第3行：手机号格式不对");
    expect(run().stdout).toContain("无变化1人");
    const bad = spawnSync("npm", ["run", "roster:import", "--", path.join(dir, "nope.csv")], { cwd: projectPath(), encoding: "utf8", env: { ...process.env, DATABASE_URL: url } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("花名册无法导入");
  });
});

/** GBK-encodes text with iconv from the system (glibc), so the test does not trust our own decoder. */
function execIconv(text: string): Buffer {
  const r = spawnSync("iconv", ["-f", "UTF-8", "-t", "GBK"], { input: text });
  if (r.status !== 0) throw new Error(`iconv failed: ${r.stderr}`);
  return r.stdout;
}
