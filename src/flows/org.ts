/**
 * Organisation in chat: binding one's account (绑定), and the admin commands —
 * register a group (登记群), group info (群信息), bind/unbind members, invite codes,
 * unbound members, (de)activate people, import the roster from a file.
 */
import fs from "node:fs";
import type { CommandContext, CommandDef } from "../core/commands.js";
import type { Actor } from "../core/ports.js";
import { attemptBind, bindCooldown, INVITE_TTL_MS, looksLikeInviteCode, newInviteCode, normalizeMobile } from "../domain/binding.js";
import { can, GROUP_PURPOSES, type Permission } from "../domain/org.js";
import { RosterFileError, validateRoster } from "../domain/roster.js";
import { say, type Say } from "../prompts/catalog.js";
import { formatOf, readRosterRows } from "../roster/read.js";
import { audit } from "../store/audit.js";
import type { Tx } from "../store/db.js";
import * as org from "../store/org.js";
import { formatLocal } from "../time/shanghai.js";
import type { FlowDef } from "../core/flow-types.js";
import { file, mobile, text } from "./inputs.js";
import { importReportLines } from "../roster/report.js";

export const bindFlow: FlowDef<Tx> = {
  id: "bind",
  title: "bind.title",
  summary: false,
  steps: [
    { id: "who", prompt: "bind.ask.who", label: "bind.label.who", input: text({ min: 1, max: 30 }), next: (a) => (looksLikeInviteCode(String(a.who)) ? null : "mobile") },
    { id: "mobile", prompt: "bind.ask.mobile", label: "bind.label.mobile", input: mobile(), next: () => null },
  ],
  async beforeStart({ tx, now, actor, person }) {
    if (person.personId !== undefined) return say("bind.already", { name: person.name, region: person.regionPath ?? "" });
    return bindCooldown(tx, actor.channel, actor.senderId, now);
  },
  async complete({ tx, now, actor }, a) {
    const r = await attemptBind(tx, { channel: actor.channel, platformUserId: actor.senderId, who: String(a.who), ...(a.mobile ? { mobile: String(a.mobile) } : {}) }, now);
    return { ok: true, replies: [r] };
  },
};

export const importRosterFlow: FlowDef<Tx> = {
  id: "import-roster",
  title: "roster.title",
  summary: false,
  steps: [{ id: "file", prompt: "roster.ask.file", label: "roster.label.file", input: file(["csv", "xlsx"]) }],
  async complete({ tx, now, person }, a) {
    const f = a.file as { path: string; name: string };
    const report = await importFromFile(tx, f, person, now);
    return { ok: true, replies: report };
  },
};

/** Imports a roster file sent in chat; only rows inside the admin's own region are taken. */
async function importFromFile(tx: Tx, f: { path: string; name: string }, admin: Actor, now: Date): Promise<Say[]> {
  const format = formatOf(f.name);
  let rows: string[][];
  try {
    rows = await readRosterRows(fs.readFileSync(f.path), format!);
  } catch (e) {
    return [say("roster.file_error", { reason: e instanceof RosterFileError ? e.message : String((e as Error).message) })];
  }
  let v;
  try {
    v = validateRoster(rows);
  } catch (e) {
    if (e instanceof RosterFileError) return [say("roster.file_error", { reason: e.message })];
    throw e;
  }
  const scope = admin.regionPath!;
  const inScope = v.rows.filter((r) => can(admin, "org.admin", r.regionPath).ok);
  const errors = [...v.errors, ...v.rows.filter((r) => !inScope.includes(r)).map((r) => ({ row: r.row, reason: `区域“${r.regionPath}”不在你的管理范围（${scope}）内` }))].sort((x, y) => x.row - y.row);
  const report = await org.importRosterTx(tx, inScope, { actor: admin.key, now, scopePath: scope });
  return importReportLines(report, errors);
}

// --- admin commands ----------------------------------------------------------

/** A refusal inside a command (out of scope), audited like any other. */
async function refuse(ctx: CommandContext<Tx>, what: string, reason: string): Promise<Say[]> {
  await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "command.denied", entity: "command", entityId: what, after: { chat: ctx.chat.chatId, reason } });
  return [say("org.out_of_scope", { scope: ctx.actor.regionPath ?? "" })];
}

function check(ctx: CommandContext<Tx>, permission: Permission, regionPath: string) {
  return can(ctx.actor, permission, regionPath).ok;
}

async function targetPerson(ctx: CommandContext<Tx>, what: string): Promise<{ ok: true; person: org.PersonProfile; rest: string[] } | { ok: false; says: Say[] }> {
  const [m, ...rest] = ctx.args.split(/\s+/).filter(Boolean);
  if (!m) return { ok: false, says: [say("org.usage", { usage: what })] };
  const person = await org.personByMobile(ctx.tx, normalizeMobile(m));
  if (!person) return { ok: false, says: [say("org.no_person", { mobile: m })] };
  if (!check(ctx, "org.admin", person.regionPath)) return { ok: false, says: await refuse(ctx, what, "scope") };
  return { ok: true, person, rest };
}

