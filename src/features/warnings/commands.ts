/**
 * Warnings' chat commands: 发布预警 (opens the dialog, reading an official text),
 * 收到 (confirm; the group tallies follow), 预警 YJ-… (status), 解除预警, 升级预警.
 */
import { isAcknowledgement, trimTrailing } from "../../core/understand.js";
import type { CommandContext, CommandDef, Pass, StartFlow, WithFiles } from "../../core/commands.js";
import type { OutboxItem } from "../../core/ports.js";
import { within } from "../org/rules.js";
import { toGroup } from "../org/notify.js";
import { say, type Say } from "../../prompts/catalog.js";
import { audit } from "../../store/audit.js";
import type { Tx } from "../../store/db.js";
import { personById } from "../org/index.js";
import type { WarningSettings } from "./flows.js";
import * as repo from "./repo.js";
import { findWarningNumber, levelRank, parseOfficialWarning, type WarningLevel } from "./rules.js";
import { tallyKey, tallyText, warningStatus } from "./status.js";

/** After a confirmation: the tallies of the groups over that person show the new count (edited where the platform allows). */
async function refreshTallies(tx: Tx, w: repo.WarningRow, regionPath: string, t: (s: Say) => string, now: Date): Promise<OutboxItem[]> {
  const groups = (await repo.targetGroups(tx, repo.regionsOf(w))).filter((g) => within(regionPath, g.region.path));
  if (groups.length === 0) return [];
  const targets = await repo.targetsOf(tx, w.id);
  const out: OutboxItem[] = [];
  for (const g of groups) {
    const text = tallyText(t, w, targets.filter((x) => within(x.regionPath, g.region.path)));
    const row = await repo.tallyRow(tx, tallyKey(w.id, g.id));
    if (!row) continue;
    if (row.status !== "sent") {
      // Not out yet: let it go out with the current count.
      await repo.retextQueued(tx, row.id, { ...JSON.parse(row.payload), text });
    } else if (row.platformMessageId) {
      out.push({ channel: row.channel, chatId: row.chatId, payload: { text, choices: ["收到"], edit: row.platformMessageId }, dedupeKey: `${tallyKey(w.id, g.id)}:${now.getTime()}:${Math.random()}` });
    }
  }
  return out;
}

/** WeChat shows a notice's one button as "回复 1": a bare 1 is that button, 收到. */
const PRESSED_ONE = { test: (s: string) => /^(1|一)$/.test(trimTrailing(s.trim())) };

async function confirm(ctx: CommandContext<Tx>): Promise<WithFiles | StartFlow | Pass> {
  const n = findWarningNumber(ctx.args)?.number;
  const open = await repo.openTargetsOf(ctx.tx, ctx.actor.personId!, n);
  // "收到" is everyday group talk: with nothing to confirm, say nothing there; a bare "1" was not about a warning.
  if (open.length === 0) {
    // Inside a dialog it was an answer (`👌` for 是, `1` for the first option).
    if (ctx.inDialog) return { pass: true };
    return { says: ctx.chat.chatKind === "group" ? [] : PRESSED_ONE.test(ctx.args) ? [say("core.unknown", { text: ctx.args })] : [say("warning.nothing_to_confirm")] };
  }
  const out: Say[] = [];
  const tallies: OutboxItem[] = [];
  let measuresFor: string | null = null;
  for (const tg of open) {
    await repo.confirm(ctx.tx, tg.id, ctx.now);
    await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.confirm", entity: "warning", entityId: tg.warning.number });
    tallies.push(...(await refreshTallies(ctx.tx, tg.warning, tg.regionPath, ctx.t, ctx.now)));
    out.push(say("warning.confirmed", { number: tg.warning.number, minutes: Math.round((ctx.now.getTime() - tg.warning.createdAt.getTime()) / 60_000) }));
    if (tg.warning.response === "measures") measuresFor = tg.warning.number;
  }
  const effects = [{ notify: tallies }];
  if (measuresFor) return { startFlow: "warning-measures", answers: { number: measuresFor }, intro: out, effects, interrupt: true };
  // In a group the edited tally is the answer: groups allow only ~20 bot messages a minute.
  return { says: ctx.chat.chatKind === "group" ? [] : out, effects };
}

function warningArg(args: string): { number: string | null; rest: string } {
  const f = findWarningNumber(args);
  return f ? { number: f.number, rest: f.rest } : { number: null, rest: "" };
}

