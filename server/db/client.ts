// Opens the database named by a URL: SQLite (`file:…`, the default) through better-sqlite3, or
// PostgreSQL (`postgresql://…`) through node-postgres. Both run Prisma's JavaScript query
// compiler; the two generated clients have the same models, so the rest of the code is written
// against the SQLite client's types.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { redactUrl } from "../log.js";
import { attachRecorder, CommitHooks, type ChangeRecorder, type CommitHook } from "./changes.js";
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
  /**
   * Runs `work` in one transaction: everything or nothing. What it registers as changed
   * (server/db/changes.ts) reaches the commit hooks: before commit inside it, after commit once.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /** Adds a hook on what committed transactions changed; answers its removal. */
  onCommit(hook: CommitHook): () => void;
  /** Runs several reads against one consistent snapshot (REPEATABLE READ on PostgreSQL). */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** SQLite: the connection of the transaction open now, for bulk writes inside it; else null. */
  sqliteTransaction(): BetterSqlite3.Database | null;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(
    `unsupported database URL (expected file:… or postgresql://…): ${redactUrl(url)}`,
  );
}

/** `file:./data/fediblock.db` → the absolute path of the SQLite file. */
export function sqliteFilePath(url: string): string {
  return resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/**
 * Creates the SQLite file's folder (0700) and the empty file (0600) when they do not exist,
 * whatever the umask: the database holds session ids and the session secret. SQLite gives the
 * `-wal` and `-shm` files the database file's mode. Answers whether the file was created.
 */
export function createPrivateSqliteFile(path: string): boolean {
  if (existsSync(path)) return false;
  const firstCreated = mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (firstCreated) {
    for (let dir = dirname(path); dir.length >= firstCreated.length; dir = dirname(dir)) {
      chmodSync(dir, 0o700);
      if (dir === firstCreated) break;
    }
  }
  closeSync(openSync(path, "wx", 0o600));
  chmodSync(path, 0o600);
  return true;
}

/** How long a write waits for another process's SQLite write lock before answering 503. */
export const BUSY_TIMEOUT_MS = 10_000;
/** The blocking busy timeout of the connection for anything but taking the write lock. */
const SYNC_BUSY_MS = 50;

export interface OpenOptions {
  /** SQLite: how long a write waits for the write lock (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

async function createClient(
  url: string,
  dialect: Dialect,
  open: OpenSqliteTransaction,
  options: OpenOptions,
): Promise<PrismaClient> {
  if (dialect === "sqlite") {
    const path = sqliteFilePath(url);
    createPrivateSqliteFile(path);
    const adapter = serializedSqliteAdapter(
      new PrismaBetterSQLite3({ url: `file:${path}`, timeout: SYNC_BUSY_MS }),
      open,
      { busyTimeoutMs: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS, syncBusyMs: SYNC_BUSY_MS },
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

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const dialect = dialectOf(url);
  const open: OpenSqliteTransaction = { connection: null };
  const prisma = await createClient(url, dialect, open, options);
  const hooks = new CommitHooks();
  return {
    prisma,
    dialect,
    url,
    sqliteTransaction: () => open.connection,
    async transaction(work, options) {
      let changes: ChangeRecorder | undefined;
      const result = await prisma.$transaction(
        async (tx) => {
          const recorder = attachRecorder(tx);
          changes = recorder;
          const value = await work(tx);
          await hooks.beforeCommit(tx, recorder);
          return value;
        },
        { maxWait: 30_000, timeout: options?.timeoutMs ?? 30_000 },
      );
      if (changes) hooks.afterCommit(changes);
      return result;
    },
    onCommit: (hook) => hooks.add(hook),
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
