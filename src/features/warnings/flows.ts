/**
 * The 发布预警 dialog and the fan-out it ends in (privately to each target, one
 * tally per group, all in the dialog's transaction), and the 措施 dialog a
 * "确认并报告措施" warning opens after 收到.
 */
import type { FlowDef, StepInput } from "../../core/flow-types.js";
import type { Actor, OutboxItem } from "../../core/ports.js";
import { within } from "../org/rules.js";
import { choice, text } from "../inputs.js";
import { trimTrailing } from "../../core/understand.js";
import { toGroup, toPerson } from "../org/notify.js";
import { say, type Say } from "../../prompts/catalog.js";
import { audit } from "../../store/audit.js";
import type { Tx } from "../../store/db.js";
import { findRegion, regionNames, shortRegionName } from "../org/index.js";
import { toLocalDate } from "../../time/shanghai.js";
import * as repo from "./repo.js";
import { levelIn, parseCycleSettings, WARNING_LEVEL_ALIASES, WARNING_LEVELS, WARNING_TYPE_ALIASES, WARNING_TYPES, warningNumber, type CycleSettings, type WarningLevel } from "./rules.js";
import { tallyKey, tallyText } from "./status.js";

export type WarningSettings = Record<WarningLevel, CycleSettings>;

/** Who a warning goes to, by the choice made in the dialog (values, not the words shown). */
/** How issuers say who gets it and what they must answer. */
const ROLE_WORDS: Record<string, string> = {
  所有人: "全部人员", 全体: "全部人员", 全体人员: "全部人员", 全部: "全部人员", 所有人员: "全部人员", 大家: "全部人员", 全员: "全部人员",
  网格员和值班: "网格员和值班员", "网格员、值班员": "网格员和值班员", "网格员 值班员": "网格员和值班员", "网格员,值班员": "网格员和值班员", 网格员及值班员: "网格员和值班员", 网格员值班员: "网格员和值班员", 网格员加值班员: "网格员和值班员", 只发网格员: "网格员", 仅网格员: "网格员",
};
const RESPONSE_WORDS: Record<string, string> = {
  收到就行: "仅确认收到", 回复收到: "仅确认收到", 只要收到: "仅确认收到", 确认收到: "仅确认收到", 收到即可: "仅确认收到",
  报告措施: "确认并报告措施", 报措施: "确认并报告措施", 要报措施: "确认并报告措施", 收到并报告措施: "确认并报告措施", 反馈措施: "确认并报告措施",
};

export const TARGET_ROLES: Record<string, string[]> = { 网格员: ["网格员"], 网格员和值班员: ["网格员", "值班员"], 全部人员: ["网格员", "灾害信息员", "值班员", "带班领导", "局领导", "管理员"] };
const RESPONSES = { 仅确认收到: "confirm", 确认并报告措施: "measures" } as const;

/** Optional own cycle settings; skipping keeps the level's defaults from the config file. */
function cycleInput(settings: WarningSettings): StepInput<CycleSettings & { [k: string]: number }> {
  return {
    kind: "text",
    hint: () => say("warning.hint.cycle"),
    parse: (m, ctx) => {
      const base = settings[(ctx.answers.level as WarningLevel | undefined) ?? "蓝"];
      const c = parseCycleSettings(m.text, base);
      return c ? { ok: true, value: { ...c } } : { ok: false, error: say("warning.bad_cycle", { text: m.text.slice(0, 20) }) };
    },
    format: (v, ctx) => ctx.t(say("warning.cycle_value", { recall: v.recallMinutes, cycles: v.cycles, escalate: v.escalateAfter, hours: v.hours })),
  };
}

