/**
 * The permission matrix: every command of the registry × every role × every
 * target relation (own unit, child, sibling, parent, none), through the real bot
 * on a real SQLite file. What each cell should be comes from the declared policy
 * table (POLICY's roles and scope rule), read here on its own terms — never from
 * running `can()`. A cell fails when the bot refuses what the table allows,
 * allows what it refuses, or refuses without an audit row.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandRegistry } from "../../src/app.js";
import { POLICY, type Action, type Rule } from "../../src/features/org/policy.js";
import type { InboundMessage } from "../../src/core/messages.js";
import { projectPath } from "../../src/paths.js";
import { loadBotConfig } from "../../src/config/bot-config.js";
import { createHazard } from "../../src/features/hazards/repo.js";
import { ensureRegionPath } from "../../src/features/org/repo.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir } from "../helpers/tmp.js";

const NOW = new Date("2026-11-25T09:00:00+08:00");

// A tree of its own (unique names, so "统计 矩阵村" means one place).
const C = "示范县", T = "示范县/矩阵镇", T2 = "示范县/邻矩镇", V = "示范县/矩阵镇/矩阵村", V2 = "示范县/矩阵镇/邻矩村";
const G = "示范县/矩阵镇/矩阵村/矩阵一格", G2 = "示范县/矩阵镇/矩阵村/矩阵二格";
type Relation = "own" | "child" | "sibling" | "parent" | "none";
const RELATIONS: Record<string, Partial<Record<Exclude<Relation, "none">, string>>> = {
  [G]: { own: G, sibling: G2, parent: V },
  [V]: { own: V, child: G, sibling: V2, parent: T },
  [T]: { own: T, child: V, sibling: T2, parent: C },
  [C]: { own: C, child: T },
};

interface ActorDef { key: string; label: string; role: string | null; region: string }
const ACTORS: ActorDef[] = [
  { key: "x-unbound", label: "unbound", role: null, region: T },
  { key: "x-grid", label: "网格员", role: "网格员", region: G },
  { key: "x-info", label: "灾害信息员", role: "灾害信息员", region: V },
  { key: "x-officer", label: "值班员", role: "值班员", region: T },
  { key: "x-duty", label: "带班领导", role: "带班领导", region: T },
  { key: "x-tchief", label: "township 局领导", role: "局领导", region: T },
  { key: "x-cchief", label: "county 局领导", role: "局领导", region: C },
  { key: "x-tadmin", label: "township 管理员", role: "管理员", region: T },
  { key: "x-cadmin", label: "county 管理员", role: "管理员", region: C },
];

/** What the table says, read directly: the role list, then the scope rule against the relation. */
function tableAllows(action: Action, a: ActorDef, rel: Relation): boolean {
  const rule: Rule = POLICY[action];
  if (rule.roles === "anyone") return true;
  if (a.role === null) return false;
  if (rule.roles !== "member" && !(rule.roles as readonly string[]).includes(a.role)) return false;
  if (rel === "none" || rule.scope === "none") return true;
  if (rule.scope === "region") return rel === "own" || rel === "child";
  return rel === "own"; // unit: the same unit; party: the actor is the party (see the probes)
}

// --- fixtures ------------------------------------------------------------------

let b: TestBot;
let seq = 0;
const actorIds = new Map<string, number>();
const db = () => b.app.store.db;

