/**
 * Writes src/prompts/keys.generated.ts from prompts/*.yaml (`npm run prompts:keys`).
 * With `--check` it writes nothing and exits 1, naming the stale keys, when the file is
 * out of date; tests/prompts/keys.test.ts makes the same comparison.
 */
import fs from "node:fs";
import { describeChange, renderKeyIndex, staleKeys } from "../prompts/generate-keys.js";
import { projectPath } from "../paths.js";

const FILE = "src/prompts/keys.generated.ts";

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const file = projectPath(FILE);
  let next: string;
  try {
    next = renderKeyIndex(projectPath("prompts"));
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (current === next) {
    console.log(`${FILE} 已是最新 / is up to date`);
    return 0;
  }
  const changes = staleKeys(current ?? "", next);
  const keys = changes.map((c) => c.key);
  // A missing file would list every key: say only that it is missing.
  const detail = current === null ? "" : changes.map((c) => `  ${describeChange(c)}`).join("\n");
  if (check) {
    const what = current === null
      ? `${FILE} 不存在 / does not exist.`
      : keys.length
        ? `${FILE} 已过期，与 prompts/*.yaml 不一致的键（${keys.length} 个）：${keys.join("、")}\n` +
          `${FILE} is stale; keys that differ from prompts/*.yaml (${keys.length}): ${keys.join(", ")}`
        : `${FILE} 的内容与生成结果不同（可能被手改过）/ differs from the generated text (hand-edited?).`;
    console.error(`${what}\n${detail ? `${detail}\n` : ""}请运行 npm run prompts:keys 重新生成。/ Run \`npm run prompts:keys\` to regenerate it.`);
    return 1;
  }
  fs.writeFileSync(file, next);
  console.log(`${FILE} 已更新 / updated${keys.length ? `（${keys.length} 个键 / keys）:\n${detail}` : ""}`);
  if (keys.length) console.log("请运行 npm run typecheck，检查代码是否提供了每个占位符。/ Run `npm run typecheck`: the code must provide every placeholder.");
  return 0;
}

if (/prompt-keys\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) process.exit(main(process.argv.slice(2)));
