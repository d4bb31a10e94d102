/**
 * A chief's question in plain Chinese — "本周隐患情况", "渠阳镇10月整改率",
 * "今天谁没签到", "这次预警叫应率" — read into period, region and topic.
 * Pure: the region names come in as a list.
 */
import { addDays, fromLocal, localParts, startOfLocalDay, toLocalDate } from "../../time/shanghai.js";
import { parseChineseDate, parseSmallNumber } from "../../time/chinese-date.js";
import { parsePeriod, type Period } from "../../domain/period.js";
import { findRegionIn } from "../org/index.js";

export { findRegionIn };

export type Topic = "hazard" | "patrol" | "duty" | "warning" | "all";

export interface StatsQuery {
  period: Period;
  /** The period before (环比) and the same period a year earlier (同比). */
  previous: Period;
  lastYear: Period;
  regionPath?: string;
  topic: Topic;
  /** "谁没签到", "哪些人没报": names, not only figures. */
  who: boolean;
  /** "这次预警": the latest warning rather than a period's. */
  latest: boolean;
  /** The question named a period (else `period` is this month, the default). */
  periodGiven: boolean;
}

const TOPICS: [RegExp, Topic][] = [
  [/隐患|整改|销号|挂牌/, "hazard"],
  [/巡查|日报|网格员|没报|未报|漏报/, "patrol"],
  [/值班|签到|交班/, "duty"],
  [/预警|叫应/, "warning"],
];

const days = (p: Period) => Math.round((p.to.getTime() - p.from.getTime()) / 86_400_000);
const shiftYear = (d: Date, n: number) => {
  const p = localParts(d);
  return fromLocal(p.year + n, p.month, p.day, p.hour, p.minute);
};

function quarter(y: number, q: number): Period {
  return { from: fromLocal(y, 3 * q - 2, 1), to: q === 4 ? fromLocal(y + 1, 1, 1) : fromLocal(y, 3 * q + 1, 1), kind: "quarter", label: `${y}年第${q}季度` };
}

/** Finds the period words in a question; returns the period and the text around it. */
/** How a named period compares with the one before it: a month with the last month, days with as many days before. */
const kindFor = (p: Period): "month" | "quarter" | "year" | "days" => (p.kind === "month" || p.kind === "quarter" || p.kind === "year" ? p.kind : "days");

