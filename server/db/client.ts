// Opens the database named by a URL: SQLite (`file:…`, the default) through better-sqlite3, or
// PostgreSQL (`postgresql://…`) through node-postgres. Both run Prisma's JavaScript query
// compiler; the two generated clients have the same models, so the rest of the code is written
// against the SQLite client's types.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { collectGarbage } from "./collect-garbage.js";
import { PrismaClient } from "./generated/sqlite/client.js";
import type { Prisma } from "./generated/sqlite/client.js";
import type BetterSqlite3 from "better-sqlite3";
import {
  serializedSqliteAdapter,
  type OpenSqliteTransaction,
} from "./serialized-sqlite-adapter.js";

export { PrismaClient };
export type Tx = Prisma.TransactionClient;
export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly prisma: PrismaClient;
  readonly dialect: Dialect;
  readonly url: string;
  /** Runs `work` in one transaction: everything or nothing. */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /** Runs several reads against one consistent snapshot (REPEATABLE READ on PostgreSQL). */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** SQLite: the connection of the transaction open now, for bulk writes inside it; else null. */
  sqliteTransaction(): BetterSqlite3.Database | null;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(`unsupported database URL (expected file:… or postgresql://…): ${url}`);
}

/** `file:./data/fediblock.db` → the absolute path of the SQLite file. */
export function sqliteFilePath(url: string): string {
  return resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

const BUSY_TIMEOUT_MS = 10_000;

async function createClient(
  url: string,
  dialect: Dialect,
  open: OpenSqliteTransaction,
): Promise<PrismaClient> {
  if (dialect === "sqlite") {
    const path = sqliteFilePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = serializedSqliteAdapter(
      new PrismaBetterSQLite3({ url: `file:${path}`, timeout: BUSY_TIMEOUT_MS }),
      open,
    );
    return new PrismaClient({ adapter });
  }
  const [{ PrismaPg }, generated] = await Promise.all([
    import("@prisma/adapter-pg"),
    import("./generated/postgres/client.js"),
  ]);
  const client = new generated.PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return client as unknown as PrismaClient;
}

export async function openDatabase(url: string): Promise<Database> {
  const dialect = dialectOf(url);
  const open: OpenSqliteTransaction = { connection: null };
  const prisma = await createClient(url, dialect, open);
  return {
    prisma,
    dialect,
    url,
    sqliteTransaction: () => open.connection,
    transaction: (work, options) =>
      prisma.$transaction(work, { maxWait: 30_000, timeout: options?.timeoutMs ?? 30_000 }),
    snapshot: (work) =>
      dialect === "postgres"
        ? prisma.$transaction(work, {
            maxWait: 30_000,
            timeout: 60_000,
            // The code is typed against the SQLite client, which knows only "Serializable".
            isolationLevel: "RepeatableRead" as unknown as "Serializable",
          })
        : // SQLite transactions are serializable already, and its adapter accepts no other level.
          prisma.$transaction(work, { maxWait: 30_000, timeout: 60_000 }),
    async close() {
      await prisma.$disconnect();
      if (dialect === "sqlite") collectGarbage();
    },
  };
}