export function warningIssueFlow(settings: WarningSettings): FlowDef<Tx> {
  return {
    id: "warning-issue",
    title: "warning.title",
    steps: [
      // `暴雨橙色预警` at the type step is the level too.
      { id: "type", prompt: "warning.ask.type", label: "warning.label.type", input: choice(WARNING_TYPES, WARNING_TYPE_ALIASES, (n) => { const l = levelIn(n); return l ? { also: { level: l } } : undefined; }) },
      { id: "level", prompt: "warning.ask.level", label: "warning.label.level", input: choice(WARNING_LEVELS, WARNING_LEVEL_ALIASES) },
      { id: "text", prompt: "warning.ask.text", label: "warning.label.text", input: text({ min: 6, max: 1000 }) },
      { id: "regions", prompt: "warning.ask.regions", label: "warning.label.regions", input: regionsInput() },
      { id: "roles", prompt: "warning.ask.roles", label: "warning.label.roles", input: choice(Object.keys(TARGET_ROLES), ROLE_WORDS) },
      { id: "response", prompt: "warning.ask.response", label: "warning.label.response", input: choice(Object.keys(RESPONSES), RESPONSE_WORDS) },
      { id: "cycle", prompt: "warning.ask.cycle", label: "warning.label.cycle", input: cycleInput(settings), optional: true },
    ],
    permission: "warning.issue",
    // The regions step checks that the names exist as they are typed; whether they are this person's
    // to warn is the policy's decision at submit (refused and audited there), not the step's.
    vocabulary: async ({ tx, person }) => {
      const all = await regionNames(tx);
      // What to suggest: the person's own areas, nearest first (own region, towns, villages, grids).
      const mine = all.filter((r) => person.regionPath && within(r.path, person.regionPath)).sort((x, y) => x.path.split("/").length - y.path.split("/").length);
      return { regions: all.map((r) => r.name), mine: mine.map((r) => r.name), own: mine.slice(0, 1).map((r) => r.name) };
    },
    async complete({ tx, now, person, t, access }, a) {
      const regions: string[] = [];
      for (const name of String(a.regions).split(/[\s、,，]+/).filter(Boolean)) {
        const r = await findRegion(tx, name);
        if (!r.ok) return { ok: false, stepId: "regions", error: say("warning.bad_region", { region: name }) };
        regions.push(r.path);
      }
      // Every area must be the issuer's; a refusal is audited and the areas asked again.
      const outside = regions.find((r) => !person.regionPath || !within(r, person.regionPath));
      const no = await access("warning.issue", { regions }, { entity: "warning", id: String(a.regions).slice(0, 60), refusal: { scope: say("warning.region_out_of_scope", { region: outside ?? "", scope: person.regionPath ?? "" }) } });
      if (no) return { ok: false, stepId: "regions", error: no[0]! };
      const level = a.level as WarningLevel;
      const cycle = (a.cycle as CycleSettings | undefined) ?? settings[level];
      const response = RESPONSES[String(a.response) as keyof typeof RESPONSES] ?? "confirm";
      const w = await issue(tx, { issuer: person, type: String(a.type), level, text: String(a.text), regions, roles: TARGET_ROLES[String(a.roles)]!, response, cycle }, now, t);
      return { ok: true, replies: [say("warning.issued", { number: w.number, targets: w.targets, groups: w.groups, recall: cycle.recallMinutes })], effects: [{ notify: w.notices }] };
    },
  };
}

/**
 * 发给哪些区域: names of regions in the issuer's scope, separated by spaces, 、 or commas;
 * a name may drop its 镇/乡/村 (`渠阳` for 渠阳镇). A name not found is said back with what may be typed.
 */
