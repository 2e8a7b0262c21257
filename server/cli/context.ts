// What the database-backed commands share: configuration from flags and environment, the
// database migrated and opened, errors printed as one clear line with the right exit code.
import { ConfigError, loadConfig, type Config, type ConfigFlags } from "../config.js";
import { createContext, type AppContext } from "../context.js";
import { openDatabase } from "../db/client.js";
import { MigrationError, migrate } from "../db/migrate.js";
import { AppError } from "../errors.js";

export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;

/** Prints an error the way a person at a terminal wants to read it, and sets the exit code. */
export function reportError(error: unknown): void {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(`fediblock: ${error.message}`);
    process.exitCode = EXIT_CONFIG;
    return;
  }
  if (error instanceof AppError) {
    console.error(`fediblock: ${error.message}`);
    for (const detail of error.errors ?? []) {
      const where = detail.field ?? (detail.line !== undefined ? `line ${detail.line}` : "");
      console.error(`  ${where ? `${where}: ` : ""}${detail.message}`);
    }
    process.exitCode = EXIT_FAILURE;
    return;
  }
  console.error(
    `fediblock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
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
