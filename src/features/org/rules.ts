/**
 * Organisation vocabulary: roles, group purposes, region paths. The access policy
 * built on them is ./policy.ts.
 */

export const ROLES = ["网格员", "灾害信息员", "值班员", "带班领导", "局领导", "管理员"] as const;
export type Role = (typeof ROLES)[number];

export const GROUP_PURPOSES = ["网格群", "值班群", "领导群", "工作群"] as const;
export type GroupPurpose = (typeof GROUP_PURPOSES)[number];

export const LEADER_ROLES: readonly Role[] = ["局领导", "带班领导"];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** `path` is `scope` itself or lies below it (paths are `县/镇/村/网格`; `县/镇二` is not below `县/镇`). */
export function within(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}

/** The segments of a region path, cleaned: `某县 / 渠阳镇/泡里村` → [某县, 渠阳镇, 泡里村]. */
export function splitRegionPath(path: string): string[] {
  return path.split(/[/／]/).map((s) => s.trim());
}

/**
 * The region a question names. Full names first, and the most specific of them
 * ("渠阳镇泡里村" → 泡里村); otherwise a name without its suffix (渠阳 → 渠阳镇),
 * the broadest of those (甘溪 → 甘溪乡, not 甘溪村).
 */
export function findRegionIn(t: string, regions: { name: string; path: string }[]): string | undefined {
  const depth = (p: string) => p.split("/").length;
  const full = regions.filter((r) => t.includes(r.name)).sort((a, b) => depth(b.path) - depth(a.path));
  if (full.length) return full[0]!.path;
  const short = regions
    .map((r) => ({ r, s: shortRegionName(r.name) }))
    .filter((x) => x.s.length >= 2 && t.includes(x.s))
    .sort((a, b) => b.s.length - a.s.length || depth(a.r.path) - depth(b.r.path));
  return short[0]?.r.path;
}

/** A region's name as people shorten it: 渠阳镇 → 渠阳, 甘溪乡 → 甘溪. */
export function shortRegionName(name: string): string {
  return name.replace(/(镇|乡|街道|社区|村|县|区|市)$/, "");
}