async function regionId(p: string) {
  return db().$transaction((tx) => ensureRegionPath(tx, p)).then((r) => r.id);
}
async function person(region: string, roles: string[], name = `矩阵人${++seq}`) {
  const p = await db().person.create({ data: { name, mobile: `139${String(10_000_000 + ++seq).slice(-8)}`, regionId: await regionId(region), createdAt: NOW, updatedAt: NOW, roles: { create: roles.map((role) => ({ role })) } } });
  return p;
}
async function hazard(region: string, level = "一般") {
  const r = await person(region, ["网格员"]);
  return db().$transaction((tx) => createHazard(tx, {
    reporterId: r.id, responsibleId: r.id, regionId: r.regionId, regionPath: region, place: "矩阵测试点", sector: "其他", description: "矩阵测试隐患", level,
    photos: [], responsibleUnit: "矩阵单位", deadline: "2026-12-31",
  }, "test", NOW));
}
async function warning(region: string) {
  const issuer = await person(region, ["局领导"]);
  return db().warning.create({ data: {
    number: `YJ-20261125-${String(++seq).padStart(2, "0")}`, type: "暴雨", level: "黄", text: "矩阵测试预警", issuerId: issuer.id, regionPaths: JSON.stringify([region]), roles: JSON.stringify(["网格员"]),
    response: "confirm", recallMinutes: 30, cycles: 3, escalateAfter: 2, lastCycleAt: NOW, endsAt: new Date(NOW.getTime() + 86_400_000), status: "active", createdAt: NOW,
  } });
}
async function group(region: string) {
  const chatId = `grp-${++seq}`;
  await db().groupChat.create({ data: { channel: "memory", chatId, regionId: await regionId(region), purpose: "工作群", registeredAt: NOW, registeredBy: "test" } });
  return chatId;
}
/** The actor's own shift on 11月26日 (for 换班), at the actor's unit. */
async function ownShift(a: ActorDef) {
  const leader = await person(a.region, ["带班领导"]);
  return db().dutyShift.upsert({
    where: { date_regionPath_startAt: { date: "2026-11-26", regionPath: a.region, startAt: new Date("2026-11-26T08:30:00+08:00") } },
    create: { date: "2026-11-26", regionPath: a.region, startAt: new Date("2026-11-26T08:30:00+08:00"), endAt: new Date("2026-11-27T08:30:00+08:00"), officerIds: `,${actorIds.get(a.key)},`, leaderId: leader.id, createdAt: NOW, updatedAt: NOW },
    update: {},
  });
}
/** A pending swap on a shift led by `leaderId`. */
async function swapLedBy(leaderId: number, region: string) {
  const officer = await person(region, ["值班员"]);
  const start = new Date(Date.parse("2026-11-28T00:00:00+08:00") + ++seq * 60_000);
  const s = await db().dutyShift.create({ data: { date: "2026-11-28", regionPath: region, startAt: start, endAt: new Date("2026-11-29T08:30:00+08:00"), officerIds: `,${officer.id},`, leaderId, createdAt: NOW, updatedAt: NOW } });
  const other = await person(region, ["值班员"]);
  return db().dutySwap.create({ data: { shiftId: s.id, fromId: officer.id, toId: other.id, status: "pending", requestedAt: NOW } });
}
function csv(name: string, body: string) {
  const f = path.join(tmpDir(), name);
  fs.writeFileSync(f, body);
  return f;
}
const fileMsg = (f: string): Partial<InboundMessage> => ({ attachments: [{ kind: "file", path: f, name: path.basename(f) }] });

// --- probes: how each command is asked about a target ----------------------------

type Msg = [text: string, extra?: Partial<InboundMessage> & { group?: boolean; chat?: string }];
/** Messages that ask the command; `target` is the relation's region (null: no target). */
type Probe = (a: ActorDef, target: string | null, rel: Relation) => Promise<Msg[]>;

/**
 * Targets that also live somewhere fixed, whatever the relation: a 县级挂牌督办 listing is the
 * county's. The expected cell then needs the actor's reach over that place too.
 */
const ALSO_AT: Record<string, string> = { "hazard-list hazard.list": C };

/** How `path` stands to the actor's region. */
function relationOf(actorRegion: string, path: string): Relation {
  if (path === actorRegion) return "own";
  if (path.startsWith(`${actorRegion}/`)) return "child";
  if (actorRegion.startsWith(`${path}/`)) return "parent";
  return "sibling";
}

