// `fediblock sync` as a process: options through commander and the environment, exit codes
// through process.exitCode.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { FEED_TOKEN, feedEntry } from "../fakes/feed.js";
import { MASTODON_ADMIN_TOKEN } from "../fakes/mastodon.js";
import { mastodonHarness, type MastodonHarness } from "./harness.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = path.join(ROOT, "bin/fediblock.js");

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function fediblock(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("FEDIBLOCK_")),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ENTRY, "sync", ...args],
      { cwd: ROOT, env: { ...clean, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("fediblock sync --help", () => {
  test("lists every option, the environment variables and the exit codes", async () => {
    const { code, stdout } = await fediblock(["--help"]);
    expect(code).toBe(0);
    for (const text of [
      "--server <url>",
      "--target-token-file <file>",
      "--no-delete",
      "--max-changes <n>",
      "--json",
    ]) {
      expect(stdout).toContain(text);
    }
    expect(stdout).toContain("FEDIBLOCK_TARGET_TOKEN_FILE");
    expect(stdout).toMatch(/^ {2}3 {2}the safety brake stopped the run before any write/m);
    expect(stdout).toMatch(/^ {2}5 {2}another sync/m);
  });
});

describe("fediblock sync as a process", () => {
  let h: MastodonHarness;
  afterEach(async () => {
    await h?.close();
  });

  test("bad configuration exits 2 naming the bad values", async () => {
    const { code, stderr } = await fediblock(["--target", "friendica"], {
      FEDIBLOCK_MAX_CHANGES: "lots",
    });
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--target="friendica": expected one of mastodon, gotosocial, misskey, akkoma, lemmy',
    );
    expect(stderr).toContain('FEDIBLOCK_MAX_CHANGES="lots": expected a whole number');
  });

  test("an unknown option exits 2", async () => {
    const { code, stderr } = await fediblock(["--servr", "https://x.example"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--servr'");
  });

  test("runs from environment variables and token files, and exits 3 at the brake", async () => {
    h = await mastodonHarness(Array.from({ length: 21 }, (_, i) => feedEntry(`e${i}.example`)));
    const tokenFile = path.join(h.stateDir, "feed-token");
    const targetTokenFile = path.join(h.stateDir, "target-token");
    fs.writeFileSync(tokenFile, `${FEED_TOKEN}\n`);
    fs.writeFileSync(targetTokenFile, `${MASTODON_ADMIN_TOKEN}\n`);
    const env = {
      FEDIBLOCK_SERVER: h.feed.url,
      FEDIBLOCK_TARGET: "mastodon",
      FEDIBLOCK_TARGET_URL: h.target.url,
      FEDIBLOCK_TARGET_TOKEN_FILE: targetTokenFile,
      FEDIBLOCK_STATE: h.stateDir,
    };
    const braked = await fediblock(["--token-file", tokenFile], env);
    expect(braked.code).toBe(3);
    expect(braked.stdout).toContain(
      "Stopped at the safety brake before any write: this is a first sync onto this server",
    );
    expect(h.target.writeRequests()).toEqual([]);

    const forced = await fediblock(["--token-file", tokenFile, "--json"], {
      ...env,
      FEDIBLOCK_FORCE: "true",
    });
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      outcome: "applied",
      results: { applied: 21 },
    });
    expect(h.target.blocks()).toHaveLength(21);
  });

  test("--no-delete typed on the command line keeps retracted blocks", async () => {
    h = await mastodonHarness([feedEntry("a.example"), feedEntry("b.example")]);
    await h.sync({ force: true });
    h.feed.setEntries([feedEntry("a.example")]);
    const args = ["--server", h.feed.url, "--token", FEED_TOKEN, "--target", "mastodon"];
    args.push(
      "--target-url",
      h.target.url,
      "--target-token",
      MASTODON_ADMIN_TOKEN,
      "--state",
      h.stateDir,
    );
    const kept = await fediblock([...args, "--no-delete"]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("b.example: retracted from the list; kept (--no-delete)");
    expect(h.target.blocks()).toHaveLength(2);

    const deleted = await fediblock(args);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(
      /^ {2}delete {2}b\.example {2}was suspend; no longer on the list \[ok\]$/m,
    );
    expect(h.target.blocks().map((block) => block.domain)).toEqual(["a.example"]);
  });
});
