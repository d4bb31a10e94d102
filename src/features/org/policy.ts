/**
 * The access policy as one declared table: action → roles → scope rule. Every
 * access decision in the bot is `can(actor, action, target)` on this table; the
 * README's permission section is generated from it (tests/org/policy-doc.test.ts
 * fails when they differ), and the permission-matrix test reads its expectations
 * from it.
 */
import type { AccessTarget, Denial } from "../../core/ports.js";
import { within, type Role } from "./rules.js";

export { within };

/**
 * How far an action reaches from the actor's own region (paths are `县/镇/村/网格`):
 * - `none`: no region involved (one's own things);
 * - `region`: every region the target is in now, and every region it will be in
 *   after the change, is the actor's own or lies below it;
 * - `unit`: the target is in exactly the actor's own unit (a colleague on the same duty roster);
 * - `party`: only a party to the target (the leader of that shift) may.
 */
export type ScopeRule = "none" | "region" | "unit" | "party";

export interface Rule {
  /** `anyone`: bound or not; `member`: any active person on the roster; else these roles. */
  roles: "anyone" | "member" | readonly Role[];
  scope: ScopeRule;
  /** A party to the target (its responsible person, the warning's issuer) passes whatever their role or region. */
  party?: true;
  /** Roles the change adds or removes must not rank above the actor's own. */
  rank?: true;
  /** The actor must not be the target's `self`: not verify one's own rectification, not deactivate oneself. */
  notSelf?: true;
  /** The target's roles rank at most this (self-binding by name and mobile: not for leaders and admins). */
  maxRank?: number;
  /** What it allows, for the README (Chinese, like the rest of the bot). */
  doc: string;
}

const LEADERS = ["局领导", "带班领导"] as const;

