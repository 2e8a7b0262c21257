import { describe, expect, test } from "vitest";
import { normalizeDomain, parentDomains } from "../../server/domains/normalize.js";

describe("normalizeDomain accepts and normalizes", () => {
  test.each([
    ["example.com", "example.com", []],
    ["x.com", "x.com", []],
    ["  threads.net  ", "threads.net", []],
    ["Truth.Social", "truth.social", []],
    ["NoAgenda.social", "noagenda.social", []],
    ["example.com.", "example.com", []],
    ["tröt.eu", "xn--trt-tna.eu", []],
    ["TRÖT.EU", "xn--trt-tna.eu", []],
    ["xn--trt-tna.eu", "xn--trt-tna.eu", []],
    ["XN--TRT-TNA.EU", "xn--trt-tna.eu", []],
    ["μ.computer", "xn--xxa.computer", []],
    ["срёт.онлайн", "xn--p1abe3d.xn--80asehdb", []],
    ["マストドン.みんな", "xn--zck4ad5f2e.xn--q9jyb4c", []],
    ["ꩰ.com", "xn--8r9a.com", []],
    ["faß.de", "xn--fa-hia.de", []],
    ["ｅｘａｍｐｌｅ．com", "example.com", []],
    ["example.com。", "example.com", []],
    ["example。com", "example.com", []],
    ["example｡com．", "example.com", []],
    ["cf", "cf", []],
    [".cf", "cf", []],
    ["\uFEFFexample.com", "example.com", []],
    [".tk", "tk", []],
    ["1e100.net", "1e100.net", []],
    ["a-b.example", "a-b.example", []],
    ["*.example.com", "example.com", ["wildcard"]],
    ["*.repl.co", "repl.co", ["wildcard"]],
    ["mastodong[.]lol", "mastodong.lol", ["defanged"]],
    ["*.evil[.]example", "evil.example", ["defanged", "wildcard"]],
    [`${"a".repeat(63)}.com`, `${"a".repeat(63)}.com`, []],
  ])("%j → %s", (input, domain, warnings) => {
    expect(normalizeDomain(input)).toEqual({ ok: true, domain, warnings });
  });
});

describe("normalizeDomain refuses with a reason", () => {
  test.each([
    ["", "empty_domain", /empty/],
    ["   ", "empty_domain", /empty/],
    ["exa*ple.com", "obfuscated", /obfuscated/],
    ["ap.***.st", "obfuscated", /obfuscated/],
    ["*kazar.ma", "obfuscated", /pattern/],
    ["*ignorelist*", "obfuscated", /obfuscated/],
    ["example.*.com", "obfuscated", /obfuscated/],
    ["https://example.com/", "invalid_domain", /URL/],
    ["http://example.com", "invalid_domain", /URL/],
    ["example.com:443", "invalid_domain", /port/],
    ["example.com/path", "invalid_domain", /path/],
    ["user@example.com", "invalid_domain", /account address/],
    ["ex ample.com", "invalid_domain", /space/],
    ["occultist\u200B.space", "invalid_domain", /U\+200B/],
    ["a\u200Db.com", "invalid_domain", /U\+200D/],
    ["foo\u00AD.com", "invalid_domain", /U\+00AD/],
    ["exam\uFEFFple.com", "invalid_domain", /U\+FEFF/],
    ["exam\tple.com", "invalid_domain", /U\+0009/],
    ["exa\u034Fmple.com", "invalid_domain", /U\+034F/],
    ["exa\uFE0Fmple.com", "invalid_domain", /U\+FE0F/],
    ["exa\u{E0100}mple.com", "invalid_domain", /U\+E0100/],
    ["exa\u3164mple.com", "invalid_domain", /U\+3164/],
    ["exa\u2060mple.com", "invalid_domain", /U\+2060/],
    ["%41.com", "invalid_domain", /%/],
    ["a..b", "invalid_domain", /empty label/],
    ["...", "invalid_domain", /empty label/],
    [".", "invalid_domain", /only dots/],
    ["-bad.com", "invalid_domain", /hyphen/],
    ["bad-.com", "invalid_domain", /hyphen/],
    ["a_b.com", "invalid_domain", /characters/],
    ["xn--zz", "invalid_domain", /IDNA/],
    ["xn--a.com", "invalid_domain", /IDNA/],
    ["xn--p1abe3d-xn--80asehdb", "invalid_domain", /IDNA/],
    ["1.2.3.4", "invalid_domain", /IP address/],
    ["0x7f.1", "invalid_domain", /IP address/],
    [`${"a".repeat(64)}.com`, "invalid_domain", /longer than 63/],
    [`${"abcdefghi.".repeat(26)}com`, "invalid_domain", /longer than 253/],
  ])("%j → %s", (input, code, message) => {
    const result = normalizeDomain(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(code.split("|")).toContain(result.code);
    expect(result.message).toMatch(message);
  });
});

test("parentDomains lists every parent, nearest first", () => {
  expect(parentDomains("a.b.example.com")).toEqual(["b.example.com", "example.com", "com"]);
  expect(parentDomains("cf")).toEqual([]);
});
