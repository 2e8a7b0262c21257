// One `fediblock serve` per SQLite file (docs/decisions/0011-sqlite-one-service-per-file.md).
// The service holds an exclusive SQLite lock on a small file beside the database for as long
// as it runs; the operating system drops it when the process ends, however it ends, so there
// is no stale lock to clean up. The CLI does not take it: it keeps working beside the service.
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { ConfigError } from "../config.js";

export interface ServeLock {
  release(): void;
}

export const serveLockPath = (databasePath: string) => `${databasePath}-serve-lock`;

/** Takes the lock, or refuses with a message that says why and what to do instead. */
export async function acquireServeLock(databasePath: string): Promise<ServeLock> {
  const { default: Sqlite } = await import("better-sqlite3");
  const path = serveLockPath(databasePath);
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
  const db: BetterSqlite3.Database = new Sqlite(path, { timeout: 0 });
  try {
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      throw new ConfigError(
        `another \`fediblock serve\` is already running on ${databasePath}: one service per SQLite file ` +
          "(the CLI works beside it). Stop the other one, or use PostgreSQL (DATABASE_URL=postgresql://…) to run several.",
      );
    }
    throw error;
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}
