// How should a 50,000-row direct import write its entries? SPEC §9 wants it within 5× of
// better-sqlite3 inserting the same pre-parsed rows in one transaction into the same tables and
// indexes. This times that baseline against the ways Prisma can do it, each on a fresh database
// made from prisma/migrations/sqlite/*.sql.
//
//   npx tsx bench/import-write-paths.ts        (BENCH_ROWS=50000 BENCH_RUNS=3 by default;
//                                               BENCH_ONLY=a,c,d to run some paths)
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { Prisma, PrismaClient } from "../server/db/generated/sqlite/client.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32.
const MAX_BOUND_VARIABLES = 32_766;
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 600_000 };
const MIGRATIONS = fileURLToPath(new URL("../prisma/migrations/sqlite/", import.meta.url));
const TAGS = ["hate-speech", "harassment", "spam", "csam", "disinformation", "no-moderation"];

interface BenchEntry {
  domain: string;
  severity: string;
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
  privateComment: string;
  tags: string[];
}

interface Target {
  file: string;
  listId: number;
}

interface WritePath {
  name: string;
  write(target: Target, entries: BenchEntry[]): Promise<void>;
}

function generateEntries(count: number): BenchEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    domain: `site-${String(index).padStart(6, "0")}.example`,
    severity: ["suspend", "silence", "noop"][index % 3]!,
    rejectMedia: index % 2 === 0,
    rejectReports: index % 5 === 0,
    obfuscate: false,
    publicComment: `spam, harassment (report ${index})`,
    privateComment: index % 4 === 0 ? "seen in the wild" : "",
    tags: index % 2 === 0 ? [TAGS[index % 6]!] : [TAGS[index % 6]!, TAGS[(index + 1) % 6]!],
  }));
}

function createDatabase(file: string): Target {
  for (const suffix of ["", "-journal", "-wal", "-shm"])
    rmSync(`${file}${suffix}`, { force: true });
  const db = new Database(file);
  for (const migration of readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith(".sql"))
    .sort()) {
    db.exec(readFileSync(path.join(MIGRATIONS, migration), "utf8"));
  }
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO "List" ("slug","name","visibility","quorum","thresholdPercent","votingDays","minOpenHours","severityRule","updatedAt")
       VALUES ('bench','Bench','public',3,66,14,24,'majority',?)`,
    )
    .run(new Date().toISOString());
  db.close();
  return { file, listId: Number(lastInsertRowid) };
}

const ENTRY_COLUMNS = `"listId","domain","severity","rejectMedia","rejectReports","obfuscate","publicComment","privateComment","createdAt","updatedAt"`;
const ENTRY_PARAMS_PER_ROW = 10;

function entryValues(listId: number, entry: BenchEntry, now: string): unknown[] {
  return [
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
  ];
}

/**
 * What Prisma's SQLite adapter writes for a DateTime (`…T…+00:00`, not toISOString's `Z`): raw
 * SQL that passes strings must write the same, or equal instants compare unequal as text.
 */
function prismaTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}

function openPrisma(file: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
}

const betterSqlite3: WritePath = {
  name: "a. better-sqlite3, one transaction, prepared INSERT per row (baseline)",
  async write({ file, listId }, entries) {
    const db = new Database(file);
    const insertEntry = db.prepare(
      `INSERT INTO "Entry" (${ENTRY_COLUMNS}) VALUES (${"?,".repeat(ENTRY_PARAMS_PER_ROW - 1)}?)`,
    );
    const insertTag = db.prepare(`INSERT INTO "EntryTag" ("entryId","tag") VALUES (?,?)`);
    const now = prismaTimestamp(new Date());
    db.transaction(() => {
      for (const entry of entries) {
        const { lastInsertRowid } = insertEntry.run(...entryValues(listId, entry, now));
        for (const tag of entry.tags) insertTag.run(lastInsertRowid, tag);
      }
    })();
    db.close();
  },
};

function prismaPath(
  name: string,
  work: (prisma: PrismaClient, target: Target, entries: BenchEntry[]) => Promise<void>,
): WritePath {
  return { name, write: (target, entries) => work(openPrisma(target.file), target, entries) };
}

function entryData(listId: number, entry: BenchEntry) {
  const { tags: _tags, ...fields } = entry;
  return { listId, ...fields };
}

const prismaCreateMany = prismaPath(
  "b. Prisma createMany + findMany ids + createMany tags, interactive $transaction",
  async (prisma, { listId }, entries) => {
    await prisma.$transaction(async (tx) => {
      await tx.entry.createMany({ data: entries.map((entry) => entryData(listId, entry)) });
      const rows = await tx.entry.findMany({
        where: { listId },
        select: { id: true, domain: true },
      });
      const idOf = new Map(rows.map((row) => [row.domain, row.id]));
      await tx.entryTag.createMany({
        data: entries.flatMap((entry) =>
          entry.tags.map((tag) => ({ entryId: idOf.get(entry.domain)!, tag })),
        ),
      });
    }, TRANSACTION_OPTIONS);
  },
);

const prismaCreateManyAndReturn = prismaPath(
  "b'. Prisma createManyAndReturn + createMany tags, interactive $transaction",
  async (prisma, { listId }, entries) => {
    await prisma.$transaction(async (tx) => {
      const rows = await tx.entry.createManyAndReturn({
        data: entries.map((entry) => entryData(listId, entry)),
        select: { id: true, domain: true },
      });
      const idOf = new Map(rows.map((row) => [row.domain, row.id]));
      await tx.entryTag.createMany({
        data: entries.flatMap((entry) =>
          entry.tags.map((tag) => ({ entryId: idOf.get(entry.domain)!, tag })),
        ),
      });
    }, TRANSACTION_OPTIONS);
  },
);

function prismaMultiRowValues(rowsPerStatement: number): WritePath {
  if (rowsPerStatement * ENTRY_PARAMS_PER_ROW > MAX_BOUND_VARIABLES) {
    throw new Error(`${rowsPerStatement} rows exceed SQLite's ${MAX_BOUND_VARIABLES} variables`);
  }
  const tagsPerStatement = Math.floor(MAX_BOUND_VARIABLES / 2);
  return prismaPath(
    `c. Prisma $queryRawUnsafe INSERT … VALUES (…)×${rowsPerStatement} RETURNING id, interactive $transaction`,
    async (prisma, { listId }, entries) => {
      const now = prismaTimestamp(new Date());
      await prisma.$transaction(async (tx) => {
        const idOf = new Map<string, number>();
        for (const batch of chunk(entries, rowsPerStatement)) {
          const placeholders = `(${"?,".repeat(ENTRY_PARAMS_PER_ROW - 1)}?)`;
          const rows = await tx.$queryRawUnsafe<{ id: number; domain: string }[]>(
            `INSERT INTO "Entry" (${ENTRY_COLUMNS}) VALUES ${Array(batch.length).fill(placeholders).join(",")} RETURNING "id","domain"`,
            ...batch.flatMap((entry) => entryValues(listId, entry, now)),
          );
          for (const row of rows) idOf.set(row.domain, Number(row.id));
        }
        const tagRows = entries.flatMap((entry) =>
          entry.tags.map((tag) => [idOf.get(entry.domain)!, tag]),
        );
        for (const batch of chunk(tagRows, tagsPerStatement)) {
          await tx.$executeRawUnsafe(
            `INSERT INTO "EntryTag" ("entryId","tag") VALUES ${Array(batch.length).fill("(?,?)").join(",")}`,
            ...batch.flat(),
          );
        }
      }, TRANSACTION_OPTIONS);
    },
  );
}

