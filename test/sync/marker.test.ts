import { describe, expect, test } from "vitest";
import { covers, stricterThan, type BlockFields, type Severity } from "../../server/sync/block.js";
import {
  formatMarker,
  hashFields,
  macFields,
  markPrivateComment,
  parseMarker,
  verifiesKeyed,
  verifiesLegacy,
  type MarkerScope,
} from "../../server/sync/marker.js";

const base: BlockFields = {
  severity: "suspend",
  reject_media: false,
  reject_reports: false,
  public_comment: "",
  obfuscate: false,
};

describe("hashFields (the old, unkeyed marker, still read for the upgrade)", () => {
  test("is 16 hex digits of SHA-256 over the canonical fields, stable across releases", () => {
    // Changing this value turns every managed block on every server into an "edited" one.
    expect(hashFields(base)).toBe("caeb1f5bff04e203");
  });

  test.each<[string, Partial<BlockFields>]>([
    ["severity", { severity: "silence" }],
    ["reject_media", { reject_media: true }],
    ["reject_reports", { reject_reports: true }],
    ["public_comment", { public_comment: "spam" }],
    ["obfuscate", { obfuscate: true }],
  ])("changes when %s changes", (_, change) => {
    expect(hashFields({ ...base, ...change })).not.toBe(hashFields(base));
  });

  test("does not depend on the order of the object's keys", () => {
    const reordered: BlockFields = {
      obfuscate: false,
      public_comment: "",
      reject_reports: false,
      reject_media: false,
      severity: "suspend",
    };
    expect(hashFields(reordered)).toBe(hashFields(base));
  });
});

describe("parseMarker", () => {
  test.each([
    [
      "[fediblock lists.example.org 0123456789abcdef]",
      { version: "legacy", serverHost: "lists.example.org", hash: "0123456789abcdef" },
    ],
    [
      "spam wave, ticket 7 [fediblock lists.example.org:8443 0123456789abcdef]",
      { version: "legacy", serverHost: "lists.example.org:8443", hash: "0123456789abcdef" },
    ],
    [
      "[fediblock lists.example.org 0123456789abcdef]  \n",
      { version: "legacy", serverHost: "lists.example.org", hash: "0123456789abcdef" },
    ],
    ["", null],
    ["blocked by hand", null],
    ["[fediblock lists.example.org 0123456789ABCDEF]", null],
    ["[fediblock lists.example.org 0123456789abcde]", null],
    ["[fediblock lists.example.org 0123456789abcdef] and then some words", null],
    [
      "ticket 7 [fediblock lists.example.org k1 0123456789abcdef0123456789abcdef]",
      { version: "k1", serverHost: "lists.example.org", mac: "0123456789abcdef0123456789abcdef" },
    ],
    ["[fediblock lists.example.org k1 0123456789abcdef]", null],
    ["[fediblock lists.example.org k2 0123456789abcdef0123456789abcdef]", null],
  ])("%j → %j", (comment, marker) => {
    expect(parseMarker(comment)).toEqual(marker);
  });
});

const scope: MarkerScope = {
  key: Buffer.alloc(32, 42),
  targetHost: "mastodon.example",
  serverHost: "lists.example.org",
};

describe("macFields (the keyed marker, ADR 0012)", () => {
  test("is 32 hex digits of HMAC-SHA256, stable across releases", () => {
    // Changing this value turns every managed block on every server into an "edited" one.
    expect(macFields(scope, "a.example", base)).toBe("fa3fdc30b17c7918c57637f525d2be64");
  });

  test.each<[string, MarkerScope, string]>([
    ["another key", { ...scope, key: Buffer.alloc(32, 43) }, "a.example"],
    ["another target host", { ...scope, targetHost: "other.example" }, "a.example"],
    ["another list server", { ...scope, serverHost: "other.example" }, "a.example"],
    ["another domain", scope, "b.example"],
  ])("changes with %s", (_, other, domain) => {
    expect(macFields(other, domain, base)).not.toBe(macFields(scope, "a.example", base));
  });

  test("a marker verifies only for its key, domain and fields; an unkeyed one only as legacy", () => {
    const marker = parseMarker(markPrivateComment("", scope, "a.example", base))!;
    expect(verifiesKeyed(marker, scope, "a.example", base)).toBe(true);
    expect(verifiesKeyed(marker, scope, "b.example", base)).toBe(false);
    expect(verifiesKeyed(marker, scope, "a.example", { ...base, severity: "silence" })).toBe(false);
    expect(verifiesKeyed(marker, { ...scope, key: Buffer.alloc(32, 1) }, "a.example", base)).toBe(
      false,
    );
    const legacy = parseMarker(`[fediblock lists.example.org ${hashFields(base)}]`)!;
    expect(verifiesKeyed(legacy, scope, "a.example", base)).toBe(false);
    expect(verifiesLegacy(legacy, "lists.example.org", base)).toBe(true);
    expect(verifiesLegacy(marker, "lists.example.org", base)).toBe(false);
  });
});

