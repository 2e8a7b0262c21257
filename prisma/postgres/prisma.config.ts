// Prisma CLI configuration for PostgreSQL. `prisma migrate diff` connects to a live server with
// this adapter, so scripts/db-migration.ts starts a throwaway one and passes its URL in
// FEDIBLOCK_PRISMA_POSTGRES_URL (see docs/decisions/0002-migrations.md). Like the SQLite twin,
// it never reads DATABASE_URL, which is the service's runtime setting and may name SQLite
// (docs/decisions/0010-build-and-start.md).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const connectionString =
  process.env.FEDIBLOCK_PRISMA_POSTGRES_URL ?? "postgresql://fediblock@localhost:5432/fediblock";
process.env.DATABASE_URL = connectionString;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString }),
});
