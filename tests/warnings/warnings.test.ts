import { afterEach, describe, expect, it } from "vitest";
import { MemoryChannel } from "../../src/channels/memory.js";
import { SendError } from "../../src/core/channel.js";
import { figures, parseCycleSettings, parseOfficialWarning } from "../../src/features/warnings/rules.js";
import { validateRoster } from "../../src/features/org/roster-rules.js";
import { bindIdentity, ensureRegionPath, importRoster, registerGroup } from "../../src/features/org/repo.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDbUrl } from "../helpers/tmp.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop().catch(() => undefined);
  bots = [];
});
const MIN = 60_000;

/** 演练县: a county leader, 3 township leaders, 30 villages × 10 grid members, a 网格群 per village. */
async function drillCounty(b: TestBot) {
  const rows: string[][] = [["姓名", "手机号", "区域", "角色"], ["县长", "13600000000", "演练县", "局领导"]];
  for (let t = 0; t < 3; t++) rows.push([`镇长${t}`, `1360000010${t}`, `演练县/镇${t}`, "局领导"]);
  for (let i = 0; i < 300; i++) rows.push([`网格员${i}`, `137${String(10_000_000 + i)}`, `演练县/镇${Math.floor(i / 100)}/村${Math.floor(i / 10)}/网格${i % 10}`, "网格员"]);
  const v = validateRoster(rows);
  expect(v.errors).toEqual([]);
  const now = b.clock.now();
  await importRoster(b.app.store.db, v.rows, { actor: "test", now });
  await b.app.store.db.$transaction(async (tx) => {
    const people = await tx.person.findMany({ where: { mobile: { startsWith: "13" } }, select: { id: true, mobile: true } });
    for (const p of people) {
      const account = p.mobile.startsWith("137") ? `p${Number(p.mobile.slice(3)) - 10_000_000}` : p.mobile === "13600000000" ? "county" : `town${p.mobile.slice(-1)}`;
      if (p.mobile.startsWith("137") || p.mobile.startsWith("136")) await bindIdentity(tx, { channel: "memory", platformUserId: account, personId: p.id, by: "test", actor: "test" }, now);
    }
    for (let v2 = 0; v2 < 30; v2++) {
      const r = await ensureRegionPath(tx, `演练县/镇${Math.floor(v2 / 10)}/村${v2}`);
      await registerGroup(tx, { channel: "memory", chatId: `村${v2}群`, regionId: r.id, purpose: "网格群", actor: "test" }, now);
    }
  });
}

async function issueYellow(b: TestBot): Promise<string> {
  await b.send("county", "发布预警 演练县气象台发布暴雨黄色预警信号：预计未来6小时内将出现50毫米以上降雨");
  await b.send("county", "演练县");
  await b.send("county", "网格员");
  await b.send("county", "仅确认收到");
  await b.send("county", "跳过");
  await b.send("county", "确认");
  return (await b.app.store.db.warning.findFirstOrThrow({ orderBy: { id: "desc" } })).number;
}

describe("warning text and figures", () => {
  it("reads type and level from an official text", () => {
    expect(parseOfficialWarning("渠阳县气象台2026年7月1日16时发布暴雨橙色预警信号")).toEqual({ type: "暴雨", level: "橙" });
    expect(parseOfficialWarning("森林火险红色预警")).toEqual({ type: "森林火险", level: "红" });
    expect(parseOfficialWarning("地质灾害气象风险黄色预警")).toEqual({ type: "地质灾害", level: "黄" });
    expect(parseOfficialWarning("明天有雨")).toEqual({});
  });
  it("reads the issuer's own cycle settings", () => {
    const base = { recallMinutes: 30, cycles: 4, escalateAfter: 2, hours: 24 };
    expect(parseCycleSettings("间隔15分钟 5轮 2轮后上报 12小时", base)).toEqual({ recallMinutes: 15, cycles: 5, escalateAfter: 2, hours: 12 });
    expect(parseCycleSettings("每10分钟", base)).toEqual({ ...base, recallMinutes: 10 });
    expect(parseCycleSettings("3轮未确认上报", base)).toEqual({ ...base, escalateAfter: 3 });
    expect(parseCycleSettings("尽快", base)).toBeNull();
    expect(parseCycleSettings("间隔0分钟", base)).toBeNull();
  });

  it("computes the confirm rate and the median time", () => {
    const t0 = new Date("2026-11-25T00:00:00Z");
    const at = (m: number) => new Date(t0.getTime() + m * MIN);
    expect(figures([{ status: "已确认", confirmedAt: at(2) }, { status: "已确认", confirmedAt: at(10) }, { status: "未确认", confirmedAt: null }, { status: "已确认", confirmedAt: at(4) }], t0))
      .toEqual({ total: 4, confirmed: 3, unreachable: 0, rate: "75.0%", medianMinutes: 4 });
  });
});

