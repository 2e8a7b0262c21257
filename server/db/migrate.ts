// Applies the checked-in SQL migrations (prisma/migrations/<dialect>/NNNN_name.sql) in order,
// each in its own transaction, and records what it applied with a checksum in
// `_fediblock_migrations`. `prisma migrate deploy` cannot be used on PostgreSQL offline
// (docs/decisions/0002-migrations.md), so the service migrates itself on start.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsDir } from "../paths.js";
import { createPrivateSqliteFile, dialectOf, sqliteFilePath, type Dialect } from "./client.js";
import { redactUrl } from "../log.js";
import { collectGarbage } from "./collect-garbage.js";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function readMigrations(dialect: Dialect, dir = migrationsDir(dialect)): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), "utf8");
      return {
        name: file.replace(/\.sql$/, ""),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
}

/** Which migrations still have to run; refuses if an applied one was edited or is unknown. */
export function pendingMigrations(
  migrations: Migration[],
  applied: Map<string, string>,
): Migration[] {
  const known = new Set(migrations.map((migration) => migration.name));
  for (const name of applied.keys()) {
    if (!known.has(name)) {
      throw new MigrationError(
        `the database has migration ${name}, which this version does not know: it was made by a newer version of fediblock`,
      );
    }
  }
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new MigrationError(
        `migration ${migration.name} was changed after it was applied to this database`,
      );
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

const TABLE = "_fediblock_migrations";

async function migrateSqlite(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const { default: Sqlite } = await import("better-sqlite3");
  const path = sqliteFilePath(url);
  createPrivateSqliteFile(path);
  const db = new Sqlite(path, { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const migrate = db.transaction(() => {
      const rows = db.prepare(`SELECT name, checksum FROM "${TABLE}"`).all() as {
        name: string;
        checksum: string;
      }[];
      const pending = pendingMigrations(
        migrations,
        new Map(rows.map((row) => [row.name, row.checksum])),
      );
      const record = db.prepare(
        `INSERT INTO "${TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`,
      );
      for (const migration of pending) {
        db.exec(migration.sql);
        record.run(migration.name, migration.checksum, new Date().toISOString());
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
    });
    return migrate.immediate();
  } finally {
    db.close();
    collectGarbage();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(
      `cannot connect to the database ${redactUrl(url)}: ${(error as Error).message}`,
    );
  }
  try {
    // One migrator at a time, even with several service processes starting together.
    await client.query("SELECT pg_advisory_lock(hashtext('fediblock-migrations'))");
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "${TABLE}"`,
    );
    const pending = pendingMigrations(
      migrations,
      new Map(rows.map((row) => [row.name, row.checksum])),
    );
    for (const migration of pending) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "${TABLE}" (name, checksum, applied_at) VALUES ($1, $2, now())`,
          [migration.name, migration.checksum],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    await client
      .query("SELECT pg_advisory_unlock(hashtext('fediblock-migrations'))")
      .catch(() => {});
    await client.end();
  }
}

export async function migrate(
  url: string,
  options: { dir?: string } = {},
): Promise<MigrationResult> {
  const dialect = dialectOf(url);
  const migrations = readMigrations(dialect, options.dir);
  return dialect === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}