export const POLICY = {
  public: { roles: "anyone", scope: "none", doc: "帮助、绑定本人账号" },
  "identity.self_bind": { roles: "anyone", scope: "none", maxRank: 1, doc: "凭姓名和手机号自助绑定：只限网格员、灾害信息员、值班员（领导和管理员须用邀请码或由管理员代为绑定，以防冒用）" },
  member: { roles: "member", scope: "none", doc: "在岗人员的命令入口：本人事务（我的隐患、我的提醒、收到、群信息），涉及具体对象的再按下列权限判断" },
  "region.read": { roles: "member", scope: "region", doc: "查看本辖区的统计、周报月报、图表和台账" },
  "hazard.report": { roles: ["网格员", "灾害信息员", "局领导", "带班领导", "管理员"], scope: "none", doc: "上报隐患" },
  "hazard.view": { roles: "member", scope: "region", party: true, doc: "查看一条隐患（本辖区的，或本人上报、负责的）" },
  "hazard.rectify": { roles: ["网格员", "局领导", "带班领导", "管理员"], scope: "region", party: true, doc: "整改、报进展（整改责任人，或本辖区的网格员、领导、管理员）" },
  "hazard.verify": { roles: ["局领导", "带班领导", "管理员"], scope: "region", notSelf: true, doc: "复查、销号本辖区隐患（提交整改的人不能复查自己的整改）" },
  "hazard.photos": { roles: ["局领导", "带班领导", "管理员"], scope: "region", party: true, doc: "调看隐患照片（本辖区的复查人和领导，或上报人、整改责任人本人）" },
  "hazard.list": { roles: LEADERS, scope: "region", doc: "挂牌督办本辖区的重大隐患（县级及以上的督办只能由县级领导登记；已挂牌的隐患也只有该级能销号）" },
  "routine.patrol": { roles: ["网格员"], scope: "none", doc: "巡查日报" },
  "routine.zero": { roles: ["值班员", "带班领导"], scope: "none", doc: "零报告" },
  "duty.officer": { roles: ["值班员"], scope: "none", doc: "签到、交班、值班报告" },
  "duty.leader": { roles: LEADERS, scope: "none", doc: "确认值班报告、审批本人带班班次的换班" },
  "duty.swap": { roles: ["值班员"], scope: "unit", doc: "与本单位的值班员换班" },
  "duty.approve": { roles: LEADERS, scope: "party", party: true, doc: "同意或拒绝换班：只有该班次的带班领导" },
  "duty.schedule": { roles: ["管理员"], scope: "region", doc: "排班、导入排班表（值班员和带班领导都须在本辖区）" },
  "warning.issue": { roles: ["局领导", "带班领导", "值班员"], scope: "region", doc: "向本辖区发布预警" },
  "warning.manage": { roles: LEADERS, scope: "region", party: true, doc: "预警情况、解除、升级（发布人，或辖区覆盖全部预警区域的领导；解除和升级还须覆盖发布人所在的层级）" },
  "org.admin": { roles: ["管理员"], scope: "region", doc: "管理员命令：绑定成员、解绑、未绑定成员、导入花名册等" },
  "org.person.change": { roles: ["管理员"], scope: "region", rank: true, notSelf: true, doc: "增改人员、停用启用：人员现在和改后所在区域都须在本辖区，不能授予或取消（含停用）高于本人的角色，不能改自己的角色、不能停用自己（县级局领导的任免由运维导入花名册）" },
  "org.invite": { roles: ["管理员", "局领导"], scope: "none", doc: "发放邀请码的入口：管理员，以及为下级领导发码的局领导" },
  "org.bind.person": { roles: ["管理员", "局领导"], scope: "region", rank: true, doc: "把账号交给某人（邀请码、绑定成员）：此人须在本辖区，角色不高于本人（否则等于把更高的权限交给了自己）；县级局领导的邀请码由运维在服务器上发放（npm run invite）" },
  "org.bind": { roles: ["管理员"], scope: "region", notSelf: true, doc: "绑定成员、解绑：该账号原绑定的人和新绑定的人都须在本辖区，不能解绑自己（领导和管理员只能这样绑定，不能凭姓名手机号自助绑定）" },
  "org.group.register": { roles: ["管理员"], scope: "region", doc: "登记群：群原登记的区域和新区域都须在本辖区" },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;

export function isAction(s: string): s is Action {
  return Object.hasOwn(POLICY, s);
}

/** Who is asking, as the policy sees it. */
export interface Profile {
  personId?: number;
  regionPath?: string;
  roles: readonly string[];
  active: boolean;
}

/** What the action is done to (declared in the core's ports, which ask this policy). */
export type Target = AccessTarget;

export type { Denial };
export type Decision = { ok: true } | { ok: false; reason: Denial };

/**
 * How high a role reaches when granting: a role may be given (or taken away) only
 * by someone holding a role of at least its rank. 局领导 are appointed, not granted
 * by an office admin.
 */
export const ROLE_RANK: Record<Role, number> = { 网格员: 1, 灾害信息员: 1, 值班员: 1, 带班领导: 2, 管理员: 2, 局领导: 3 };

export function rankOf(roles: readonly string[]): number {
  return Math.max(0, ...roles.map((r) => ROLE_RANK[r as Role] ?? 0));
}

const NO_TARGET: Target = {};

export function can(p: Profile, action: Action, t: Target = NO_TARGET): Decision {
  const rule: Rule = POLICY[action];
  if (rule.maxRank !== undefined && t.roles && rankOf(t.roles) > rule.maxRank) return { ok: false, reason: "rank" };
  if (rule.roles === "anyone") return { ok: true };
  if (p.personId === undefined) return { ok: false, reason: "unbound" };
  if (!p.active) return { ok: false, reason: "inactive" };
  const party = rule.party === true && t.parties?.includes(p.personId) === true;
  if (!party) {
    if (rule.roles !== "member" && !p.roles.some((r) => (rule.roles as readonly string[]).includes(r))) return { ok: false, reason: "role" };
    const regions = [...(t.regions ?? []), ...(t.next ?? [])];
    if (rule.scope === "region" && regions.some((r) => p.regionPath === undefined || !within(r, p.regionPath))) return { ok: false, reason: "scope" };
    if (rule.scope === "unit" && regions.some((r) => r !== p.regionPath)) return { ok: false, reason: "scope" };
    if (rule.scope === "party") return { ok: false, reason: "scope" };
  }
  if (rule.rank && t.roles && rankOf(t.roles) > rankOf(p.roles)) return { ok: false, reason: "rank" };
  if (rule.notSelf && t.self != null && t.self === p.personId) return { ok: false, reason: "self" };
  return { ok: true };
}

/** The roles an action names: who to tell when that action is needed (escalations, 复查). */
export function rolesHolding(action: Action): readonly Role[] {
  const r: Rule["roles"] = POLICY[action].roles;
  return r === "anyone" || r === "member" ? [] : r;
}

/** The roles a rule names, for the README and the help list. */
export function rolesOf(rule: Rule): string {
  return rule.roles === "anyone" ? "任何人（含未绑定）" : rule.roles === "member" ? "花名册上的在岗人员" : rule.roles.join("、");
}

const SCOPE_DOC: Record<ScopeRule, string> = { none: "—", region: "本辖区（本级及下级）", unit: "本单位", party: "仅当事人" };

/**
 * The README's permission section, rendered from the table. `commands` maps an
 * action to the chat words that use it.
 */
export function policyMarkdown(commands: ReadonlyMap<string, readonly string[]>): string {
  const lines = ["| 权限 | 谁可以 | 范围 | 说明 | 命令 |", "|---|---|---|---|---|"];
  for (const [action, rule] of Object.entries(POLICY) as [Action, Rule][]) {
    const extra = [rule.party && rule.scope !== "party" ? "或当事人" : "", rule.rank ? "不越级授权" : "", rule.notSelf ? "不对自己" : "", rule.maxRank !== undefined ? "限一般角色" : ""].filter(Boolean).join("，");
    const scope = SCOPE_DOC[rule.scope] + (extra ? `；${extra}` : "");
    lines.push(`| \`${action}\` | ${rolesOf(rule)} | ${scope} | ${rule.doc} | ${(commands.get(action) ?? []).join("、") || "—"} |`);
  }
  return lines.join("\n");
}