function regionsInput(): StepInput<string> {
  const base = text({ min: 2, max: 200 });
  return {
    ...base,
    structured: true,
    parse: (m, ctx) => {
      const names = ctx.vocab?.regions;
      const first = base.parse(m, ctx);
      if (!first.ok || !names) return first;
      const out: string[] = [];
      // `全县` / `全部` / `所有乡镇`: the whole of the person's own area.
      const whole = /^(全县|全市|全区|全镇|全乡|全部|全部区域|所有乡镇|所有区域|全域|辖区内|全辖区)$/.test(trimTrailing(m.norm));
      if (whole && ctx.vocab?.own?.[0]) return { ok: true, value: ctx.vocab.own[0] };
      const find = (typed: string) => names.find((n) => n === typed) ?? names.find((n) => shortRegionName(n) === typed);
      // `渠阳镇和甘溪乡`: 和/及 join two names (but 和平村 is one name).
      const parts = trimTrailing(m.text.normalize("NFKC")).split(/[\s、,;]+/).map((x) => x.trim()).filter(Boolean)
        .flatMap((p) => (find(p) ? [p] : p.split(/[和及与]/).every((x) => x && find(x)) ? p.split(/[和及与]/) : [p]));
      for (const typed of parts) {
        const hit = find(typed);
        if (!hit) return { ok: false, error: say("warning.bad_region_in_scope", { region: typed, options: (ctx.vocab?.mine ?? names).slice(0, 6).join("、") }) };
        if (!out.includes(hit)) out.push(hit);
      }
      return out.length ? { ok: true, value: out.join(" ") } : first;
    },
  };
}

/** Creates the warning and its targets and writes the whole fan-out in one transaction (crash-safe). */
export async function issue(
  tx: Tx, o: { issuer: Actor; type: string; level: WarningLevel; text: string; regions: string[]; roles: string[]; response: "confirm" | "measures"; cycle: CycleSettings },
  now: Date, t: (s: Say) => string,
): Promise<{ number: string; targets: number; groups: number; notices: OutboxItem[] }> {
  const day = toLocalDate(now);
  const seq = (await repo.countNumbered(tx, warningNumber(day, 0).slice(0, -2))) + 1;
  const people = await repo.peopleToWarn(tx, o.roles, o.regions);
  const w = await repo.create(tx, { ...o, number: warningNumber(day, seq), issuerId: o.issuer.personId!, now, targets: people.map((p) => ({ personId: p.id, regionPath: p.region.path })) });
  await audit(tx, { at: now, actor: o.issuer.key, action: "warning.issue", entity: "warning", entityId: w.number, after: { ...o, issuer: o.issuer.personId, targets: people.length } });
  const notice = t(say(o.response === "measures" ? "warning.notice_measures" : "warning.notice", { number: w.number, type: w.type, level: w.level, text: w.text }));
  const items: OutboxItem[] = [];
  const unreachable: number[] = [];
  for (const p of people) {
    const mine = (await toPerson(tx, p.id, notice, `yj:${w.id}:p:${p.id}:0`)).map((i) => ({ ...i, payload: { ...i.payload, choices: ["收到"] } }));
    if (mine.length === 0) unreachable.push(p.id);
    await repo.noteNotices(tx, w.id, p.id, 0, mine);
    items.push(...mine);
  }
  await repo.markUnreachable(tx, w.id, unreachable, t(say("warning.unreachable_reason")));
  const groups = await repo.targetGroups(tx, o.regions);
  for (const g of groups) {
    const inGroup = people.filter((p) => within(p.region.path, g.region.path)).map(() => ({ status: "未确认" }));
    items.push({ ...toGroup(g, tallyText(t, w, inGroup), "")[0]!, dedupeKey: tallyKey(w.id, g.id), payload: { text: tallyText(t, w, inGroup), choices: ["收到"] } });
  }
  return { number: w.number, targets: people.length, groups: groups.length, notices: items };
}

export const warningMeasuresFlow: FlowDef<Tx> = {
  id: "warning-measures",
  title: "warning.measures.title",
  permission: "member",
  summary: false,
  steps: [
    { id: "number", prompt: "warning.measures.ask", label: "warning.label.text", input: text({ min: 2, max: 30 }) },
    { id: "measures", prompt: "warning.measures.ask", label: "warning.measures.label", input: text({ min: 4, max: 1000 }) },
  ],
  async complete({ tx, now, person }, a) {
    await repo.saveMeasures(tx, String(a.number), person.personId!, String(a.measures));
    await audit(tx, { at: now, actor: person.key, action: "warning.measures", entity: "warning", entityId: String(a.number), after: { measures: a.measures } });
    return { ok: true, replies: [say("warning.measures.done", { number: String(a.number) })] };
  },
};
