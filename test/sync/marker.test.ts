import { describe, expect, test } from "vitest";
import { covers, type BlockFields, type Severity } from "../../server/sync/block.js";
import {
  formatMarker,
  hashFields,
  markPrivateComment,
  parseMarker,
} from "../../server/sync/marker.js";

const base: BlockFields = {
  severity: "suspend",
  reject_media: false,
  reject_reports: false,
  public_comment: "",
  obfuscate: false,
};

describe("hashFields", () => {
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
      { serverHost: "lists.example.org", hash: "0123456789abcdef" },
    ],
    [
      "spam wave, ticket 7 [fediblock lists.example.org:8443 0123456789abcdef]",
      { serverHost: "lists.example.org:8443", hash: "0123456789abcdef" },
    ],
    [
      "[fediblock lists.example.org 0123456789abcdef]  \n",
      { serverHost: "lists.example.org", hash: "0123456789abcdef" },
    ],
    ["", null],
    ["blocked by hand", null],
    ["[fediblock lists.example.org 0123456789ABCDEF]", null],
    ["[fediblock lists.example.org 0123456789abcde]", null],
    ["[fediblock lists.example.org 0123456789abcdef] and then some words", null],
  ])("%j → %j", (comment, marker) => {
    expect(parseMarker(comment)).toEqual(marker);
  });
});

describe("markPrivateComment", () => {
  const marker = formatMarker({ serverHost: "lists.example.org", hash: hashFields(base) });

  test.each([
    ["", marker],
    ["ticket 7", `ticket 7 ${marker}`],
    ["ticket 7 [fediblock lists.example.org 0000000000000000]", `ticket 7 ${marker}`],
    ["[fediblock lists.example.org 0000000000000000]", marker],
  ])("%j → %j", (comment, marked) => {
    expect(markPrivateComment(comment, "lists.example.org", base)).toBe(marked);
  });
});

describe("covers (a parent's block over a subdomain's)", () => {
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

  test.each<[string, BlockFields, BlockFields, boolean]>([
    ["suspend covers suspend", block("suspend"), block("suspend", true, true), true],
    ["suspend covers silence", block("suspend"), block("silence", true), true],
    [
      "silence covers noop + reject media (severity comes first)",
      block("silence"),
      block("noop", true),
      true,
    ],
    ["silence + media covers noop + media", block("silence", true), block("noop", true), true],
    ["silence covers noop", block("silence"), block("noop"), true],
    ["silence does not cover suspend", block("silence", true, true), block("suspend"), false],
    ["noop does not cover silence", block("noop", true, true), block("silence"), false],
    ["silence covers silence", block("silence"), block("silence"), true],
    ["silence does not cover silence + media", block("silence"), block("silence", true), false],
    [
      "silence + media + reports covers silence + reports",
      block("silence", true, true),
      block("silence", false, true),
      true,
    ],
    [
      "noop + media does not cover noop + reports",
      block("noop", true),
      block("noop", false, true),
      false,
    ],
  ])("%s", (_, parent, child, expected) => {
    expect(covers(parent, child)).toBe(expected);
  });
});
