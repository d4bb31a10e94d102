/**
 * Choices answer with values: 复查 and 整改 branch on `pass` / `done`, never on the
 * words shown, and take the ways people actually answer.
 */
import { describe, expect, it } from "vitest";
import { hazardRectifyFlow, hazardReviewFlow } from "../../src/features/hazards/flows.js";
import { Prompts } from "../../src/prompts/load.js";
import { projectPath } from "../../src/paths.js";
import { normalizeForMatch } from "../../src/core/normalize.js";

const prompts = Prompts.load(projectPath("prompts"));
const ctx = { now: new Date("2026-11-25T09:00:00+08:00"), answers: {}, t: (s: Parameters<typeof prompts.render>[0]) => prompts.render(s) };
const parse = (flow: typeof hazardReviewFlow, step: string, text: string) => {
  const input = flow.steps.find((s) => s.id === step)!.input;
  return input.parse({ text, norm: normalizeForMatch(text), attachments: [] }, ctx);
};

describe("choices carry values", () => {
  const review: [string, string | null][] = [
    ["通过", "pass"], ["通过（销号）", "pass"], ["1", "pass"], ["一", "pass"], ["第1个", "pass"], ["同意销号", "pass"], ["合格", "pass"], ["通过。", "pass"], ["复查通过", "pass"], ["销号", "pass"],
    ["不通过", "reject"], ["不通过（退回整改）", "reject"], ["2", "reject"], ["二", "reject"], ["退回", "reject"], ["不合格", "reject"], ["驳回", "reject"], ["退回整改", "reject"], ["复查不通过", "reject"], ["２", "reject"],
    ["3", null], ["也许", null], ["", null],
  ];
  for (const [text, value] of review) {
    it(`复查结果「${text}」→ ${value ?? "asked again"}`, () => {
      const r = parse(hazardReviewFlow, "result", text);
      expect(r.ok ? r.value : null).toBe(value);
    });
  }
  const stage: [string, string | null][] = [
    ["已完成整改", "done"], ["2", "done"], ["完成了", "done"], ["改好了", "done"], ["已整改", "done"],
    ["已开始整改", "started"], ["1", "started"], ["正在整改", "started"], ["开始了", "started"], ["不知道", null],
  ];
  for (const [text, value] of stage) {
    it(`整改进度「${text}」→ ${value ?? "asked again"}`, () => {
      const r = parse(hazardRectifyFlow, "stage", text);
      expect(r.ok ? r.value : null).toBe(value);
    });
  }
  it("the summary shows the words, the answer keeps the value", () => {
    const input = hazardReviewFlow.steps.find((s) => s.id === "result")!.input;
    expect(input.format("pass", ctx)).toBe("通过（销号）");
    expect(input.choices!(ctx)).toEqual(["通过（销号）", "不通过（退回整改）"]);
  });
});
