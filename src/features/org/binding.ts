/**
 * Binding a chat account to a person on the roster: by name + mobile, or by an
 * invite code an admin generated. Repeated failures lock the account for a while.
 */
import crypto from "node:crypto";
import { say, type Say } from "../../prompts/catalog.js";
import { audit } from "../../store/audit.js";
import { can } from "./policy.js";
import type { Tx } from "../../store/db.js";
import { bindIdentity, otherAccountsOf, bindLock, findInvite, peopleNamed, saveBindLock, useInvite } from "./repo.js";
import { formatLocal } from "../../time/shanghai.js";

export const MAX_BIND_FAILURES = 3;
export const BIND_COOLDOWN_MS = 15 * 60_000;
export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

// No 0/O, 1/I/L: codes are read aloud and typed on phones.
const INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function newInviteCode(random: (n: number) => number = (n) => crypto.randomInt(n)): string {
  return Array.from({ length: 6 }, () => INVITE_ALPHABET[random(INVITE_ALPHABET.length)]).join("");
}

export function looksLikeInviteCode(s: string): boolean {
  return /^[A-HJ-NP-Z2-9]{6}$/.test(s.trim().toUpperCase());
}

export function normalizeMobile(s: string): string {
  return s.replace(/[\s-]/g, "").replace(/^(\+?86)/, "");
}

/**
 * The first mainland mobile in what was typed, however it was written:
 * `138 0000 0009`, `138-0000-0009`, `+86 13800000009`, full-width digits, a name beside it.
 */
export function findMobile(text: string): string | null {
  const digits = text.normalize("NFKC").replace(/(\d)[\s\-－—.·]+(?=\d)/g, "$1");
  return /(?:\+?86)?(1[3-9]\d{9})(?!\d)/.exec(digits)?.[1] ?? null;
}

export interface BindRequest {
  channel: string;
  platformUserId: string;
  /** Name as typed, or an invite code. */
  who: string;
  mobile?: string;
}

/** Is the account in its cool-down? Returns the refusal, or null. */
export async function bindCooldown(tx: Tx, channel: string, platformUserId: string, now: Date): Promise<Say | null> {
  const lock = await bindLock(tx, channel, platformUserId);
  return lock.lockedUntil && lock.lockedUntil > now ? say("bind.locked", { until: formatLocal(lock.lockedUntil) }) : null;
}

/** What a bind attempt says, and the person's other accounts to warn when one more account now speaks as them. */
export interface BindOutcome {
  reply: Say;
  alert?: { name: string; accounts: { channel: string; platformUserId: string }[] };
}

export async function attemptBind(tx: Tx, r: BindRequest, now: Date): Promise<BindOutcome> {
  const locked = await bindCooldown(tx, r.channel, r.platformUserId, now);
  if (locked) return { reply: locked };
  return bindOnce(tx, r, now);
}

async function bindOnce(tx: Tx, r: BindRequest, now: Date): Promise<BindOutcome> {
  const actor = `${r.channel}:${r.platformUserId}`;

  const fail = async (reason: "unknown_name" | "mismatch" | "bad_invite", shown: Say) => {
    const lock = await bindLock(tx, r.channel, r.platformUserId);
    const failures = (lock.lockedUntil && lock.lockedUntil <= now ? 0 : lock.failures) + 1;
    await audit(tx, { at: now, actor, action: "identity.bind_failed", entity: "chat", entityId: actor, after: { reason, failures } });
    if (failures >= MAX_BIND_FAILURES) {
      const until = new Date(now.getTime() + BIND_COOLDOWN_MS);
      await saveBindLock(tx, r.channel, r.platformUserId, { failures: 0, lockedUntil: until }, now);
      return { reply: say("bind.locked_now", { count: failures, minutes: BIND_COOLDOWN_MS / 60_000 }) };
    }
    await saveBindLock(tx, r.channel, r.platformUserId, { failures, lockedUntil: null }, now);
    return { reply: say("bind.failed", { reason: shown, left: MAX_BIND_FAILURES - failures }) };
  };

  const done = async (person: { id: number; name: string; regionPath: string; roles: string[] }, by: string): Promise<BindOutcome> => {
    const others = await otherAccountsOf(tx, person.id, r);
    await bindIdentity(tx, { channel: r.channel, platformUserId: r.platformUserId, personId: person.id, by, actor }, now);
    await saveBindLock(tx, r.channel, r.platformUserId, { failures: 0, lockedUntil: null }, now);
    const reply = say("bind.done", { name: person.name, region: person.regionPath, roles: person.roles.join("、") });
    return others.length ? { reply, alert: { name: person.name, accounts: others } } : { reply };
  };

  if (looksLikeInviteCode(r.who) && !r.mobile) {
    const code = r.who.trim().toUpperCase();
    const inv = await findInvite(tx, code);
    if (!inv || inv.usedAt || inv.expiresAt <= now || !inv.person.active || !(await useInvite(tx, code, now))) {
      return fail("bad_invite", say("bind.reason.bad_invite"));
    }
    return done(inv.person, "invite");
  }

  const name = r.who.replace(/\s+/g, "");
  const named = await peopleNamed(tx, name);
  if (named.length === 0) return fail("unknown_name", say("bind.reason.unknown_name", { name }));
  const person = named.find((p) => p.mobile === normalizeMobile(r.mobile ?? ""));
  if (!person) return fail("mismatch", say("bind.reason.mismatch"));
  if (!person.active) return { reply: say("core.inactive") };
  // A name and a mobile are known to colleagues: leaders and admins bind by an invite code or
  // through an admin (绑定成员), so nobody takes over an account that can issue warnings or manage people.
  if (!can({ roles: [], active: true }, "identity.self_bind", { roles: person.roles }).ok) {
    await audit(tx, { at: now, actor, action: "identity.bind_failed", entity: "chat", entityId: actor, after: { reason: "needs_invite", personId: person.id } });
    return { reply: say("bind.need_invite", { roles: person.roles.join("、") }) };
  }
  return done(person, "self");
}
