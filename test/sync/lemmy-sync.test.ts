// `fediblock sync --target lemmy` against the fake Lemmy (test/fakes/lemmy.ts), 0.19 and 1.0:
// suspensions only, exact hosts, the ownership ledger for ownership.
import { afterEach, describe, expect, test } from "vitest";
import { feedEntry } from "../fakes/feed.js";
import { LEMMY_USER_JWT, type FakeLemmy, type LemmyVersion } from "../fakes/lemmy.js";
import { lemmyHarness, type FamilyHarness } from "./family-harness.js";
import { domains } from "./harness.js";

let h: FamilyHarness<FakeLemmy>;
afterEach(async () => {
  await h.close();
});

const writes = () => h.target.requests.filter((r) => r.method !== "GET");

const feed = [
  feedEntry("nazis.example", { severity: "suspend", reject_media: true, public_comment: "hate" }),
  feedEntry("sub.nazis.example", { severity: "suspend" }),
  feedEntry("loud.example", { severity: "silence" }),
];

describe.each<LemmyVersion>(["0.19", "1.0"])("syncing a Lemmy %s server", (version) => {
  test("a first sync stops at the brake; with --force each suspension is blocked, subdomains too", async () => {
    h = await lemmyHarness(feed, { version });
    expect((await h.sync()).exitCode).toBe(3);
    expect(writes()).toEqual([]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    // A silence has no equivalent; a parent's block does not cover its subdomains on Lemmy.
    expect(run.report.feed).toMatchObject({ entries: 3, usable: 2 });
    expect(h.target.blocked()).toEqual(["nazis.example", "sub.nazis.example"]);
    expect(h.ledgerHosts()).toEqual(["nazis.example", "sub.nazis.example"]);
    expect(h.target.siteName()).toBe("Fake Lemmy");
    if (version === "1.0") {
      expect(h.target.modlog[0]).toEqual({
        instance: "nazis.example",
        block: true,
        reason: "hate",
      });
    }
    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
    expect(writes()).toEqual([]);
  });

  test("a retraction unblocks only the sync's host; hand-made blocks stay and are reported", async () => {
    h = await lemmyHarness([feedEntry("a.example"), feedEntry("b.example")], { version });
    h.target.edit({ blocked: ["hand.example", "b.example"] });
    const first = await h.sync({ force: true });
    expect(first.report.notes).toEqual([
      expect.objectContaining({ reason: "hand_made", domain: "b.example" }),
    ]);
    expect(h.target.blocked().sort()).toEqual(["a.example", "b.example", "hand.example"]);
    h.feed.setEntries([]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.target.blocked().sort()).toEqual(["b.example", "hand.example"]);
  });

  test("an emptied feed trips the brake", async () => {
    h = await lemmyHarness(
      domains(25).map((d) => feedEntry(d)),
      { version },
    );
    await h.sync({ force: true });
    h.feed.setEntries([]);
    h.target.clearLog();
    expect((await h.sync()).exitCode).toBe(3);
    expect(writes()).toEqual([]);
    expect(h.target.blocked()).toHaveLength(25);
  });

  test("a non-admin's JWT or a bad one exits 2 having blocked nothing", async () => {
    h = await lemmyHarness([feedEntry("a.example")], { version });
    const user = await h.sync({ targetToken: LEMMY_USER_JWT, force: true });
    expect(user.exitCode).toBe(2);
    expect(user.report.error?.message).toContain("not_an_admin");
    const bad = await h.sync({ targetToken: "nope", force: true });
    expect(bad.exitCode).toBe(2);
    expect(bad.report.error?.message).toContain("not_logged_in");
    expect(h.target.blocked()).toEqual([]);
  });

  test("a 429 is waited out", async () => {
    h = await lemmyHarness([feedEntry("a.example")], { version });
    h.target.throttleNext(1, "0");
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.target.blocked()).toEqual(["a.example"]);
  });
});

describe("Lemmy specifics", () => {
  test("0.19: an admin's save after the sync's write is detected and the step retried", async () => {
    h = await lemmyHarness([feedEntry("new.example")]);
    let raced = false;
    h.target.beforeHandle((request) => {
      if (request.method === "GET" && !raced && writes().length === 1) {
        raced = true;
        h.target.edit({ blocked: ["theirs.example"] });
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(writes()).toHaveLength(2);
    expect(h.target.blocked()).toEqual(["theirs.example", "new.example"]);
  });

  test("1.0: an allowlist makes every block fail, saying why", async () => {
    h = await lemmyHarness([feedEntry("a.example")], { version: "1.0" });
    h.target.edit({ allowed: ["friends.example"] });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(1);
    expect(run.report.actions[0]?.message).toContain("allowlist");
    expect(h.target.blocked()).toEqual([]);
    expect(h.ledgerHosts()).toEqual([]);
  });

  test("0.19: an allowlist is reported (it makes the blocklist inert); the blocks are written", async () => {
    h = await lemmyHarness([feedEntry("a.example")]);
    h.target.edit({ allowed: ["friends.example"] });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.warnings).toEqual([expect.stringContaining("allowlist")]);
    expect(h.target.blocked()).toEqual(["a.example"]);
  });

  test("1.0: more blocked instances than one page are all read", async () => {
    h = await lemmyHarness(
      domains(120).map((d) => feedEntry(d)),
      { version: "1.0" },
    );
    await h.sync({ force: true });
    const run = await h.sync();
    expect(run.report.targetBlocks).toEqual({ total: 120, managed: 120 });
    expect(run.report.outcome).toBe("up_to_date");
  });
});