const simple = (text: string, extra?: Msg[1]): Probe => async () => [[text, extra]];
const onHazard = (f: (n: string) => string, level?: string): Probe => async (_a, x) => [[f((await hazard(x!, level)).number)]];
const onWarning = (f: (n: string) => string): Probe => async (_a, x) => [[f((await warning(x!)).number)]];
const onPerson = (f: (mobile: string) => string): Probe => async (_a, x) => [[f((await person(x!, ["网格员"])).mobile)]];
const regionName = (x: string) => x.split("/").at(-1)!;

/** Keyed `commandId action`: one probe per (command, action it decides on). */
const PROBES: Record<string, Probe> = {
  "help public": simple("帮助"),
  "bind public": simple("绑定"),
  "group-info member": simple("群信息"),
  "register-group org.admin": simple("登记群 示范县/矩阵镇 工作群", { group: true, chat: "grp-new" }),
  "register-group org.group.register": async (_a, x) => [[`登记群 ${x} 工作群`, { group: true, chat: `grp-reg-${++seq}` }]],
  "bind-member org.admin": simple("绑定成员 13900000000", { group: true, chat: "grp-bind", replyTo: { senderId: "someone", senderName: "某人" } }),
  "bind-member org.bind": async (_a, x) => [[`绑定成员 ${(await person(x!, ["网格员"])).mobile}`, { group: true, chat: "grp-bind", replyTo: { senderId: `acct-${++seq}`, senderName: "新账号" } }]],
  "bind-member org.bind.person": async (_a, x) => [[`绑定成员 ${(await person(x!, ["网格员"])).mobile}`, { group: true, chat: "grp-bind", replyTo: { senderId: `acct-${++seq}`, senderName: "新账号" } }]],
  "unbind org.admin": simple("解绑 13900000000"),
  "unbind org.bind": onPerson((m) => `解绑 ${m}`),
  "invite org.invite": simple("邀请码 13900000000"),
  "invite org.bind.person": onPerson((m) => `邀请码 ${m}`),
  "unbound org.admin": async (_a, x) => [["未绑定成员", { group: true, chat: await group(x ?? T) }]],
  "deactivate org.admin": simple("停用 13900000000"),
  "deactivate org.person.change": onPerson((m) => `停用 ${m}`),
  "activate org.admin": simple("启用 13900000000"),
  "activate org.person.change": onPerson((m) => `启用 ${m}`),
  "import-roster org.admin": simple("导入花名册"),
  "import-roster org.person.change": async (_a, x) => [["导入花名册"], ["", fileMsg(csv("花名册.csv", `姓名,手机号,区域,角色\n矩阵新人${++seq},137${String(10_000_000 + seq).slice(-8)},${x},网格员\n`))]],
  "hazard-ledger member": simple("隐患台账 本月"),
  "hazard-ledger region.read": async (_a, x) => [[x === null ? "隐患台账 本月" : `隐患台账 ${regionName(x)} 本月`]],
  "hazard-report hazard.report": simple("上报隐患"),
  "hazard member": simple("隐患 YH-20991231-0001"),
  "hazard hazard.view": onHazard((n) => `隐患 ${n}`),
  "hazard hazard.photos": onHazard((n) => `隐患 ${n} 照片`),
  "hazard hazard.report": simple("隐患 矩阵村路口 护栏缺失 一般 3天"),
  "hazard-rectify member": simple("整改"),
  "hazard-rectify hazard.rectify": onHazard((n) => `整改 ${n}`),
  "hazard-review hazard.verify": onHazard((n) => `复查 ${n}`),
  "hazard-close hazard.verify": onHazard((n) => `销号 ${n}`),
  "my-hazards member": simple("我的隐患"),
  "hazard-list hazard.list": onHazard((n) => `挂牌督办 ${n} 县`, "重大"),
  "hazard-progress member": simple("进展"),
  "hazard-progress hazard.rectify": onHazard((n) => `进展 ${n} 已完成护栏采购`),
  "patrol routine.patrol": simple("巡查"),
  "zero routine.zero": simple("零报告"),
  "signin duty.officer": simple("签到"),
  "handover duty.officer": simple("交班 正常"),
  "noon-report duty.officer": simple("值班报告"),
  "confirm-report duty.leader": simple("确认"),
  "duty-edit duty.schedule": async (_a, x) => {
    const o = await person(x!, ["值班员"]);
    const l = await person(x!, ["带班领导"]);
    return [[`排班 2026-12-0${(++seq % 9) + 1} 08:30-次日08:30 ${o.name} ${l.name}`]];
  },
  "duty-swap duty.officer": simple("换班"),
  "duty-swap duty.swap": async (a, x) => {
    if (a.role === "值班员") await ownShift(a);
    return [[`换班 11月26日 ${(await person(x!, ["值班员"])).name}`]];
  },
  "duty-swap-approve duty.leader": simple("同意换班 999"),
  // party: "own" = a swap on the actor's own shift; any other relation = someone else's.
  "duty-swap-approve duty.approve": async (a, x, rel) => [[`同意换班 ${(await swapLedBy(rel === "own" ? actorIds.get(a.key) ?? -1 : (await person(x!, ["带班领导"])).id, x!)).id}`]],
  "duty-swap-reject duty.leader": simple("拒绝换班 999"),
  "duty-swap-reject duty.approve": async (a, x, rel) => [[`拒绝换班 ${(await swapLedBy(rel === "own" ? actorIds.get(a.key) ?? -1 : (await person(x!, ["带班领导"])).id, x!)).id}`]],
  "duty-import duty.schedule": async (_a, x) => {
    const o = await person(x!, ["值班员"]);
    const l = await person(x!, ["带班领导"]);
    return [["导入排班表"], ["", fileMsg(csv("排班表.csv", `日期,班次,值班员,带班领导\n2026-12-1${(++seq % 9) + 1},08:30-次日08:30,${o.name},${l.name}\n`))]];
  },
  "warning-issue warning.issue": async (_a, x) => [
    ["发布预警 矩阵县气象台发布暴雨黄色预警信号：预计未来6小时内将出现50毫米以上降雨"], [x === null ? "矩阵镇" : regionName(x)], ["网格员"], ["仅确认收到"], ["跳过"], ["确认"],
  ],
  "warning-confirm member": simple("收到"),
  "warning-status warning.issue": simple("预警 YJ-20991231-01"),
  "warning-status warning.manage": onWarning((n) => `预警 ${n} 情况`),
  "warning-lift warning.issue": simple("解除预警 YJ-20991231-01"),
  "warning-lift warning.manage": onWarning((n) => `解除预警 ${n}`),
  "warning-upgrade warning.issue": simple("升级预警 YJ-20991231-01 红"),
  "warning-upgrade warning.manage": onWarning((n) => `升级预警 ${n} 红`),
  "rollup-week region.read": async (_a, x) => [[x === null ? "周报" : `周报 ${regionName(x)}`]],
  "rollup-month region.read": async (_a, x) => [[x === null ? "月报" : `月报 ${regionName(x)}`]],
  "export region.read": async (_a, x) => [[x === null ? "导出" : `导出 ${regionName(x)} 本月`]],
  "chart region.read": async (_a, x) => [[x === null ? "图表" : `图表 ${regionName(x)} 本月`]],
  "stats region.read": async (_a, x) => [[x === null ? "统计 本月" : `统计 ${regionName(x)} 本月`]],
  "remind member": simple("工作提醒"),
  "reminders member": simple("我的提醒"),
};

