import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROMPT_CATALOG } from "../../src/prompts/catalog.js";
import { checkTemplates, PromptError, Prompts } from "../../src/prompts/load.js";
import { projectPath } from "../../src/paths.js";
import { tmpDir } from "../helpers/tmp.js";

/** A copy of prompts/ with one file's text changed. */
function brokenCopy(file: string, edit: (s: string) => string): string {
  const dir = tmpDir();
  for (const f of fs.readdirSync(projectPath("prompts"))) fs.copyFileSync(projectPath("prompts", f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), "utf8")));
  return dir;
}

describe("prompts", () => {
  it("has a valid template for every key the code uses", () => {
    const p = Prompts.load(projectPath("prompts"));
    for (const key of Object.keys(PROMPT_CATALOG)) expect(() => p.text(key as never, new Proxy({}, { get: () => "x" }))).not.toThrow();
  });

  it("stops start-up on a template with an unknown placeholder, naming it", () => {
    const dir = brokenCopy("remind.yaml", (s) => s.replace('created: "已登记提醒 #{id}', 'created: "已登记提醒 #{编号}'));
    expect(() => Prompts.load(dir)).toThrow(PromptError);
    expect(() => Prompts.load(dir)).toThrow(/模板 remind\.created 用了未知的占位符 \{编号\}（可用：\{content\} \{id\} \{when\}）/);
  });

  it("stops start-up when a key the code uses has no template", () => {
    const dir = brokenCopy("core.yaml", (s) => s.replace(/^ {2}unknown: .*$/m, ""));
    expect(() => Prompts.load(dir)).toThrow(/缺少模板 core\.unknown/);
  });

  it("stops start-up on a misspelt key and on broken YAML", () => {
    expect(() => Prompts.load(brokenCopy("remind.yaml", (s) => s.replace("  created:", "  creatd:")))).toThrow(/模板 remind\.creatd 不是代码使用的键/);
    expect(() => Prompts.load(brokenCopy("remind.yaml", (s) => `${s}\n  bad: "unclosed\n`))).toThrow(/YAML 格式错误/);
  });

  it("checks placeholders against the catalog", () => {
    const catalog = { a: ["x"], b: [] } as const;
    expect(checkTemplates(new Map([["a", "{x}"], ["b", "hi"]]), catalog)).toEqual([]);
    expect(checkTemplates(new Map([["a", "{y}"], ["b", ""]]), catalog)).toEqual([
      "模板 a 用了未知的占位符 {y}（可用：{x}）",
      "模板 b 是空的",
    ]);
  });

  it("refuses to render with a missing parameter", () => {
    const p = Prompts.load(projectPath("prompts"));
    expect(p.text("core.unknown", { text: "你好" })).toBe("没有听懂“你好”。发送「帮助」查看我能做什么。");
    expect(() => p.text("core.unknown", {})).toThrow(/\{text\} not provided/);
  });

  it("says nothing in the code itself: no Chinese sentence outside prompts/ in the core, the features, the channels and the outbox", () => {
    // Domain vocabulary (option names, keywords) is allowed; sentences (with 。or ，) are not.
    const offenders: string[] = [];
    // Not the bot's words, so not checked: the policy's `doc:` lines (they become the README's permission
    // table), the interactive console's own help for the operator, and the scheduler's config errors (logs).
    const operatorOnly = new Set(["channels/console/interactive.ts", "scheduler/config.ts", "scheduler/scheduler.ts"]);
    for (const dir of ["core", "features", "outbox", "channels", "reports", "scheduler"]) {
      for (const f of fs.readdirSync(projectPath("src", dir), { recursive: true }) as string[]) {
        // A feature's config.ts holds its config file's zod section: its messages are for the operator too.
        if (!f.endsWith(".ts") || operatorOnly.has(`${dir}/${f}`) || /(^|\/)config\.ts$/.test(f)) continue;
        const src = fs.readFileSync(projectPath("src", dir, f), "utf8").split("\n").filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l) && !/^\s*"?[\w.]+"?: \{.*\bdoc: "/.test(l));
        for (const l of src) if (/["'`][^"'`]*[\u4e00-\u9fff]{3,}[^"'`]*[。，！？][^"'`]*["'`]/.test(l)) offenders.push(`${dir}/${f}: ${l.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
