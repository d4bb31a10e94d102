/**
 * The one-message hazard report: `隐患 泡里村加油站 灭火器过期 一般 3天` — parts in
 * any order, any of them missing. It reads only what it is sure of; whatever is
 * unclear stays description or is asked for by the dialog. It never guesses a
 * level or a deadline from words inside a description ("重大危险源" is not 重大).
 */
import { parseChineseDate, type DateOptions } from "../../time/chinese-date.js";
import { addDays, toLocalDate } from "../../time/shanghai.js";
import { readWholeChoice } from "../../core/answers.js";
import { trimTrailing } from "../../core/understand.js";
import { LEVEL_NAMES, LEVELS, SECTOR_ALIASES, SECTORS, sectorHinted, UNGRADED_LEVELS, type HazardLevel, type Sector } from "./rules.js";

export interface QuickHazard {
  /** A deadline said but already past: not taken, and said back. */
  pastDeadline?: string;
  place?: string;
  sector?: Sector;
  description?: string;
  level?: HazardLevel;
  deadline?: string;
  unit?: string;
}

const PLACE_NOUN = "(村|镇|乡|街道|社区|小区|组|站|厂|公司|学校|小学|中学|幼儿园|医院|卫生院|市场|超市|商场|酒店|宾馆|饭店|餐馆|矿|采石场|工地|仓库|码头|养老院|敬老院|网吧|车间|大桥|桥|隧道|路|街|号|楼|门市|店|小卖部|商店|加工厂|农家乐|寺|庙|景区|山|后山|河|河道|河边|水库|山塘|塘|坝|堤|渠|沟|坡|林场)";
/** A place: a name ending in a place noun, maybe with where by it (`泡里村加油站旁边`, `泡里村后山`). */
const PLACE_END = new RegExp(`${PLACE_NOUN}(旁边|旁|边|附近|对面|门口|后面|前面|里|内|院内|路口)?$`);

const LABEL = /^(地点|位置|场所|地址|责任单位|单位|期限|整改期限|限期|行业|领域|行业领域|等级|级别|描述|问题|情况)[:：](.+)$/;
/** A label written as its own word, its value the next word (`责任单位 泡里村砖厂`). */
const BARE_LABEL = /^(地点|位置|地址|责任单位|整改期限|行业领域|隐患等级)$/;

/**
 * A token that is a deadline, read by the same grammar as the dialog's deadline step
 * (parseChineseDate). Only tokens that look like a date or a span at all are tried,
 * so "三楼" or "2号仓库" are not read as days; a date already past is not a deadline.
 */
function asDeadline(token: string, now: Date, o: DateOptions): string | undefined {
  if (!LOOKS_LIKE_DEADLINE.test(token)) return undefined;
  const r = parseChineseDate(token.replace(/^(限期|期限|整改期限)/, ""), now, true, o);
  return r.ok && r.value.date <= addDays(toLocalDate(now), 366) ? r.value.date : undefined;
}
const LOOKS_LIKE_DEADLINE = /^(限期|期限|整改期限|限)?(立即|马上|立刻|当天|今天|明天|后天|大后天|本周|这周|下周|下个?星期|周[一二三四五六日天末]|星期|礼拜|月底|月末|本月|这个月|月内|下个?月|年底|年末|年内|今年|半个?月|\d{4}[-/.年]|\d{1,2}月|[一二三四五六七八九十]{1,3}月|\d{1,2}[-/.]\d{1,2}$|(\d{1,2}|[一二三四五六七八九十]{1,3})[日号](前|之前)?$|(\d{1,3}|[一二三四五六七八九十两]{1,3})(天|日[以之]?内|日后|个?(周|星期|礼拜|月|工作日)))/;

/** The sector and level steps' own reading (core/answers.ts), held to whole words here. */
function asSector(token: string): Sector | undefined {
  const r = readWholeChoice(token, [...SECTORS], SECTOR_ALIASES);
  return r && "index" in r ? SECTORS[r.index] : undefined;
}

function asLevel(token: string): HazardLevel | undefined {
  const r = readWholeChoice(token, [...LEVELS], LEVEL_NAMES);
  return r && "index" in r ? LEVELS[r.index] : undefined;
}

export function parseQuickHazard(text: string, now: Date, o: DateOptions = {}): QuickHazard {
  const out: QuickHazard = {};
  const rest: string[] = [];
  // Match on the folded form (full-width digits and colons), keep what was typed.
  const tokens = text.split(/[\s,，;；、]+/).map((t) => t.trim()).filter(Boolean);
  // `责任单位 泡里村砖厂`: the label and its value as one labelled word.
  for (let i = 0; i < tokens.length - 1; i++) {
    if (BARE_LABEL.test(tokens[i]!)) tokens.splice(i, 2, `${tokens[i]}：${tokens[i + 1]}`);
  }
  const today = toLocalDate(now);
  const deadlineOf = (t: string) => {
    const d = asDeadline(t, now, o);
    if (d && d < today) { out.pastDeadline = d; return "past" as const; }
    return d;
  };
  for (const raw0 of tokens) {
    // Emoji and end punctuation on a word are not part of it (`灭火器过期👀`).
    const raw = trimTrailing(raw0) || raw0;
    const token = raw.normalize("NFKC");
    if (UNGRADED_LEVELS.includes(token)) continue;
    const labelled = LABEL.exec(token);
    if (labelled) {
      const label = labelled[1]!;
      const value = raw.slice(raw.search(/[:：]/) + 1).trim();
      const v = value.normalize("NFKC");
      if (/地点|位置|场所|地址/.test(label)) out.place = value;
      else if (/单位/.test(label)) out.unit = value;
      else if (/期限|限期/.test(label)) { const d = deadlineOf(v); if (d === "past") continue; if (d) out.deadline = d; else rest.push(raw); }
      else if (/行业|领域/.test(label)) { const sec = asSector(v); if (sec) out.sector = sec; else rest.push(raw); }
      else if (/等级|级别/.test(label)) { const l = asLevel(v); if (l) out.level = l; else rest.push(raw); }
      else rest.push(value);
      continue;
    }
    const level = out.level ? undefined : asLevel(token);
    if (level) { out.level = level; continue; }
    const deadline = out.deadline ? undefined : deadlineOf(token);
    if (deadline === "past") continue;
    if (deadline) { out.deadline = deadline; continue; }
    const sector = out.sector ? undefined : asSector(token);
    if (sector) { out.sector = sector; continue; }
    if (!out.place && PLACE_END.test(token) && [...token].length <= 30) { out.place = raw; continue; }
    rest.push(raw);
  }
  if (rest.length) out.description = rest.join(" ");
  if (!out.sector && out.description) {
    const hinted = sectorHinted(out.description);
    if (hinted) out.sector = hinted;
  }
  return out;
}
