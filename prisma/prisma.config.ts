// Prisma CLI configuration. Prisma 6.19.3's JS (WASM) schema engine with the
// better-sqlite3 adapter is the only way its CLI works offline (see
// docs/decisions/002-prisma-offline-migrations.md). Used for `generate` and for
// authoring migrations (`npm run db:migration -- <name>`); the bot applies
// committed migrations itself at start-up (src/store/migrate.ts).
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

const here = import.meta.dirname;
// The database the CLI works against while authoring migrations (not the bot's).
const url = process.env.PRISMA_AUTHORING_DB ?? `file:${path.join(here, "..", "data", "prisma-authoring.db")}`;
fs.mkdirSync(path.dirname(url.replace(/^file:/, "")), { recursive: true });

/**
 * Prisma 6.19.3 replays whole migration scripts on the shadow database through
 * `executeRaw`, which runs a single statement and fails with P3006. Argument-less
 * raw calls on the shadow connection are scripts: route them to `executeScript`.
 */
class ShadowScriptFix extends PrismaBetterSQLite3 {
  override async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await super.connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (query) => {
      if (query.args.length === 0) {
        await shadow.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return shadow;
  }
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  adapter: async () => new ShadowScriptFix({ url: url.replace(/^file:/, "") }),
});
