/** Short-hands for tests that act on the demo bureau: a hazard already reported, a self-binding, a roster sent in chat. */
import fs from "node:fs";
import path from "node:path";
import { saveMedia } from "../../src/channels/media.js";
import { createHazard } from "../../src/features/hazards/repo.js";
import { personByMobile } from "../../src/features/org/repo.js";
import { texts, type TestBot } from "./app.js";
import { tmpDir } from "./tmp.js";

/** A smallest valid JPEG, stored as received media (a real photo for the hazard's evidence). */
export async function tinyJpeg(): Promise<string> {
  return (await saveMedia(tmpDir(), Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex"))).path;
}

/** A hazard reported by the demo person with this mobile, in their region, straight into the store. */
export async function seedHazard(b: TestBot, reporterMobile: string, o: { level?: string; description?: string; photos?: string[]; deadline?: string } = {}) {
  const p = (await personByMobile(b.app.store.db, reporterMobile))!;
  const region = await b.app.store.db.region.findUniqueOrThrow({ where: { path: p.regionPath } });
  return b.app.store.db.$transaction((tx) => createHazard(tx, {
    reporterId: p.id, responsibleId: p.id, regionId: region.id, regionPath: region.path, place: "泡里村加油站", sector: "危化品",
    description: o.description ?? "灭火器过期未更换", level: o.level ?? "一般", photos: o.photos ?? [], responsibleUnit: "泡里村加油站", deadline: o.deadline ?? "2026-11-28",
  }, "test", b.clock.now()));
}

/** The 绑定 dialog by name and mobile from `account`; returns the last reply. */
export async function selfBind(b: TestBot, account: string, name: string, mobile: string): Promise<string> {
  await b.send(account, "绑定");
  await b.send(account, name);
  return texts(await b.send(account, mobile)).join("\n");
}

/** `导入花名册` then a CSV with these rows (header added), sent in chat by `admin`; returns the report. */
export async function importInChat(b: TestBot, admin: string, rows: string): Promise<string> {
  const f = path.join(tmpDir(), "花名册.csv");
  fs.writeFileSync(f, `姓名,手机号,区域,角色\n${rows}`);
  await b.send(admin, "导入花名册");
  return texts(await b.send(admin, "", { attachments: [{ kind: "file", path: f, name: "花名册.csv" }] })).join("\n");
}
