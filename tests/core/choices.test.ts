/** Reading a choice the way people answer (issue 14): whole words beat substrings; a real ambiguity is asked back. */
import { describe, expect, it } from "vitest";
import { readChoice } from "../../src/core/answers.js";
import { normalizeForMatch } from "../../src/core/normalize.js";
import { LEVELS, SECTOR_ALIASES, SECTORS } from "../../src/features/hazards/rules.js";
import { WARNING_LEVELS, WARNING_TYPES } from "../../src/features/warnings/rules.js";

const pick = (typed: string, options: readonly string[], aliases = {}) => {
  const r = readChoice(normalizeForMatch(typed), [...options], aliases);
  return r === null ? null : "index" in r ? options[r.index] : { ambiguous: r.ambiguous.map((i) => options[i]) };
};

describe("choices as people answer them", () => {
  it.each([
    ["消防", "人员密集场所/消防"], ["农村消防", "农村消防"], ["危化", "危险化学品"], ["危化品", "危险化学品"], ["危险化学品", "危险化学品"],
    ["7", "人员密集场所/消防"], ["第7个", "人员密集场所/消防"], ["七", "人员密集场所/消防"], ["燃气", "城镇燃气"], ["地灾", "防汛/地质灾害"],
    ["防汛", "防汛/地质灾害"], ["地质灾害", "防汛/地质灾害"], ["有限空间。", "有限空间"], ["烟花", "烟花爆竹"], ["森林防火！", "森林防火"],
    ["建筑", "建筑施工"], ["其他", "其他"], ["工贸👌", "工贸"],
  ])("sector %s → %s", (typed, want) => {
    expect(pick(typed, SECTORS, SECTOR_ALIASES)).toBe(want);
  });

  it.each([["一般", "一般"], ["一般隐患", "一般"], ["重大隐患", "重大"], ["重大！", "重大"], ["2", "重大"], ["二", "重大"]])("level %s → %s", (typed, want) => {
    expect(pick(typed, LEVELS)).toBe(want);
  });

  it.each([["暴雨橙色预警", "暴雨"], ["台风", "台风"], ["森林火险", "森林火险"], ["地灾", null]])("warning type %s → %s", (typed, want) => {
    expect(pick(typed, WARNING_TYPES)).toBe(want);
  });

  it.each([["橙色", "橙"], ["红", "红"], ["黄色预警", "黄"], ["Ⅳ级", null]])("warning level %s → %s", (typed, want) => {
    expect(pick(typed, WARNING_LEVELS)).toBe(want);
  });

  it("a whole part beats a substring: 通过 is not 不通过", () => {
    const review = ["通过（销号）", "不通过（退回整改）"];
    expect(pick("通过", review)).toBe("通过（销号）");
    expect(pick("不通过", review)).toBe("不通过（退回整改）");
    expect(pick("退回整改", review)).toBe("不通过（退回整改）");
  });

  it("answers a real ambiguity with the candidates, and nothing with nothing", () => {
    expect(pick("渠阳", ["渠阳镇中心村", "渠阳镇东村", "甘溪乡"])).toEqual({ ambiguous: ["渠阳镇中心村", "渠阳镇东村"] });
    expect(pick("下雨了", SECTORS, SECTOR_ALIASES)).toBeNull();
    expect(pick("15", SECTORS)).toBeNull();
    expect(pick("", SECTORS)).toBeNull();
  });
});
