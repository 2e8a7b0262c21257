// What the database-backed commands share: configuration from flags and environment, the
// database migrated and opened, errors printed as one clear line with the right exit code.
import { ConfigError, loadConfig, type Config, type ConfigFlags } from "../config.js";
import { createContext, type AppContext } from "../context.js";
import { createPrivateSqliteFile, dialectOf, openDatabase, sqliteFilePath } from "../db/client.js";
import { MigrationError, migrate } from "../db/migrate.js";
import { AppError } from "../errors.js";
import { redactUrl } from "../log.js";

export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;

/** Prints an error the way a person at a terminal wants to read it, and sets the exit code. */
export function reportError(error: unknown): void {
  // Database URLs in messages (a bad DATABASE_URL, a connection error) lose their password.
  const say = (line: string) => console.error(redactUrl(line));
  if (error instanceof ConfigError && error.problems.length > 1) {
    say("fediblock: bad configuration:");
    for (const problem of error.problems) say(`  ${problem}`);
    process.exitCode = EXIT_CONFIG;
    return;
  }
  if (error instanceof ConfigError || error instanceof MigrationError) {
    say(`fediblock: ${error.message}`);
    process.exitCode = EXIT_CONFIG;
    return;
  }
  if (error instanceof AppError) {
    say(`fediblock: ${error.message}`);
    for (const detail of error.errors ?? []) {
      const where = detail.field ?? (detail.line !== undefined ? `line ${detail.line}` : "");
      say(`  ${where ? `${where}: ` : ""}${detail.message}`);
    }
    process.exitCode = EXIT_FAILURE;
    return;
  }
  say(`fediblock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = EXIT_FAILURE;
}

export function configFrom(flags: ConfigFlags): Config {
  return loadConfig(process.env, flags);
}

/** Runs a command against the migrated database, closing it afterwards. */
export async function withDatabase(
  flags: ConfigFlags,
  work: (ctx: AppContext) => Promise<void>,
): Promise<void> {
  try {
    const config = configFrom(flags);
    announceNewDatabase(config.databaseUrl);
    await migrate(config.databaseUrl);
    const db = await openDatabase(config.databaseUrl);
    try {
      await work(createContext(db, config));
    } finally {
      await db.close();
    }
  } catch (error) {
    reportError(error);
  }
}

/**
 * A command run without DATABASE_URL in a new folder would otherwise work on a new empty
 * database silently: say which file was created (on stderr, so that stdout stays the answer).
 */
export function announceNewDatabase(databaseUrl: string): void {
  if (dialectOf(databaseUrl) !== "sqlite") return;
  const path = sqliteFilePath(databaseUrl);
  if (createPrivateSqliteFile(path)) {
    console.error(
      `fediblock: created a new empty database at ${path} (set DATABASE_URL or --database to use another)`,
    );
  }
}
