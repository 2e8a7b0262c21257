// The baseline of SPEC §9's import bar: the same pre-parsed rows inserted with better-sqlite3,
// a prepared INSERT per row in one transaction, into the same table and indexes, in a fresh
// database made from prisma/migrations/sqlite/*.sql (WAL, as `fediblock migrate` leaves it).
import { readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { ParsedEntry } from "../../server/imports/report.js";

const MIGRATIONS = fileURLToPath(new URL("../../prisma/migrations/sqlite/", import.meta.url));

function removeDatabase(file: string): void {
  for (const suffix of ["", "-journal", "-wal", "-shm"])
    rmSync(`${file}${suffix}`, { force: true });
}

/** A fresh database with the project's schema and one list; answers the list's id. */
export function createBaselineDatabase(file: string): number {
  removeDatabase(file);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    for (const migration of readdirSync(MIGRATIONS)
      .filter((name) => name.endsWith(".sql"))
      .sort()) {
      db.exec(readFileSync(path.join(MIGRATIONS, migration), "utf8"));
    }
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO "List" ("slug", "name", "visibility", "quorum", "thresholdPercent", "votingDays", "minOpenHours", "severityRule", "updatedAt")
         VALUES ('baseline', 'Baseline', 'public', 3, 66, 14, 24, 'majority', ?)`,
      )
      .run(new Date().toISOString());
    return Number(lastInsertRowid);
  } finally {
    db.close();
  }
}

/** Inserts `entries` into a fresh database at `file`; answers the milliseconds the writing took. */
export function timeBaselineInsert(file: string, entries: ParsedEntry[]): number {
  const listId = createBaselineDatabase(file);
  const db = new Database(file);
  try {
    const insert = db.prepare(
      `INSERT INTO "Entry" ("listId", "domain", "severity", "rejectMedia", "rejectReports", "obfuscate", "publicComment", "privateComment", "createdAt", "updatedAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const writeAll = db.transaction((rows: ParsedEntry[]) => {
      const now = new Date().toISOString();
      for (const entry of rows) {
        insert.run(
          listId,
          entry.domain,
          entry.severity,
          entry.rejectMedia ? 1 : 0,
          entry.rejectReports ? 1 : 0,
          entry.obfuscate ? 1 : 0,
          entry.publicComment,
          entry.privateComment,
          now,
          now,
        );
      }
    });
    const started = performance.now();
    writeAll(entries);
    const elapsed = performance.now() - started;
    const { n } = db
      .prepare(`SELECT count(*) AS n FROM "Entry" WHERE "listId" = ?`)
      .get(listId) as {
      n: number;
    };
    if (n !== entries.length) throw new Error(`the baseline wrote ${n} of ${entries.length} rows`);
    return elapsed;
  } finally {
    db.close();
    removeDatabase(file);
  }
}
