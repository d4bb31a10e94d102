/**
 * The one-message hazard report: `隐患 泡里村加油站 灭火器过期 一般 3天` — parts in
 * any order, any of them missing. It reads only what it is sure of; whatever is
 * unclear stays description or is asked for by the dialog. It never guesses a
 * level or a deadline from words inside a description ("重大危险源" is not 重大).
 */
import { parseChineseDate, type DateOptions } from "../../time/chinese-date.js";
import { addDays, toLocalDate } from "../../time/shanghai.js";
import { LEVELS, SECTOR_ALIASES, SECTORS, type HazardLevel, type Sector } from "./rules.js";

export interface QuickHazard {
  place?: string;
  sector?: Sector;
  description?: string;
  level?: HazardLevel;
  deadline?: string;
  unit?: string;
}

/** Short names people type for a sector, as whole words. */

/** Words inside a description that name one sector beyond doubt. */
const SECTOR_HINTS: [RegExp, Sector][] = [
  [/灭火器|消防栓|消火栓|消防通道|安全出口|疏散通道|应急照明|消防设施|电动车.*充电/, "人员密集场所/消防"],
  [/燃气|液化气|液化石油气|天然气|煤气|气瓶/, "城镇燃气"],
  [/电梯|锅炉|压力容器|起重机|叉车/, "特种设备"],
  [/危化品|危险化学品|化学品|储罐/, "危险化学品"],
  [/烟花|爆竹/, "烟花爆竹"],
  [/脚手架|塔吊|基坑|高支模/, "建筑施工"],
  [/滑坡|塌方|泥石流|山体|崩塌|内涝/, "防汛/地质灾害"],
  [/野外用火|烧荒|林区|祭祀用火/, "森林防火"],
  [/化粪池|窨井|污水池|有限空间|地窖/, "有限空间"],
  [/尾矿|采石/, "非煤矿山"],
];

const PLACE_END = /(村|镇|乡|街道|社区|小区|组|站|厂|公司|学校|小学|中学|幼儿园|医院|卫生院|市场|超市|商场|酒店|宾馆|饭店|餐馆|矿|采石场|工地|仓库|码头|养老院|敬老院|网吧|车间|大桥|桥|隧道|路|街|号|楼|门市|店|加工厂|农家乐|寺|庙|景区)$/;
const LABEL = /^(地点|位置|场所|地址|责任单位|单位|期限|整改期限|限期|行业|领域|行业领域|等级|级别|描述|问题|情况)[:：](.+)$/;

/**
 * A token that is a deadline, read by the same grammar as the dialog's deadline step
 * (parseChineseDate). Only tokens that look like a date or a span at all are tried,
 * so "三楼" or "2号仓库" are not read as days; a date already past is not a deadline.
 */
function asDeadline(token: string, now: Date, o: DateOptions): string | undefined {
  if (!LOOKS_LIKE_DEADLINE.test(token)) return undefined;
  const r = parseChineseDate(token.replace(/^(限期|期限|整改期限)/, ""), now, true, o);
  return r.ok && r.value.date >= toLocalDate(now) && r.value.date <= addDays(toLocalDate(now), 366) ? r.value.date : undefined;
}
const LOOKS_LIKE_DEADLINE = /^(限期|期限|整改期限)?(今天|明天|后天|大后天|本周|这周|下周|下个?星期|周[一二三四五六日天末]|星期|礼拜|月底|月末|本月|这个月|月内|下个?月|年底|年末|年内|今年|半个?月|\d{4}[-/.年]|\d{1,2}月|[一二三四五六七八九十]{1,3}月|\d{1,2}[-/]\d{1,2}$|(\d{1,3}|[一二三四五六七八九十两]{1,3})(天|日[以之]?内|日后|个?(周|星期|礼拜|月|工作日)))/;

function asSector(token: string): Sector | undefined {
  if ((SECTORS as readonly string[]).includes(token)) return token as Sector;
  return SECTOR_ALIASES[token];
}

function asLevel(token: string): HazardLevel | undefined {
  const t = token.replace(/隐患$/, "");
  return (LEVELS as readonly string[]).includes(t) ? (t as HazardLevel) : undefined;
}

export function parseQuickHazard(text: string, now: Date, o: DateOptions = {}): QuickHazard {
  const out: QuickHazard = {};
  const rest: string[] = [];
  // Match on the folded form (full-width digits and colons), keep what was typed.
  const tokens = text.split(/[\s,，;；]+/).map((t) => t.trim()).filter(Boolean);
  for (const raw of tokens) {
    const token = raw.normalize("NFKC");
    const labelled = LABEL.exec(token);
    if (labelled) {
      const label = labelled[1]!;
      const value = raw.slice(raw.search(/[:：]/) + 1).trim();
      const v = value.normalize("NFKC");
      if (/地点|位置|场所|地址/.test(label)) out.place = value;
      else if (/单位/.test(label)) out.unit = value;
      else if (/期限|限期/.test(label)) { const d = asDeadline(v, now, o); if (d) out.deadline = d; else rest.push(raw); }
      else if (/行业|领域/.test(label)) { const sec = asSector(v); if (sec) out.sector = sec; else rest.push(raw); }
      else if (/等级|级别/.test(label)) { const l = asLevel(v); if (l) out.level = l; else rest.push(raw); }
      else rest.push(value);
      continue;
    }
    const level = out.level ? undefined : asLevel(token);
    if (level) { out.level = level; continue; }
    const deadline = out.deadline ? undefined : asDeadline(token, now, o);
    if (deadline) { out.deadline = deadline; continue; }
    const sector = out.sector ? undefined : asSector(token);
    if (sector) { out.sector = sector; continue; }
    if (!out.place && PLACE_END.test(token) && [...token].length <= 30) { out.place = raw; continue; }
    rest.push(raw);
  }
  if (rest.length) out.description = rest.join(" ");
  if (!out.sector && out.description) {
    const hits = new Set(SECTOR_HINTS.filter(([re]) => re.test(out.description!)).map(([, s]) => s));
    if (hits.size === 1) out.sector = [...hits][0]!;
  }
  return out;
}
