// Derives prisma/postgres/schema.prisma from prisma/schema.prisma: the models are identical,
// only the datasource provider and the generated client's folder differ. Run by every build
// (`npm run db:generate`) and by `npm run db:migration`; the result is not committed (.gitignore).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function postgresSchemaFrom(sqliteSchema: string): string {
  const derived = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(
      'output                 = "../server/db/generated/sqlite"',
      'output                 = "../../server/db/generated/postgres"',
    );
  if (
    derived === sqliteSchema ||
    !derived.includes('"postgresql"') ||
    !derived.includes("generated/postgres")
  ) {
    throw new Error(
      "prisma/schema.prisma no longer has the provider/output lines this script rewrites",
    );
  }
  return (
    "// GENERATED from prisma/schema.prisma by scripts/postgres-schema.ts: do not edit.\n" + derived
  );
}

export const sqliteSchemaPath = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
export const postgresSchemaPath = fileURLToPath(
  new URL("../prisma/postgres/schema.prisma", import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(postgresSchemaPath, postgresSchemaFrom(readFileSync(sqliteSchemaPath, "utf8")));
  console.log(`wrote ${postgresSchemaPath}`);
}
