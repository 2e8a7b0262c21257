// Bulk writes of entries and change-feed rows for large direct imports, inside the caller's
// transaction. Prisma's createMany is ~30× slower than one prepared statement on SQLite
// (bench/import-write-paths.ts), so rows travel as one JSON parameter per statement and the
// database unpacks them: json_each on SQLite, jsonb_to_recordset on PostgreSQL. This is the
// only dialect-specific SQL outside the migrations (docs/decisions/0004-bulk-import.md).
import type { Dialect, Tx } from "./client.js";

/** Rows per statement: large enough to amortize the round trip, small enough for memory. */
const CHUNK = 5000;

export interface BulkEntry {
  domain: string;
  severity: string;
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
  privateComment: string;
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

const ENTRY_COLUMNS = [
  "severity",
  "rejectMedia",
  "rejectReports",
  "obfuscate",
  "publicComment",
  "privateComment",
] as const;

const SQLITE_UPSERT = `
INSERT INTO "Entry" ("listId", "domain", "severity", "rejectMedia", "rejectReports", "obfuscate", "publicComment", "privateComment", "proposalId", "createdAt", "updatedAt")
SELECT ?, j.value ->> 'domain', j.value ->> 'severity', j.value ->> 'rejectMedia', j.value ->> 'rejectReports', j.value ->> 'obfuscate',
       j.value ->> 'publicComment', j.value ->> 'privateComment', NULL, ?, ?
FROM json_each(?) AS j
WHERE true
ON CONFLICT ("listId", "domain") DO UPDATE SET
  ${ENTRY_COLUMNS.map((column) => `"${column}" = excluded."${column}"`).join(", ")},
  "proposalId" = NULL, "updatedAt" = excluded."updatedAt"`;

const POSTGRES_UPSERT = `
INSERT INTO "Entry" ("listId", "domain", "severity", "rejectMedia", "rejectReports", "obfuscate", "publicComment", "privateComment", "proposalId", "createdAt", "updatedAt")
SELECT $1, r."domain", r."severity", r."rejectMedia", r."rejectReports", r."obfuscate", r."publicComment", r."privateComment", NULL, $2, $3
FROM jsonb_to_recordset($4::jsonb) AS r("domain" text, "severity" text, "rejectMedia" boolean, "rejectReports" boolean,
     "obfuscate" boolean, "publicComment" text, "privateComment" text)
ON CONFLICT ("listId", "domain") DO UPDATE SET
  ${ENTRY_COLUMNS.map((column) => `"${column}" = excluded."${column}"`).join(", ")},
  "proposalId" = NULL, "updatedAt" = excluded."updatedAt"`;

/** Inserts new entries and overwrites the fields of existing ones (tags and evidence are kept). */
export async function upsertEntries(
  tx: Tx,
  dialect: Dialect,
  listId: number,
  rows: BulkEntry[],
  now: Date,
): Promise<void> {
  for (const chunk of chunks(rows)) {
    const json = JSON.stringify(chunk);
    if (dialect === "sqlite") await tx.$executeRawUnsafe(SQLITE_UPSERT, listId, now, now, json);
    else await tx.$executeRawUnsafe(POSTGRES_UPSERT, listId, now, now, json);
  }
}

const SQLITE_CHANGES = `
INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at")
SELECT ?, ?, j.value ->> 'action', j.value ->> 'domain', j.value ->> 'entry', ?
FROM json_each(?) AS j`;

const POSTGRES_CHANGES = `
INSERT INTO "ListChange" ("listId", "revision", "action", "domain", "entry", "at")
SELECT $1, $2, r."action", r."domain", r."entry", $3
FROM jsonb_to_recordset($4::jsonb) AS r("action" text, "domain" text, "entry" text)`;

/** Records the change-feed rows of one revision. */
export async function insertChanges(
  tx: Tx,
  dialect: Dialect,
  listId: number,
  revision: number,
  changes: BulkChange[],
  now: Date,
): Promise<void> {
  for (const chunk of chunks(changes)) {
    const json = JSON.stringify(chunk);
    if (dialect === "sqlite")
      await tx.$executeRawUnsafe(SQLITE_CHANGES, listId, revision, now, json);
    else await tx.$executeRawUnsafe(POSTGRES_CHANGES, listId, revision, now, json);
  }
}
