/**
 * Organisation repositories: regions, people, chat identities, groups, invites,
 * the binding cool-down, and the roster import (one transaction).
 */
import type { RosterRow } from "./roster-rules.js";
import { ROLES, within } from "./rules.js";
import type { Db, Tx } from "../../store/db.js";
import { audit } from "../../store/audit.js";
import { regionWithin } from "../../store/subtree.js";

export interface PersonProfile {
  id: number;
  name: string;
  mobile: string;
  active: boolean;
  regionPath: string;
  roles: string[];
}

const withOrg = { region: { select: { path: true } }, roles: { select: { role: true } } } as const;
type PersonWithOrg = { id: number; name: string; mobile: string; active: boolean; region: { path: string }; roles: { role: string }[] };
// Roles read in the roster's canonical order (网格员 … 管理员), whatever the database returns.
const byRoleOrder = (a: string, b: string) => (ROLES as readonly string[]).indexOf(a) - (ROLES as readonly string[]).indexOf(b);
const profile = (p: PersonWithOrg): PersonProfile => ({ id: p.id, name: p.name, mobile: p.mobile, active: p.active, regionPath: p.region.path, roles: p.roles.map((r) => r.role).sort(byRoleOrder) });

/** Finds or creates every region along a path; returns the last one's id. */
export async function ensureRegionPath(tx: Tx, path: string, cache = new Map<string, number>()): Promise<{ id: number; created: number }> {
  const parts = path.split("/");
  let parentId: number | null = null;
  let created = 0;
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join("/");
    let id = cache.get(p);
    if (id === undefined) {
      const found: { id: number } | null = await tx.region.findUnique({ where: { path: p }, select: { id: true } });
      if (found) id = found.id;
      else {
        id = (await tx.region.create({ data: { name: parts[i - 1]!, path: p, depth: i - 1, parentId } })).id;
        created++;
      }
      cache.set(p, id);
    }
    parentId = id;
  }
  return { id: parentId!, created };
}

/** Resolves what a person typed as a region: an exact path, or a unique path/name ending with it. */
export async function findRegion(db: Db | Tx, typed: string): Promise<{ ok: true; id: number; path: string } | { ok: false; matches: string[] }> {
  const t = typed.split(/[/／]/).map((s) => s.trim()).filter(Boolean).join("/");
  if (!t) return { ok: false, matches: [] };
  const exact = await db.region.findUnique({ where: { path: t }, select: { id: true, path: true } });
  if (exact) return { ok: true, ...exact };
  const candidates = await db.region.findMany({ where: { path: { endsWith: t } }, select: { id: true, path: true }, take: 10 });
  const hits = candidates.filter((c) => c.path === t || c.path.endsWith(`/${t}`));
  return hits.length === 1 ? { ok: true, ...hits[0]! } : { ok: false, matches: hits.map((h) => h.path) };
}

/**
 * A region path as an admin typed it in a roster row: kept when it exists or starts
 * at a top-level region; else the one existing region it names (`渠阳镇`); else a
 * new path below the admin's own region (`泡里村/网格3` → `示范县/渠阳镇/泡里村/网格3`).
 */
export async function resolveTypedRegion(db: Db | Tx, typed: string, scope: string): Promise<string> {
  if (await db.region.findUnique({ where: { path: typed }, select: { id: true } })) return typed;
  const root = typed.split("/")[0]!;
  if (await db.region.findFirst({ where: { path: root, depth: 0 }, select: { id: true } })) return typed;
  const found = await findRegion(db, typed);
  if (found.ok) return found.path;
  const [first, ...more] = typed.split("/");
  const parent = more.length ? await findRegion(db, first!) : null;
  if (parent?.ok) return [parent.path, ...more].join("/");
  return scope ? `${scope}/${typed}` : typed;
}

export async function personByIdentity(db: Db | Tx, channel: string, platformUserId: string): Promise<PersonProfile | null> {
  const r = await db.chatIdentity.findUnique({ where: { channel_platformUserId: { channel, platformUserId } }, select: { person: { include: withOrg } } });
  return r ? profile(r.person) : null;
}

