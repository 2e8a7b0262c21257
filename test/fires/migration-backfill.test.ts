// Migration 0005 gives every change already in the feed a FIRES record id (its hand-written
// backfill): a UUIDv7 of the change's time and row id, so the old changes page in the order
// they were written and a new change's id (max(now, last + 1)) sorts after them. Runs on the
// dialect the test run uses (FEDIBLOCK_TEST_DATABASE).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { isRecordId } from "../../server/fires/record-ids.js";
import { packageRoot } from "../../server/paths.js";
import { freshDatabaseUrl, testDialect } from "../support/database.js";

const directory = join(packageRoot, "prisma/migrations", testDialect);
/** Every migration before 0005, whatever other branches have added. */
const BEFORE = readdirSync(directory)
  .filter((name) => /^\d{4}_.*\.sql$/.test(name) && name < "0005")
  .sort();
const migration = (name: string) =>
  readFileSync(join(packageRoot, "prisma/migrations", testDialect, name), "utf8");

const AT = ["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z", "2026-03-02T08:30:15.250Z"];

let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
beforeAll(async () => {
  database = await freshDatabaseUrl();
});
afterAll(() => database.drop());

/** Runs the migrations before 0005, three changes, then 0005; answers the rows by id. */
async function backfilled(): Promise<{ id: number; firesId: string | null }[]> {
  const insertList = `INSERT INTO "List" ("slug", "name", "visibility", "quorum", "thresholdPercent", "votingDays", "minOpenHours", "severityRule", "updatedAt") VALUES ('old', 'Old', 'public', 3, 66, 14, 24, 'majority', CURRENT_TIMESTAMP)`;
  if (testDialect === "sqlite") {
    const db = new Sqlite(database.url.slice("file:".length));
    try {
      for (const name of BEFORE) db.exec(migration(name));
      db.exec(insertList);
      const insert = db.prepare(
        `INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at") VALUES (1, ?, 'added', ?, '{}', ?)`,
      );
      AT.forEach((at, i) => insert.run(i + 1, `d${i}.example`, at.replace("Z", "+00:00")));
      db.exec(migration("0005_fires_change_ids.sql"));
      return db.prepare(`SELECT "id", "firesId" FROM "ListChange" ORDER BY "id"`).all() as {
        id: number;
        firesId: string | null;
      }[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const name of BEFORE) await client.query(migration(name));
    await client.query(insertList);
    for (const [i, at] of AT.entries()) {
      await client.query(
        `INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at") VALUES (1, $1, 'added', $2, '{}', $3)`,
        [i + 1, `d${i}.example`, at],
      );
    }
    await client.query(migration("0005_fires_change_ids.sql"));
    const { rows } = await client.query(`SELECT "id", "firesId" FROM "ListChange" ORDER BY "id"`);
    return rows as { id: number; firesId: string | null }[];
  } finally {
    await client.end();
  }
}

test("every existing change gets a UUIDv7 of its time, in the order the changes were written", async () => {
  const rows = await backfilled();
  expect(rows).toHaveLength(3);
  const ids = rows.map((row) => row.firesId!);
  expect(ids.every(isRecordId)).toBe(true);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(3);
  ids.forEach((id, i) => {
    expect(parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(Date.parse(AT[i]!));
    expect(parseInt(id.slice(-12), 16)).toBe(rows[i]!.id);
  });
});
