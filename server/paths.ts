// Where the service's own files are, whether it runs from `server/` (tsx, vitest) or from the
// compiled `dist/server/`.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "prisma"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the fediblock package root above ${start}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const migrationsDir = (dialect: "sqlite" | "postgres") =>
  join(packageRoot, "prisma", "migrations", dialect);
export const webDistDir = join(packageRoot, "web", "dist");
