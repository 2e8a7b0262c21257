// The sync client on its own (dist/fediblock-sync.mjs): reproducible, free of runtime
// dependencies, matching the checksum the repository publishes, and able to sync with `node`
// alone in an empty folder.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error -- a plain JavaScript build script, without type declarations.
import { buildSyncBundle, recordedChecksum } from "../../scripts/build-sync-bundle.mjs";
import { FEED_TOKEN, feedEntry } from "../fakes/feed.js";
import { MASTODON_ADMIN_TOKEN } from "../fakes/mastodon.js";
import { mastodonHarness, type MastodonHarness } from "./harness.js";

let folder: string;
let bundle: string;
let sum: string;

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-sync-bundle-"));
  bundle = path.join(folder, "fediblock-sync.mjs");
  sum = (await buildSyncBundle(bundle)) as string;
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  // Only PATH from the outside: no FEDIBLOCK_* of the developer, no NODE_PATH.
  const clean = { PATH: process.env.PATH ?? "/usr/bin", HOME: folder };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bundle, ...args],
      { cwd: folder, env: { ...clean, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("dist/fediblock-sync.mjs", () => {
  test("the same sources give the same bytes, and the repository publishes their checksum", async () => {
    const again = path.join(folder, "again", "fediblock-sync.mjs");
    const second = await buildSyncBundle(again);
    expect(second).toBe(sum);
    expect(fs.readFileSync(again).equals(fs.readFileSync(bundle))).toBe(true);
    expect(createHash("sha256").update(fs.readFileSync(bundle)).digest("hex")).toBe(sum);
    expect(
      recordedChecksum(),
      "the sync's sources changed: run `node scripts/build-sync-bundle.mjs --record` and commit release/fediblock-sync.mjs.sha256",
    ).toBe(sum);
  });

  test("needs nothing but Node's own modules", () => {
    const text = fs.readFileSync(bundle, "utf8");
    const loaded = [
      ...text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g),
      ...text.matchAll(/^\s*import\s[^;]*?from\s*"([^"]+)"/gm),
      ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ].map((match) => match[1]!);
    expect(loaded.length).toBeGreaterThan(0);
    const builtins = new Set(builtinModules);
    const foreign = loaded.filter((name) => !name.startsWith("node:") && !builtins.has(name));
    expect(foreign).toEqual([]);
    expect(fs.statSync(bundle).mode & 0o111).not.toBe(0);
  });

  test("answers --version and --help with or without a leading `sync`", async () => {
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^fediblock-sync \d+\.\d+\.\d+\n$/);
    for (const args of [["--help"], ["sync", "--help"]]) {
      const help = await run(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--target-token-file <file>");
    }
    const bad = await run(["--target", "mastodn"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target="mastodn": expected one of');
  });

  describe("in an empty folder, with node alone", () => {
    let h: MastodonHarness;
    afterEach(async () => {
      await h?.close();
    });

    test("syncs onto the fake Mastodon, then finds nothing to change", async () => {
      h = await mastodonHarness([
        feedEntry("a.example"),
        feedEntry("b.example", { severity: "silence" }),
      ]);
      const env = {
        FEDIBLOCK_SERVER: h.feed.url,
        FEDIBLOCK_TOKEN: FEED_TOKEN,
        FEDIBLOCK_TARGET: "mastodon",
        FEDIBLOCK_TARGET_URL: h.target.url,
        FEDIBLOCK_TARGET_TOKEN: MASTODON_ADMIN_TOKEN,
        FEDIBLOCK_STATE: h.stateDir,
      };
      const first = await run(["--force", "--json"], env);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        outcome: "applied",
        results: { applied: 2 },
      });
      expect(
        h.target
          .blocks()
          .map((block) => [block.domain, block.severity])
          .sort(),
      ).toEqual([
        ["a.example", "suspend"],
        ["b.example", "silence"],
      ]);

      const second = await run(["sync"], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("Plan: 0 to create, 0 to update, 0 to delete, 2 unchanged.");
      expect(h.target.writeRequests()).toHaveLength(2);
    });
  });
});