// The portable form of c: Prisma.sql picks each dialect's placeholders (`?` or `$n`), and the
// driver adapter converts booleans and Dates as it does for Prisma's own queries, so the same
// code runs on PostgreSQL.
function prismaTaggedMultiRowValues(rowsPerStatement: number): WritePath {
  return prismaPath(
    `c'. Prisma $queryRaw(Prisma.sql … Prisma.join) VALUES ×${rowsPerStatement} RETURNING id, interactive $transaction`,
    async (prisma, { listId }, entries) => {
      const now = new Date();
      await prisma.$transaction(async (tx) => {
        const idOf = new Map<string, number>();
        for (const batch of chunk(entries, rowsPerStatement)) {
          const values = batch.map(
            (entry) =>
              Prisma.sql`(${listId}, ${entry.domain}, ${entry.severity}, ${entry.rejectMedia}, ${entry.rejectReports}, ${entry.obfuscate}, ${entry.publicComment}, ${entry.privateComment}, ${now}, ${now})`,
          );
          const rows = await tx.$queryRaw<{ id: number; domain: string }[]>`
            INSERT INTO "Entry" (${Prisma.raw(ENTRY_COLUMNS)}) VALUES ${Prisma.join(values)}
            RETURNING "id", "domain"`;
          for (const row of rows) idOf.set(row.domain, Number(row.id));
        }
        const tags = entries.flatMap((entry) =>
          entry.tags.map((tag) => Prisma.sql`(${idOf.get(entry.domain)!}, ${tag})`),
        );
        for (const batch of chunk(tags, rowsPerStatement * 5)) {
          await tx.$executeRaw`INSERT INTO "EntryTag" ("entryId", "tag") VALUES ${Prisma.join(batch)}`;
        }
      }, TRANSACTION_OPTIONS);
    },
  );
}

