// The checked-in migrations must produce exactly the schema Prisma derives from
// prisma/schema.prisma (compared table by table: columns, indexes, foreign keys), and the
// migration runner must be idempotent and refuse edited history.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, cpSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import {
  MigrationError,
  migrate,
  pendingMigrations,
  readMigrations,
} from "../../server/db/migrate.js";
import { packageRoot } from "../../server/paths.js";
import { postgresSchemaFrom } from "../../scripts/postgres-schema.js";
import { temporaryDirectory } from "../support/app.js";

const tmp = temporaryDirectory();
afterAll(() => tmp.remove());

function prismaSchemaSql(provider: "sqlite" | "postgres", databaseUrl: string): string {
  const config = provider === "sqlite" ? "prisma.config.ts" : "prisma/postgres/prisma.config.ts";
  const schema = provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgres/schema.prisma";
  return execFileSync(
    join(packageRoot, "node_modules/.bin/prisma"),
    [
      "migrate",
      "diff",
      "--config",
      config,
      "--from-empty",
      "--to-schema-datamodel",
      schema,
      "--script",
    ],
    {
      cwd: packageRoot,
      // The Prisma configs never read DATABASE_URL (docs/decisions/0010-build-and-start.md).
      env: {
        ...process.env,
        [provider === "sqlite" ? "FEDIBLOCK_PRISMA_SQLITE_URL" : "FEDIBLOCK_PRISMA_POSTGRES_URL"]:
          databaseUrl,
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

function describeSqlite(path: string) {
  const db = new Sqlite(path, { readonly: true });
  try {
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_fediblock_migrations' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
    return Object.fromEntries(
      tables.map((table) => [
        table,
        {
          columns: db.prepare(`PRAGMA table_xinfo("${table}")`).all(),
          indexes: (
            db.prepare(`PRAGMA index_list("${table}")`).all() as {
              name: string;
              unique: number;
              origin: string;
            }[]
          )
            .map((index) => ({
              ...index,
              columns: db.prepare(`PRAGMA index_info("${index.name}")`).all(),
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          foreignKeys: db.prepare(`PRAGMA foreign_key_list("${table}")`).all(),
        },
      ]),
    );
  } finally {
    db.close();
  }
}

describe("SQLite", () => {
  test("the migrations produce exactly the schema of prisma/schema.prisma", async () => {
    const migrated = join(tmp.dir, "migrated.db");
    const result = await migrate(`file:${migrated}`);
    expect(result.applied).toEqual(readMigrations("sqlite").map((m) => m.name));

    const expected = join(tmp.dir, "expected.db");
    const db = new Sqlite(expected);
    db.exec(prismaSchemaSql("sqlite", `file:${join(tmp.dir, "scratch.db")}`));
    db.close();

    const actual = describeSqlite(migrated);
    expect(Object.keys(actual)).toContain("Proposal");
    expect(actual).toEqual(describeSqlite(expected));
  });

  test("migrating again applies nothing, and the database is in WAL mode", async () => {
    const url = `file:${join(tmp.dir, "again.db")}`;
    await migrate(url);
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(readMigrations("sqlite").length);
    const db = new Sqlite(join(tmp.dir, "again.db"), { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  test("an applied migration that was edited is refused", () => {
    const [first] = readMigrations("sqlite");
    expect(() => pendingMigrations([first!], new Map([[first!.name, "0".repeat(64)]]))).toThrow(
      MigrationError,
    );
    expect(() => pendingMigrations([first!], new Map([["9999_from_the_future", "x"]]))).toThrow(
      /newer version/,
    );
  });

  test("a failing migration leaves nothing half-applied", async () => {
    const dir = join(tmp.dir, "broken-migrations");
    mkdirSync(dir);
    cpSync(join(packageRoot, "prisma/migrations/sqlite"), dir, { recursive: true });
    writeFileSync(
      join(dir, "9000_broken.sql"),
      'CREATE TABLE "Half" (id INTEGER);\nTHIS IS NOT SQL;',
    );
    const path = join(tmp.dir, "broken.db");
    await migrate(`file:${path}`);
    await expect(migrate(`file:${path}`, { dir })).rejects.toThrow(/syntax error/);
    const db = new Sqlite(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'Half'").all();
    const recorded = db
      .prepare(`SELECT name FROM "_fediblock_migrations" WHERE name = '9000_broken'`)
      .all();
    db.close();
    expect(tables).toEqual([]);
    expect(recorded).toEqual([]);
  });
});

describe("schema files", () => {
  test("prisma/migrations/schema.prisma is the schema of the last migration: a schema change needs `npm run db:migration`", () => {
    expect(readFileSync(join(packageRoot, "prisma/migrations/schema.prisma"), "utf8")).toBe(
      readFileSync(join(packageRoot, "prisma/schema.prisma"), "utf8"),
    );
  });

  test("prisma/postgres/schema.prisma is derived from prisma/schema.prisma", () => {
    expect(readFileSync(join(packageRoot, "prisma/postgres/schema.prisma"), "utf8")).toBe(
      postgresSchemaFrom(readFileSync(join(packageRoot, "prisma/schema.prisma"), "utf8")),
    );
  });

  test("both providers have the same migrations", () => {
    expect(readMigrations("postgres").map((m) => m.name)).toEqual(
      readMigrations("sqlite").map((m) => m.name),
    );
  });
});

const pgServer = process.env.FEDIBLOCK_TEST_PG_URL;

async function describePostgres(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_fediblock_migrations' ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_fediblock_migrations' ORDER BY indexname`,
    );
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_fediblock_migrations' ORDER BY conname`,
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgServer!);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.skipIf(!pgServer)("PostgreSQL (FEDIBLOCK_TEST_PG_URL)", () => {
  test("the migrations produce exactly the schema of prisma/postgres/schema.prisma", async () => {
    const migrated = await createDatabase("fediblock_schema_migrated");
    const expected = await createDatabase("fediblock_schema_expected");
    expect((await migrate(migrated)).applied).toEqual(
      readMigrations("postgres").map((m) => m.name),
    );
    const client = new pg.Client({ connectionString: expected });
    await client.connect();
    await client.query(prismaSchemaSql("postgres", expected));
    await client.end();
    const actual = await describePostgres(migrated);
    expect(actual.columns.length).toBeGreaterThan(50);
    expect(actual).toEqual(await describePostgres(expected));
    expect((await migrate(migrated)).applied).toEqual([]);
  });
});
