// `fediblock migrate` and `fediblock backup FILE`.
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import { resolve } from "node:path";
import { dialectOf, sqliteFilePath } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import type { ConfigFlags } from "../config.js";
import { announceNewDatabase, configFrom, reportError } from "./context.js";

export async function migrateCommand(flags: ConfigFlags): Promise<void> {
  try {
    const config = configFrom(flags);
    announceNewDatabase(config.databaseUrl);
    const result = await migrate(config.databaseUrl);
    console.log(
      result.applied.length > 0
        ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
        : `The database is up to date (${result.alreadyApplied} migration(s) applied before).`,
    );
  } catch (error) {
    reportError(error);
  }
}

/** SQLite's online backup: a consistent copy while the service keeps running. */
export async function backupCommand(file: string, flags: ConfigFlags): Promise<void> {
  try {
    const config = configFrom(flags);
    if (dialectOf(config.databaseUrl) !== "sqlite") {
      console.error("fediblock: backup copies SQLite databases; for PostgreSQL use pg_dump.");
      process.exitCode = 2;
      return;
    }
    const source = sqliteFilePath(config.databaseUrl);
    if (!existsSync(source)) {
      console.error(`fediblock: there is no database at ${source}`);
      process.exitCode = 2;
      return;
    }
    const target = resolve(file);
    if (existsSync(target)) {
      console.error(`fediblock: ${target} exists; choose a new file name`);
      process.exitCode = 2;
      return;
    }
    // The copy holds what the database holds (session ids, the session secret): created 0600
    // before SQLite writes into it, whatever the umask.
    closeSync(openSync(target, "wx", 0o600));
    chmodSync(target, 0o600);
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(source, { readonly: true, fileMustExist: true });
    try {
      await db.backup(target);
    } finally {
      db.close();
    }
    console.log(`Backed up ${source} to ${target}`);
  } catch (error) {
    reportError(error);
  }
}
