/**
 * Cleans inbound text before anything reads it: control and zero-width characters
 * go, and a matching form (`norm`) is derived — NFKC folds full-width digits and
 * letters (`１２` → `12`), lower case, inner white space collapsed.
 */
export const MAX_INBOUND_CHARS = 2000;

// C0/C1 controls except tab/newline, zero-width and bidi controls, BOM.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

export function sanitize(raw: string): string {
  return raw.replace(CONTROL, "").replace(/\r\n?/g, "\n").trim();
}

/**
 * Full-width ASCII folded to half-width one character for one (`ＹＨ－２０` → `YH-20`), so
 * positions found in the folded text are positions in the original.
 */
export function foldFullWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => c.normalize("NFKC"));
}

/** Arguments without the separator people put after a keyword or a number (`邀请码：138…`, `YH-… ，已完成`). */
export function stripArgStart(s: string): string {
  return s.replace(/^[\s:：,，、;；]+/, "").trim();
}

export function normalizeForMatch(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}
