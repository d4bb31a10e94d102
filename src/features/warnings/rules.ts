/**
 * Warnings (预警) and call-and-response (叫应): vocabulary, levels, the cycle
 * settings per level, reading an official warning text, and the status figures.
 */
import { foldFullWidth, stripArgStart } from "../../core/normalize.js";
import { say, type Say } from "../../prompts/catalog.js";
import { parseSmallNumber } from "../../time/chinese-date.js";

export const WARNING_TYPES = ["暴雨", "台风", "寒潮", "大风", "干旱", "高温", "森林火险", "地质灾害", "山洪", "暴雪", "雷电", "冰雹", "大雾", "其他"] as const;
export const WARNING_LEVELS = ["蓝", "黄", "橙", "红"] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** Other words for a type, read by the type step and the official text alike. */
export const WARNING_TYPE_ALIASES: Record<string, (typeof WARNING_TYPES)[number]> = {
  森林火灾: "森林火险", 山火: "森林火险", 林火: "森林火险", 森林防火: "森林火险", 地灾: "地质灾害", 滑坡: "地质灾害", 山体滑坡: "地质灾害",
  泥石流: "地质灾害", 崩塌: "地质灾害", 洪水: "山洪", 山洪灾害: "山洪", 强降雨: "暴雨", 降雨: "暴雨", 大雨: "暴雨", 雷雨大风: "大风",
  雷暴: "雷电", 强对流: "雷电", 霜冻: "其他", 道路结冰: "其他", 沙尘暴: "其他", 霾: "其他", 低温: "寒潮", 降温: "寒潮", 旱情: "干旱",
};

/**
 * A level as warnings are graded: colour, or the response grade (Ⅳ级 蓝 … Ⅰ级 红) in
 * Roman, Chinese or Arabic numerals. Read by the level step and the official text alike.
 */
export const WARNING_LEVEL_ALIASES: Record<string, WarningLevel> = Object.fromEntries(
  (["蓝", "黄", "橙", "红"] as const).flatMap((c, i) => {
    const grade = 4 - i;
    const roman = ["", "i", "ii", "iii", "iv"][grade]!;
    const cn = ["", "一", "二", "三", "四"][grade]!;
    return [`${c}色`, `${c}色预警`, `${c}色预警信号`, `${roman}级`, `${cn}级`, `${grade}级`, `${roman}级预警`, `${cn}级预警`].map((w) => [w, c]);
  }),
);

/** The level said in a text (`暴雨橙色预警`, `Ⅲ级`), if one and only one. */
export function levelIn(text: string): WarningLevel | undefined {
  const t = text.normalize("NFKC").toLowerCase();
  const colour = new Set([...t.matchAll(/(蓝|黄|橙|红)色/g)].map((m) => m[1] as WarningLevel));
  const graded = new Set([...t.matchAll(/(iv|iii|ii|i|四|三|二|一|[1-4])级/g)].map((m) => WARNING_LEVEL_ALIASES[`${m[1]}级`]!));
  const all = new Set([...colour, ...graded]);
  return all.size === 1 ? [...all][0] : undefined;
}

export interface CycleSettings {
  recallMinutes: number;
  cycles: number;
  /** Superiors are told after this many unanswered calls. */
  escalateAfter: number;
  /** How long the warning stays active. */
  hours: number;
}

/** A red warning re-calls sooner and escalates faster. */
export const DEFAULT_CYCLES: Record<WarningLevel, CycleSettings> = {
  蓝: { recallMinutes: 60, cycles: 3, escalateAfter: 2, hours: 24 },
  黄: { recallMinutes: 30, cycles: 4, escalateAfter: 2, hours: 24 },
  橙: { recallMinutes: 20, cycles: 4, escalateAfter: 1, hours: 24 },
  红: { recallMinutes: 10, cycles: 6, escalateAfter: 1, hours: 48 },
};

export function levelRank(l: string): number {
  return (WARNING_LEVELS as readonly string[]).indexOf(l);
}

