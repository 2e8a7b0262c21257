// SPEC §7: "The sync does not load the database layer: it starts fast." Every module the real
// `fediblock sync` process loads during a run is recorded; none may be Prisma, a database
// driver, the HTTP server or the database code.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { packageRoot } from "../../server/paths.js";
import { assertBuilt } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "fediblock-modules-"));
beforeAll(() => assertBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a sync run loads no Prisma, no database driver, no Express and nothing from server/db", async () => {
  const record = join(dir, "modules.txt");
  const code = await new Promise<number>((resolve) => {
    execFile(
      process.execPath,
      [
        "--import",
        join(packageRoot, "test/support/record-modules.mjs"),
        join(packageRoot, "bin/fediblock.js"),
        "sync",
        "--server",
        "http://127.0.0.1:9",
        "--token",
        "fbk_aaaaaaaaaaaaaaaa_" + "0".repeat(64),
        "--target",
        "mastodon",
        "--target-url",
        "http://127.0.0.1:9",
        "--target-token",
        "target-token",
        "--state",
        join(dir, "state"),
      ],
      { env: { PATH: process.env.PATH ?? "", FEDIBLOCK_RECORD_MODULES: record } },
      (error) => resolve(error ? Number(error.code) : 0),
    );
  });
  // Nothing listens on port 9: the feed is unavailable, which is exit 4 after a full start.
  expect(code).toBe(4);
  const modules = readFileSync(record, "utf8").trim().split("\n");
  expect(modules.some((url) => url.includes("/dist/server/sync/run.js"))).toBe(true);
  const forbidden = modules.filter((url) =>
    /@prisma|better-sqlite3|\/node_modules\/pg\/|\/node_modules\/express\/|\/dist\/server\/(db|http|lists|proposals|imports|exports)\//.test(
      url,
    ),
  );
  expect(forbidden).toEqual([]);
});
