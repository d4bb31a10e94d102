/**
 * Organisation vocabulary and the access policy, as plain functions. One policy
 * answers "may this person do X (on region R)"; every command goes through it.
 */

export const ROLES = ["网格员", "灾害信息员", "值班员", "带班领导", "局领导", "管理员"] as const;
export type Role = (typeof ROLES)[number];

export const GROUP_PURPOSES = ["网格群", "值班群", "领导群", "工作群"] as const;
export type GroupPurpose = (typeof GROUP_PURPOSES)[number];

export const LEADER_ROLES: readonly Role[] = ["局领导", "带班领导"];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** Who is asking, as the policy sees it. */
export interface Profile {
  personId?: number;
  regionPath?: string;
  roles: readonly string[];
  active: boolean;
}

/**
 * Permissions. `public`: anyone, bound or not (help, binding). `member`: any active
 * person on the roster. The rest name the roles that hold them; a region-scoped
 * check also requires the region to be the person's own or below it.
 */
export const PERMISSIONS = {
  public: "anyone",
  member: "any-member",
  "region.read": "any-member",
  "org.admin": ["管理员"],
  "hazard.report": ["网格员", "灾害信息员", "局领导", "带班领导", "管理员"],
  "hazard.verify": ["局领导", "带班领导", "管理员"],
  "hazard.list": ["局领导", "带班领导"],
  "routine.patrol": ["网格员"],
  "routine.zero": ["值班员", "带班领导"],
  "duty.officer": ["值班员"],
  "duty.leader": ["带班领导", "局领导"],
  "warning.issue": ["局领导", "带班领导", "值班员"],
} as const satisfies Record<string, "anyone" | "any-member" | readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export type Decision = { ok: true } | { ok: false; reason: "unbound" | "inactive" | "role" | "scope" };

/** `a` is `scope` itself or lies below it (paths are `县/镇/村/网格`). */
export function within(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}

export function can(p: Profile, permission: Permission, regionPath?: string): Decision {
  const rule = PERMISSIONS[permission];
  if (rule === "anyone") return { ok: true };
  if (p.personId === undefined) return { ok: false, reason: "unbound" };
  if (!p.active) return { ok: false, reason: "inactive" };
  if (rule !== "any-member" && !p.roles.some((r) => (rule as readonly string[]).includes(r))) return { ok: false, reason: "role" };
  // Leaders see their region and everything below it, never beside it; a grid
  // member's region is their grid, so the same rule keeps them to it.
  if (regionPath !== undefined && (p.regionPath === undefined || !within(regionPath, p.regionPath))) return { ok: false, reason: "scope" };
  return { ok: true };
}

/** The segments of a region path, cleaned: `某县 / 渠阳镇/泡里村` → [某县, 渠阳镇, 泡里村]. */
export function splitRegionPath(path: string): string[] {
  return path.split(/[/／]/).map((s) => s.trim());
}
