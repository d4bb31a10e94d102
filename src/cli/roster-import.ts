/**
 * `npm run roster:import -- <file.csv|file.xlsx> [--deactivate-missing]`
 * Imports the roster (花名册) into the database named by DATABASE_URL.
 * Good rows are imported together (one transaction); each bad row is reported
 * with its row number and reason and skipped. Exit code: 0 all rows imported,
 * 2 some rows skipped, 1 nothing imported (unreadable file, wrong header).
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadEnv } from "../config/env.js";
import { RosterFileError, validateRoster } from "../features/org/roster-rules.js";
import { Prompts } from "../prompts/load.js";
import { projectPath } from "../paths.js";
import { importReportLines } from "../features/org/roster-report.js";
import { formatOf, readRosterRows } from "../features/org/roster-read.js";
import { openStore } from "../store/db.js";
import { importRoster } from "../features/org/repo.js";

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith("--"));
  const deactivateMissing = argv.includes("--deactivate-missing");
  if (!file) {
    process.stderr.write("用法：npm run roster:import -- <花名册.csv|花名册.xlsx> [--deactivate-missing]\n");
    return 1;
  }
  const format = formatOf(file);
  if (!format) {
    process.stderr.write(`只支持 .csv 和 .xlsx 文件：${file}\n`);
    return 1;
  }
  const env = loadEnv();
  const prompts = Prompts.load(env.PROMPTS_DIR ?? projectPath("prompts"));
  let rows;
  try {
    rows = validateRoster(await readRosterRows(fs.readFileSync(path.resolve(file)), format));
  } catch (e) {
    if (e instanceof RosterFileError) {
      process.stderr.write(`${prompts.text("roster.file_error", { reason: prompts.render(e.say) })}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      process.stderr.write(`${prompts.text("roster.file_error", { reason: prompts.text("roster.no_file", { file }) })}\n`);
      return 1;
    }
    throw e;
  }
  const store = await openStore(env.DATABASE_URL);
  try {
    const report = await importRoster(store.db, rows.rows, { actor: `cli:${path.basename(file)}`, now: new Date(), deactivateMissing });
    const all = importReportLines(report, rows.errors, Infinity).map((s) => prompts.render(s));
    process.stdout.write(`${all.join("\n")}\n`);
    return rows.errors.length ? 2 : 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `导入失败：${(err as Error)?.stack ?? err}`}\n`);
    process.exit(1);
  },
);