/** Picks type and level out of an official text: "…发布暴雨橙色预警信号…". */
export function parseOfficialWarning(text: string): { type?: string; level?: WarningLevel } {
  const t = text.normalize("NFKC");
  const m = /(暴雨|台风|寒潮|大风|干旱|高温|森林火险|森林火灾|地质灾害|山洪|暴雪|雷电|冰雹|大雾)(?:灾害)?(?:气象风险)?(蓝|黄|橙|红)色?预警/.exec(t);
  if (!m) {
    const level = levelIn(t);
    const type = WARNING_TYPES.find((x) => x !== "其他" && t.includes(x));
    return { ...(type ? { type } : {}), ...(level ? { level } : {}) };
  }
  return { type: m[1] === "森林火灾" ? "森林火险" : m[1]!, level: m[2] as WarningLevel };
}

export interface WarningFigures {
  total: number;
  confirmed: number;
  unreachable: number;
  /** 叫应率: confirmed / total, as a percentage string. */
  rate: string;
  /** Median minutes from issue to confirmation, or null when nobody confirmed. */
  medianMinutes: number | null;
}

export function figures(targets: { status: string; confirmedAt: Date | null }[], issuedAt: Date): WarningFigures {
  const confirmed = targets.filter((t) => t.status === "已确认" && t.confirmedAt);
  const mins = confirmed.map((t) => (t.confirmedAt!.getTime() - issuedAt.getTime()) / 60_000).sort((a, b) => a - b);
  const mid = mins.length === 0 ? null : mins.length % 2 ? mins[(mins.length - 1) / 2]! : (mins[mins.length / 2 - 1]! + mins[mins.length / 2]!) / 2;
  return {
    total: targets.length,
    confirmed: confirmed.length,
    unreachable: targets.filter((t) => t.status === "无法送达").length,
    rate: targets.length ? `${((confirmed.length / targets.length) * 100).toFixed(1)}%` : "—",
    medianMinutes: mid === null ? null : Math.round(mid * 10) / 10,
  };
}

export function warningNumber(date: string, seq: number): string {
  return `YJ-${date.replace(/-/g, "")}-${String(seq).padStart(2, "0")}`;
}

export const WARNING_NUMBER = /^YJ-\d{8}-\d{2,}$/i;

/** A warning number as people type it (any case or dash, full-width, glued to the next word); `rest` is what follows. */
export function findWarningNumber(text: string): { number: string; rest: string } | null {
  const folded = foldFullWidth(text);
  const m = /y\s*j\s*[-_—–·.]?\s*(\d{8})\s*[-_—–·.]?\s*(\d{2,})(?!\d)/i.exec(folded);
  return m ? { number: `YJ-${m[1]}-${m[2]}`, rest: stripArgStart(text.slice(m.index + m[0].length)) } : null;
}

/**
 * The issuer's own cycle settings, any part of: `间隔15分钟 5轮 2轮后上报 12小时`.
 * Returns null when nothing could be read.
 */
export function parseCycleSettings(text: string, base: CycleSettings): CycleSettings | null {
  // Numbers in digits or Chinese numerals (`间隔十五分钟 五轮`), read as counts are read everywhere.
  const t = text.normalize("NFKC").replace(/\s+/g, "").replace(/半小时/g, "30分钟").replace(/[零〇一二两三四五六七八九十百]+(?=分钟|轮|个?小时)/g, (w) => String(parseSmallNumber(w) ?? w)).replace(/个小时/g, "小时");
  const num = (re: RegExp) => { const m = re.exec(t); return m ? Number(m[1]) : undefined; };
  const recall = num(/(?:间隔|每)?(\d+)分钟/);
  const escalate = num(/(\d+)轮(?:后|未确认)?(?:上报|升级)/);
  const cycles = num(/(?:共|叫应)?(\d+)轮(?!后|未确认|上报|升级)/);
  const hours = num(/(\d+)小时/);
  if ([recall, escalate, cycles, hours].every((x) => x === undefined)) return null;
  const out = { recallMinutes: recall ?? base.recallMinutes, cycles: cycles ?? base.cycles, escalateAfter: escalate ?? base.escalateAfter, hours: hours ?? base.hours };
  const ok = out.recallMinutes >= 1 && out.recallMinutes <= 1440 && out.cycles >= 0 && out.cycles <= 50 && out.escalateAfter >= 1 && out.hours >= 1 && out.hours <= 720;
  return ok ? out : null;
}

/** A warning's state as said: 生效中 / 已解除 / 已结束. */
export function warningState(status: string): Say {
  return say(status === "active" ? "warning.state.active" : status === "lifted" ? "warning.state.lifted" : "warning.state.ended");
}
