import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { InvalidFeedError, parseFeed } from "../../server/sync/feed.js";
import { feedEntry } from "../fakes/feed.js";
import { mastodonHarness, type MastodonHarness } from "./harness.js";

const valid = {
  domain: "bad.example",
  severity: "silence",
  reject_media: true,
  reject_reports: false,
  public_comment: "spam",
  obfuscate: false,
  tags: ["spam"],
  updated_at: "2025-01-01T00:00:00.000Z",
};

describe("parseFeed", () => {
  test("reads the fields the sync writes and ignores the rest", () => {
    expect(
      parseFeed(
        JSON.stringify([valid, { ...valid, domain: "xn--trt-tna.eu", public_comment: null }]),
      ),
    ).toEqual([
      {
        domain: "bad.example",
        severity: "silence",
        reject_media: true,
        reject_reports: false,
        public_comment: "spam",
        obfuscate: false,
      },
      {
        domain: "xn--trt-tna.eu",
        severity: "silence",
        reject_media: true,
        reject_reports: false,
        public_comment: "",
        obfuscate: false,
      },
    ]);
  });

  test.each([
    ["not JSON", "<html>oops</html>", /not JSON/],
    ["not an array", JSON.stringify({ entries: [] }), /not a JSON array/],
    [
      "an entry that is not an object",
      JSON.stringify([valid, "evil.example"]),
      /entry 1: is not an object/,
    ],
    [
      "an uppercase domain",
      JSON.stringify([{ ...valid, domain: "Bad.example" }]),
      /"Bad.example" is not a normalized domain/,
    ],
    [
      "a wildcard domain",
      JSON.stringify([{ ...valid, domain: "*.bad.example" }]),
      /not a normalized domain/,
    ],
    [
      "a Unicode domain",
      JSON.stringify([{ ...valid, domain: "tröt.eu" }]),
      /not a normalized domain/,
    ],
    [
      "a URL",
      JSON.stringify([{ ...valid, domain: "https://bad.example/" }]),
      /not a normalized domain/,
    ],
    ["a missing domain", JSON.stringify([{ ...valid, domain: undefined }]), /domain undefined/],
    [
      "Mastodon's UI word limit",
      JSON.stringify([{ ...valid, severity: "limit" }]),
      /severity "limit" is not suspend, silence or noop/,
    ],
    [
      "a boolean as a string",
      JSON.stringify([{ ...valid, reject_media: "true" }]),
      /reject_media is "true", not true or false/,
    ],
    [
      "a missing obfuscate",
      JSON.stringify([{ ...valid, obfuscate: undefined }]),
      /obfuscate is undefined/,
    ],
    [
      "a numeric comment",
      JSON.stringify([{ ...valid, public_comment: 5 }]),
      /public_comment is not a string/,
    ],
    ["a duplicate domain", JSON.stringify([valid, valid]), /entry 1: bad.example appears twice/],
  ])("refuses %s", (_, body, message) => {
    expect(() => parseFeed(body)).toThrow(InvalidFeedError);
    expect(() => parseFeed(body)).toThrow(message);
  });
});

describe("fetching the feed", () => {
  let h: MastodonHarness;
  afterEach(async () => {
    await h.close();
  });

  test("a 304 reuses the cached copy, which still drives the plan", async () => {
    h = await mastodonHarness([feedEntry("a.example"), feedEntry("b.example")]);
    await h.sync({ force: true });
    const id = h.target.block("a.example")!.id.toString();
    await fetch(`${h.target.url}/api/v1/admin/domain_blocks/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${h.targetToken}` },
    });
    const run = await h.sync();
    expect(h.feed.requests.map((request) => request.status)).toEqual([200, 304]);
    expect(h.feed.requests[1]!.ifNoneMatch).toMatch(/^"[0-9a-f]{32}"$/);
    expect(run.report.feed).toEqual({ entries: 2, usable: 2, source: "cached" });
    expect(h.summary()).toEqual({ "a.example": "suspend", "b.example": "suspend" });
  });

  test("a damaged cached copy is fetched again in full", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    const [pairDir] = fs.readdirSync(h.stateDir);
    fs.writeFileSync(path.join(h.stateDir, pairDir!, "feed.json"), "[{");
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.feed.requests.map((request) => request.status)).toEqual([200, 304, 200]);
    expect(run.report.feed?.source).toBe("fetched");
  });

  test("an unavailable feed exits 4 and leaves the target alone, even with a cached copy", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    h.feed.breakDown(503);
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(4);
    expect(run.report.error).toMatchObject({
      code: "feed",
      message: expect.stringContaining("503"),
    });
    expect(h.target.requests).toEqual([]);
    expect(h.summary()).toEqual({ "a.example": "suspend" });
  });

  test("an invalid feed exits 4, writes nothing and does not replace the cached copy", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    h.feed.setBody(JSON.stringify([{ domain: "b.example", severity: "ban" }]));
    h.target.clearLog();
    const invalid = await h.sync();
    expect(invalid.exitCode).toBe(4);
    expect(invalid.report.error?.message).toContain('severity "ban"');
    expect(h.target.requests).toEqual([]);
    h.feed.setEntries([feedEntry("a.example")]);
    expect((await h.sync()).report.outcome).toBe("up_to_date");
  });

  test("a token the list server refuses exits 2 with its reason", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const run = await h.sync({ token: "fbk_1_wrong" });
    expect(run.exitCode).toBe(2);
    expect(run.report.error).toMatchObject({
      code: "auth",
      message: expect.stringContaining("Sign in or send a valid API token."),
    });
    expect(h.target.requests).toEqual([]);
  });
});
