#!/usr/bin/env node
// Whether the build (Prisma clients, dist/, web/dist/) is older than its sources.
//   node scripts/build-state.mjs stamp    records that a build just finished (end of `npm run build`)
//   node scripts/build-state.mjs ensure   builds only if nothing is built or a source is newer
// `npm start` and `npm ci`'s prepare use `ensure`, so a start does not rebuild
// (docs/decisions/0010-build-and-start.md). Plain JavaScript, no dependencies: it runs before
// anything is built, and in a few milliseconds when nothing changed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = join(root, "dist/.build-stamp");

/** What the build reads: a change to any of these makes the build stale. */
const sources = [
  "server",
  "web",
  "prisma/schema.prisma",
  "scripts/postgres-schema.ts",
  "scripts/build-sync-bundle.mjs",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
/** What the build writes, inside the source folders. */
const outputs = new Set(["server/db/generated", "web/dist"]);
/** What must exist for the service to run. */
const required = [
  "dist/server/cli/index.js",
  "dist/fediblock-sync.mjs",
  "web/dist/index.html",
  "server/db/generated/sqlite/client.ts",
  "server/db/generated/postgres/client.ts",
];

/** The newest source file and its modification time. */
function newestSource() {
  let newest = { path: "", mtimeMs: 0 };
  const visit = (path) => {
    if (outputs.has(relative(root, path))) return;
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (stats.mtimeMs > newest.mtimeMs) {
      newest = { path: relative(root, path), mtimeMs: stats.mtimeMs };
    }
  };
  for (const source of sources) visit(join(root, source));
  return newest;
}

/** Why a build is needed, or null when the build is current. */
export function staleness() {
  const missing = required.find((path) => !existsSync(join(root, path)));
  if (missing) return `${missing} is missing`;
  const built = statSync(stamp, { throwIfNoEntry: false });
  if (!built) return "no finished build was recorded";
  const newest = newestSource();
  if (newest.mtimeMs > built.mtimeMs) return `${newest.path} changed since the last build`;
  return null;
}

const command = process.argv[2];
if (command === "stamp") {
  writeFileSync(stamp, `built ${new Date().toISOString()}\n`);
} else if (command === "ensure") {
  const reason = staleness();
  if (reason) {
    console.error(`fediblock: building (${reason})`);
    const npm = process.env.npm_execpath
      ? [process.execPath, [process.env.npm_execpath, "run", "build"]]
      : ["npm", ["run", "build"]];
    const result = spawnSync(npm[0], npm[1], { cwd: root, stdio: "inherit" });
    process.exit(result.status ?? 1);
  }
} else {
  console.error("usage: node scripts/build-state.mjs stamp|ensure");
  process.exit(2);
}