describe("call and response (fake clock, 300 targets in 30 groups)", () => {
  it("re-calls only the silent, escalates exactly the never-confirmed to their superiors, and counts exactly", async () => {
    const b = await startBot({ bind: { u1: "13800000007" } });
    bots.push(b);
    await drillCounty(b);
    const t0 = b.clock.now();
    const n = await issueYellow(b);
    expect(texts(b.channel.sent.filter((m) => m.chatId === "dm-county")).at(-1)).toBe(`预警 ${n} 已发布：点对点发送给300人、30个工作群。未确认的人员每30分钟再次叫应，超时逐级上报。发送「预警 ${n} 情况」查看叫应情况。`);
    const notices = b.channel.sent.filter((m) => m.text.startsWith("【暴雨黄色预警】"));
    expect(notices.filter((m) => /^p\d+$/.test(m.chatId))).toHaveLength(300);
    expect(notices.filter((m) => m.chatId.endsWith("群"))).toHaveLength(30);
    expect(new Set(notices.map((m) => m.chatId)).size).toBe(330); // one each, no duplicates

    // 80 % confirm within the first cycle (30 min for yellow).
    const group = (i: number) => i % 20; // 0..15 confirm in cycle 1 (80 %), 16..18 in cycle 2 (15 %), 19 never (5 %)
    for (let i = 0; i < 300; i++) if (group(i) < 16) { b.clock.advance(1000); await b.send(`p${i}`, "收到"); }
    let out = await b.advance(30 * MIN);
    const recall1 = out.filter((m) => m.text.startsWith("【再次叫应·第1轮】")).map((m) => m.chatId);
    expect(recall1.sort()).toEqual(Array.from({ length: 300 }, (_, i) => i).filter((i) => group(i) >= 16).map((i) => `p${i}`).sort());
    expect(out.filter((m) => m.text.startsWith("🔴"))).toEqual([]); // yellow escalates after 2 cycles
    for (let i = 0; i < 300; i++) if (group(i) >= 16 && group(i) < 19) await b.send(`p${i}`, "收到");
    out = await b.advance(30 * MIN);
    const never = Array.from({ length: 300 }, (_, i) => i).filter((i) => group(i) === 19);
    expect(out.filter((m) => m.text.startsWith("【再次叫应·第2轮】")).map((m) => m.chatId).sort()).toEqual(never.map((i) => `p${i}`).sort());
    // Exactly the never-confirmed, to their own township's leader.
    const esc = out.filter((m) => m.text.startsWith("🔴【叫应上报】"));
    expect(esc.map((m) => m.chatId).sort()).toEqual(["town0", "town1", "town2"]);
    for (const m of esc) {
      const t = Number(m.chatId.slice(-1));
      const mine = never.filter((i) => Math.floor(i / 100) === t);
      expect(m.text).toContain(`演练县/镇${t} 有${mine.length}人多次叫应仍未确认`);
      for (const i of mine) expect(m.text).toContain(`网格员${i}（`);
      for (const i of never.filter((x) => Math.floor(x / 100) !== t)) expect(m.text).not.toContain(`网格员${i}（`);
    }
    // Cycle 4 (2 × 2): the county leader.
    out = await b.advance(60 * MIN);
    const county = out.filter((m) => m.text.startsWith("🔴【叫应上报】") && m.chatId === "county");
    expect(county).toHaveLength(1);
    expect(county[0]!.text).toContain(`演练县 有${never.length}人`);

    const [st] = (await b.send("county", `预警 ${n} 情况`)).filter((m) => m.chatId === "dm-county");
    expect(st!.text).toContain(`已确认 285/300 人，叫应率 95.0%`);
    expect(st!.text).toContain("发送405条，已送达405条"); // 300 notices + 60 + 15 + 15 + 15 re-calls
    const confirmed = await b.app.store.db.warningTarget.findMany({ where: { status: "已确认" } });
    const med = figures(confirmed, t0).medianMinutes;
    expect(st!.text).toContain(`确认用时中位数 ${med}分钟`);
    expect(st!.text).toContain("· 演练县/镇0/村1 未确认1人：网格员19");
    expect(st!.text.split("\n")).toHaveLength(1 + 15);
    // Nobody confirmed was ever called again.
    const recalled = new Set(b.channel.sent.filter((m) => m.text.startsWith("【再次叫应")).map((m) => m.chatId));
    for (let i = 0; i < 300; i++) if (group(i) < 16) expect(recalled.has(`p${i}`)).toBe(false);
  }, 120_000); // 300 targets through many re-call rounds: heavy on a loaded 2-core machine (a guard, not a speed check)

  it("takes 收到 however people type it, privately and in their group, and re-calls nobody who answered", async () => {
    const b = await startBot({ bind: { u1: "13800000007" } });
    bots.push(b);
    await drillCounty(b);
    await issueYellow(b);
    const ways = ["收到！", "收到。", "已收到", "好的，收到", "👌", "收到了", "收到收到", "好的收到🙏", "明白", "已知悉", "ok收到", "收到，马上落实", "1"];
    for (const [i, w] of ways.entries()) await b.send(`p${i}`, w);
    // In the village group (村2群 holds p20…p29): typed there without @, the same words count, and "1" (WeChat's button).
    for (const [i, w] of ["收到了", "收到！", "👍", "1"].entries()) await b.send(`p${20 + i}`, w, { group: true, chat: "村2群" });
    const confirmed = await b.app.store.db.warningTarget.count({ where: { confirmedAt: { not: null } } });
    expect(confirmed).toBe(ways.length + 4);
    const out = await b.advance(30 * MIN);
    const recalled = new Set(out.filter((m) => m.text.startsWith("【再次叫应·第1轮】")).map((m) => m.chatId));
    for (const i of [...ways.keys(), 20, 21, 22, 23]) expect(recalled.has(`p${i}`)).toBe(false);
    expect(recalled.has("p13")).toBe(true);
  });

  it("a warning asking for measures, mid-hazard-report: 收到 and the measures go first, then the report resumes; nothing is lost", async () => {
    const b = await startBot({ bind: { u1: "13800000007", lwd: "13800000002" } });
    bots.push(b);
    const u1 = async (t: string) => texts((await b.send("u1", t)).filter((m) => m.chatId === "dm-u1") as never).join("\n");
    await u1("上报隐患");
    await u1("泡里村加油站");
    expect(await u1("消防")).toContain("请描述隐患情况");
    for (const t of ["发布预警", "地质灾害", "橙", "高坪村后山出现裂缝，请做好群众转移准备", "渠阳镇", "网格员", "确认并报告措施", "跳过", "确认"]) await b.send("lwd", t);
    const w = await b.app.store.db.warning.findFirstOrThrow();
    const ack = await u1("收到！");
    expect(ack).toContain(`已确认收到预警 ${w.number}`);
    expect(ack).toContain("请简要报告已采取的防范措施");
    const back = await u1("已通知后山5户撤离");
    expect(back).toContain(`已记录预警 ${w.number} 的防范措施。`);
    expect(back).toContain("接着填写刚才的「隐患上报」：");
    expect(back).toContain("请描述隐患情况");
    const me = await b.app.store.db.person.findUniqueOrThrow({ where: { mobile: "13800000007" } });
    expect((await b.app.store.db.warningTarget.findFirstOrThrow({ where: { personId: me.id } })).measures).toBe("已通知后山5户撤离");
    // The report goes on where it was, with its answers kept.
    expect(await u1("灭火器过期，压力不足")).toContain("隐患等级");
    const s = await b.app.store.db.flowSession.findFirstOrThrow({ where: { senderId: "u1" } });
    expect(JSON.parse(s.state).flow.answers).toMatchObject({ place: { text: "泡里村加油站" }, sector: "人员密集场所/消防", description: "灭火器过期，压力不足" });
    // And the next one-message patrol works as itself.
    expect(await u1("巡查 正常")).toContain("今日巡查日报已报送");
  });

  it("keeps grid members from issuing or lifting warnings", async () => {
    const b = await startBot({ bind: { u1: "13800000007", duty: "13800000003" } });
    bots.push(b);
    expect(texts(await b.send("u1", "发布预警"))[0]).toContain("你没有使用「发布预警」的权限");
    expect(texts(await b.send("u1", "解除预警 YJ-20261125-01"))[0]).toContain("你没有使用「解除预警」的权限");
    const denied = await b.app.store.db.auditLog.count({ where: { action: "command.denied", actor: "memory:u1" } });
    expect(denied).toBe(2);
  });

  it("asks for measures, upgrades, lifts, and sends a closing summary when a warning ends", async () => {
    const b = await startBot({ bind: { u1: "13800000007", a: "13800000008", u2: "13800000009", lwd: "13800000002" } });
    bots.push(b);
    const mine = (ms: { chatId: string; text: string }[], who: string) => texts(ms.filter((m) => m.chatId === `dm-${who}`) as never);
    await b.send("lwd", "发布预警");
    await b.send("lwd", "地质灾害");
    await b.send("lwd", "橙");
    await b.send("lwd", "高坪村后山出现裂缝，请做好群众转移准备");
    await b.send("lwd", "渠阳镇");
    await b.send("lwd", "网格员");
    await b.send("lwd", "确认并报告措施");
    expect(texts(await b.send("lwd", "间隔20分钟 4轮 1轮后上报 24小时") as never).join()).toContain("· 叫应设置：每20分钟叫应，共4轮，1轮未确认上报，24小时后结束");
    await b.send("lwd", "确认");
    const w = await b.app.store.db.warning.findFirstOrThrow();
    expect(w).toMatchObject({ type: "地质灾害", level: "橙", response: "measures", recallMinutes: 20 });
    // 收到 then the measures.
    const ack = mine(await b.send("u1", "收到"), "u1");
    expect(ack.join("\n")).toContain(`已确认收到预警 ${w.number}`);
    expect(ack.join("\n")).toContain("请简要报告已采取的防范措施");
    expect(mine(await b.send("u1", "已通知后山5户撤离"), "u1")).toEqual([`已记录预警 ${w.number} 的防范措施。`]);
    expect((await b.app.store.db.warningTarget.findFirstOrThrow({ where: { personId: (await b.app.store.db.person.findUniqueOrThrow({ where: { mobile: "13800000007" } })).id } })).measures).toBe("已通知后山5户撤离");
    // Upgrade to red: faster re-calls from now on; a downgrade is refused.
    expect(mine(await b.send("lwd", `升级预警 ${w.number} 黄`), "lwd")).toEqual(["升级后的等级须高于当前的橙色。"]);
    expect(mine(await b.send("lwd", `升级预警 ${w.number} 红`), "lwd")).toEqual([`预警 ${w.number} 已升级为红色，叫应间隔按红色预警执行。`]);
    expect(await b.app.store.db.warning.findFirstOrThrow()).toMatchObject({ level: "红", recallMinutes: 10 });
    // Ends after its cycles: the issuer gets the closing summary.
    const out = await b.advance(24 * 60 * MIN);
    const end = out.filter((m) => m.chatId === "lwd" && m.text.includes("已结束"));
    expect(end).toHaveLength(1);
    expect(end[0]!.text).toContain(`预警 ${w.number}（地质灾害红色，已结束`);
    expect(mine(await b.send("lwd", `解除预警 ${w.number}`), "lwd")).toEqual([`预警 ${w.number} 已解除或已结束。`]);
  });

  it("lifts an active warning with a notice to its groups", async () => {
    const b = await startBot({ bind: { u1: "13800000007", lwd: "13800000002", lz: "13800000005" } });
    bots.push(b);
    await b.send("lwd", "发布预警 暴雨蓝色预警");
    await b.send("lwd", "渠阳镇");
    await b.send("lwd", "网格员");
    await b.send("lwd", "仅确认收到");
    await b.send("lwd", "跳过");
    await b.send("lwd", "确认");
    const w = await b.app.store.db.warning.findFirstOrThrow();
    // A warning is lifted where it was issued: the township's leader may not lift the county's.
    expect(texts(await b.send("lz", `解除预警 ${w.number}`) as never).join()).toBe(`预警 ${w.number} 由李卫东（示范县）发布，解除或升级须由发布人或该级领导办理。`);
    expect((await b.app.store.db.warning.findFirstOrThrow()).status).toBe("active");
    expect(texts(await b.send("lwd", `解除预警 ${w.number}`) as never).join()).toContain(`预警 ${w.number} 已解除`);
    const lifted = b.channel.sent.filter((m) => m.text === `【预警解除】${w.number} 暴雨蓝色预警已解除。`);
    expect(lifted.map((m) => m.chatId)).toEqual(["泡里村网格群"]);
    expect((await b.app.store.db.warning.findFirstOrThrow()).status).toBe("lifted");
  });

  it("resumes a fan-out interrupted by a crash with no duplicate and no gap", async () => {
    const url = tmpDbUrl();
    // First run: the network dies after 120 messages, then the process does.
    const flaky = new MemoryChannel("memory");
    let ok = 120;
    const send = flaky.send.bind(flaky);
    flaky.send = async (m) => (ok-- > 0 ? send(m) : Promise.reject(new SendError("ECONNRESET", true)));
    const b1 = await startBot({ url, channel: flaky, bind: {} });
    await drillCounty(b1);
    await issueYellow(b1);
    await b1.stop();
    const fanout = (ms: { chatId: string; text: string }[]) => ms.filter((m) => !m.chatId.startsWith("dm-") && m.text.includes("暴雨黄色预警")).map((m) => m.chatId);
    const first = fanout(flaky.sent);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(330);

    const b2 = await startBot({ url, now: new Date(b1.clock.now().getTime() + 10 * MIN), bind: {}, demo: false });
    bots.push(b2);
    await b2.app.drain();
    const second = fanout(b2.channel.sent);
    const all = [...first, ...second];
    expect(all).toHaveLength(330);
    expect(new Set(all).size).toBe(330);
  });
});

