// Where and how a domain's verification file is fetched: FEDIBLOCK_VERIFICATION_BASE, and the
// outbound policy (server/net/outbound.ts) applied to it like to every other server fetch.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkDomainServes, verificationUrl } from "../../server/appeals/verification.js";
import { loadConfig } from "../../server/config.js";
import { FakeWellKnown } from "../fakes/well-known.js";

let wellKnown: FakeWellKnown;
beforeAll(async () => {
  wellKnown = new FakeWellKnown();
  await wellKnown.listen();
});
afterAll(() => wellKnown.close());

describe("FEDIBLOCK_VERIFICATION_BASE", () => {
  test("defaults to https://{domain}; a test server's base is taken as given", () => {
    const base = loadConfig({}).verificationBase;
    expect(verificationUrl(base, "trot.example")).toBe(
      "https://trot.example/.well-known/fediblock-verification",
    );
    expect(
      loadConfig({ FEDIBLOCK_VERIFICATION_BASE: "http://127.0.0.1:8080/{domain}/" })
        .verificationBase,
    ).toBe("http://127.0.0.1:8080/{domain}");
  });

  test.each([
    ["https://example.org", /with \{domain\} in it/],
    ["ftp://{domain}", /http\(s\) URL/],
    ["https://{domain}/?x=1", /without a query/],
  ])("%s is refused with what to fix", (value, reason) => {
    expect(() => loadConfig({ FEDIBLOCK_VERIFICATION_BASE: value })).toThrow(
      new RegExp(`FEDIBLOCK_VERIFICATION_BASE=.* is not valid: .*${reason.source}`),
    );
  });
});

describe("the outbound policy", () => {
  test("a loopback server is refused unless FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE is set", async () => {
    wellKnown.serveToken("loop.example", "the-token");
    const url = verificationUrl(wellKnown.base, "loop.example");
    expect(await checkDomainServes(url, "the-token", { allowPrivate: true })).toEqual({ ok: true });
    const strict = await checkDomainServes(url, "the-token", { allowPrivate: false });
    expect(strict).toMatchObject({ ok: false, code: "verification_unreachable" });
    expect(strict.ok === false && strict.message).toMatch(/http URLs are not fetched: use https/);
  });

  test("a file much longer than a token is refused, not read whole", async () => {
    wellKnown.serve("big.example", { status: 200, body: "x".repeat(5000) });
    const finding = await checkDomainServes(
      verificationUrl(wellKnown.base, "big.example"),
      "the-token",
      { allowPrivate: true },
    );
    expect(finding).toMatchObject({ ok: false, code: "verification_mismatch" });
    expect(finding.ok === false && finding.message).toMatch(/serve the token alone/);
  });
});