export const orgCommands: CommandDef<Tx>[] = [
  { id: "bind", keywords: ["绑定"], slash: ["bind"], describe: "bind.describe", permission: "public", flow: "bind", hidden: (a) => a.personId !== undefined },
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
    run: async (ctx) => {
      if (ctx.chat.chatKind !== "group") return [say("org.group_only")];
      const parts = ctx.args.split(/\s+/).filter(Boolean);
      const purpose = parts.at(-1);
      if (parts.length < 2 || !(GROUP_PURPOSES as readonly string[]).includes(purpose!)) return [say("org.usage", { usage: "登记群 <区域路径> <网格群|值班群|领导群|工作群>" })];
      const found = await org.findRegion(ctx.tx, parts.slice(0, -1).join(""));
      if (!found.ok) return [found.matches.length ? say("org.region_ambiguous", { matches: found.matches.join("、") }) : say("org.no_region", { region: parts.slice(0, -1).join(" ") })];
      if (!check(ctx, "org.admin", found.path)) return refuse(ctx, "register-group", "scope");
      await org.registerGroup(ctx.tx, { channel: ctx.chat.channel, chatId: ctx.chat.chatId, regionId: found.id, purpose: purpose!, actor: ctx.actor.key }, ctx.now);
      return [say("org.register.done", { region: found.path, purpose: purpose! })];
    },
  },
  {
    id: "bind-member", keywords: ["绑定成员"], slash: ["bind_member"], describe: "org.bind_member.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, "绑定成员 <手机号>（回复该成员的消息或@他）");
      if (!t.ok) return t.says;
      const account = ctx.msg.mentions?.[0] ?? (ctx.msg.replyTo ? { id: ctx.msg.replyTo.senderId, name: ctx.msg.replyTo.senderName } : t.rest[0] ? { id: t.rest[0], name: t.rest[0] } : null);
      if (!account) return [say("org.usage", { usage: "绑定成员 <手机号>（回复该成员的消息或@他）" })];
      await org.bindIdentity(ctx.tx, { channel: ctx.chat.channel, platformUserId: account.id, personId: t.person.id, by: ctx.actor.key, actor: ctx.actor.key }, ctx.now);
      return [say("org.bind_member.done", { account: account.name, name: t.person.name, region: t.person.regionPath })];
    },
  },
  {
    id: "unbind", keywords: ["解绑"], slash: ["unbind"], describe: "org.unbind.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, "解绑 <手机号>");
      if (!t.ok) return t.says;
      const n = await org.unbindPerson(ctx.tx, t.person.id, ctx.actor.key, ctx.now);
      return [say(n ? "org.unbind.done" : "org.unbind.none", { name: t.person.name, count: n })];
    },
  },
  {
    id: "invite", keywords: ["邀请码"], slash: ["invite"], describe: "org.invite.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, "邀请码 <手机号>");
      if (!t.ok) return t.says;
      const code = newInviteCode();
      const expires = new Date(ctx.now.getTime() + INVITE_TTL_MS);
      await org.createInvite(ctx.tx, code, t.person.id, ctx.actor.key, ctx.now, expires);
      return [say("org.invite.done", { name: t.person.name, code, until: formatLocal(expires) })];
    },
  },
  {
    id: "unbound", keywords: ["未绑定成员"], slash: ["unbound"], describe: "org.unbound.describe", permission: "org.admin",
    run: async (ctx) => {
      const g = ctx.chat.chatKind === "group" ? await org.groupInfo(ctx.tx, ctx.chat.channel, ctx.chat.chatId) : null;
      const region = g?.region.path ?? ctx.actor.regionPath!;
      if (!check(ctx, "org.admin", region)) return refuse(ctx, "unbound", "scope");
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
    id: which, keywords: [which === "deactivate" ? "停用" : "启用"], slash: [which], describe: which === "deactivate" ? "org.deactivate.describe" : "org.activate.describe", permission: "org.admin",
    run: async (ctx) => {
      const t = await targetPerson(ctx, `${which === "deactivate" ? "停用" : "启用"} <手机号>`);
      if (!t.ok) return t.says;
      await org.setActive(ctx.tx, t.person.id, which === "activate", ctx.actor.key, ctx.now);
      return [which === "deactivate" ? say("org.deactivate.done", { name: t.person.name }) : say("org.activate.done", { name: t.person.name })];
    },
  })),
  { id: "import-roster", keywords: ["导入花名册"], slash: ["import_roster"], describe: "roster.describe", permission: "org.admin", flow: "import-roster" },
];