describe("seasonal reminders from config", () => {
  it("knows a season that wraps over the new year", async () => {
    const { inSeason } = await import("../../src/features/routines/seasonal.js");
    expect(inSeason({ from: "03-28", to: "04-08" }, "2026-04-05")).toBe(true);
    expect(inSeason({ from: "03-28", to: "04-08" }, "2026-04-09")).toBe(false);
    expect(inSeason({ from: "12-01", to: "02-28" }, "2027-01-15")).toBe(true);
    expect(inSeason({ from: "12-01", to: "02-28" }, "2026-11-30")).toBe(false);
  });

  it("posts the configured reminder to the configured groups once a day, in season only", async () => {
    const b = await startBot({ bind: {}, now: new Date("2027-04-07T07:00:00+08:00") });
    bots.push(b);
    let out = await b.advance(60 * MIN + MIN); // 08:01 on 04-07, in the 清明 season
    const fire = out.filter((m) => m.text.startsWith("【森林防火提醒】"));
    expect(fire.map((m) => m.chatId)).toEqual(["泡里村网格群"]);
    out = await b.advance(24 * 60 * MIN); // 04-08: still in season
    expect(out.filter((m) => m.text.startsWith("【森林防火提醒】"))).toHaveLength(1);
    out = await b.advance(24 * 60 * MIN); // 04-09: over
    expect(out.filter((m) => m.text.startsWith("【森林防火提醒】"))).toEqual([]);
  });
});
