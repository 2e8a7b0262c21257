// Writes the next SQL migration for both providers from the change to prisma/schema.prisma:
//   npm run db:migration -- add_widgets
// `prisma migrate dev` needs network engines and a live database, so migrations are diffs of
// schema files: prisma/migrations/schema.prisma is a copy of the schema at the last migration.
// Run through scripts/with-postgres.sh (the npm script does), because Prisma's PostgreSQL diff
// connects to a server even when both sides are files.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { postgresSchemaFrom, postgresSchemaPath, sqliteSchemaPath } from "./postgres-schema.js";
import { readFileSync } from "node:fs";

const root = fileURLToPath(new URL("..", import.meta.url));
const migrations = join(root, "prisma/migrations");
const snapshot = join(migrations, "schema.prisma");

function diff(
  provider: "sqlite" | "postgres",
  from: string | null,
  to: string,
  env: NodeJS.ProcessEnv,
) {
  const config = provider === "sqlite" ? "prisma.config.ts" : "prisma/postgres/prisma.config.ts";
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  return execFileSync(
    join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--config", config, ...fromArgs, "--to-schema-datamodel", to, "--script"],
    {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
}

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- NAME   (lowercase letters, digits and _)");
  process.exit(2);
}
const pgUrl = process.env.FEDIBLOCK_TEST_PG_URL;
if (!pgUrl) {
  console.error("FEDIBLOCK_TEST_PG_URL is not set: run through scripts/with-postgres.sh");
  process.exit(2);
}

writeFileSync(postgresSchemaPath, postgresSchemaFrom(readFileSync(sqliteSchemaPath, "utf8")));
const previous = existsSync(snapshot) ? snapshot : null;
let previousPg: string | null = null;
if (previous) {
  previousPg = join(mkdtempSync(join(tmpdir(), "fediblock-migration-")), "previous.prisma");
  writeFileSync(previousPg, postgresSchemaFrom(readFileSync(previous, "utf8")));
}

const sqliteSql = diff("sqlite", previous, sqliteSchemaPath, {
  FEDIBLOCK_PRISMA_SQLITE_URL: `file:${join(mkdtempSync(join(tmpdir(), "fediblock-migration-")), "diff.db")}`,
});
const pgSql = diff("postgres", previousPg, postgresSchemaPath, {
  FEDIBLOCK_PRISMA_POSTGRES_URL: pgUrl,
});
if (!sqliteSql.trim() || /^-- This is an empty migration/m.test(sqliteSql)) {
  // No SQL follows from the change (comments, formatting): the snapshot that
  // test/db/migrations.test.ts compares byte for byte still takes it, with no migration.
  const schema = readFileSync(sqliteSchemaPath, "utf8");
  if (previous && readFileSync(previous, "utf8") !== schema) {
    copyFileSync(sqliteSchemaPath, snapshot);
    console.log(`no SQL to write; refreshed ${snapshot}`);
    process.exit(0);
  }
  console.error("prisma/schema.prisma has not changed since the last migration: nothing to write");
  process.exit(1);
}

const next = String(
  readdirSync(join(migrations, "sqlite"), { withFileTypes: true }).length + 1,
).padStart(4, "0");
for (const [provider, sql] of [
  ["sqlite", sqliteSql],
  ["postgres", pgSql],
] as const) {
  mkdirSync(join(migrations, provider), { recursive: true });
  const file = join(migrations, provider, `${next}_${name}.sql`);
  writeFileSync(file, sql);
  console.log(`wrote ${file}`);
}
copyFileSync(sqliteSchemaPath, snapshot);
