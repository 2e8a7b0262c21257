// Prisma CLI configuration for the SQLite default (the PostgreSQL twin is
// prisma/postgres/prisma.config.ts). Prisma's native engines are not used: the client runs on
// the JavaScript/Wasm query compiler through a driver adapter (docs/decisions/0001-prisma-js-engine.md).
//
// The build never reads the runtime configuration (docs/decisions/0010-build-and-start.md):
// `DATABASE_URL` may name a PostgreSQL server, and a URL of the other provider makes Prisma's CLI
// download a native engine. `prisma generate` only needs a URL of this config's own provider;
// `prisma migrate diff` (scripts/db-migration.ts) passes a real one in FEDIBLOCK_PRISMA_SQLITE_URL.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const url = process.env.FEDIBLOCK_PRISMA_SQLITE_URL ?? "file:./data/fediblock.db";
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
