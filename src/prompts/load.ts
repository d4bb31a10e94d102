/**
 * Loads the Chinese message templates from `prompts/*.yaml` and checks them against
 * the catalog. Templates use named placeholders: `已登记提醒 #{id}`.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PROMPT_CATALOG, type PromptKey, type PromptValue, type Say } from "./catalog.js";

// Any {…} counts, so a typo such as {编号} is caught rather than printed.
const PLACEHOLDER = /\{([^{}\s]+)\}/g;

export class PromptError extends Error {
  constructor(public readonly problems: string[]) {
    super(`提示语模板有 ${problems.length} 处错误：\n- ${problems.join("\n- ")}`);
    this.name = "PromptError";
  }
}

const TemplateTree: z.ZodType<TemplateTreeT> = z.lazy(() => z.record(z.string(), z.union([z.string(), TemplateTree])));
type TemplateTreeT = { [k: string]: string | TemplateTreeT };

function flatten(tree: TemplateTreeT, prefix: string, out: Map<string, string>, file: string, problems: string[]): void {
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") {
      if (out.has(key)) problems.push(`${file}: 键 ${key} 重复定义`);
      out.set(key, v);
    } else flatten(v, key, out, file, problems);
  }
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Checks templates against a catalog; returns the list of problems (empty = fine). */
export function checkTemplates(
  templates: Map<string, string>,
  catalog: Record<string, readonly string[]> = PROMPT_CATALOG,
): string[] {
  const problems: string[] = [];
  for (const [key, allowed] of Object.entries(catalog)) {
    const t = templates.get(key);
    if (t === undefined) {
      problems.push(`缺少模板 ${key}（代码会用到它）`);
      continue;
    }
    if (t.trim() === "") problems.push(`模板 ${key} 是空的`);
    for (const p of placeholdersOf(t)) {
      if (!allowed.includes(p)) {
        problems.push(`模板 ${key} 用了未知的占位符 {${p}}（可用：${allowed.length ? allowed.map((a) => `{${a}}`).join(" ") : "无"}）`);
      }
    }
  }
  for (const key of templates.keys()) {
    if (!(key in catalog)) problems.push(`模板 ${key} 不是代码使用的键（拼写错误？）`);
  }
  return problems;
}

export class Prompts {
  constructor(private readonly templates: Map<string, string>) {}

  /** Reads every `*.yaml` in `dir` and validates it; throws PromptError listing every problem. */
  static load(dir: string, catalog: Record<string, readonly string[]> = PROMPT_CATALOG): Prompts {
    const problems: string[] = [];
    const templates = new Map<string, string>();
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
    if (files.length === 0) throw new PromptError([`目录 ${dir} 里没有 .yaml 模板文件`]);
    for (const f of files) {
      let raw: unknown;
      try {
        raw = parseYaml(fs.readFileSync(path.join(dir, f), "utf8"));
      } catch (e) {
        problems.push(`${f}: YAML 格式错误：${(e as Error).message.split("\n")[0]}`);
        continue;
      }
      const tree = TemplateTree.safeParse(raw ?? {});
      if (!tree.success) {
        problems.push(`${f}: 每个值都必须是文字或分组（${tree.error.issues[0]?.path.join(".")}）`);
        continue;
      }
      flatten(tree.data, "", templates, f, problems);
    }
    problems.push(...checkTemplates(templates, catalog));
    if (problems.length) throw new PromptError(problems);
    return new Prompts(templates);
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
