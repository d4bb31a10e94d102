/**
 * The demo bureau the console starts with: a county with three townships,
 * villages and grids, thirteen people covering every role, and three registered
 * groups (网格群, 值班群, 领导群) — so a newcomer can try every flow at once.
 * Seeding goes through the real roster import, so it is idempotent.
 */
import type { Db } from "../store/db.js";
import { validateRoster } from "../features/org/roster-rules.js";
import { ensureRegionPath, groupInfo, importRoster, registerGroup } from "../features/org/repo.js";

export const DEMO_ROSTER = `姓名,手机号,区域,角色
张建国,13800000001,示范县,局领导
李卫东,13800000002,示范县,带班领导、局领导
王秀英,13800000003,示范县,值班员
赵敏,13800000004,示范县,管理员
刘志强,13800000005,示范县/渠阳镇,局领导、带班领导
陈红,13800000006,示范县/渠阳镇,值班员
杨波,13800000007,示范县/渠阳镇/泡里村/网格1,网格员
黄丽,13800000008,示范县/渠阳镇/泡里村/网格2,网格员、灾害信息员
周强,13800000009,示范县/渠阳镇/高坪村/网格1,网格员
吴芳,13800000010,示范县/甘溪乡,局领导
郑伟,13800000011,示范县/甘溪乡/甘溪村/网格1,网格员
孙丽娟,13800000012,示范县/甘溪乡/甘溪村,灾害信息员
冯刚,13800000013,示范县/渠阳镇,管理员
马超,13800000014,示范县/双江镇,局领导
`;

/** Console chats registered as the demo groups. */
export const DEMO_GROUPS = [
  { chatId: "泡里村网格群", region: "示范县/渠阳镇/泡里村", purpose: "网格群" },
  { chatId: "县应急局值班群", region: "示范县", purpose: "值班群" },
  { chatId: "县应急局领导群", region: "示范县", purpose: "领导群" },
] as const;

export async function seedDemoBureau(db: Db, now: Date, channel = "console") {
  const { rows, errors } = validateRoster(DEMO_ROSTER.trim().split("\n").map((l) => l.split(",")));
  if (errors.length) throw new Error(`demo roster: ${JSON.stringify(errors)}`);
  const report = await importRoster(db, rows, { actor: "system:demo", now });
  await db.$transaction(async (tx) => {
    for (const g of DEMO_GROUPS) {
      const existing = await groupInfo(tx, channel, g.chatId);
      if (existing) continue;
      const region = await ensureRegionPath(tx, g.region);
      await registerGroup(tx, { channel, chatId: g.chatId, regionId: region.id, purpose: g.purpose, actor: "system:demo" }, now);
    }
  });
  return report;
}
