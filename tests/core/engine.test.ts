import { describe, expect, it } from "vitest";
import { advance, start, type EngineResult, type FlowState } from "../../src/core/engine.js";
import { normalizeForMatch } from "../../src/core/normalize.js";
import type { Attachment } from "../../src/core/messages.js";
import { Prompts } from "../../src/prompts/load.js";
import { projectPath } from "../../src/paths.js";
import { probeFlow } from "../helpers/flows.js";

const prompts = Prompts.load(projectPath("prompts"));
const ctx = { now: new Date("2026-11-25T09:00:00+08:00"), t: prompts.render.bind(prompts) };

/** Drives the engine with a sequence of answers; returns the last result. */
function run(...inputs: (string | Attachment)[]): EngineResult {
  let r = start(probeFlow, ctx);
  for (const i of inputs) {
    if (!r.state) throw new Error("dialog already over");
    const msg = typeof i === "string" ? { text: i, norm: normalizeForMatch(i), attachments: [] } : { text: "", norm: "", attachments: [i] };
    r = advance(probeFlow, r.state, msg, ctx);
  }
  return r;
}
const at = (r: EngineResult) => (r.state?.at.kind === "step" ? r.state.at.stepId : r.state?.at.kind);
const photo = (p: string): Attachment => ({ kind: "photo", path: p });
const FULL = ["张三丰", "3", "2", "明天", photo("/a.jpg"), "完成", { kind: "location", lat: 26.5, lng: 109.6, label: "泡里村" } as Attachment, "是"];