interface Cell { command: string; action: Action; actor: string; rel: Relation; expected: boolean; got: boolean; audited: boolean; reply: string }

/** Words a refusal uses (every refusal prompt has one of them). */
const REFUSAL = /你没有使用「|的权限|不在你的管理范围|不在你的查看范围（|只能用于你的辖区|请先绑定身份|你的账号已停用|不能由你本人|不能授予或取消|不是本单位|需由带班领导、局领导或管理员|只有责任人|的照片只发给|解除或升级须由|须由县级|高于你本人的角色|不能对你自己|需由该班带班领导|由县级领导登记|须使用邀请码绑定|须由上级局领导办理/;

describe("permission matrix (registry × roles × target relations, expectations from the policy table)", () => {
  const cells: Cell[] = [];

  beforeAll(async () => {
    b = await startBot({ now: NOW, bind: {} });
    for (const p of [G, G2, V2, T2]) await regionId(p);
    for (const a of ACTORS) {
      if (!a.role) continue;
      const p = await person(a.region, [a.role], `矩阵${a.label}`);
      actorIds.set(a.key, p.id);
      await db().chatIdentity.create({ data: { channel: "memory", platformUserId: a.key, personId: p.id, boundAt: NOW, boundBy: "test" } });
    }
    const registry = commandRegistry(loadBotConfig(), "./data");
    const commands = [{ id: "help", permission: "public", checks: [] as { action: string }[] }, ...registry];
    for (const c of commands) {
      // The gate alone (no target), then each action decided on a target, at each relation.
      const asks: { action: Action; targeted: boolean }[] = [{ action: c.permission as Action, targeted: false }];
      for (const ch of c.checks ?? []) if (!asks.some((x) => x.action === ch.action && x.targeted)) asks.push({ action: ch.action as Action, targeted: true });
      for (const ask of asks) {
        const probe = PROBES[`${c.id} ${ask.action}`];
        // The gate is exercised by the targeted probes when it is one of them, or has no probe of its own.
        if (!ask.targeted && asks.length > 1 && (!probe || asks.some((x) => x.targeted && x.action === ask.action))) continue;
        if (!probe) throw new Error(`no probe for command ${c.id} × ${ask.action}: add one to PROBES`);
        for (const a of ACTORS) {
          const rels: Relation[] = ask.targeted ? (["own", "child", "sibling", "parent"] as const).filter((r) => RELATIONS[a.region]![r]) : ["none"];
          for (const rel of rels) {
            const target = rel === "none" ? null : RELATIONS[a.region]![rel]!;
            const also = ALSO_AT[`${c.id} ${ask.action}`];
            const expected = tableAllows(c.permission as Action, a, "none") && tableAllows(ask.action, a, rel) && (!also || tableAllows(ask.action, a, relationOf(a.region, also)));
            const before = await db().auditLog.count({ where: { action: "command.denied", actor: `memory:${a.key}` } });
            const replies: string[] = [];
            for (const [text, extra] of await probe(a, target, rel)) replies.push(...texts(await b.send(a.key, text, extra ?? {})));
            const audited = (await db().auditLog.count({ where: { action: "command.denied", actor: `memory:${a.key}` } })) > before;
            const reply = replies.join("\n");
            cells.push({ command: c.id, action: ask.action, actor: a.label, rel, expected, got: !audited && !REFUSAL.test(reply), audited, reply });
            await db().flowSession.deleteMany({}); // each cell starts outside any dialog
          }
        }
      }
    }
  }, 600_000);

  afterAll(async () => {
    await b?.stop();
  });

  it("matches the declared policy in every cell, and audits every refusal", () => {
    const wrong = cells.filter((c) => c.expected !== c.got || (!c.got && !c.audited));
    console.log(`permission matrix: ${cells.length} cells (${new Set(cells.map((c) => c.command)).size} commands × ${ACTORS.length} roles × relations), ${cells.filter((c) => !c.expected).length} refusals expected`);
    expect(wrong.map((c) => `${c.command} ${c.action} ${c.actor} ${c.rel}: expected ${c.expected ? "allowed" : "refused"}, got ${c.got ? "allowed" : c.audited ? "refused" : "refused WITHOUT audit"} — ${c.reply.slice(0, 80)}`)).toEqual([]);
    expect(cells.length).toBeGreaterThan(500);
  });
});
