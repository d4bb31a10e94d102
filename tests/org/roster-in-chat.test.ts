/**
 * A county-size roster sent in chat is written after the dialog's commit, in short
 * batches, so nobody else waits on it (issue 13: a 3,000-row file held the write
 * connection ≈ 12 s). Ordering, not timing: the import is held at its start while
 * another chat is answered, then let go.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_BINDINGS, inbound, startBot, texts, type TestBot } from "../helpers/app.js";
import { tmpDir, tmpDbUrl } from "../helpers/tmp.js";
import { importRoster } from "../../src/features/org/repo.js";
import { openStore } from "../../src/store/db.js";

let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.stop();
  bots = [];
});

const rows = (n: number) => Array.from({ length: n }, (_, i) => `导入${i},1390000${String(i).padStart(4, "0")},示范县/渠阳镇/新村${i % 7},网格员`);

describe("a large roster sent in chat", () => {
  it("answers at once, writes the people after the commit while another chat is answered, then reports", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const b = await startBot({
      bind: { ...DEFAULT_BINDINGS, adm: "13800000004" },
      wrapRenderer: (kind, r) => (kind === "roster-import" ? async (p, at) => { started(); await gate; return r(p, at); } : r),
    });
    bots.push(b);
    const db = b.app.store.db;
    const before = await db.person.count();
    const f = path.join(tmpDir(), "花名册.csv");
    fs.writeFileSync(f, `姓名,手机号,区域,角色\n${rows(450).join("\n")}\n坏行,123,示范县,网格员\n`);
    await b.send("adm", "导入花名册");
    const done = b.send("adm", "", { attachments: [{ kind: "file", path: f, name: "花名册.csv" }] });
    await begun;
    // The dialog's commit is in: the admin is told the import is under way, and nobody is written yet.
    const queued = await db.outboxMessage.findMany({ where: { chatId: "dm-adm" }, orderBy: { id: "asc" } });
    expect(queued.map((m) => JSON.parse(m.payload).text).join("\n")).toContain("花名册共450人，正在分批导入");
    expect(await db.person.count()).toBe(before);
    // Another chat is served meanwhile.
    await b.channel.receive(inbound("u1", "帮助", {}, b.clock.now()));
    const help = await db.outboxMessage.findMany({ where: { chatId: "dm-u1" } });
    expect(help.map((m) => JSON.parse(m.payload).text).join("\n")).toContain("上报隐患");
    release();
    const out = texts(await done).join("\n");
    expect(out).toContain("花名册已导入：新增450人");
    expect(out).toMatch(/第452行：手机号格式不对/);
    expect(await db.person.count()).toBe(before + 450);
  });

  it("a small file is still imported in the dialog's own transaction and answered at once", async () => {
    const b = await startBot({ bind: { ...DEFAULT_BINDINGS, adm: "13800000004" } });
    bots.push(b);
    const f = path.join(tmpDir(), "花名册.csv");
    fs.writeFileSync(f, `姓名,手机号,区域,角色\n${rows(3).join("\n")}\n`);
    await b.send("adm", "导入花名册");
    const out = texts(await b.send("adm", "", { attachments: [{ kind: "file", path: f, name: "花名册.csv" }] })).join("\n");
    expect(out).toContain("新增3人");
    expect(out).not.toContain("正在分批导入");
  });

  it("writes in transactions of at most a batch each, then settles the missing once", async () => {
    const store = await openStore(tmpDbUrl());
    try {
      const spy = vi.spyOn(store.db, "$transaction");
      const parsed = rows(450).map((l, i) => {
        const [name, mobile, regionPath] = l.split(",") as [string, string, string];
        return { row: i + 2, name, mobile, regionPath, roles: ["网格员" as const] };
      });
      const r = await importRoster(store.db, parsed, { actor: "test", now: new Date("2026-11-25T09:00:00+08:00") }, 200);
      expect(r.created).toBe(450);
      expect(spy).toHaveBeenCalledTimes(4); // 200 + 200 + 50, then the missing-people step
      expect(await store.db.person.count()).toBe(450);
      // Run again (as after a crash part-way): nothing changes twice.
      const again = await importRoster(store.db, parsed, { actor: "test", now: new Date("2026-11-25T09:00:00+08:00") }, 200);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 450 });
    } finally {
      await store.close();
    }
  });
});
