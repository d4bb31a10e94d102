/**
 * The store: one Prisma client over one SQLite file, through the better-sqlite3
 * driver adapter (no engine binary). Repositories take the client (or a
 * transaction client) as a parameter; nothing holds a module-global client.
 */
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";
import { projectPath } from "../paths.js";
import { migrate, type MigrationResult } from "./migrate.js";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** `file:./data/yingji.db` → an absolute path (relative paths are from the working directory). */
export function sqlitePath(url: string): string {
  const p = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.resolve(p);
}

export interface Store {
  db: Db;
  file: string;
  migrations: MigrationResult;
  close(): Promise<void>;
}

/**
 * A read connection on its own (the render thread's): WAL gives it the last committed
 * snapshot, and it never waits for — nor holds up — the write connection's transactions.
 */
export function openReader(file: string): Db {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 5000 }) });
}

export async function openStore(url: string, opts: { migrationsDir?: string } = {}): Promise<Store> {
  const file = sqlitePath(url);
  const migrations = migrate(file, opts.migrationsDir ?? projectPath("prisma", "migrations"));
  const adapter = new PrismaBetterSQLite3({ url: file, timeout: 5000 });
  const db = new PrismaClient({ adapter });
  // WAL is persistent (set by migrate); synchronous=NORMAL is per connection and
  // is the recommended pairing with WAL: durable across process crashes.
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return { db, file, migrations, close: () => db.$disconnect() };
}
