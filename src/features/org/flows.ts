/**
 * Organisation in chat: binding one's account (绑定), and the admin commands —
 * register a group (登记群), group info (群信息), bind/unbind members, invite codes,
 * unbound members, (de)activate people, import the roster from a file.
 */
import fs from "node:fs";
import type { Access, CommandContext, CommandDef } from "../../core/commands.js";
import type { Actor, OutboxItem } from "../../core/ports.js";
import { attemptBind, bindCooldown, findMobile, INVITE_TTL_MS, looksLikeInviteCode, newInviteCode } from "./binding.js";
import { GROUP_PURPOSES } from "./rules.js";
import { RosterFileError, validateRoster } from "./roster-rules.js";
import { say, sayKey, type Say } from "../../prompts/catalog.js";
import { formatOf, readRosterRows } from "./roster-read.js";
import type { Db, Tx } from "../../store/db.js";
import type { Json } from "../../core/flow-types.js";
import type { Renderer } from "../../core/effects.js";
import type { RosterRow } from "./roster-rules.js";
import * as org from "./repo.js";
import { formatLocal } from "../../time/shanghai.js";
import { rankOf, within } from "./policy.js";
import type { FlowDef } from "../../core/flow-types.js";
import { file, mobile, text } from "../inputs.js";
import { importReportLines } from "./roster-report.js";

export const bindFlow: FlowDef<Tx> = {
  id: "bind",
  title: "bind.title",
  summary: false,
  steps: [
    // An invite code is a one-time secret: the audit log keeps that one was used, not the code.
    { id: "who", prompt: "bind.ask.who", label: "bind.label.who", input: text({ min: 1, max: 30 }), redact: (v) => (looksLikeInviteCode(String(v)) ? "（邀请码）" : v), next: (a) => (looksLikeInviteCode(String(a.who)) ? null : "mobile") },
    { id: "mobile", prompt: "bind.ask.mobile", label: "bind.label.mobile", input: mobile(), next: () => null },
  ],
  async beforeStart({ tx, now, actor, person }) {
    if (person.personId !== undefined) return say("bind.already", { name: person.name, region: person.regionPath ?? "" });
    return bindCooldown(tx, actor.channel, actor.senderId, now);
  },
  async complete({ tx, now, actor, t }, a) {
    const r = await attemptBind(tx, { channel: actor.channel, platformUserId: actor.senderId, who: String(a.who), ...(a.mobile ? { mobile: String(a.mobile) } : {}) }, now);
    return { ok: true, replies: [r.reply], ...(r.alert ? { effects: [{ notify: bindAlert(r.alert, actor.channel, now, t) }] } : {}) };
  },
};

export const importRosterFlow: FlowDef<Tx> = {
  id: "import-roster",
  title: "roster.title",
  summary: false,
  steps: [{ id: "file", prompt: "roster.ask.file", label: "roster.label.file", input: file(["csv", "xlsx"]) }],
  async complete({ tx, now, person, access, t, actor }, a) {
    const f = a.file as { path: string; name: string };
    const r = await importFromFile({ tx, access, t }, f, person, now);
    if (!("later" in r)) return { ok: true, replies: r };
    // A county-size file is written after this commit, in batches (rosterImportRunner): the admin hears back when it is done.
    const target = { channel: actor.channel, chatId: actor.chatId, payload: { text: "", choices: [] } };
    return { ok: true, replies: [say("roster.importing", { rows: r.later.rows.length })], effects: [{ render: { kind: ROSTER_IMPORT, params: r.later as unknown as Json, at: now, target } }] };
  },
};

/**
 * One more chat account now speaks as this person: each of their other accounts is told
 * at once, privately, with what to do if it was not them (an invite code can leak).
 */
