/**
 * Hazards (隐患排查治理): vocabulary, the closed-loop lifecycle and deadline rules,
 * as plain functions. "隐患就是事故": a hazard is reported, rectified by a deadline,
 * verified and closed (销号); overdue ones escalate.
 */
import { foldFullWidth, stripArgStart } from "../../core/normalize.js";
import { addDays, toLocalDate, type LocalDate } from "../../time/shanghai.js";

export const SECTORS = [
  "危险化学品", "非煤矿山", "烟花爆竹", "工贸", "建筑施工", "道路交通", "人员密集场所/消防",
  "农村消防", "城镇燃气", "特种设备", "有限空间", "森林防火", "防汛/地质灾害", "其他",
] as const;
export type Sector = (typeof SECTORS)[number];

/** Other words people use for a sector: read by the sector step and the one-message report alike. */
export const SECTOR_ALIASES: Record<string, Sector> = {
  危化: "危险化学品", 危化品: "危险化学品", 化工: "危险化学品", 矿山: "非煤矿山", 非煤: "非煤矿山", 烟花: "烟花爆竹",
  建筑: "建筑施工", 工地: "建筑施工", 施工: "建筑施工", 交通: "道路交通", 道路: "道路交通", 消防: "人员密集场所/消防",
  人员密集场所: "人员密集场所/消防", 燃气: "城镇燃气", 特种设备: "特种设备", 森林: "森林防火", 防火: "森林防火",
  防汛: "防汛/地质灾害", 地灾: "防汛/地质灾害", 地质灾害: "防汛/地质灾害",
};


export const LEVELS = ["一般", "重大"] as const;
export type HazardLevel = (typeof LEVELS)[number];

/** A level said as a level (`一般隐患`): read by both the level step and the one-message report. */
export const LEVEL_NAMES: Record<string, HazardLevel> = { 一般隐患: "一般", 重大隐患: "重大", 一般事故隐患: "一般", 重大事故隐患: "重大" };
/** Answers to "隐患等级？" that only make sense as an answer to it (not read out of a one-message report). */
export const LEVEL_ANSWERS: Record<string, HazardLevel> = { ...LEVEL_NAMES, 普通: "一般", 较小: "一般", 轻微: "一般", 一般的: "一般", 不严重: "一般", 严重: "重大", 很严重: "重大", 特别严重: "重大", 重大的: "重大" };
/** Words for a level this bureau does not grade by (`较大`): the level is asked, not guessed. */
export const UNGRADED_LEVELS = ["较大", "较大隐患"];

/** Words inside a description that name one sector beyond doubt (also an answer to the sector step: `液化气`). */
export const SECTOR_HINTS: [RegExp, Sector][] = [
  [/灭火器|消防栓|消火栓|消防通道|安全出口|疏散通道|应急照明|消防设施|电动车.*充电/, "人员密集场所/消防"],
  [/燃气|液化气|液化石油气|天然气|煤气|气瓶/, "城镇燃气"],
  [/电梯|锅炉|压力容器|起重机|叉车/, "特种设备"],
  [/危化品|危险化学品|化学品|储罐|加油站|加气站|油库/, "危险化学品"],
  [/烟花|爆竹/, "烟花爆竹"],
  [/脚手架|塔吊|基坑|高支模/, "建筑施工"],
  [/滑坡|塌方|泥石流|山体|崩塌|内涝/, "防汛/地质灾害"],
  [/野外用火|烧荒|林区|祭祀用火|森林火灾|山火|林火/, "森林防火"],
  [/化粪池|窨井|污水池|有限空间|地窖/, "有限空间"],
  [/尾矿|采石/, "非煤矿山"],
];

/** The one sector words name beyond doubt, if any. */
export function sectorHinted(text: string): Sector | undefined {
  const hits = new Set(SECTOR_HINTS.filter(([re]) => re.test(text)).map(([, s]) => s));
  return hits.size === 1 ? [...hits][0]! : undefined;
}

export const STATUSES = ["待整改", "整改中", "已整改", "已销号"] as const;
export type HazardStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly HazardStatus[] = ["待整改", "整改中"];

export const SUPERVISION_LEVELS = ["省", "市", "县"] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export type Transition = "start" | "rectify" | "reject" | "close";

