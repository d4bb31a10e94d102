import { afterEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS, seedDemoBureau } from "../../src/demo/bureau.js";
import { ROLES } from "../../src/features/org/rules.js";
import { openStore, type Store } from "../../src/store/db.js";
import { tmpDbUrl } from "../helpers/tmp.js";

let s: Store | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

describe("demo bureau", () => {
  it("seeds every role, three townships and three groups, idempotently", async () => {
    s = await openStore(tmpDbUrl());
    const now = new Date("2026-11-25T09:00:00+08:00");
    const first = await seedDemoBureau(s.db, now);
    expect(first.created).toBeGreaterThanOrEqual(12);
    const roles = new Set((await s.db.personRole.findMany()).map((r) => r.role));
    expect([...roles].sort()).toEqual([...ROLES].sort());
    expect(await s.db.region.count({ where: { depth: 1 } })).toBe(3);
    expect((await s.db.groupChat.findMany({ orderBy: { chatId: "asc" } })).map((g) => [g.chatId, g.purpose]).sort()).toEqual(DEMO_GROUPS.map((g) => [g.chatId, g.purpose]).sort());
    const counts = async () => [await s!.db.person.count(), await s!.db.region.count(), await s!.db.groupChat.count(), await s!.db.auditLog.count()];
    const before = await counts();
    const again = await seedDemoBureau(s.db, now);
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect(await counts()).toEqual(before);
  });
});