function bindAlert(a: { name: string; accounts: { channel: string; platformUserId: string }[] }, channel: string, now: Date, t: (s: Say) => string): OutboxItem[] {
  const text = t(say("bind.alert_other_account", { name: a.name, platform: t(sayKey(channel === "telegram" ? "platform.telegram" : channel === "wechat" ? "platform.wechat" : "platform.other")), at: formatLocal(now) }));
  return a.accounts.map((x) => ({ channel: x.channel, chatId: x.platformUserId, payload: { text, choices: [] }, dedupeKey: `bind-alert:${x.channel}:${x.platformUserId}:${now.getTime()}` }));
}

/** The render-queue kind of a roster written after the commit. */
export const ROSTER_IMPORT = "roster-import";

interface LaterImport {
  rows: RosterRow[];
  errors: { row: number; reason: string }[];
  options: { actor: string; scopePath: string; named: string[] };
}

/**
 * Writes a large roster sent in chat after the dialog's commit, in short batches
 * (org.importRoster), so that nobody else waits on it; its report is the reply.
 * Runs on the main thread with the writer: it is many small writes, not CPU work.
 */
export function rosterImportRunner(db: Db): Renderer {
  return async (params, at) => {
    const p = params as unknown as LaterImport;
    const report = await org.importRoster(db, p.rows, { ...p.options, now: at });
    return { says: importReportLines(report, p.errors) };
  };
}

/** The roles in `roles` that rank above the actor's own (what a rank refusal names). */
function above(roles: readonly string[], actor: Actor): string[] {
  return roles.filter((r) => rankOf([r]) > rankOf(actor.roles));
}

/** The roles one change adds or removes (what the rank rule looks at). */
function roleChange(before: readonly string[], after: readonly string[]): string[] {
  return [...before.filter((r) => !after.includes(r)), ...after.filter((r) => !before.includes(r))];
}

/**
 * Imports a roster file sent in chat. Each row is a change to a person, so the
 * policy is asked on what exists and on what it becomes: the person's current
 * region and the row's region must both be the admin's, and the roles it adds or
 * removes must not rank above the admin's own. Refused rows are skipped, listed
 * with the reason and audited; the others are imported.
 */
async function importFromFile(c: { tx: Tx; access: Access; t: (s: Say) => string }, f: { path: string; name: string }, admin: Actor, now: Date): Promise<Say[] | { later: LaterImport }> {
  const { tx } = c;
  const format = formatOf(f.name);
  let rows: string[][];
  try {
    rows = await readRosterRows(fs.readFileSync(f.path), format!);
  } catch (e) {
    if (e instanceof RosterFileError) return [say("roster.file_error", { reason: e.say })];
    throw e;
  }
  let v;
  try {
    v = validateRoster(rows);
  } catch (e) {
    if (e instanceof RosterFileError) return [say("roster.file_error", { reason: e.say })];
    throw e;
  }
  const scope = admin.regionPath ?? "";
  // "渠阳镇" or "泡里村/网格3" as an admin writes them: the existing region they name, or a new one under the admin's.
  for (const r of v.rows) r.regionPath = await org.resolveTypedRegion(tx, r.regionPath, scope);
  const current = await org.peopleByMobiles(tx, v.rows.map((r) => r.mobile));
  const taken: typeof v.rows = [];
  const skipped: { row: number; reason: string }[] = [];
  for (const r of v.rows) {
    const p = current.get(r.mobile);
    const who = { name: r.name, mobile: r.mobile };
    const change = roleChange(p?.roles ?? [], r.roles);
    // Nobody changes their own roles (granting oneself 带班领导, or dropping one's own 管理员).
    const no = await c.access("org.person.change", { regions: p ? [p.regionPath] : [], next: [r.regionPath], roles: change, ...(change.length && p ? { self: p.id } : {}) }, {
      entity: "person", id: p?.id ?? r.mobile,
      refusal: {
        scope: p && p.regionPath !== r.regionPath && !within(p.regionPath, scope)
          ? say("roster.skip.current_scope", { ...who, region: p.regionPath, scope })
          : say("roster.skip.scope", { ...who, region: p && !within(p.regionPath, scope) ? p.regionPath : r.regionPath, scope }),
        rank: say("roster.skip.rank", { ...who, roles: above(change, admin).join("、") }),
        self: say("roster.skip.self", { ...who }),
      },
    });
    if (no) skipped.push({ row: r.row, reason: no.map(c.t).join("") });
    else taken.push(r);
  }
  const errors = [...v.errors, ...skipped].sort((x, y) => x.row - y.row);
  const options = { actor: admin.key, scopePath: scope, named: v.rows.map((r) => r.mobile) };
  if (taken.length > org.IMPORT_BATCH) return { later: { rows: taken, errors, options } };
  const report = await org.importRosterTx(tx, taken, { ...options, now });
  return importReportLines(report, errors);
}