/** The warning as the policy sees it: its areas, its issuer. */
async function managed(ctx: CommandContext<Tx>, args: string, o: { change?: boolean } = {}): Promise<{ w: repo.WarningRow; rest: string } | { says: Say[] }> {
  const { number, rest } = warningArg(args);
  const w = number ? await repo.byNumber(ctx.tx, number) : null;
  if (!w) return { says: [say("warning.not_found", { number: number ?? args })] };
  // Lifting or upgrading changes the issuer's warning: besides its areas, the issuer's level must be the actor's.
  const issuer = o.change ? await personById(ctx.tx, w.issuerId) : null;
  const no = await ctx.access("warning.manage", { regions: repo.regionsOf(w), ...(issuer ? { next: [issuer.regionPath] } : {}), parties: [w.issuerId] }, {
    entity: "warning", id: w.number,
    ...(issuer ? { refusal: { scope: say("warning.issuer_level", { number: w.number, issuer: issuer.name, region: issuer.regionPath }) } } : {}),
  });
  return no ? { says: no } : { w, rest };
}

export function warningCommands(settings: WarningSettings): CommandDef<Tx>[] {
  return [
    {
      // With an official text after it (`发布预警 …暴雨橙色预警信号…`) it is a whole command, also inside another dialog.
      id: "warning-issue", complete: (a) => { const p = parseOfficialWarning(a); return p.type !== undefined || p.level !== undefined; }, keywords: ["发布预警"], opens: ["warning-issue"], checks: [{ action: "warning.issue", target: "region" }], slash: ["warn"], describe: "warning.describe", permission: "warning.issue",
      run: async (ctx) => {
        if (!ctx.args) return { startFlow: "warning-issue", answers: {} };
        const p = parseOfficialWarning(ctx.args);
        return { startFlow: "warning-issue", answers: { text: ctx.args, ...(p.type ? { type: p.type } : {}), ...(p.level ? { level: p.level } : {}) }, intro: p.type && p.level ? [say("warning.parsed", { type: p.type, level: p.level })] : p.type ? [say("warning.parsed_type", { type: p.type })] : p.level ? [say("warning.parsed_level", { level: p.level })] : [] };
      },
    },
    // 收到 however it is typed (收到！, 已收到, 好的，收到, 👌): core/understand.ts.
    { id: "warning-confirm", essential: true, yields: true, complete: (a) => findWarningNumber(a) !== null || isAcknowledgement(a), keywords: ["收到", "已收到", "收到了"], slash: ["ack"], describe: "warning.confirm_describe", permission: "member", opens: ["warning-measures"], matches: (norm) => isAcknowledgement(norm) || PRESSED_ONE.test(norm), run: confirm },
    {
      id: "warning-status", complete: (a) => a.trim() !== "", keywords: ["预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["warning"], describe: "warning.status_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args);
        return "says" in m ? m.says : warningStatus(ctx.tx, m.w);
      },
    },
    {
      id: "warning-lift", complete: (a) => a.trim() !== "", keywords: ["解除预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["lift"], describe: "warning.lift_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args, { change: true });
        if ("says" in m) return m.says;
        const { w } = m;
        if (w.status !== "active") return [say("warning.not_active", { number: w.number })];
        await repo.lift(ctx.tx, w.id, ctx.now);
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.lift", entity: "warning", entityId: w.number });
        const notice = ctx.t(say("warning.lifted_notice", { number: w.number, type: w.type, level: w.level }));
        const notify = (await repo.targetGroups(ctx.tx, repo.regionsOf(w))).flatMap((g) => toGroup(g, notice, `yj:${w.id}:lift`));
        return { says: [say("warning.lifted", { number: w.number })], effects: [{ notify }] };
      },
    },
    {
      id: "warning-upgrade", complete: (a) => a.trim() !== "", keywords: ["升级预警"], checks: [{ action: "warning.manage", target: "warning" }], slash: ["upgrade"], describe: "warning.upgrade_describe", permission: "warning.issue",
      run: async (ctx) => {
        const m = await managed(ctx, ctx.args, { change: true });
        if ("says" in m) return m.says;
        const { w } = m;
        const level = m.rest.replace(/色$/, "") as WarningLevel;
        if (w.status !== "active") return [say("warning.not_active", { number: w.number })];
        if (levelRank(level) <= levelRank(w.level)) return [say("warning.upgrade_bad", { level: w.level })];
        const c = settings[level];
        await repo.upgrade(ctx.tx, w.id, level, { recallMinutes: c.recallMinutes, cycles: w.cycle + c.cycles, escalateAfter: c.escalateAfter });
        await audit(ctx.tx, { at: ctx.now, actor: ctx.actor.key, action: "warning.upgrade", entity: "warning", entityId: w.number, before: { level: w.level }, after: { level } });
        const notice = ctx.t(say("warning.upgraded_notice", { number: w.number, type: w.type, from: w.level, to: level }));
        const notify = (await repo.targetGroups(ctx.tx, repo.regionsOf(w))).flatMap((g) => toGroup(g, notice, `yj:${w.id}:up:${level}`));
        return { says: [say("warning.upgraded", { number: w.number, level })], effects: [{ notify }] };
      },
    },
  ];
}
