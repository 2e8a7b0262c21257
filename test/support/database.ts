// A fresh, empty database for one test file: a SQLite file in a temporary directory, or, when
// FEDIBLOCK_TEST_DATABASE=postgres, a new database on the server FEDIBLOCK_TEST_PG_URL names
// (scripts/with-postgres.sh starts one).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const testDialect =
  process.env.FEDIBLOCK_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

export async function freshDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "fediblock-db-"));
    return {
      url: `file:${join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = process.env.FEDIBLOCK_TEST_PG_URL;
  if (!server) {
    throw new Error(
      "FEDIBLOCK_TEST_DATABASE=postgres needs FEDIBLOCK_TEST_PG_URL (scripts/with-postgres.sh sets it)",
    );
  }
  const name = `fediblock_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
