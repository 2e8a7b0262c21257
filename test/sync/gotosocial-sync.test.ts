import { afterEach, describe, expect, test } from "vitest";
import { parseMarker } from "../../server/sync/marker.js";
import { feedEntry } from "../fakes/feed.js";
import { gotosocialHarness, type GoToSocialHarness } from "./harness.js";

let h: GoToSocialHarness;
afterEach(async () => {
  await h.close();
});

const feed = [
  feedEntry("nazis.example", {
    severity: "suspend",
    reject_media: true,
    public_comment: "hate speech",
  }),
  feedEntry("spam.example", { severity: "suspend", obfuscate: true }),
  feedEntry("meh.example", { severity: "silence" }),
  feedEntry("media.example", { severity: "noop", reject_media: true }),
];

describe("syncing a GoToSocial server", () => {
  test("it receives only the suspensions, as blocks with comments and obfuscate", async () => {
    h = await gotosocialHarness(feed);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.feed).toEqual({ entries: 4, usable: 2, source: "fetched" });
    const posted = h.target.writeRequests().map((request) => request.body);
    expect(posted).toEqual([
      {
        domain: "nazis.example",
        obfuscate: false,
        public_comment: "hate speech",
        private_comment: expect.stringMatching(/^\[fediblock /),
      },
      {
        domain: "spam.example",
        obfuscate: true,
        public_comment: "",
        private_comment: expect.stringMatching(/^\[fediblock /),
      },
    ]);
    expect(h.target.blocks().map((block) => block.domain)).toEqual([
      "nazis.example",
      "spam.example",
    ]);
  });

  test("a second run makes no write; a changed comment is a PUT; a downgrade to silence deletes", async () => {
    h = await gotosocialHarness(feed);
    await h.sync({ force: true });
    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);

    h.feed.setEntries([
      feedEntry("nazis.example", {
        severity: "suspend",
        public_comment: "hate speech and harassment",
      }),
      feedEntry("spam.example", { severity: "silence" }),
    ]);
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(
      h.target.writeRequests().map((request) => `${request.method} ${request.status}`),
    ).toEqual(["DELETE 200", "PUT 200"]);
    const block = h.target.block("nazis.example")!;
    expect(block.public_comment).toBe("hate speech and harassment");
    expect(parseMarker(block.private_comment)).not.toBeNull();
    expect(h.target.block("spam.example")).toBeUndefined();
  });

  test("its hand-made blocks, and those of its own subscriptions, are never touched", async () => {
    h = await gotosocialHarness([]);
    h.target.seed({ domain: "own.example", private_comment: "by hand" });
    h.target.seed({ domain: "subscribed.example", subscription_id: "01HSUBSCRIPTION0000000000" });
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.blocks()).toHaveLength(2);
  });

  test("its account domain is protected, even when it differs from its host", async () => {
    h = await gotosocialHarness([feedEntry("example.org"), feedEntry("fine.example")], {
      instanceDomain: "gts.example.org",
      accountDomain: "example.org",
    });
    const run = await h.sync({ force: true });
    expect(h.target.blocks().map((block) => block.domain)).toEqual(["fine.example"]);
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "protected", domain: "example.org" }),
    ]);
  });

  test("a bad token exits 2 having changed nothing", async () => {
    h = await gotosocialHarness(feed);
    const run = await h.sync({ targetToken: "wrong" });
    expect(run.exitCode).toBe(2);
    expect(h.target.requests.map((request) => request.status)).toEqual([401]);
  });
});
