import { describe, expect, it } from "vitest";
import { parseQuickHazard, type QuickHazard } from "../../src/features/hazards/quick.js";
import { date } from "../../src/features/inputs.js";

// Wednesday 25 November 2026, 09:00 in Shanghai.
const now = new Date("2026-11-25T09:00:00+08:00");

const CORPUS: [string, QuickHazard][] = [
  ["泡里村加油站 灭火器过期 一般 3天", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", level: "一般", deadline: "2026-11-28" }],
  ["一般 3天 泡里村加油站 灭火器过期", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", level: "一般", deadline: "2026-11-28" }],
  ["泡里村加油站，灭火器过期，一般，3天内", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", level: "一般", deadline: "2026-11-28" }],
  ["泡里村加油站 灭火器过期", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防" }],
  ["灭火器过期", { description: "灭火器过期", sector: "人员密集场所/消防" }],
  ["渠阳镇中心小学 消防通道堵塞 重大 本周五", { place: "渠阳镇中心小学", description: "消防通道堵塞", sector: "人员密集场所/消防", level: "重大", deadline: "2026-11-27" }],
  ["高坪村 山体裂缝 重大隐患 明天", { place: "高坪村", description: "山体裂缝", sector: "防汛/地质灾害", level: "重大", deadline: "2026-11-26" }],
  ["甘溪村三组 液化气瓶放在厨房灶台下 一般 11月30日", { place: "甘溪村三组", description: "液化气瓶放在厨房灶台下", sector: "城镇燃气", level: "一般", deadline: "2026-11-30" }],
  ["双江社区 电梯年检过期 一般隐患 7天", { place: "双江社区", description: "电梯年检过期", sector: "特种设备", level: "一般", deadline: "2026-12-02" }],
  ["某某化工厂 储罐区无防火堤 重大 30天", { place: "某某化工厂", description: "储罐区无防火堤", sector: "危险化学品", level: "重大", deadline: "2026-12-25" }],
  ["工地 脚手架未设连墙件 3天", { sector: "建筑施工", description: "脚手架未设连墙件", deadline: "2026-11-28" }],
  ["建筑 县一中新建宿舍楼 临边防护缺失", { sector: "建筑施工", place: "县一中新建宿舍楼", description: "临边防护缺失" }],
  ["地点：泡里村村委会 问题：配电箱未上锁 期限：三天", { place: "泡里村村委会", description: "配电箱未上锁", deadline: "2026-11-28" }],
  ["位置:渠阳镇农贸市场 描述:电动车在楼道充电 等级:一般", { place: "渠阳镇农贸市场", description: "电动车在楼道充电", sector: "人员密集场所/消防", level: "一般" }],
  ["责任单位：渠阳加油站 地点：泡里村 灭火器过期", { unit: "渠阳加油站", place: "泡里村", description: "灭火器过期", sector: "人员密集场所/消防" }],
  ["行业：烟花爆竹 双江镇某零售店 超量储存", { sector: "烟花爆竹", place: "双江镇某零售店", description: "超量储存" }],
  ["烟花 双江镇某零售店 超量储存 5日内", { sector: "烟花爆竹", place: "双江镇某零售店", description: "超量储存", deadline: "2026-11-30" }],
  ["泡里村 化粪池未设警示标志 一般 下周一", { place: "泡里村", description: "化粪池未设警示标志", sector: "有限空间", level: "一般", deadline: "2026-11-30" }],
  ["林区 有人烧荒 重大 今天", { description: "林区 有人烧荒", sector: "森林防火", level: "重大", deadline: "2026-11-25" }],
  ["渠阳大桥 桥面护栏损坏 交通 10天", { place: "渠阳大桥", description: "桥面护栏损坏", sector: "道路交通", deadline: "2026-12-05" }],
  ["燃气 甘溪村饭店 软管老化", { sector: "城镇燃气", place: "甘溪村饭店", description: "软管老化" }],
  ["２０２６年１２月１日 泡里村加油站 灭火器过期", { deadline: "2026-12-01", place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防" }],
  ["泡里村加油站 灭火器过期 十二月三日", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", deadline: "2026-12-03" }],
  ["泡里村加油站 灭火器过期 月底", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", deadline: "2026-11-30" }],
  ["泡里村加油站 灭火器过期 整改期限：12月5日", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", deadline: "2026-12-05" }],
  ["泡里村加油站 灭火器过期 本周五前", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", deadline: "2026-11-27" }],
  ["泡里村加油站 灭火器过期 12/3", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", deadline: "2026-12-03" }],
  // Things it must not misread:
  ["某化工厂 存在重大危险源未备案", { place: "某化工厂", description: "存在重大危险源未备案" }],
  ["泡里村 一般性问题 路面坑洼", { place: "泡里村", description: "一般性问题 路面坑洼" }],
  ["渠阳镇 2号仓库 堆放杂物", { place: "渠阳镇", description: "2号仓库 堆放杂物" }],
  ["泡里村 三楼走廊 堆放杂物", { place: "泡里村", description: "三楼走廊 堆放杂物" }],
  ["泡里村 燃气管道和电梯都有问题", { place: "泡里村", description: "燃气管道和电梯都有问题" }],
  ["泡里村加油站 灭火器过期 1000天", { place: "泡里村加油站", description: "灭火器过期 1000天", sector: "人员密集场所/消防" }],
  ["泡里村加油站 灭火器过期 2月30日", { place: "泡里村加油站", description: "灭火器过期 2月30日", sector: "人员密集场所/消防" }],
  ["泡里村加油站 灭火器过期 0天", { place: "泡里村加油站", description: "灭火器过期 0天", sector: "人员密集场所/消防" }],
  ["重大 重大 泡里村", { level: "重大", place: "泡里村", description: "重大" }],
  ["3天 5天 泡里村", { deadline: "2026-11-28", place: "泡里村", description: "5天" }],
  ["泡里村 高坪村 滑坡", { place: "泡里村", description: "高坪村 滑坡", sector: "防汛/地质灾害" }],
  ["", {}],
  ["🔥🔥 着火了", { description: "🔥🔥 着火了" }],
  ["等级：很严重 泡里村", { description: "等级：很严重", place: "泡里村" }],
  ["行业：养殖 泡里村 猪圈漏电", { description: "行业：养殖 猪圈漏电", place: "泡里村" }],
  ["期限：尽快 泡里村 灭火器过期", { description: "期限：尽快 灭火器过期", place: "泡里村", sector: "人员密集场所/消防" }],
  ["泡里村加油站\n灭火器过期\n一般\n3天", { place: "泡里村加油站", description: "灭火器过期", sector: "人员密集场所/消防", level: "一般", deadline: "2026-11-28" }],
];

describe("parseQuickHazard", () => {
  it("has a corpus of at least 40 phrasings", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });
  it.each(CORPUS)("%j", (text, expected) => {
    expect(parseQuickHazard(text, now)).toEqual(expected);
  });
});

// One date grammar (issue 14): the one-message report and the dialog's deadline step read every
// deadline the same way, because both call parseChineseDate.
describe("the one-message report and the deadline step agree", () => {
  const step = date({ maxDaysAhead: 366 });
  const ctx = { now, answers: {} } as unknown as Parameters<typeof step.parse>[1];
  it.each([
    "3天", "三天", "3天内", "十天内", "一周内", "1周", "两周", "半个月", "本周内", "下周", "本月内", "月底前", "下月底",
    "12月10日前", "十二月十日", "周五前", "下周三", "3个工作日内", "年底前", "明天", "后天", "2026-12-31", "12/20",
  ])("%s", (phrase) => {
    const s = step.parse({ text: phrase, norm: phrase, attachments: [] }, ctx);
    expect(s.ok).toBe(true);
    const q = parseQuickHazard(`泡里村加油站 灭火器过期 ${phrase}`, now);
    expect(q.deadline).toBe(s.ok ? s.value.date : "unparsed");
    expect(q.description).toBe("灭火器过期");
  });
});