describe("markPrivateComment", () => {
  const marker = formatMarker({
    version: "k1",
    serverHost: "lists.example.org",
    mac: macFields(scope, "a.example", base),
  });

  test.each([
    ["", marker],
    ["ticket 7", `ticket 7 ${marker}`],
    ["ticket 7 [fediblock lists.example.org 0000000000000000]", `ticket 7 ${marker}`],
    ["[fediblock lists.example.org 0000000000000000]", marker],
    [`ticket 7 ${marker.replace(/[0-9a-f]{32}/, "0".repeat(32))}`, `ticket 7 ${marker}`],
  ])("%j → %j", (comment, marked) => {
    expect(markPrivateComment(comment, scope, "a.example", base)).toBe(marked);
  });
});

describe("stricterThan and covers (Mastodon's DomainBlock#stricter_than?)", () => {
  const block = (
    severity: Severity,
    reject_media = false,
    reject_reports = false,
  ): BlockFields => ({
    ...base,
    severity,
    reject_media,
    reject_reports,
  });

  // [case, child, parent, child.stricter_than?(parent)], one row per branch of the Ruby:
  //   return true  if suspend?
  //   return false if other_block.suspend? && (silence? || noop?)
  //   return false if other_block.silence? && noop?
  //   (reject_media || !other_block.reject_media) && (reject_reports || !other_block.reject_reports)
  test.each<[string, BlockFields, BlockFields, boolean]>([
    ["suspend under suspend", block("suspend"), block("suspend", true, true), true],
    ["suspend under silence", block("suspend"), block("silence"), true],
    ["suspend under noop + media + reports", block("suspend"), block("noop", true, true), true],
    ["silence under suspend", block("silence", true, true), block("suspend"), false],
    ["noop + media + reports under suspend", block("noop", true, true), block("suspend"), false],
    ["noop under silence", block("noop"), block("silence"), false],
    ["noop + media + reports under silence", block("noop", true, true), block("silence"), false],
    ["silence under silence (equal counts as stricter)", block("silence"), block("silence"), true],
    ["noop under noop (equal counts as stricter)", block("noop"), block("noop"), true],
    ["silence under noop", block("silence"), block("noop"), true],
    ["silence under noop + media", block("silence"), block("noop", true), false],
    ["silence under noop + media + reports", block("silence"), block("noop", true, true), false],
    ["silence + media under noop + media", block("silence", true), block("noop", true), true],
    [
      "silence + media under noop + media + reports",
      block("silence", true),
      block("noop", true, true),
      false,
    ],
    ["silence + media under silence", block("silence", true), block("silence"), true],
    ["silence under silence + media", block("silence"), block("silence", true), false],
    [
      "silence + reports under silence + media",
      block("silence", false, true),
      block("silence", true),
      false,
    ],
    [
      "silence + media + reports under silence + reports",
      block("silence", true, true),
      block("silence", false, true),
      true,
    ],
    ["noop + reports under noop + media", block("noop", false, true), block("noop", true), false],
  ])("%s: stricter %s", (_, child, parent, stricter) => {
    expect(stricterThan(child, parent)).toBe(stricter);
    // Whatever Mastodon would refuse to create, the plan counts as covered by the parent.
    if (!stricter) expect(covers(parent, child)).toBe(true);
  });

  // [case, child, parent, covered]: Mastodon accepts a child as strict as its parent, but it would
  // only repeat the parent, so the plan does not create it (SPEC §7.3: "covers it equally or
  // more strictly"); a child stricter in any way is created.
  test.each<[string, BlockFields, BlockFields, boolean]>([
    ["suspend under suspend", block("suspend"), block("suspend"), true],
    ["silence under silence", block("silence"), block("silence"), true],
    ["noop under noop", block("noop"), block("noop"), true],
    ["silence + media under silence + media", block("silence", true), block("silence", true), true],
    ["silence under suspend", block("silence"), block("suspend"), true],
    [
      "suspend under silence + media + reports",
      block("suspend"),
      block("silence", true, true),
      false,
    ],
    ["silence + media under silence", block("silence", true), block("silence"), false],
    ["silence under noop", block("silence"), block("noop"), false],
    ["noop + media under noop", block("noop", true), block("noop"), false],
  ])("%s: covered %s", (_, child, parent, covered) => {
    expect(covers(parent, child)).toBe(covered);
  });

  test("noop + media + reports covers silence: Mastodon refuses silence under it", () => {
    expect(covers(block("noop", true, true), block("silence"))).toBe(true);
  });
});