export async function personByMobile(db: Db | Tx, mobile: string): Promise<PersonProfile | null> {
  const p = await db.person.findUnique({ where: { mobile }, include: withOrg });
  return p ? profile(p) : null;
}

/** People by mobile, for many mobiles at once (in chunks: SQLite binds at most 999 parameters). */
export async function peopleByMobiles(db: Db | Tx, mobiles: readonly string[]): Promise<Map<string, PersonProfile>> {
  const out = new Map<string, PersonProfile>();
  const all = [...new Set(mobiles)];
  for (let i = 0; i < all.length; i += 500) {
    for (const p of await db.person.findMany({ where: { mobile: { in: all.slice(i, i + 500) } }, include: withOrg })) out.set(p.mobile, profile(p));
  }
  return out;
}

export async function peopleNamed(db: Db | Tx, name: string): Promise<PersonProfile[]> {
  return (await db.person.findMany({ where: { name }, include: withOrg })).map(profile);
}

export async function bindIdentity(tx: Tx, a: { channel: string; platformUserId: string; personId: number; by: string; actor: string }, now: Date): Promise<void> {
  const key = { channel: a.channel, platformUserId: a.platformUserId };
  const before = await tx.chatIdentity.findUnique({ where: { channel_platformUserId: key } });
  await tx.chatIdentity.upsert({
    where: { channel_platformUserId: key },
    create: { ...key, personId: a.personId, boundAt: now, boundBy: a.by },
    update: { personId: a.personId, boundAt: now, boundBy: a.by },
  });
  await audit(tx, { at: now, actor: a.actor, action: "identity.bind", entity: "person", entityId: a.personId, before: before ? { personId: before.personId } : null, after: { ...key, by: a.by } });
}

/** Removes every chat identity of a person; returns how many. */
export async function unbindPerson(tx: Tx, personId: number, actor: string, now: Date): Promise<number> {
  const ids = await tx.chatIdentity.findMany({ where: { personId }, select: { channel: true, platformUserId: true } });
  await tx.chatIdentity.deleteMany({ where: { personId } });
  if (ids.length) await audit(tx, { at: now, actor, action: "identity.unbind", entity: "person", entityId: personId, before: ids });
  return ids.length;
}

export async function setActive(tx: Tx, personId: number, active: boolean, actor: string, now: Date): Promise<void> {
  const before = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { active: true } });
  await tx.person.update({ where: { id: personId }, data: { active, updatedAt: now } });
  await audit(tx, { at: now, actor, action: active ? "person.activate" : "person.deactivate", entity: "person", entityId: personId, before, after: { active } });
}

// --- binding cool-down -------------------------------------------------------

export async function bindLock(db: Db | Tx, channel: string, platformUserId: string): Promise<{ failures: number; lockedUntil: Date | null }> {
  const r = await db.bindThrottle.findUnique({ where: { channel_platformUserId: { channel, platformUserId } } });
  return { failures: r?.failures ?? 0, lockedUntil: r?.lockedUntil ?? null };
}

export async function saveBindLock(tx: Tx, channel: string, platformUserId: string, s: { failures: number; lockedUntil: Date | null }, now: Date): Promise<void> {
  await tx.bindThrottle.upsert({
    where: { channel_platformUserId: { channel, platformUserId } },
    create: { channel, platformUserId, ...s, updatedAt: now },
    update: { ...s, updatedAt: now },
  });
}

// --- invites -----------------------------------------------------------------

