/**
 * Commands typed inside a dialog, as the new-user trials found them (issue 14): a complete
 * command runs as itself and the question follows; the dialog's own word asks continue /
 * restart; a whole new report does not inherit the old one's answers; cancel words work.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startBot, texts, type TestBot } from "../helpers/app.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop();
  bots = [];
});
async function bot() {
  const b = await startBot();
  bots.push(b);
  return { b, say: async (text: string) => texts(await b.send("u1", text)).join("\n") };
}

describe("commands inside a hazard report", () => {
  it("巡查 正常 at the description step records the patrol, then asks the description again; the answer goes to the report", async () => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    expect(await say("消防")).toContain("请描述隐患情况");
    const r = await say("巡查 正常");
    expect(r).toContain("今日巡查日报已报送");
    expect(r).toContain("请描述隐患情况");
    expect(await b.app.store.db.routineReport.count({ where: { routine: "patrol" } })).toBeGreaterThan(0);
    expect(await say("灭火器过期，压力不足")).toContain("隐患等级");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1" } });
    expect(JSON.parse(s.state).flow.answers.description).toBe("灭火器过期，压力不足");
  });

  it("上报隐患 again asks continue or restart; 重新开始 starts empty, 继续 keeps the answers", async () => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    expect(await say("上报隐患")).toBe("你正在填写「隐患上报」（已填1项），还没有提交。回复 1 继续上次，2 重新开始。");
    expect(await say("1")).toContain("属于哪个行业领域");
    await say("上报隐患。");
    expect(await say("重新开始")).toContain("隐患在哪里");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1" } });
    expect(JSON.parse(s.state).flow.answers).toEqual({});
  });

  it("a whole new one-message report mid-report asks first, and restarting takes the new place, not the old", async () => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("甘溪乡中学");
    expect(await say("隐患 泡里村砖厂 有限空间作业无审批 重大 本周五")).toContain("回复 1 继续上次，2 重新开始");
    await say("2");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1" } });
    const a = JSON.parse(s.state).flow.answers;
    expect(a.place.text).toBe("泡里村砖厂");
    expect(a.level).toBe("重大");
  });

  it("a command this person may not use is refused and the question asked again; 帮助 too shows the question", async () => {
    const { say } = await bot();
    await say("上报隐患");
    const r = await say("发布预警");
    expect(r).toContain("你没有使用「发布预警」的权限");
    expect(r).toContain("隐患在哪里");
    expect(await say("帮助")).toContain("隐患在哪里");
  });

  it.each(["取消", "算了", "不报了", "取消！"])("%s at the continue / restart question ends the dialog (found by the second trial)", async (w) => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    await say("上报隐患");
    expect(await say(w)).toContain("已取消「隐患上报」");
    expect(await b.app.store.db.flowSession.count({ where: { senderId: "u1" } })).toBe(0);
  });

  it.each(["算了", "不报了", "/cancel", "取消。"])("%s ends the dialog", async (w) => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    expect(await say(w)).toContain("已取消「隐患上报」");
    expect(await b.app.store.db.flowSession.count({ where: { senderId: "u1" } })).toBe(0);
  });
});

describe("numbered answers as WeChat shows them (回复 1/2/3)", () => {
  it("a number picks 跳过 at an optional date step and 完成 at a photo step; a count stays a count", async () => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    await say("7");
    await say("灭火器过期，压力不足");
    expect(await say("1")).toContain("照片"); // 1 = 一般 (the step's own option)
    await b.send("u1", "", { attachments: [{ kind: "photo", path: "/data/a.jpg" }] });
    expect(await say("1")).toContain("责任单位"); // 1 = 完成 (the only button after a photo)
    expect(await say("泡里村加油站")).toContain("整改期限");
    const r = await say("1"); // 1 = 跳过 (the only button at the optional deadline step)
    expect(r).toContain("请核对");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1" } });
    const a = JSON.parse(s.state).flow;
    expect(a.answers.level).toBe("一般");
    expect(a.answers.photos).toEqual(["/data/a.jpg"]);
    expect(a.skipped).toContain("deadline");
  });
});

describe("帮助 for this person's work", () => {
  it("a grid member reads his own commands (a page, not forty lines); 帮助 全部 lists the rest", async () => {
    const { say } = await bot();
    const help = (await say("帮助")).split("\n");
    expect(help.length).toBeLessThanOrEqual(15);
    expect(help).toContain("隐患：上报隐患 · 隐患 · 整改 · 我的隐患 · 隐患台账 · 进展");
    expect(help).toContain("预警：收到");
    // Nobody else's work: no 发布预警, no 复查, no roster import for a grid member.
    expect(help.join("\n")).not.toMatch(/发布预警|复查|导入花名册/);
    expect(help.at(-2)).toBe("发送「帮助 上报隐患」看某一项怎么用，「帮助 全部」看全部说明。");
    const all = await say("帮助 全部");
    expect(all).toContain("群信息（/groupinfo）");
    expect(all).toContain("上报隐患（/report）— 按提示上报一处隐患");
    // One command explained; one this person may not use says so.
    expect(await say("帮助 整改")).toContain("整改（/rectify）— 提交整改进度");
    expect(await say("帮助 发布预警")).toContain("你没有使用「发布预警」的权限");
  });

  it("a leader's 帮助 fits a phone screen too, under headings", async () => {
    const b = await startBot({ bind: { lz: "13800000005", adm: "13800000004" } });
    bots.push(b);
    for (const who of ["lz", "adm"]) {
      const help = texts(await b.send(who, "帮助")).join("\n").split("\n");
      expect(help.length).toBeLessThanOrEqual(15);
      expect(help.filter((l) => /^[^：]{2,6}：/.test(l)).length).toBeGreaterThanOrEqual(5);
    }
    expect(texts(await b.send("lz", "帮助")).join("\n")).toContain("预警：发布预警 · 收到 · 预警 · 解除预警 · 升级预警");
  });
});

describe("a priority prompt that runs out", () => {
  it("the measures question expiring gives the hazard report back, answers kept, with one notice", async () => {
    const b = await startBot({ bind: { u1: "13800000007", lwd: "13800000002" } });
    bots.push(b);
    const u1 = async (t: string) => texts((await b.send("u1", t)).filter((m) => m.chatId === "dm-u1")).join("\n");
    await u1("上报隐患");
    await u1("泡里村加油站");
    await u1("消防");
    for (const t of ["发布预警", "地质灾害", "橙", "高坪村后山出现裂缝，请做好群众转移准备", "渠阳镇", "网格员", "确认并报告措施", "跳过", "确认"]) await b.send("lwd", t);
    expect(await u1("收到")).toContain("请简要报告已采取的防范措施");
    // No answer to the measures question for a long while.
    const out = (await b.advance(3 * 60 * 60_000)).filter((m) => m.chatId === "dm-u1").map((m) => m.text);
    const notice = out.find((t) => t.includes("已自动关闭"));
    expect(notice).toContain("接着填写刚才的「隐患上报」");
    expect(notice).toContain("请描述隐患情况");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1", status: "open" } });
    expect(s.flowId).toBe("hazard-report");
    expect(JSON.parse(s.state).flow.answers).toMatchObject({ place: { text: "泡里村加油站" }, sector: "人员密集场所/消防" });
    expect(await u1("灭火器过期，压力不足")).toContain("隐患等级");
  });
});

describe("how long a dialog waits", () => {
  it("a hazard report waits hours, not 30 minutes, and its expiry names the word to start again", async () => {
    const { b, say } = await bot();
    await say("上报隐患");
    await say("泡里村加油站");
    expect((await b.advance(60 * 60_000)).filter((m) => m.text.includes("已自动关闭"))).toEqual([]);
    expect(await say("消防")).toContain("请描述隐患情况");
    const out = await b.advance(5 * 60 * 60_000);
    const gone = out.find((m) => m.text.includes("已自动关闭"));
    expect(gone?.text).toBe("「隐患上报」超过240分钟没有回复，已自动关闭，填写的内容未提交。需要时请重新发送「上报隐患」。");
  });

  it("in a group, the expiry of a dialog that waited hours is not posted into the group", async () => {
    const { b } = await bot();
    await b.send("u1", "上报隐患", { group: true });
    const out = await b.advance(5 * 60 * 60_000);
    expect(out.filter((m) => m.text.includes("已自动关闭"))).toEqual([]);
    expect(await b.app.store.db.auditLog.count({ where: { action: "session.expire" } })).toBe(1);
  });
});

describe("one-message patrols however they are typed", () => {
  it.each([
    ["巡查正常", 0, 0], ["巡查，正常", 0, 0], ["今天巡查了5家企业，发现隐患1处", 5, 1], ["巡查 检查五家 发现隐患一处", 5, 1],
    ["巡查 检查5家企业 发现2处隐患", 5, 2], ["巡查 正常。", 0, 0], ["巡查 正常👍", 0, 0],
  ])("%s", async (text, visited, hazards) => {
    const { b, say } = await bot();
    expect(await say(text)).toContain(`今日巡查日报已报送：检查${visited}家，发现隐患${hazards}处。`);
    const r = await b.app.store.db.routineReport.findFirstOrThrow({ where: { routine: "patrol" }, orderBy: { id: "desc" } });
    expect(JSON.parse(r.data ?? "{}")).toMatchObject({ visited, hazards });
  });
});
