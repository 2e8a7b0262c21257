// Prisma CLI configuration for PostgreSQL. `prisma migrate diff` connects to a live server with
// this adapter, so scripts/db-migration.ts starts a throwaway one (see docs/decisions/0002-migrations.md).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

process.env.DATABASE_URL ??= "postgresql://fediblock@localhost:5432/fediblock";
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString }),
});