// --- admin commands ----------------------------------------------------------

/**
 * The person a command names by mobile, if the policy lets the actor change them:
 * in scope, no role above the actor's (停用 takes them all away, 邀请码 hands them to
 * whoever uses the code), and for 停用/解绑 not the actor himself.
 */
async function targetPerson(ctx: CommandContext<Tx>, usage: string, o: { notSelf?: boolean; identity?: boolean; handOver?: boolean } = {}): Promise<{ ok: true; person: org.PersonProfile } | { ok: false; says: Say[] }> {
  const m = findMobile(ctx.args);
  if (!m) return { ok: false, says: [ctx.args.trim() ? say("org.no_mobile", { text: ctx.args.slice(0, 20), usage }) : say("org.usage", { usage })] };
  const person = await org.personByMobile(ctx.tx, m);
  if (!person) return { ok: false, says: [say("org.no_person", { mobile: m })] };
  const command = usage.split(" ")[0]!;
  // 解绑 is about the account, not the roles: scope only (an impostor bound as a leader can be unbound).
  // 邀请码 hands the person's roles to whoever uses the code: not above the actor's own.
  const action = o.handOver ? "org.bind.person" : o.identity ? "org.bind" : "org.person.change";
  const no = await ctx.access(action, { regions: [person.regionPath], ...(o.identity && !o.handOver ? {} : { roles: person.roles }), ...(o.notSelf ? { self: person.id } : {}) }, {
    entity: "person", id: person.id,
    refusal: {
      scope: say("org.person_out_of_scope", { name: person.name, region: person.regionPath, scope: ctx.actor.regionPath ?? "" }),
      rank: say(o.handOver ? "org.hand_over_rank" : "org.person_rank", { name: person.name, roles: above(person.roles, ctx.actor).join("、"), command }),
      self: say("org.not_self_person", { command }),
    },
  });
  return no ? { ok: false, says: no } : { ok: true, person };
}