// One bound parameter per statement, whatever the row count: the rows travel as a JSON array
// and SQLite's json_each() turns them into rows. Tags find their entry through the
// (listId, domain) unique index.
function prismaJsonEach(rowsPerStatement: number): WritePath {
  return prismaPath(
    `d. Prisma $executeRawUnsafe INSERT … SELECT FROM json_each(?) ×${rowsPerStatement} rows, interactive $transaction`,
    async (prisma, { listId }, entries) => {
      const now = prismaTimestamp(new Date());
      await prisma.$transaction(async (tx) => {
        for (const batch of chunk(entries, rowsPerStatement)) {
          const json = JSON.stringify(
            batch.map((entry) => ({
              ...entry,
              rejectMedia: entry.rejectMedia ? 1 : 0,
              rejectReports: entry.rejectReports ? 1 : 0,
              obfuscate: entry.obfuscate ? 1 : 0,
            })),
          );
          await tx.$executeRawUnsafe(
            `INSERT INTO "Entry" (${ENTRY_COLUMNS})
             SELECT ?, value->>'domain', value->>'severity', value->>'rejectMedia', value->>'rejectReports',
                    value->>'obfuscate', value->>'publicComment', value->>'privateComment', ?, ?
             FROM json_each(?)`,
            listId,
            now,
            now,
            json,
          );
          await tx.$executeRawUnsafe(
            `INSERT INTO "EntryTag" ("entryId","tag")
             SELECT (SELECT "id" FROM "Entry" WHERE "listId" = ? AND "domain" = row.value->>'domain'),
                    tag.value
             FROM json_each(?) AS row, json_each(row.value->'tags') AS tag`,
            listId,
            json,
          );
        }
      }, TRANSACTION_OPTIONS);
    },
  );
}

async function verify(target: Target, entries: BenchEntry[]): Promise<void> {
  const db = new Database(target.file, { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const expectedTags = entries.reduce((sum, entry) => sum + entry.tags.length, 0);
  const counts = [
    count(`SELECT count(*) AS n FROM "Entry"`),
    count(`SELECT count(*) AS n FROM "EntryTag"`),
  ];
  db.close();
  if (counts[0] !== entries.length || counts[1] !== expectedTags) {
    throw new Error(
      `wrote ${counts[0]} entries and ${counts[1]} tags, expected ${entries.length} and ${expectedTags}`,
    );
  }
  // Prisma must read the rows back the way it reads its own (booleans, dates, comments).
  const prisma = openPrisma(target.file);
  const sample = await prisma.entry.findFirst({
    where: { domain: entries[0]!.domain },
    include: { tags: true },
  });
  await prisma.$disconnect();
  const { tags, ...fields } = entries[0]!;
  for (const [key, value] of Object.entries(fields)) {
    if (sample?.[key as keyof typeof fields] !== value)
      throw new Error(`read back ${key} wrong: ${JSON.stringify(sample)}`);
  }
  if (!(sample?.createdAt instanceof Date) || Number.isNaN(sample.createdAt.getTime())) {
    throw new Error(`createdAt not read back as a date: ${JSON.stringify(sample)}`);
  }
  if (
    sample.tags
      .map((tag) => tag.tag)
      .sort()
      .join() !== [...tags].sort().join()
  ) {
    throw new Error(`tags read back wrong: ${JSON.stringify(sample.tags)}`);
  }
}

async function time(writePath: WritePath, entries: BenchEntry[], run: number): Promise<number> {
  const target = createDatabase(path.join(tmpdir(), `fediblock-bench-${process.pid}-${run}.db`));
  if (writePath.name.includes("Prisma")) {
    // Connecting is not part of the write.
    const warm = openPrisma(target.file);
    await warm.$queryRawUnsafe("SELECT 1");
    await warm.$disconnect();
  }
  const started = performance.now();
  await writePath.write(target, entries);
  const elapsed = performance.now() - started;
  await verify(target, entries);
  for (const suffix of ["", "-journal", "-wal", "-shm"])
    rmSync(`${target.file}${suffix}`, { force: true });
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const entries = generateEntries(ROWS);
  const tagCount = entries.reduce((sum, entry) => sum + entry.tags.length, 0);
  console.log(
    `${ROWS} entries, ${tagCount} tags, median of ${RUNS} runs, node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}`,
  );
  const paths = [
    betterSqlite3,
    prismaCreateMany,
    prismaCreateManyAndReturn,
    ...[100, 500, 1_000, 3_000].map(prismaMultiRowValues),
    ...[500, 1_000].map(prismaTaggedMultiRowValues),
    ...[1_000, 5_000, ROWS].map(prismaJsonEach),
  ];
  // BENCH_ONLY=a,c,d keeps the paths whose name starts with those letters (a is the baseline).
  const only = process.env.BENCH_ONLY?.split(",");
  let baseline: number | undefined;
  for (const writePath of paths) {
    if (only && !only.some((letter) => writePath.name.startsWith(letter))) continue;
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run += 1) timings.push(await time(writePath, entries, run));
    const ms = median(timings);
    baseline ??= ms;
    console.log(
      `${ms.toFixed(0).padStart(7)} ms  ${(ms / baseline).toFixed(2).padStart(5)}×  ${writePath.name}`,
    );
  }
}

await main();