/** A new code for a person; their earlier unused codes stop working (a code handed out twice is one too many). */
export async function createInvite(tx: Tx, code: string, personId: number, actor: string, now: Date, expiresAt: Date): Promise<void> {
  await tx.inviteCode.updateMany({ where: { personId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await tx.inviteCode.create({ data: { code, personId, createdBy: actor, createdAt: now, expiresAt } });
  await audit(tx, { at: now, actor, action: "invite.create", entity: "person", entityId: personId, after: { expiresAt: expiresAt.toISOString() } });
}

export async function findInvite(db: Db | Tx, code: string) {
  return db.inviteCode.findUnique({ where: { code }, include: { person: { include: withOrg } } }).then((r) => (r ? { ...r, person: profile(r.person) } : null));
}

export async function useInvite(tx: Tx, code: string, now: Date): Promise<boolean> {
  const r = await tx.inviteCode.updateMany({ where: { code, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return r.count === 1;
}

// --- groups ------------------------------------------------------------------

export async function registerGroup(tx: Tx, g: { channel: string; chatId: string; regionId: number; purpose: string; actor: string }, now: Date): Promise<void> {
  const key = { channel: g.channel, chatId: g.chatId };
  const before = await tx.groupChat.findUnique({ where: { channel_chatId: key }, include: { region: { select: { path: true } } } });
  await tx.groupChat.upsert({
    where: { channel_chatId: key },
    create: { ...key, regionId: g.regionId, purpose: g.purpose, registeredBy: g.actor, registeredAt: now },
    update: { regionId: g.regionId, purpose: g.purpose, registeredBy: g.actor, registeredAt: now },
  });
  await audit(tx, { at: now, actor: g.actor, action: "group.register", entity: "group", entityId: `${g.channel}:${g.chatId}`, before: before ? { region: before.region.path, purpose: before.purpose } : null, after: { regionId: g.regionId, purpose: g.purpose } });
}

export async function groupInfo(db: Db | Tx, channel: string, chatId: string) {
  return db.groupChat.findUnique({ where: { channel_chatId: { channel, chatId } }, include: { region: { select: { path: true } } } });
}

/** Active people holding a role (a routine's expected reporters), optionally within a region's subtree; oldest first. */
export async function holdersOf(db: Db | Tx, role: string, scope?: string): Promise<PersonProfile[]> {
  const rows = await db.person.findMany({ where: { active: true, roles: { some: { role } }, ...(scope ? { region: regionWithin(scope) } : {}) }, include: withOrg, orderBy: { id: "asc" } });
  return rows.map(profile);
}

/** People in a region's subtree with no chat identity on this channel. */
export async function unboundPeopleIn(db: Db | Tx, regionPath: string, channel: string): Promise<PersonProfile[]> {
  const rows = await db.person.findMany({
    where: { active: true, region: regionWithin(regionPath), identities: { none: { channel } } },
    include: withOrg, orderBy: [{ region: { path: "asc" } }, { name: "asc" }], take: 200,
  });
  return rows.map(profile);
}

/** Accounts that spoke in a chat but are bound to nobody. */
export async function unboundSendersIn(db: Db | Tx, channel: string, chatId: string): Promise<{ senderId: string; senderName: string }[]> {
  const senders = await db.inboundMessage.findMany({ where: { channel, chatId }, distinct: ["senderId"], select: { senderId: true, senderName: true }, orderBy: { id: "desc" }, take: 500 });
  if (senders.length === 0) return [];
  const bound = new Set((await db.chatIdentity.findMany({ where: { channel, platformUserId: { in: senders.map((s) => s.senderId) } }, select: { platformUserId: true } })).map((b) => b.platformUserId));
  return senders.filter((s) => !bound.has(s.senderId));
}

// --- roster import -----------------------------------------------------------

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  regionsCreated: number;
  /** Active people in scope who are not in the file (kept active unless asked). */
  missing: { name: string; mobile: string; regionPath: string }[];
  deactivated: number;
}

/**
 * Writes validated roster rows in one transaction: people matched by mobile are
 * updated, new ones created, missing regions created. Nobody is deactivated
 * unless `deactivateMissing` is set; the people missing from the file are reported.
 */
export interface ImportOptions {
  actor: string;
  now: Date;
  /** Only people inside this region are compared (an admin's own region). */
  scopePath?: string;
  /** Every mobile the file names, imported or skipped: none of them is "missing from the file". */
  named?: readonly string[];
  deactivateMissing?: boolean;
}

/** Rows written per transaction by `importRoster`: each holds the write lock ≈ 80 ms (3,000 rows: 60 of them, where one transaction held it 4.6 s). */
export const IMPORT_BATCH = 50;

/**
 * Writes a roster in batches of IMPORT_BATCH rows, each in a short transaction of
 * its own, yielding between them so that messages and jobs are served while a
 * county-size file goes in; the missing-people step runs last, once. Each row is
 * an upsert by mobile, so a run cut short by a crash is completed by running it
 * again (what it wrote before then counts as unchanged).
 */
export async function importRoster(db: Db, rows: RosterRow[], o: ImportOptions, batch = IMPORT_BATCH): Promise<ImportReport> {
  const total: ImportReport = { created: 0, updated: 0, unchanged: 0, regionsCreated: 0, missing: [], deactivated: 0 };
  for (let i = 0; i < rows.length; i += batch) {
    const r = await db.$transaction((tx) => importRows(tx, rows.slice(i, i + batch), o));
    total.created += r.created; total.updated += r.updated; total.unchanged += r.unchanged; total.regionsCreated += r.regionsCreated;
    await new Promise((go) => setImmediate(go));
  }
  const m = await db.$transaction((tx) => settleMissing(tx, rows, o));
  return { ...total, missing: m.missing, deactivated: m.deactivated };
}

/** The whole roster in the caller's transaction (a small file sent in chat). */
export async function importRosterTx(tx: Tx, rows: RosterRow[], o: ImportOptions): Promise<ImportReport> {
  const r = await importRows(tx, rows, o);
  const m = await settleMissing(tx, rows, o);
  return { ...r, missing: m.missing, deactivated: m.deactivated };
}

async function importRows(tx: Tx, rows: RosterRow[], o: ImportOptions): Promise<ImportReport> {
  const { now, actor } = o;
  {
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, regionsCreated: 0, missing: [], deactivated: 0 };
    const regionIds = new Map<string, number>();
    for (const path of new Set(rows.map((r) => r.regionPath))) {
      const r = await ensureRegionPath(tx, path, regionIds);
      report.regionsCreated += r.created;
    }
    const existing = new Map((await tx.person.findMany({ where: { mobile: { in: rows.map((r) => r.mobile) } }, include: withOrg })).map((p) => [p.mobile, p]));
    const audits: { at: Date; actor: string; action: string; entity: string; entityId: string; before: string | null; after: string }[] = [];
    for (const r of rows) {
      const regionId = regionIds.get(r.regionPath)!;
      const after = { name: r.name, mobile: r.mobile, region: r.regionPath, roles: [...r.roles].sort(), active: true };
      const p = existing.get(r.mobile);
      if (!p) {
        const created = await tx.person.create({ data: { name: r.name, mobile: r.mobile, regionId, createdAt: now, updatedAt: now, roles: { createMany: { data: r.roles.map((role) => ({ role })) } } } });
        audits.push({ at: now, actor, action: "person.create", entity: "person", entityId: String(created.id), before: null, after: JSON.stringify(after) });
        report.created++;
        continue;
      }
      const before = { name: p.name, mobile: p.mobile, region: p.region.path, roles: p.roles.map((x) => x.role).sort(), active: p.active };
      if (JSON.stringify(before) === JSON.stringify(after)) {
        report.unchanged++;
        continue;
      }
      await tx.person.update({ where: { id: p.id }, data: { name: r.name, regionId, active: true, updatedAt: now } });
      await tx.personRole.deleteMany({ where: { personId: p.id } });
      await tx.personRole.createMany({ data: r.roles.map((role) => ({ personId: p.id, role })) });
      audits.push({ at: now, actor, action: "person.update", entity: "person", entityId: String(p.id), before: JSON.stringify(before), after: JSON.stringify(after) });
      report.updated++;
    }
    if (audits.length) await tx.auditLog.createMany({ data: audits });
    return report;
  }
}

/** People active in scope whom the file does not name: reported, and deactivated only when asked. */
async function settleMissing(tx: Tx, rows: RosterRow[], o: ImportOptions): Promise<Pick<ImportReport, "missing" | "deactivated">> {
  const { now, actor } = o;
  {
    const report: Pick<ImportReport, "missing" | "deactivated"> = { missing: [], deactivated: 0 };
    const audits: { at: Date; actor: string; action: string; entity: string; entityId: string; before: string | null; after: string }[] = [];
    const inFile = new Set([...rows.map((r) => r.mobile), ...(o.named ?? [])]);
    const active = await tx.person.findMany({ where: { active: true }, include: withOrg });
    for (const p of active) {
      if (inFile.has(p.mobile) || (o.scopePath && !within(p.region.path, o.scopePath))) continue;
      report.missing.push({ name: p.name, mobile: p.mobile, regionPath: p.region.path });
      if (o.deactivateMissing) {
        await tx.person.update({ where: { id: p.id }, data: { active: false, updatedAt: now } });
        audits.push({ at: now, actor, action: "person.deactivate", entity: "person", entityId: String(p.id), before: JSON.stringify({ active: true }), after: JSON.stringify({ active: false, reason: "roster-import" }) });
        report.deactivated++;
      }
    }
    if (audits.length) await tx.auditLog.createMany({ data: audits });
    return report;
  }
}

// --- who to tell -------------------------------------------------------------

/** A person's bound chat accounts: where to reach them privately. */
export async function accountsOf(db: Db | Tx, personId: number): Promise<{ channel: string; platformUserId: string }[]> {
  return db.chatIdentity.findMany({ where: { personId }, select: { channel: true, platformUserId: true }, orderBy: { id: "asc" } });
}

/** A person's bound accounts other than this one (whom to warn when it binds to them). */
export async function otherAccountsOf(db: Db | Tx, personId: number, except: { channel: string; platformUserId: string }): Promise<{ channel: string; platformUserId: string }[]> {
  return (await accountsOf(db, personId)).filter((a) => !(a.channel === except.channel && a.platformUserId === except.platformUserId));
}

/** Registered groups of these purposes at a region or any of its ancestors, nearest first. */
export async function groupsAbove(db: Db | Tx, regionPath: string, purposes: readonly string[]) {
  const parts = regionPath.split("/");
  const paths = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  const rows = await db.groupChat.findMany({ where: { purpose: { in: [...purposes] }, region: { path: { in: paths } } }, include: { region: { select: { path: true } } } });
  return rows.sort((a, b) => b.region.path.length - a.region.path.length);
}

/** Active people holding any of these roles at exactly this region. */
export async function peopleAt(db: Db | Tx, regionPath: string, roles: readonly string[]): Promise<PersonProfile[]> {
  const rows = await db.person.findMany({ where: { active: true, region: { path: regionPath }, roles: { some: { role: { in: [...roles] } } } }, include: withOrg, orderBy: { id: "asc" } });
  return rows.map(profile);
}

export async function personById(db: Db | Tx, id: number): Promise<PersonProfile | null> {
  const p = await db.person.findUnique({ where: { id }, include: withOrg });
  return p ? profile(p) : null;
}

/** A region by its full path (the caller's own region, which exists). */
export async function regionByPath(db: Db | Tx, path: string): Promise<{ id: number; path: string }> {
  return db.region.findUniqueOrThrow({ where: { path }, select: { id: true, path: true } });
}

/** Every region's name and path (to read a region named in a question). */
export async function regionNames(db: Db | Tx): Promise<{ name: string; path: string }[]> {
  return db.region.findMany({ select: { name: true, path: true } });
}

/** Registered groups of these purposes anywhere, with their region's path. */
export async function groupsFor(db: Db | Tx, purposes: readonly string[]) {
  return db.groupChat.findMany({ where: { purpose: { in: [...purposes] } }, include: { region: { select: { path: true } } }, orderBy: { id: "asc" } });
}

/** Names by person id (for ledgers and summaries); unknown ids are left out. */
export async function namesOf(db: Db | Tx, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await db.person.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((p) => [p.id, p.name]));
}

/** Active admins of the whole county (depth 0): who keeps the work calendar. */
export async function countyAdmins(db: Db | Tx): Promise<{ id: number }[]> {
  return db.person.findMany({ where: { active: true, roles: { some: { role: "管理员" } }, region: { depth: 0 } }, select: { id: true }, orderBy: { id: "asc" } });
}

/** How many people the roster holds (zero on a new database). */
export async function peopleCount(db: Db | Tx): Promise<number> {
  return db.person.count();
}
