/**
 * Transcripts: every way people were found to say a thing (tests/transcripts/*.yaml),
 * replayed through the real bot, each by every role the file names. A variant
 * fails when the reply lacks the expected words or when a refusal is not audited
 * (or an allowed one is).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { z } from "zod";
import { projectPath } from "../../src/paths.js";
import { startBot, texts, type TestBot } from "../helpers/app.js";
import { seedHazard, tinyJpeg } from "../helpers/org-fixtures.js";

const Role = z.object({ who: z.string(), expect: z.string(), denied: z.boolean() });
const Transcript = z.object({ title: z.string(), setup: z.enum(["none", "hazard-with-photo"]), roles: z.record(z.string(), z.array(Role)) }).catchall(z.unknown());

const DIR = projectPath("tests", "transcripts");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();
const BIND = { adm: "13800000004", tadm: "13800000013", lz: "13800000005", u1: "13800000007", wf: "13800000010", zq: "13800000009" };

/** The ways a hazard number is written in the variants. */
function numberForms(n: string): Record<string, string> {
  const [, d8, d4] = /^YH-(\d{8})-(\d{4})$/.exec(n)!;
  const wide = [...n].map((c) => (c === "-" ? "－" : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join("");
  return { n, lower: n.toLowerCase(), bare: `YH${d8}${d4}`, wide, digits8: d8!, digits4: d4! };
}

for (const file of files) {
  const t = Transcript.parse(YAML.parse(fs.readFileSync(path.join(DIR, file), "utf8")));
  describe(`transcript ${file}: ${t.title}`, () => {
    let b: TestBot;
    let vars: Record<string, string> = {};
    const results: string[] = [];
    let total = 0;

    beforeAll(async () => {
      b = await startBot({ bind: BIND });
      if (t.setup === "hazard-with-photo") {
        const h = await seedHazard(b, "13800000007", { photos: [await tinyJpeg()] });
        vars = numberForms(h.number);
      }
      for (const [group, roles] of Object.entries(t.roles)) {
        const variants = z.array(z.string()).parse(t[group]);
        for (const role of roles) {
          for (const v of variants) {
            total++;
            const text = v.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
            const before = await b.app.store.db.auditLog.count({ where: { action: "command.denied", actor: `memory:${role.who}` } });
            const reply = texts(await b.send(role.who, text)).join("\n");
            const denied = (await b.app.store.db.auditLog.count({ where: { action: "command.denied", actor: `memory:${role.who}` } })) > before;
            if (!reply.includes(role.expect) || denied !== role.denied) results.push(`${role.who} «${text}» → ${denied ? "[refused] " : ""}${reply.slice(0, 90)}`);
            await b.app.store.db.flowSession.deleteMany({});
          }
        }
      }
    }, 300_000);

    afterAll(async () => {
      await b?.stop();
    });

    it("answers every variant as expected for every role", () => {
      console.log(`transcript ${file}: ${total} variant×role replays`);
      expect(results).toEqual([]);
    });
  });
}
