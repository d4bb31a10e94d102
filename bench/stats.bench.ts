/**
 * Stats at county scale: monthly county rollup and a township quick stat over
 * 1,000,000 generated hazards and 2,000,000 patrol reports (rows written with raw
 * prepared statements, then queried through the real store).
 *
 *   npm run bench -- --hazards 1000000 --patrols 2000000
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { parseStatsQuery } from "../src/features/stats/query.js";
import { projectPath } from "../src/paths.js";
import { buildRollup } from "../src/features/stats/rollup.js";
import { hazardFigures, patrolFigures } from "../src/features/stats/repo.js";
import { openStore } from "../src/store/db.js";
import { migrate } from "../src/store/migrate.js";
import { addDays } from "../src/time/shanghai.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const HAZARDS = arg("hazards", 1_000_000);
const PATROLS = arg("patrols", 2_000_000);
const TOWNS = 16, VILLAGES = 20, GRIDS = 5; // seed 004's county: 16 townships

// `--db FILE` keeps the generated database and reuses it on the next run (to iterate on queries).
const keep = process.argv.includes("--db") ? path.resolve(process.argv[process.argv.indexOf("--db") + 1]!) : null;
const dir = keep ? path.dirname(keep) : fs.mkdtempSync(path.join(os.tmpdir(), "yingji-stats-"));
const file = keep ?? path.join(dir, "stats.db");
const reuse = keep !== null && fs.existsSync(keep);
try {
  migrate(file, projectPath("prisma", "migrations"));
  const t0 = performance.now();
  let gridCount = 0;
  if (!reuse) {
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    const region = db.prepare(`INSERT INTO Region (name, path, depth, parentId) VALUES (?, ?, ?, ?)`);
    const person = db.prepare(`INSERT INTO Person (name, mobile, regionId, active, createdAt, updatedAt) VALUES ('网格员', ?, ?, 1, ?, ?)`);
    const hazard = db.prepare(`INSERT INTO Hazard (number, reporterId, responsibleId, regionId, regionPath, place, sector, description, level, photos, responsibleUnit, deadline, status, createdAt, updatedAt, rectifiedAt, supervisionLevel)
      VALUES (?, 1, 1, ?, ?, '某处', ?, '隐患', ?, '[]', '某单位', ?, ?, ?, ?, ?, ?)`);
    // Timestamps as Prisma's SQLite adapter writes them (ISO 8601 with +00:00), so range comparisons behave as in production.
    const ts = (d: Date) => d.toISOString().replace("Z", "+00:00");
    const patrol = db.prepare(`INSERT INTO RoutineReport (routine, date, personId, regionPath, status, late, data) VALUES ('patrol', ?, ?, ?, ?, 0, '{}')`);
    const grids: { id: number; path: string }[] = [];
    const SECTORS = ["危险化学品", "工贸", "建筑施工", "道路交通", "人员密集场所/消防", "城镇燃气", "其他"];
    const STATUSES = ["待整改", "整改中", "已整改", "已销号", "已销号", "已销号"];
    const now = new Date("2026-11-25T09:00:00+08:00").getTime();
    db.transaction(() => {
      const county = Number(region.run("演练县", "演练县", 0, null).lastInsertRowid);
      for (let t = 0; t < TOWNS; t++) {
        const town = Number(region.run(`镇${t}`, `演练县/镇${t}`, 1, county).lastInsertRowid);
        for (let v = 0; v < VILLAGES; v++) {
          const vil = Number(region.run(`村${t}-${v}`, `演练县/镇${t}/村${v}`, 2, town).lastInsertRowid);
          for (let g = 0; g < GRIDS; g++) {
            const p = `演练县/镇${t}/村${v}/网格${g}`;
            grids.push({ id: Number(region.run(`网格${g}`, p, 3, vil).lastInsertRowid), path: p });
          }
        }
      }
      grids.forEach((g, i) => person.run(`139${String(10_000_000 + i)}`, g.id, ts(new Date(now)), ts(new Date(now))));
      // Hazards over the last two years; patrol reports one per grid member per day, back from today.
      for (let i = 0; i < HAZARDS; i++) {
        const g = grids[i % grids.length]!;
        const r = ((i * 2654435761) % 4294967296) / 4294967296; // Knuth's multiplicative hash: spread, not correlated with the grid
        const at = new Date(now - Math.floor(r * 730 * 86_400) * 1000);
        const status = STATUSES[i % STATUSES.length]!;
        const fixed = status === "已整改" || status === "已销号" ? ts(new Date(Math.min(now, at.getTime() + (i % 10) * 86_400_000))) : null;
        hazard.run(`YH-B-${i}`, g.id, g.path, SECTORS[i % SECTORS.length], i % 50 === 0 ? "重大" : "一般", addDays(at.toISOString().slice(0, 10), 7),
          status, ts(at), ts(at), fixed, i % 997 === 0 ? "县" : null);
      }
      for (let i = 0; i < PATROLS; i++) {
        const g = i % grids.length;
        const day = Math.floor(i / grids.length);
        patrol.run(new Date(now - day * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10), g + 1, grids[g]!.path, i % 13 === 0 ? "missed" : "reported");
      }
    })();
    // Planner statistics, as the housekeeping job keeps them (without them SQLite guesses the index).
    db.exec("ANALYZE");
    db.close();
    gridCount = grids.length;
  }
  const loadMs = performance.now() - t0;

  const store = await openStore(`file:${file}`);
  const at = new Date("2026-11-25T09:00:00+08:00");
  const regions = await store.db.region.findMany({ select: { name: true, path: true } });
  const time = async <T>(fn: () => Promise<T>) => { const s = performance.now(); const r = await fn(); return { ms: performance.now() - s, r }; };
  const month = parseStatsQuery("演练县10月", at, regions);
  const countyRollup = () => buildRollup(store.db, { regionPath: "演练县", period: month.period, previous: month.previous, lastYear: month.lastYear, kind: "month", now: at });
  // First run on a cold page cache (what the Monday job meets), then warm.
  const rollup = await time(countyRollup);
  const rollupWarm = await time(countyRollup);
  const town = parseStatsQuery("镇3本月隐患", at, regions);
  const quick = await time(() => hazardFigures(store.db, town.regionPath!, town.period, at));
  const countyQuick = await time(() => hazardFigures(store.db, "演练县", town.period, at));
  const patrolStat = await time(() => patrolFigures(store.db, town.regionPath!, town.period));
  await store.close();
  const line = (k: string, v: string) => console.log(`${k.padEnd(40)}${v}`);
  console.log(`\nyingji-bot stats benchmark — ${HAZARDS.toLocaleString()} hazards, ${PATROLS.toLocaleString()} patrol reports, ${gridCount || "reused"} grids`);
  if (!reuse) line("generate + insert (raw statements)", `${(loadMs / 1000).toFixed(1)} s`);
  line("monthly county rollup (16 townships)", `${rollup.ms.toFixed(0)} ms first, ${rollupWarm.ms.toFixed(0)} ms again  (found ${rollup.r.total.found}, 整改率 ${rollup.r.total.rate})`);
  line("township quick stat: hazards this month", `${quick.ms.toFixed(0)} ms  (found ${quick.r.found}, 整改率 ${quick.r.rate})`);
  line("county quick stat: hazards this month", `${countyQuick.ms.toFixed(0)} ms  (found ${countyQuick.r.found}, 整改率 ${countyQuick.r.rate})`);
  line("township quick stat: patrol this month", `${patrolStat.ms.toFixed(0)} ms  (reported ${patrolStat.r.reported}, rate ${patrolStat.r.rate})`);
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}
