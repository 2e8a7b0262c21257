import { describe, expect, test } from "vitest";
import { domainLabel, unicodeDomain } from "../../web/src/idn.js";

describe("IDN domains in the UI", () => {
  test.each([
    ["xn--bcher-kva.example", "bücher.example"],
    ["mastodon.xn--p1ai", "mastodon.рф"],
    ["xn--ab_c.example", null], // not valid punycode: shown as it is
    ["xn--e1afmkfd.xn--p1ai", "пример.рф"],
    ["social.xn--fiqs8s", "social.中国"],
    ["plain.example", null],
  ])("%s → %s", (domain, unicode) => {
    expect(unicodeDomain(domain)).toBe(unicode);
  });

  test("the label shows the stored domain first and its Unicode beside it", () => {
    expect(domainLabel("xn--bcher-kva.example")).toBe("xn--bcher-kva.example (bücher.example)");
    expect(domainLabel("plain.example")).toBe("plain.example");
  });
});