/** The lifecycle: which transition is allowed from which status, and where it leads. */
const MOVES: Record<Transition, { from: readonly HazardStatus[]; to: HazardStatus }> = {
  start: { from: ["待整改"], to: "整改中" },
  rectify: { from: ["待整改", "整改中"], to: "已整改" },
  reject: { from: ["已整改"], to: "整改中" },
  close: { from: ["已整改"], to: "已销号" },
};

export type MoveResult = { ok: true; to: HazardStatus } | { ok: false; reason: "closed" | "not_rectified" | "already_rectified" | "not_open" };

export function move(status: HazardStatus, t: Transition): MoveResult {
  const m = MOVES[t];
  if (m.from.includes(status)) return { ok: true, to: m.to };
  if (status === "已销号") return { ok: false, reason: "closed" };
  if (t === "close" || t === "reject") return { ok: false, reason: "not_rectified" };
  if (status === "已整改") return { ok: false, reason: "already_rectified" };
  return { ok: false, reason: "not_open" };
}

export interface HazardRules {
  /** Default deadline (days from the report) when the reporter gives none. */
  defaultDeadlineDays: Record<HazardLevel, number>;
  /** Remind the responsible person this many days before the deadline. */
  remindDaysBefore: number;
  /** Overdue this many days → the county leaders are told too. */
  escalateAfterDays: number;
}

export const DEFAULT_HAZARD_RULES: HazardRules = {
  defaultDeadlineDays: { 一般: 7, 重大: 30 },
  remindDaysBefore: 1,
  escalateAfterDays: 3,
};

export function defaultDeadline(level: HazardLevel, now: Date, rules: HazardRules): LocalDate {
  return addDays(toLocalDate(now), rules.defaultDeadlineDays[level]);
}

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** Overdue: still open on a day after its deadline. */
export function isOverdue(h: { status: string; deadline: LocalDate }, today: LocalDate): boolean {
  return isOpen(h.status) && h.deadline < today;
}

/** Days past the deadline (0 when not overdue). */
export function daysOverdue(deadline: LocalDate, today: LocalDate): number {
  const d = (Date.parse(today) - Date.parse(deadline)) / 86_400_000;
  return Math.max(0, Math.round(d));
}

export function hazardNumber(date: LocalDate, seq: number): string {
  return `YH-${date.replace(/-/g, "")}-${String(seq).padStart(4, "0")}`;
}

export const HAZARD_NUMBER = /^YH-\d{8}-\d{4}$/i;

/** A hazard number as people type it: any case, any dash (－—_·), spaces inside, full-width digits. */
const NUMBER_IN_TEXT = /y\s*h\s*[-_—–－·.]?\s*(\d{8})\s*[-_—–－·.]?\s*(\d{4})(?!\d)/i;
/** "20261125-0001" alone, the YH- forgotten: a number too (inside a sentence it is not). */
const BARE_NUMBER = /^\s*(\d{8})\s*[-_—–－·.]\s*(\d{4})\s*$/;

/**
 * Finds a hazard number in what was typed; `rest` is the text around it (its
 * surroundings joined), for a note or a word such as 照片.
 */
export function findHazardNumber(text: string): { number: string; before: string; rest: string } | null {
  // Folded one for one, so the surroundings (a note with its ，) are returned as typed.
  const folded = foldFullWidth(text);
  const m = NUMBER_IN_TEXT.exec(folded) ?? BARE_NUMBER.exec(folded);
  if (!m) return null;
  return { number: `YH-${m[1]}-${m[2]}`, before: text.slice(0, m.index).trim(), rest: text.slice(m.index + m[0].length).trim() };
}

/** The number a command or an answer starts with (only punctuation before it), and what follows, separators dropped. */
export function leadingHazardNumber(text: string): { number: string; rest: string } | null {
  const f = findHazardNumber(text);
  return f && /^[\s\p{P}\p{S}]*$/u.test(f.before) ? { number: f.number, rest: stripArgStart(f.rest) } : null;
}

/** "照片", "的照片", "查看现场照片", "图片" …: the person asks for the pictures. */
export const ASKS_FOR_PHOTOS = /(照片|图片|相片|图像|现场图|整改图)/;
