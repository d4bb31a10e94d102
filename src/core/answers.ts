/**
 * How people answer: yes/no words and picking an option by number or text.
 * Shared by the flow engine (summary, abandon question) and the input kinds.
 */
import { parseSmallNumber } from "../time/chinese-date.js";
import { trimTrailing } from "./understand.js";

export const YES_WORDS = ["确认", "确定", "是", "是的", "好", "好的", "对", "对的", "可以", "行", "嗯", "嗯嗯", "好滴", "是滴", "对滴", "没错", "提交", "没问题", "1", "y", "yes", "ok", "👌", "👍", "✅", "🆗"];
export const NO_WORDS = ["否", "不", "不是", "不对", "不行", "不要", "修改", "改", "错", "2", "n", "no"];

/** Reads a yes/no answer; `undefined` when it is neither. */
export function yesNo(norm: string, extraYes: string[] = [], extraNo: string[] = []): boolean | undefined {
  const s = trimTrailing(norm) || norm.trim();
  if (YES_WORDS.includes(s) || extraYes.includes(s)) return true;
  if (NO_WORDS.includes(s) || extraNo.includes(s)) return false;
  return undefined;
}

/** Picks an option by its number (`2`, `二`, `第2个`) or its text. */
export function pickChoice(norm: string, options: string[], aliases: Readonly<Record<string, string>> = {}): number | undefined {
  const r = readChoice(norm, options, aliases);
  return r && "index" in r ? r.index : undefined;
}

/** An option's parts as people say them: `人员密集场所/消防` → 人员密集场所, 消防; `通过（销号）` → 通过, 销号. */
const parts = (o: string) => o.split(/[/／（）()、]/).map((x) => x.trim()).filter(Boolean);
/** 其它 and 其他 are one word to people. */
const fold = (s: string) => s.normalize("NFKC").toLowerCase().replace(/其它/g, "其他");

/**
 * Reads a choice, best evidence first: its number; the whole option; a whole part of
 * one (`消防` is 人员密集场所/消防, not 农村消防; `通过` is not 不通过); a word for it
 * (`危化` for 危险化学品); a unique option inside what was said (`一般隐患`, `暴雨橙色预警`);
 * a unique option containing it. Two or more left: `ambiguous`, to be asked back with
 * the candidates numbered.
 */
export function readChoice(norm: string, options: string[], aliases: Readonly<Record<string, string>> = {}): { index: number } | { ambiguous: number[] } | null {
  const typed = fold(trimTrailing(norm).trim());
  const s = typed.replace(/^第/, "").replace(/[个项]$/, "");
  const n = parseSmallNumber(s);
  if (n !== undefined && n >= 1 && n <= options.length) return { index: n - 1 };
  if (typed === "") return null;
  const whole = readWholeChoice(typed, options, aliases);
  if (whole) return whole;
  const folded = options.map(fold);
  const unique = (hits: number[]) => (hits.length === 1 ? { index: hits[0]! } : hits.length > 1 ? { ambiguous: hits } : null);
  const all = options.map((_, i) => i);
  // An option said inside more words: the longest such options (`防汛/地质灾害` over `防汛`-like parts).
  // The longest part said wins: `不通过，还没换` is 不通过, though 通过 is inside it too.
  // A part said with a negation before it (`没有情况` for 有情况, `不通过` aside) is not said.
  const saidIn = (p: string) => typed.split(p).slice(0, -1).some((before) => !/[没无未不非]$/.test(before));
  const longest = (i: number) => Math.max(0, ...parts(folded[i]!).filter(saidIn).map((p) => p.length));
  const said = all.filter((i) => longest(i) > 0);
  const inside = said.filter((i) => !said.some((j) => j !== i && longest(j) > longest(i) && parts(folded[j]!).some((p) => saidIn(p) && p.includes(bestPart(folded[i]!, typed)))));
  if (inside.length === 1) return { index: inside[0]! };
  const containing = typed.length >= 2 ? all.filter((i) => folded[i]!.includes(typed)) : [];
  if (containing.length) return unique(containing);
  return inside.length > 1 ? { ambiguous: inside } : null;
}

/**
 * An option named by the whole of what was said: the option, a whole part of it, or a
 * word for it — no numbers, nothing inside longer text. The one-message forms read their
 * words with this (a token `消防` is the sector, `消防通道堵塞` stays description), and
 * `readChoice` tries it before anything looser.
 */
export function readWholeChoice(norm: string, options: string[], aliases: Readonly<Record<string, string>> = {}): { index: number } | { ambiguous: number[] } | null {
  const typed = fold(trimTrailing(norm).trim());
  if (typed === "") return null;
  const folded = options.map(fold);
  const unique = (hits: number[]) => (hits.length === 1 ? { index: hits[0]! } : hits.length > 1 ? { ambiguous: hits } : null);
  const all = options.map((_, i) => i);
  const exact = all.filter((i) => folded[i] === typed);
  if (exact.length) return unique(exact);
  const part = all.filter((i) => parts(folded[i]!).includes(typed));
  if (part.length) return unique(part);
  const alias = Object.entries(aliases).find(([k]) => fold(k) === typed)?.[1];
  if (alias !== undefined && folded.includes(fold(alias))) return { index: folded.indexOf(fold(alias)) };
  return null;
}

/** The longest part of an option said inside `typed`. */
function bestPart(option: string, typed: string): string {
  return parts(option).filter((p) => typed.includes(p)).sort((a, b) => b.length - a.length)[0] ?? "";
}
