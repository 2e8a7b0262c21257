import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  wantsJson,
  defaultStateDir,
  resolveSyncOptions,
  SyncConfigError,
  type SyncFlags,
} from "../../server/sync/options.js";
import { tempDir } from "./harness.js";

const complete: SyncFlags = {
  server: "https://lists.example.org",
  token: "fbk_1_secret",
  target: "mastodon",
  targetUrl: "https://mastodon.example",
  targetToken: "mastodon-secret",
};

function problems(flags: SyncFlags, env: Record<string, string> = {}): string[] {
  try {
    resolveSyncOptions(flags, env);
  } catch (error) {
    if (error instanceof SyncConfigError) return error.problems;
    throw error;
  }
  return [];
}

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("resolveSyncOptions", () => {
  test("reads every flag, with the defaults", () => {
    expect(resolveSyncOptions(complete, { HOME: "/home/admin" })).toEqual({
      server: new URL("https://lists.example.org"),
      token: "fbk_1_secret",
      target: "mastodon",
      targetUrl: new URL("https://mastodon.example"),
      targetToken: "mastodon-secret",
      dryRun: false,
      deleteRetracted: true,
      maxChanges: undefined,
      force: false,
      stateDir: "/home/admin/.local/state/fediblock",
      json: false,
      insecureHttp: false,
      allowBroad: [],
      adopt: false,
      markerKeyFile: undefined,
      maxWaitMs: 300_000,
    });
  });

  test("reads every option from the environment", () => {
    const env = {
      FEDIBLOCK_SERVER: "https://lists.example.org/fediblock",
      FEDIBLOCK_TOKEN: "fbk_2_env",
      FEDIBLOCK_TARGET: "GoToSocial",
      FEDIBLOCK_TARGET_URL: "https://gts.example",
      FEDIBLOCK_TARGET_TOKEN: "gts-secret",
      FEDIBLOCK_DRY_RUN: "true",
      FEDIBLOCK_NO_DELETE: "yes",
      FEDIBLOCK_MAX_CHANGES: "50",
      FEDIBLOCK_FORCE: "1",
      FEDIBLOCK_STATE: "/var/lib/fediblock",
      FEDIBLOCK_JSON: "on",
    };
    expect(resolveSyncOptions({}, env)).toMatchObject({
      server: new URL("https://lists.example.org/fediblock"),
      token: "fbk_2_env",
      target: "gotosocial",
      targetUrl: new URL("https://gts.example"),
      targetToken: "gts-secret",
      dryRun: true,
      deleteRetracted: false,
      maxChanges: 50,
      force: true,
      stateDir: "/var/lib/fediblock",
      json: true,
    });
  });

  test("flags win over the environment", () => {
    const env = {
      FEDIBLOCK_SERVER: "https://old.example",
      FEDIBLOCK_TOKEN: "fbk_env",
      FEDIBLOCK_MAX_CHANGES: "5",
    };
    expect(resolveSyncOptions({ ...complete, maxChanges: "7" }, env)).toMatchObject({
      server: new URL("https://lists.example.org"),
      token: "fbk_1_secret",
      maxChanges: 7,
    });
  });

  test("a --token-file flag wins over a token in the environment", () => {
    fs.writeFileSync(path.join(dir, "token"), "fbk_3_fromfile\n");
    const { token: _, ...flags } = complete;
    const options = resolveSyncOptions(
      { ...flags, tokenFile: path.join(dir, "token") },
      { FEDIBLOCK_TOKEN: "fbk_env" },
    );
    expect(options.token).toBe("fbk_3_fromfile");
  });

  test("secrets are read from files named in the environment, trimmed", () => {
    fs.writeFileSync(path.join(dir, "token"), "  fbk_4_file \n");
    fs.writeFileSync(path.join(dir, "target"), "target-from-file\n");
    const { token: _t, targetToken: _tt, ...flags } = complete;
    const options = resolveSyncOptions(flags, {
      FEDIBLOCK_TOKEN_FILE: path.join(dir, "token"),
      FEDIBLOCK_TARGET_TOKEN_FILE: path.join(dir, "target"),
    });
    expect([options.token, options.targetToken]).toEqual(["fbk_4_file", "target-from-file"]);
  });

  test.each<[string, SyncFlags, Record<string, string>, RegExp]>([
    [
      "a missing server",
      { ...complete, server: undefined },
      {},
      /^--server \(or FEDIBLOCK_SERVER\) is required/,
    ],
    [
      "a server that is not a URL",
      { ...complete, server: "lists.example.org" },
      {},
      /^--server="lists.example.org": expected an http\(s\) URL/,
    ],
    [
      "an ftp server",
      { ...complete, server: "ftp://lists.example.org" },
      {},
      /^--server="ftp:\/\/lists.example.org": expected an http\(s\) URL/,
    ],
    [
      "a URL with credentials",
      { ...complete, targetUrl: "https://admin:pw@mastodon.example" },
      {},
      /^--target-url=.*without credentials/,
    ],
    [
      "an unknown target",
      { ...complete, target: "friendica" },
      {},
      /^--target="friendica": expected one of mastodon, gotosocial, misskey, akkoma, lemmy \(or sharkey, pleroma\)$/,
    ],
    [
      "an unknown target in the environment",
      { ...complete, target: undefined },
      { FEDIBLOCK_TARGET: "friendica" },
      /^FEDIBLOCK_TARGET="friendica"/,
    ],
    [
      "a bad max-changes",
      { ...complete, maxChanges: "-3" },
      {},
      /^--max-changes="-3": expected a whole number/,
    ],
    [
      "a bad max-changes in the environment",
      { ...complete },
      { FEDIBLOCK_MAX_CHANGES: "ten" },
      /^FEDIBLOCK_MAX_CHANGES="ten"/,
    ],
    [
      "a bad boolean in the environment",
      { ...complete },
      { FEDIBLOCK_DRY_RUN: "maybe" },
      /^FEDIBLOCK_DRY_RUN="maybe": expected true or false$/,
    ],
    [
      "a token and a token file",
      { ...complete, tokenFile: "/x" },
      {},
      /^give --token or --token-file, not both$/,
    ],
    [
      "a token with a space",
      { ...complete, targetToken: "two words" },
      {},
      /^--target-token contains spaces/,
    ],
    [
      "a missing target token",
      { ...complete, targetToken: undefined },
      {},
      /^--target-token or --target-token-file .* is required/,
    ],
    [
      "an unreadable token file",
      { ...complete, token: undefined, tokenFile: "/nonexistent/token" },
      {},
      /^--token-file="\/nonexistent\/token": cannot read the file \(ENOENT\)$/,
    ],
    [
      "plain http to a list server that is not loopback",
      { ...complete, server: "http://lists.example.org" },
      {},
      /^--server="http:\/\/lists\.example\.org\/": plain http sends the token in the clear; use https, or --insecure-http/,
    ],
    [
      "plain http to a target that is not loopback",
      { ...complete, targetUrl: "http://10.0.0.5:3000" },
      {},
      /^--target-url="http:\/\/10\.0\.0\.5:3000\/": plain http/,
    ],
    [
      "a bad --max-wait",
      { ...complete, maxWait: "5m" },
      {},
      /^--max-wait="5m": expected a whole number of seconds/,
    ],
    [
      "a bad --allow-broad",
      { ...complete, allowBroad: ["*.com"] },
      {},
      /^--allow-broad "\*\.com": expected a domain/,
    ],
  ])("refuses %s, naming it", (_, flags, env, message) => {
    expect(problems(flags, env)).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    ["loopback over http", { server: "http://127.0.0.1:8080", targetUrl: "http://localhost:3000" }],
    [
      "IPv6 loopback over http",
      { server: "http://[::1]:8080", targetUrl: "https://mastodon.example" },
    ],
    [
      "any host over http with --insecure-http",
      { server: "http://lists.lan", targetUrl: "http://mastodon.lan", insecureHttp: true },
    ],
  ])("accepts %s", (_, urls) => {
    expect(problems({ ...complete, ...urls })).toEqual([]);
  });

  test("reads --allow-broad (repeatable, and comma-separated in the environment), --max-wait, --adopt, --marker-key-file", () => {
    const options = resolveSyncOptions(
      { ...complete, allowBroad: ["COM", "co.uk."], maxWait: "60", adopt: true },
      { FEDIBLOCK_MARKER_KEY_FILE: "/etc/fediblock/marker.key" },
    );
    expect(options).toMatchObject({
      allowBroad: ["com", "co.uk"],
      maxWaitMs: 60_000,
      adopt: true,
      markerKeyFile: "/etc/fediblock/marker.key",
    });
    expect(
      resolveSyncOptions(complete, { FEDIBLOCK_ALLOW_BROAD: "social, cf" }).allowBroad,
    ).toEqual(["social", "cf"]);
  });

  test("reports every problem at once", () => {
    expect(problems({})).toHaveLength(5);
  });

  test("never prints a secret in a message", () => {
    expect(problems({ ...complete, token: "fbk_1 leaked" }).join("\n")).not.toContain("leaked");
  });
});

describe("defaultStateDir", () => {
  test.each([
    [{ XDG_STATE_HOME: "/state", HOME: "/home/a" }, "/state/fediblock"],
    [{ XDG_STATE_HOME: "relative/state", HOME: "/home/a" }, "/home/a/.local/state/fediblock"],
    [{ HOME: "/home/a" }, "/home/a/.local/state/fediblock"],
  ])("%j → %s", (env, expected) => {
    expect(defaultStateDir(env)).toBe(expected);
  });
});

describe("wantsJson", () => {
  test.each<[SyncFlags, Record<string, string>, boolean]>([
    [{ json: true }, {}, true],
    [{}, { FEDIBLOCK_JSON: "true" }, true],
    [{}, { FEDIBLOCK_JSON: " On " }, true],
    [{}, { FEDIBLOCK_JSON: "false" }, false],
    [{}, { FEDIBLOCK_JSON: "maybe" }, false],
    [{}, {}, false],
  ])("%j %j → %s", (flags, env, expected) => {
    expect(wantsJson(flags, env)).toBe(expected);
  });
});