function findPeriod(t: string, now: Date): { period: Period; kind: "month" | "quarter" | "year" | "days" } | null {
  const p = localParts(now);
  let m = /(?:(\d{4})年)?第?([一二三四1-4])季度/.exec(t);
  if (m) return { period: quarter(m[1] ? Number(m[1]) : p.year, parseSmallNumber(m[2]!) ?? Number(m[2])), kind: "quarter" };
  if (/本季度|这个季度/.test(t)) return { period: quarter(p.year, Math.ceil(p.month / 3)), kind: "quarter" };
  if (/上季度|上个季度/.test(t)) { const q = Math.ceil(p.month / 3) - 1; return { period: q === 0 ? quarter(p.year - 1, 4) : quarter(p.year, q), kind: "quarter" }; }
  m = /(\d{1,2}月\d{1,2}[日号])(?:到|至|-|—|~)(\d{1,2}月)?(\d{1,2})[日号]?/.exec(t);
  if (m) {
    const a = parseChineseDate(m[1]!, now, false);
    const b = parseChineseDate(`${m[2] ?? `${m[1]!.split("月")[0]}月`}${m[3]}日`, now, false);
    if (a.ok && b.ok && a.value.date <= b.value.date) {
      return { period: { from: startOfLocalDay(a.value.date), to: startOfLocalDay(addDays(b.value.date, 1)), kind: "range", label: `${a.value.date}至${b.value.date}` }, kind: "days" };
    }
  }
  m = /(?:近|最近)(\d{1,3}|[一二三四五六七八九十]{1,3})天/.exec(t);
  if (m) {
    const n = parseSmallNumber(m[1]!)!;
    const first = addDays(toLocalDate(now), 1 - n);
    return { period: { from: startOfLocalDay(first), to: startOfLocalDay(addDays(toLocalDate(now), 1)), kind: "range", label: `近${n}天` }, kind: "days" };
  }
  for (const w of ["今天", "今日", "昨天", "本周", "这周", "上周", "本月", "这个月", "上月", "上个月", "今年", "本年", "去年"]) {
    if (t.includes(w)) return { period: parsePeriod(w, now)!, kind: kindFor(parsePeriod(w, now)!) };
  }
  m = /(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?/.exec(t);
  if (m) {
    const per = parsePeriod(m[0].replace(/份$/, ""), now);
    if (per) return { period: per, kind: "month" };
  }
  m = /(\d{4})年/.exec(t);
  if (m) { const y = Number(m[1]); return { period: { from: fromLocal(y, 1, 1), to: fromLocal(y + 1, 1, 1), kind: "year", label: `${y}年` }, kind: "year" }; }
  return null;
}

export function parseStatsQuery(text: string, now: Date, regions: { name: string; path: string }[]): StatsQuery {
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  const found = findPeriod(t, now);
  const period = found?.period ?? parsePeriod("本月", now)!;
  const kind = found?.kind ?? "month";
  const n = days(period);
  let previous: Period;
  if (kind === "month") { const p = localParts(period.from); previous = parsePeriod(`${p.month === 1 ? p.year - 1 : p.year}年${p.month === 1 ? 12 : p.month - 1}月`, now) ?? period; }
  else if (kind === "quarter") { const p = localParts(period.from); const q = Math.ceil(p.month / 3); previous = q === 1 ? quarter(p.year - 1, 4) : quarter(p.year, q - 1); }
  else if (kind === "year") { const y = localParts(period.from).year - 1; previous = { from: fromLocal(y, 1, 1), to: fromLocal(y + 1, 1, 1), kind: "year", label: `${y}年` }; }
  else previous = { from: new Date(period.from.getTime() - n * 86_400_000), to: period.from, kind: period.kind, label: `前${n}天` };
  const lastYear: Period = { from: shiftYear(period.from, -1), to: shiftYear(period.to, -1), kind: period.kind, label: `去年同期` };
  const topic = TOPICS.find(([re]) => re.test(t))?.[1] ?? "all";
  const regionPath = findRegionIn(t, regions);
  const who = /谁(没|未|还没)|哪些人(没|未)|哪几个人(没|未)/.test(t);
  const latest = topic === "warning" && /这次|本次|最近一次|最新|刚才/.test(t);
  return { period, previous, lastYear, ...(regionPath ? { regionPath } : {}), topic, who, latest, periodGiven: found !== null };
}

/** Does this read like a question about figures (so the router may hand it to the stats command)? */
export function looksLikeStatsQuestion(text: string): boolean {
  const t = text.normalize("NFKC").replace(/\s+/g, "");
  const topic = TOPICS.some(([re]) => re.test(t));
  if (/(情况|统计|多少|几处|几个|几起|整改率|叫应率|签到率|报送率|谁没|谁未|谁还没|哪些人没|汇总)/.test(t) && (topic || /统计|汇总/.test(t))) return true;
  // A bare "甘溪乡10月隐患": a period and a topic in a few words, not a remark ("今天隐患排查很辛苦").
  const period = /(今天|昨天|本周|上周|这周|本月|上月|今年|去年|季度|\d+月|[一二三四五六七八九十]+月|近\d+天)/.test(t);
  return period && topic && [...t].length <= 15 && !/[很了吧呢啊嘛吗我你他她]/.test(t);
}

/**
 * A command word followed at once (no space) by what reads like its argument:
 * a period ("月报10月"), or one of the command's own words (`also`: "导出周报", "图表趋势").
 */
export function commandWithArgs(words: readonly string[], also?: RegExp): (norm: string) => boolean {
  const starts = (rest: string) => PERIOD_START.test(rest) || (also?.test(rest) ?? false);
  return (norm) => words.some((w) => norm.startsWith(w) && starts(norm.slice(w.length)));
}

/** How a period (or a region-less rollup word) begins: 10月, 十月, 上周, 本月, 今年, 去年, 近7天, 第三季度, 2026年. */
export const PERIOD_START = /^(\d|[一二三四五六七八九十]+月|上|本|这|今|去|近|最近|第)/;
