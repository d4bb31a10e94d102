/**
 * How people answer: yes/no words and picking an option by number or text.
 * Shared by the flow engine (summary, abandon question) and the input kinds.
 */
import { parseSmallNumber } from "../time/chinese-date.js";

export const YES_WORDS = ["确认", "确定", "是", "是的", "好", "好的", "对", "对的", "可以", "行", "嗯", "提交", "没问题", "1", "y", "yes", "ok"];
export const NO_WORDS = ["否", "不", "不是", "不对", "不行", "不要", "修改", "改", "错", "2", "n", "no"];

/** Reads a yes/no answer; `undefined` when it is neither. */
export function yesNo(norm: string, extraYes: string[] = [], extraNo: string[] = []): boolean | undefined {
  const s = norm.replace(/[。.!！~～]+$/, "");
  if (YES_WORDS.includes(s) || extraYes.includes(s)) return true;
  if (NO_WORDS.includes(s) || extraNo.includes(s)) return false;
  return undefined;
}

/** Picks an option by its number (`2`, `二`, `第2个`) or its text. */
export function pickChoice(norm: string, options: string[]): number | undefined {
  const s = norm.replace(/^第/, "").replace(/[个项。.]$/, "");
  const n = parseSmallNumber(s);
  if (n !== undefined && n >= 1 && n <= options.length) return n - 1;
  const exact = options.findIndex((o) => o.normalize("NFKC").toLowerCase() === norm);
  if (exact >= 0) return exact;
  // A unique option containing what was typed (`消防` for `人员密集场所/消防`).
  if (norm.length >= 2) {
    const hits = options.map((o, i) => [o, i] as const).filter(([o]) => o.includes(norm));
    if (hits.length === 1) return hits[0]![1];
  }
  return undefined;
}