export const orgCommands: CommandDef<Tx>[] = [
  { id: "bind", essential: true, keywords: ["绑定"], slash: ["bind"], describe: "bind.describe", permission: "public", flow: "bind", hidden: (a) => a.personId !== undefined },
  {
    id: "group-info", keywords: ["群信息"], slash: ["groupinfo"], describe: "org.group_info.describe", permission: "member",
    run: async (ctx) => {
      const g = await org.groupInfo(ctx.tx, ctx.chat.channel, ctx.chat.chatId);
      if (!g) return [say(ctx.chat.chatKind === "group" ? "org.group_info.none" : "org.group_only")];
      return [say("org.group_info.show", { region: g.region.path, purpose: g.purpose, when: formatLocal(g.registeredAt) })];
    },
  },
  {
    id: "register-group", keywords: ["登记群"], slash: ["register_group"], describe: "org.register.describe", permission: "org.admin",
    checks: [{ action: "org.group.register", target: "group" }],
    run: async (ctx) => {
      if (ctx.chat.chatKind !== "group") return [say("org.group_only")];
      const parts = ctx.args.split(/\s+/).filter(Boolean);
      const purpose = parts.at(-1);
      if (parts.length < 2 || !(GROUP_PURPOSES as readonly string[]).includes(purpose!)) return [say("org.usage", { usage: "登记群 <区域路径> <网格群|值班群|领导群|工作群>" })];
      const found = await org.findRegion(ctx.tx, parts.slice(0, -1).join(""));
      if (!found.ok) return [found.matches.length ? say("org.region_ambiguous", { matches: found.matches.join("、") }) : say("org.no_region", { region: parts.slice(0, -1).join(" ") })];
      // What the group is registered as now counts as much as what it becomes.
      const before = await org.groupInfo(ctx.tx, ctx.chat.channel, ctx.chat.chatId);
      const no = await ctx.access("org.group.register", { regions: before ? [before.region.path] : [], next: [found.path] }, {
        entity: "group", id: `${ctx.chat.channel}:${ctx.chat.chatId}`,
        refusal: { scope: before && !within(before.region.path, ctx.actor.regionPath ?? "") ? say("org.register.registered_outside", { region: before.region.path, purpose: before.purpose, scope: ctx.actor.regionPath ?? "" }) : say("org.region_out_of_scope", { region: found.path, scope: ctx.actor.regionPath ?? "" }) },
      });
      if (no) return no;
      await org.registerGroup(ctx.tx, { channel: ctx.chat.channel, chatId: ctx.chat.chatId, regionId: found.id, purpose: purpose!, actor: ctx.actor.key }, ctx.now);
      return [say("org.register.done", { region: found.path, purpose: purpose! })];
    },
  },
  {
    id: "bind-member", complete: (a) => findMobile(a) !== null, keywords: ["绑定成员"], slash: ["bind_member"], describe: "org.bind_member.describe", permission: "org.admin",
    checks: [{ action: "org.bind", target: "person" }, { action: "org.bind.person", target: "person" }],
    run: async (ctx) => {
      const usage = "绑定成员 <手机号>（回复该成员的消息或@他）";
      const m = findMobile(ctx.args);
      if (!m) return [ctx.args.trim() ? say("org.no_mobile", { text: ctx.args.slice(0, 20), usage }) : say("org.usage", { usage })];
      // The account is the one @mentioned or the author of the message replied to — never typed text,
      // never the admin's own (Telegram's forum topics make every message "reply" to the topic's first one).
      const account = ctx.msg.mentions?.[0] ?? (ctx.msg.replyTo ? { id: ctx.msg.replyTo.senderId, name: ctx.msg.replyTo.senderName } : null);
      if (!account) return [say("org.bind_member.need_reply")];
      if (account.id === ctx.chat.senderId) return [say("org.bind_member.not_self")];
      const person = await org.personByMobile(ctx.tx, m);
      if (!person) return [say("org.no_person", { mobile: m })];
      // Rebinding an account moves it away from whoever holds it now: both must be the admin's.
      const holder = await org.personByIdentity(ctx.tx, ctx.chat.channel, account.id);
      const no = await ctx.access("org.bind", { regions: holder ? [holder.regionPath] : [], next: [person.regionPath] }, {
        entity: "person", id: person.id,
        refusal: { scope: holder && !within(holder.regionPath, ctx.actor.regionPath ?? "") ? say("org.bind_member.holder_outside", { account: account.name, name: holder.name, region: holder.regionPath, scope: ctx.actor.regionPath ?? "" }) : say("org.person_out_of_scope", { name: person.name, region: person.regionPath, scope: ctx.actor.regionPath ?? "" }) },
      });
      if (no) return no;
      // The account becomes this person, with their roles: not above the admin's own.
      const rank = await ctx.access("org.bind.person", { regions: [person.regionPath], roles: person.roles }, {
        entity: "person", id: person.id,
        refusal: { rank: say("org.hand_over_rank", { name: person.name, roles: above(person.roles, ctx.actor).join("、"), command: "绑定成员" }) },
      });
      if (rank) return rank;
      const others = await org.otherAccountsOf(ctx.tx, person.id, { channel: ctx.chat.channel, platformUserId: account.id });
      await org.bindIdentity(ctx.tx, { channel: ctx.chat.channel, platformUserId: account.id, personId: person.id, by: ctx.actor.key, actor: ctx.actor.key }, ctx.now);
      const says = [say("org.bind_member.done", { account: account.name, name: person.name, region: person.regionPath })];
      return others.length ? { says, effects: [{ notify: bindAlert({ name: person.name, accounts: others }, ctx.chat.channel, ctx.now, ctx.t) }] } : says;
    },
  },
  {
    id: "unbind", complete: (a) => findMobile(a) !== null, checks: [{ action: "org.bind", target: "person" }], keywords: ["解绑"], slash: ["unbind"], describe: "org.unbind.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, "解绑 <手机号>", { notSelf: true, identity: true });
      if (!t.ok) return t.says;
      const n = await org.unbindPerson(ctx.tx, t.person.id, ctx.actor.key, ctx.now);
      return [say(n ? "org.unbind.done" : "org.unbind.none", { name: t.person.name, count: n })];
    },
  },
  {
    id: "invite", complete: (a) => findMobile(a) !== null, checks: [{ action: "org.bind.person", target: "person" }], keywords: ["邀请码"], slash: ["invite"], describe: "org.invite.describe", permission: "org.invite",
    run: async (ctx) => {
      const t = await targetPerson(ctx, "邀请码 <手机号>", { identity: true, handOver: true });
      if (!t.ok) return t.says;
      const code = newInviteCode();
      const expires = new Date(ctx.now.getTime() + INVITE_TTL_MS);
      await org.createInvite(ctx.tx, code, t.person.id, ctx.actor.key, ctx.now, expires);
      return [say("org.invite.done", { name: t.person.name, code, until: formatLocal(expires) })];
    },
  },
  {
    id: "unbound", checks: [{ action: "org.admin", target: "group" }], keywords: ["未绑定成员"], slash: ["unbound"], describe: "org.unbound.describe", permission: "org.admin",
    run: async (ctx) => {
      const g = ctx.chat.chatKind === "group" ? await org.groupInfo(ctx.tx, ctx.chat.channel, ctx.chat.chatId) : null;
      const region = g?.region.path ?? ctx.actor.regionPath!;
      const no = await ctx.access("org.admin", { regions: [region] }, { entity: "group", id: `${ctx.chat.channel}:${ctx.chat.chatId}` });
      if (no) return no;
      const people = await org.unboundPeopleIn(ctx.tx, region, ctx.chat.channel);
      const senders = ctx.chat.chatKind === "group" ? await org.unboundSendersIn(ctx.tx, ctx.chat.channel, ctx.chat.chatId) : [];
      const out: Say[] = [say("org.unbound.people", { region, count: people.length })];
      for (const p of people.slice(0, 50)) out.push(say("org.unbound.person", { name: p.name, region: p.regionPath, roles: p.roles.join("、") }));
      if (people.length > 50) out.push(say("org.more", { count: people.length - 50 }));
      if (senders.length) out.push(say("org.unbound.accounts", { count: senders.length, names: senders.slice(0, 30).map((s) => s.senderName).join("、") }));
      return out;
    },
  },
  ...(["deactivate", "activate"] as const).map((which): CommandDef<Tx> => ({
    id: which, complete: (a) => findMobile(a) !== null, checks: [{ action: "org.person.change", target: "person" }], keywords: [which === "deactivate" ? "停用" : "启用"], slash: [which], describe: which === "deactivate" ? "org.deactivate.describe" : "org.activate.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, `${which === "deactivate" ? "停用" : "启用"} <手机号>`, { notSelf: which === "deactivate" });
      if (!t.ok) return t.says;
      await org.setActive(ctx.tx, t.person.id, which === "activate", ctx.actor.key, ctx.now);
      return [which === "deactivate" ? say("org.deactivate.done", { name: t.person.name }) : say("org.activate.done", { name: t.person.name })];
    },
  })),
  { id: "import-roster", checks: [{ action: "org.person.change", target: "person" }], keywords: ["导入花名册"], slash: ["import_roster"], describe: "roster.describe", permission: "org.admin", flow: "import-roster" },
];
