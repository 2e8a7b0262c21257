// Prisma CLI configuration for the SQLite default (the PostgreSQL twin is
// prisma/postgres/prisma.config.ts). Prisma's native engines are not used: the client runs on
// the JavaScript/Wasm query compiler through a driver adapter (docs/decisions/0001-prisma-js-engine.md).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// `prisma generate` and `prisma migrate diff` only need a syntactically valid URL.
process.env.DATABASE_URL ??= "file:./data/fediblock.db";
const url = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
