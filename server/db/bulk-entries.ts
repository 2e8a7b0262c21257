// Bulk writes of entries and change-feed rows for large direct imports, inside the caller's
// transaction. Prisma's createMany is ~30× slower than one prepared statement on SQLite
// (bench/import-write-paths.ts), and even one raw statement with the rows as a JSON parameter
// pays Prisma's query compiler ~10 µs a row (it copies every parameter several times;
// bench/import-api.ts). So on SQLite the rows go through prepared statements on the open
// transaction's own better-sqlite3 connection; on PostgreSQL they travel as one JSON parameter
// per statement, unpacked by jsonb_to_recordset. This is the only dialect-specific SQL outside
// the migrations (docs/decisions/0004-bulk-import.md).
import type BetterSqlite3 from "better-sqlite3";
import { takeRecordIds } from "../fires/record-ids.js";
import { SCALAR_FIELD_SPEC, SCALAR_FIELDS, type EntryScalars } from "../lists/vocabulary.js";
import type { Database, Tx } from "./client.js";

/** Rows per PostgreSQL statement: large enough to amortize the round trip, small enough for memory. */
const CHUNK = 5000;

export interface BulkEntry extends EntryScalars {
  domain: string;
}

export interface BulkChange {
  action: "added" | "changed";
  domain: string;
  /** JSON snapshot of the entry after the change. */
  entry: string;
}

function chunks<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += CHUNK)
    result.push(rows.slice(start, start + CHUNK));
  return result;
}

/** The entry's scalar fields are its columns, named as the vocabulary names them. */
const quoted = (prefix: string) => SCALAR_FIELDS.map((field) => `${prefix}"${field}"`).join(", ");
const UPSERT_COLUMNS = `"listId", "domain", ${quoted("")}, "proposalId", "createdAt", "updatedAt"`;
const ON_CONFLICT = `ON CONFLICT ("listId", "domain") DO UPDATE SET
  ${SCALAR_FIELDS.map((column) => `"${column}" = excluded."${column}"`).join(", ")},
  "proposalId" = NULL, "updatedAt" = excluded."updatedAt"`;

const POSTGRES_UPSERT = `
INSERT INTO "Entry" (${UPSERT_COLUMNS})
SELECT $1, r."domain", ${quoted("r.")}, NULL, $2, $3
FROM jsonb_to_recordset($4::jsonb) AS r("domain" text, ${SCALAR_FIELDS.map((field) => `"${field}" ${SCALAR_FIELD_SPEC[field].kind}`).join(", ")})
${ON_CONFLICT}`;

type BulkDatabase = Pick<Database, "dialect" | "sqliteTransaction">;

/** The SQLite connection of the transaction the bulk write runs in. */
function sqliteConnection(db: BulkDatabase): BetterSqlite3.Database {
  const connection = db.sqliteTransaction();
  if (!connection) throw new Error("bulk writes must run inside db.transaction()");
  return connection;
}

/** What Prisma's SQLite adapter writes for a DateTime, so that raw and Prisma writes compare. */
const sqliteTimestamp = (date: Date) => date.toISOString().replace("Z", "+00:00");
const bit = (value: boolean) => (value ? 1 : 0);

const SQLITE_UPSERT = `
INSERT INTO "Entry" (${UPSERT_COLUMNS})
VALUES (?, ?, ${SCALAR_FIELDS.map(() => "?").join(", ")}, NULL, ?, ?)
${ON_CONFLICT}`;

/** SQLite's value of each scalar field: booleans as bits. */
const SQLITE_VALUES = SCALAR_FIELDS.map((field) =>
  SCALAR_FIELD_SPEC[field].kind === "boolean"
    ? (row: BulkEntry) => bit(row[field] as boolean)
    : (row: BulkEntry) => row[field],
);

/** Inserts new entries and overwrites the fields of existing ones (tags and evidence are kept). */
export async function upsertEntries(
  tx: Tx,
  db: BulkDatabase,
  listId: number,
  rows: BulkEntry[],
  now: Date,
): Promise<void> {
  if (db.dialect === "sqlite") {
    const at = sqliteTimestamp(now);
    const upsert = sqliteConnection(db).prepare(SQLITE_UPSERT);
    for (const row of rows) {
      upsert.run(listId, row.domain, ...SQLITE_VALUES.map((value) => value(row)), at, at);
    }
    return;
  }
  for (const chunk of chunks(rows)) {
    await tx.$executeRawUnsafe(POSTGRES_UPSERT, listId, now, now, JSON.stringify(chunk));
  }
}

const POSTGRES_CHANGES = `
INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at", "firesId")
SELECT $1, $2, r."action", r."domain", r."entry", $3, r."firesId"
FROM jsonb_to_recordset($4::jsonb) AS r("action" text, "domain" text, "entry" text, "firesId" text)`;

/** Records the change-feed rows of one revision, with their FIRES ids (server/fires/record-ids.ts). */
export async function insertChanges(
  tx: Tx,
  db: BulkDatabase,
  listId: number,
  revision: number,
  changes: BulkChange[],
  now: Date,
): Promise<void> {
  const ids = await takeRecordIds(tx, listId, changes.length, now);
  if (db.dialect === "sqlite") {
    const at = sqliteTimestamp(now);
    const insert = sqliteConnection(db).prepare(
      `INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at", "firesId") VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    changes.forEach((change, i) =>
      insert.run(listId, revision, change.action, change.domain, change.entry, at, ids[i]),
    );
    return;
  }
  const rows = changes.map((change, i) => ({ ...change, firesId: ids[i] }));
  for (const chunk of chunks(rows)) {
    await tx.$executeRawUnsafe(POSTGRES_CHANGES, listId, revision, now, JSON.stringify(chunk));
  }
}
