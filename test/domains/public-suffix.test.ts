import { describe, expect, test } from "vitest";
import { isPublicSuffix, registrableDomain } from "../../server/domains/public-suffix.js";

describe("isPublicSuffix", () => {
  test.each([
    ["com", true],
    ["cf", true],
    ["social", true],
    ["co.uk", true],
    ["github.io", true],
    ["xn--p1ai", true],
    ["threads.net", false],
    ["mastodon.social", false],
    ["example.co.uk", false],
    ["a.b.example.com", false],
  ])("%s → %s", (domain, expected) => {
    expect(isPublicSuffix(domain)).toBe(expected);
  });
});

describe("registrableDomain", () => {
  test.each([
    ["a.b.example.com", "example.com"],
    ["example.co.uk", "example.co.uk"],
    ["social.example.co.uk", "example.co.uk"],
    ["user.github.io", "user.github.io"],
    ["co.uk", null],
    ["com", null],
  ])("%s → %s", (domain, expected) => {
    expect(registrableDomain(domain)).toBe(expected);
  });
});