describe("flow engine", () => {
  it("walks every input kind to the summary and completes on 确认", () => {
    const r = run(...FULL);
    expect(at(r)).toBe("summary");
    expect(r.replies[0]!.text).toContain("· 事项：张三丰");
    expect(r.replies[0]!.text).toContain("· 类别：人员密集场所/消防");
    expect(r.replies[0]!.text).toContain("1张照片");
    expect(r.replies[0]!.text).toContain("泡里村（26.50000, 109.60000）");
    const done = run(...FULL, "确认");
    expect(done.outcome).toBe("completed");
    expect(done.state).toBeNull();
    expect(done.answers).toEqual({
      name: "张三丰", count: 3, kind: "人员密集场所/消防", when: { date: "2026-11-26" },
      pics: ["/a.jpg"], where: { lat: 26.5, lng: 109.6, label: "泡里村" }, ok: true,
    });
  });

  it.each(["确认", "是", "好", "对", "可以", "1"])("takes %s as yes on a confirm step", (w) => {
    expect(run("张三丰", "3", "2", "明天", "跳过", "跳过", w).state!.answers.ok).toBe(true);
  });

  it.each(["否", "不", "不对", "2"])("takes %s as no on a confirm step", (w) => {
    expect(run("张三丰", "3", "2", "明天", "跳过", "跳过", w).state!.answers.ok).toBe(false);
  });

  it("a photo sent where words are asked for is told so, and the question asked again", () => {
    const r = run(photo("/x.jpg"));
    expect(at(r)).toBe("name");
    expect(r.replies[0]!.text).toContain("这一项需要文字回复（照片请在问到照片时发送）");
  });

  it("收到 or 好的 is never the content of an item", () => {
    for (const w of ["收到", "好的", "👌"]) {
      const r = run(w);
      expect(at(r)).toBe("name");
      expect(r.replies[0]!.text).toContain("不是这一项的内容");
    }
  });

  it("takes 修改 mid-dialog as: which filled item to change; 返回 leaves that menu for the open question", () => {
    const r = run("张三丰", "3", "2", "明天", "跳过", "跳过", "修改");
    expect(r.state!.at.kind).toBe("edit");
    expect(r.state!.answers.ok).toBeUndefined();
    const back = advance(probeFlow, r.state!, { text: "返回", norm: "返回", attachments: [] }, ctx);
    expect(at(back)).toBe("ok");
    const edited = advance(probeFlow, advance(probeFlow, r.state!, { text: "1", norm: "1", attachments: [] }, ctx).state!, { text: "李四", norm: "李四", attachments: [] }, ctx);
    expect(edited.state!.answers).toMatchObject({ name: "李四" });
    expect(at(edited)).toBe("ok");
  });

  it("accepts a choice by number, by text, and by a unique part of it", () => {
    expect(run("张三丰", "3", "1").state!.answers.kind).toBe("危险化学品");
    expect(run("张三丰", "3", "其他").state!.answers.kind).toBe("其他");
    expect(run("张三丰", "3", "消防").state!.answers.kind).toBe("人员密集场所/消防");
    expect(run("张三丰", "3", "第二个").state!.answers.kind).toBe("人员密集场所/消防");
  });

  it("re-asks with a hint on bad input and offers to cancel from the third failure", () => {
    const one = run("张三丰", "3", "9");
    expect(at(one)).toBe("kind");
    expect(one.replies[0]!.text).toContain("“9”不是可选的选项");
    expect(one.replies[0]!.text).toContain("请回复序号或选项名称：1.危险化学品");
    expect(one.replies[0]!.text).not.toContain("连续");
    const three = run("张三丰", "3", "9", "x", "y");
    expect(three.state!.failures).toBe(3);
    expect(three.replies[0]!.text).toContain("已经连续3次没能识别");
    expect(three.replies[0]!.choices).toContain("取消");
    // A good answer resets the count.
    expect(run("张三丰", "3", "9", "x", "y", "1").state!.failures).toBe(0);
  });

  it("cancels with 取消 anywhere, including the summary", () => {
    expect(run("取消").outcome).toBe("cancelled");
    const r = run(...FULL, "取消");
    expect(r.outcome).toBe("cancelled");
    expect(r.replies[0]!.text).toBe("已取消「查看我能做什么」，填写的内容未提交。");
  });

  it("goes back one step with 返回 and keeps the answers", () => {
    expect(run("返回").replies[0]!.text).toContain("已经是第一步了");
    const r = run("张三丰", "3", "返回");
    expect(at(r)).toBe("count");
    expect(r.state!.answers).toMatchObject({ name: "张三丰", count: 3 });
    // Re-answering returns to where the person was.
    expect(at(advance(probeFlow, r.state!, { text: "4", norm: "4", attachments: [] }, ctx))).toBe("kind");
    expect(at(run(...FULL, "返回"))).toBe("ok");
  });

  it("skips an optional step with 跳过 but refuses to skip a required one", () => {
    const r = run("张三丰", "跳过");
    expect(at(r)).toBe("kind");
    expect(r.state!.skipped).toEqual(["count"]);
    const no = run("跳过");
    expect(at(no)).toBe("name");
    expect(no.replies[0]!.text).toContain("这一项必须填写，不能跳过");
    expect(run("无").replies[0]!.text).toContain("至少需要2个字"); // "无" is an answer on a required step
    expect(at(run("张三丰", "无"))).toBe("kind"); // and a skip on an optional one
    const summary = run("张三丰", "跳过", "2", "明天", "跳过", "跳过", "是");
    expect(summary.replies[0]!.text).toContain("· 时间：（未填）");
  });

  it("edits one item from the summary and comes back to the summary", () => {
    const menu = run(...FULL, "修改");
    expect(at(menu)).toBe("edit");
    expect(menu.replies[0]!.choices[0]).toBe("事项");
    const edit = run(...FULL, "修改", "1");
    expect(at(edit)).toBe("name");
    const back = run(...FULL, "修改", "1", "李四光");
    expect(at(back)).toBe("summary");
    expect(back.replies[0]!.text).toContain("· 事项：李四光");
    expect(run(...FULL, "随便").replies[0]!.text).toContain("请回复「确认」「修改」或「取消」");
  });

  it("collects several photos until 完成 and caps them", () => {
    const base = ["张三丰", "3", "2", "明天"];
    expect(run(...base, "完成").replies[0]!.text).toContain("至少需要1张照片");
    const two = run(...base, photo("/1.jpg"), photo("/2.jpg"));
    expect(two.replies[0]!.text).toContain("已收到第2张照片");
    expect(two.replies[0]!.choices).toEqual(["完成"]);
    const capped = run(...base, photo("/1.jpg"), photo("/2.jpg"), photo("/3.jpg"));
    expect(at(capped)).toBe("where");
    expect(capped.state!.answers.pics).toEqual(["/1.jpg", "/2.jpg", "/3.jpg"]);
    expect(run(...base, "一张照片").replies[0]!.text).toContain("这一步需要发送照片");
  });

  it("asks for a location when text is sent on a location step", () => {
    const r = run("张三丰", "3", "2", "明天", "跳过", "泡里村");
    expect(at(r)).toBe("where");
    expect(r.replies[0]!.text).toContain("这一步需要发送位置");
  });

  it("keeps state as plain JSON (it lives in a database row)", () => {
    const r = run("张三丰", "3", "2");
    const copy = JSON.parse(JSON.stringify(r.state)) as FlowState;
    expect(copy).toEqual(r.state);
    const next = advance(probeFlow, copy, { text: "明天", norm: "明天", attachments: [] }, ctx);
    expect(at(next)).toBe("pics");
  });

  it("rejects text outside the zod bounds of a text step", () => {
    expect(run("张").replies[0]!.text).toContain("至少需要2个字");
    expect(run("张".repeat(11)).replies[0]!.text).toContain("最多10个字");
    expect(run("张三丰", "100").replies[0]!.text).toContain("数字应在0到99之间");
    expect(run("张三丰", "很多").replies[0]!.text).toContain("“很多”不是数字");
  });
});
