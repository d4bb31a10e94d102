/**
 * Loads the Chinese message templates from `prompts/*.yaml` and checks them against
 * the catalog. Templates use named placeholders: `已登记提醒 #{id}`.
 *
 * The catalog is generated from these same files (src/prompts/keys.generated.ts, by
 * `npm run prompts:keys`), so a mismatch here means a template was edited without
 * regenerating: its key and the command to run are named.
 */
import { PROMPT_CATALOG, type PromptKey, type PromptValue, type Say } from "./catalog.js";
import { PLACEHOLDER, placeholdersOf, readPromptFiles } from "./generate-keys.js";

export { placeholdersOf };

export class PromptError extends Error {
  constructor(public readonly problems: string[]) {
    super(`提示语模板有 ${problems.length} 处错误：\n- ${problems.join("\n- ")}`);
    this.name = "PromptError";
  }
}

/** The problems, and the keys whose template no longer matches the catalog (missing, unknown, new placeholder). */
function compare(templates: Map<string, string>, catalog: Record<string, readonly string[]>): { problems: string[]; stale: string[] } {
  const problems: string[] = [];
  const stale = new Set<string>();
  for (const [key, allowed] of Object.entries(catalog)) {
    const t = templates.get(key);
    if (t === undefined) {
      problems.push(`缺少模板 ${key}（代码会用到它）`);
      stale.add(key);
      continue;
    }
    if (t.trim() === "") problems.push(`模板 ${key} 是空的`);
    for (const p of placeholdersOf(t)) {
      if (!allowed.includes(p)) {
        problems.push(`模板 ${key} 用了未知的占位符 {${p}}（可用：${allowed.length ? allowed.map((a) => `{${a}}`).join(" ") : "无"}）`);
        stale.add(key);
      }
    }
  }
  for (const key of templates.keys()) {
    if (!(key in catalog)) {
      problems.push(`模板 ${key} 不是代码使用的键（拼写错误？）`);
      stale.add(key);
    }
  }
  return { problems, stale: [...stale] };
}

/** Checks templates against a catalog; returns the list of problems (empty = fine). */
export function checkTemplates(
  templates: Map<string, string>,
  catalog: Record<string, readonly string[]> = PROMPT_CATALOG,
): string[] {
  return compare(templates, catalog).problems;
}

/** What to do when templates and the generated index disagree, naming the keys. */
export function regenerateHint(keys: string[]): string {
  return `这些键的模板与 src/prompts/keys.generated.ts 不一致：${keys.join("、")}。` +
    "如果是有意修改了 prompts/*.yaml 的键或占位符，请运行 npm run prompts:keys 重新生成，" +
    "再运行 npm run typecheck 找出需要提供新占位符的代码；否则请改回模板。";
}

export class Prompts {
  constructor(private readonly templates: Map<string, string>) {}

  /** Reads every `*.yaml` in `dir` and validates it; throws PromptError listing every problem. */
  static load(dir: string, catalog: Record<string, readonly string[]> = PROMPT_CATALOG): Prompts {
    const { names, templates, problems } = readPromptFiles(dir);
    if (names.length === 0) throw new PromptError(problems);
    const checked = compare(templates, catalog);
    problems.push(...checked.problems);
    if (checked.stale.length) problems.push(regenerateHint(checked.stale));
    if (problems.length) throw new PromptError(problems);
    return new Prompts(templates);
  }

  /** A template with no placeholders under this key (a config file may name one). */
  hasPlain(key: string): boolean {
    const t = this.templates.get(key);
    return t !== undefined && placeholdersOf(t).length === 0;
  }

  render(s: Say): string {
    return this.text(s.key, s.params ?? {});
  }

  text(key: PromptKey, params: Record<string, PromptValue> = {}): string {
    const t = this.templates.get(key);
    if (t === undefined) throw new Error(`prompt ${key} has no template`);
    return t.replace(PLACEHOLDER, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`prompt ${key}: parameter {${name}} not provided`);
      return typeof v === "object" ? this.render(v) : String(v);
    }).trimEnd();
  }
}
