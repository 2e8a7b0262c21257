// `fediblock sync --target misskey` against the fake Misskey (test/fakes/misskey.ts): the same
// guarantees as the Mastodon target, with the ownership ledger in place of the marker comment.
import fs from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { resolveSyncOptions } from "../../server/sync/options.js";
import { feedEntry } from "../fakes/feed.js";
import {
  MISSKEY_MODERATOR_TOKEN,
  MISSKEY_READ_ONLY_TOKEN,
  type FakeMisskey,
} from "../fakes/misskey.js";
import { misskeyHarness, type FamilyHarness } from "./family-harness.js";
import { domains } from "./harness.js";

let h: FamilyHarness<FakeMisskey>;
afterEach(async () => {
  await h.close();
});

const updates = () => h.target.requests.filter((r) => r.path === "/api/admin/update-meta");

const feed = [
  feedEntry("nazis.example", { severity: "suspend", reject_media: true, public_comment: "hate" }),
  feedEntry("loud.example", { severity: "silence" }),
  feedEntry("pics.example", { severity: "noop", reject_media: true }),
  feedEntry("reports.example", { severity: "noop", reject_reports: true }),
];

describe("syncing a Misskey server", () => {
  test("a first sync stops at the brake; with --force each entry lands in its list", async () => {
    h = await misskeyHarness(feed);
    const braked = await h.sync();
    expect(braked.exitCode).toBe(3);
    expect(braked.report.brake).toMatchObject({ firstSync: true, tripped: true });
    expect(updates()).toEqual([]);

    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    // A noop that only rejects reports has no equivalent on Misskey.
    expect(run.report.feed).toMatchObject({ entries: 4, usable: 3 });
    expect(h.target.lists()).toEqual({
      blockedHosts: ["nazis.example"],
      silencedHosts: ["loud.example"],
      mediaSilencedHosts: ["pics.example"],
    });
    expect(h.ledgerHosts()).toEqual(["loud.example", "nazis.example", "pics.example"]);
    // Each write carries only the lists it changes, and nothing else.
    expect(updates().map((request) => Object.keys(request.body))).toEqual([
      ["silencedHosts"],
      ["blockedHosts"],
      ["mediaSilencedHosts"],
    ]);
    expect(h.target.setting("name")).toBe("Fake Misskey");
    expect(h.target.setting("sensitiveWords")).toEqual(["nsfw"]);
    expect(h.target.requests.some((r) => r.path.includes("update-instance"))).toBe(false);
  });

  test("a second run makes no write; a change moves the host between lists; a retraction removes only it", async () => {
    h = await misskeyHarness(feed);
    await h.sync({ force: true });
    h.target.clearLog();
    const idle = await h.sync();
    expect(idle.report.outcome).toBe("up_to_date");
    expect(updates()).toEqual([]);

    h.feed.setEntries([
      feedEntry("nazis.example", { severity: "suspend" }),
      feedEntry("loud.example", { severity: "suspend" }),
    ]);
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.actions.map((a) => `${a.action} ${a.domain} ${a.status}`)).toEqual([
      "delete pics.example applied",
      "update loud.example applied",
    ]);
    expect(h.target.lists()).toEqual({
      blockedHosts: ["nazis.example", "loud.example"],
      silencedHosts: [],
      mediaSilencedHosts: [],
    });
    expect(h.ledgerHosts()).toEqual(["loud.example", "nazis.example"]);
  });

  test("hosts listed by hand are never changed or removed, and reported when the list names them", async () => {
    h = await misskeyHarness([
      feedEntry("hand.example", { severity: "suspend" }),
      feedEntry("same.example", { severity: "silence" }),
    ]);
    h.target.edit({
      silencedHosts: ["hand.example", "same.example"],
      blockedHosts: ["mine.example"],
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(updates()).toEqual([]);
    expect(run.report.notes.map((note) => `${note.reason} ${note.domain}`).sort()).toEqual([
      "hand_made hand.example",
      "hand_made same.example",
    ]);
    const human = await h.sync({ json: false });
    expect(human.stdout).toContain(
      "same.example: listed by hand (silence) as the list wants it; it stays yours",
    );
    h.feed.setEntries([]);
    await h.sync({ force: true });
    expect(updates()).toEqual([]);
    expect(h.target.lists()).toMatchObject({
      blockedHosts: ["mine.example"],
      silencedHosts: ["hand.example", "same.example"],
    });
  });

  test("a host an admin moved to another list is left alone, changed or retracted", async () => {
    h = await misskeyHarness([feedEntry("a.example", { severity: "silence" })]);
    await h.sync({ force: true });
    h.target.edit({ silencedHosts: [], blockedHosts: ["a.example"] });
    h.target.clearLog();
    const run = await h.sync();
    expect(updates()).toEqual([]);
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "a.example" }),
    ]);
    h.feed.setEntries([]);
    const retracted = await h.sync({ force: true });
    expect(retracted.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "a.example", wanted: null }),
    ]);
    expect(h.target.lists().blockedHosts).toEqual(["a.example"]);
  });

  test("a host an admin removed is forgotten: when an admin lists it again, it is theirs", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    h.feed.setEntries([]);
    h.target.edit({ blockedHosts: [] });
    await h.sync();
    expect(h.ledgerHosts()).toEqual([]);
    h.target.edit({ blockedHosts: ["a.example"] });
    const run = await h.sync();
    expect(run.report.outcome).toBe("up_to_date");
    expect(h.target.lists().blockedHosts).toEqual(["a.example"]);
  });

  test("an admin's save between the sync's write and its check is detected and the step retried", async () => {
    h = await misskeyHarness([feedEntry("new.example", { severity: "suspend" })]);
    h.target.edit({ blockedHosts: ["mine.example"] });
    let raced = false;
    h.target.beforeHandle((request) => {
      if (request.path === "/api/admin/meta" && !raced && updates().length === 1) {
        // Right after the sync's first write: the admin's form, loaded earlier, is saved.
        raced = true;
        h.target.edit({ blockedHosts: ["mine.example", "theirs.example"] });
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(updates()).toHaveLength(2);
    expect(h.target.lists().blockedHosts.sort()).toEqual([
      "mine.example",
      "new.example",
      "theirs.example",
    ]);
  });

  test("an admin saving under every attempt fails the action (exit 1), keeping their lists", async () => {
    h = await misskeyHarness([feedEntry("new.example")]);
    h.target.beforeHandle((request) => {
      if (request.path === "/api/admin/meta" && updates().length > 0) {
        h.target.edit({ blockedHosts: ["theirs.example"] });
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(1);
    expect(run.report.actions[0]).toMatchObject({
      status: "failed",
      message: expect.stringContaining("changed under each of 4 attempts"),
    });
    expect(h.target.lists().blockedHosts).toEqual(["theirs.example"]);
    expect(h.ledgerHosts()).toEqual([]);
  });

  test("a write whose answer was lost is the sync's on the next run", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    h.target.beforeHandle((request) => {
      // The check after the write is answered into the void: the sync cannot tell.
      if (request.path === "/api/admin/update-meta") {
        h.target.dropNext(1, { afterProcessing: true });
      }
    });
    const lost = await h.sync({ force: true }, { retries: 0 });
    expect(lost.exitCode).toBe(1);
    h.target.beforeHandle(null);
    const next = await h.sync();
    expect(next.report.outcome).toBe("up_to_date");
    expect(next.report.targetBlocks).toEqual({ total: 1, managed: 1 });
    h.feed.setEntries([]);
    await h.sync({ force: true });
    expect(h.target.lists().blockedHosts).toEqual([]);
  });

  test("a subdomain's media entry is written even under its parent's (exact host); a blocked parent covers", async () => {
    h = await misskeyHarness([
      feedEntry("pics.example", { severity: "silence", reject_media: true }),
      feedEntry("cdn.pics.example", { severity: "noop", reject_media: true }),
      feedEntry("bad.example", { severity: "suspend" }),
      feedEntry("worse.bad.example", { severity: "silence", reject_media: true }),
    ]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.target.lists()).toEqual({
      blockedHosts: ["bad.example"],
      silencedHosts: ["pics.example"],
      mediaSilencedHosts: ["cdn.pics.example", "pics.example"],
    });
    expect(h.target.isMediaSilenced("cdn.pics.example")).toBe(true);
    expect(h.target.isBlocked("worse.bad.example")).toBe(true);
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "covered_by_parent", domain: "worse.bad.example" }),
    ]);
  });

  test("an emptied feed trips the brake and changes nothing", async () => {
    h = await misskeyHarness(domains(25).map((d) => feedEntry(d)));
    await h.sync({ force: true });
    h.feed.setEntries([]);
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(3);
    expect(updates()).toEqual([]);
    expect(h.target.lists().blockedHosts).toHaveLength(25);
  });

  test("a public suffix waits for --allow-broad, even with --force", async () => {
    h = await misskeyHarness([feedEntry("co.uk")]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(3);
    expect(run.report.outcome).toBe("broad");
    expect(updates()).toEqual([]);
  });

  test("--dry-run writes nothing: no list, no ledger", async () => {
    h = await misskeyHarness(feed);
    const run = await h.sync({ dryRun: true, force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.actions).toHaveLength(3);
    expect(updates()).toEqual([]);
    expect(fs.existsSync(h.ledgerFile())).toBe(false);
  });

  test("a server that fails (500 on every call) exits 1 having written nothing; the next run converges", async () => {
    h = await misskeyHarness(domains(3).map((d) => feedEntry(d)));
    h.target.failNext(50, 500, ["POST"]);
    const failed = await h.sync({ force: true });
    expect(failed.exitCode).toBe(1);
    expect(failed.report.error?.message).toContain("answered 500");
    expect(updates()).toEqual([]);
    h.target.clearFaults();
    const next = await h.sync({ force: true });
    expect(next.exitCode).toBe(0);
    expect(h.target.lists().blockedHosts.sort()).toEqual(domains(3));
  });

  test("a 429 with Retry-After is waited out", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    h.target.throttleNext(1, "0", ["POST"]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.target.requests[0]!.status).toBe(429);
    expect(h.target.lists().blockedHosts).toEqual(["a.example"]);
  });

  test("a bad token, a moderator's or one without write:admin:meta exits 2 having changed nothing", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    const bad = await h.sync({ targetToken: "nope", force: true });
    expect(bad.exitCode).toBe(2);
    expect(bad.report.error?.message).toContain("read:admin:meta");
    const moderator = await h.sync({ targetToken: MISSKEY_MODERATOR_TOKEN, force: true });
    expect(moderator.exitCode).toBe(2);
    expect(moderator.report.error?.message).toContain("ROLE_PERMISSION_DENIED");
    const readOnly = await h.sync({ targetToken: MISSKEY_READ_ONLY_TOKEN, force: true });
    expect(readOnly.exitCode).toBe(2);
    expect(readOnly.report.error?.message).toContain("PERMISSION_DENIED");
    expect(h.target.lists().blockedHosts).toEqual([]);
    expect(h.ledgerHosts()).toEqual([]);
  });

  test("a lost ledger adopts nothing, until a reviewed --adopt takes the hosts listed as the feed wants them", async () => {
    h = await misskeyHarness([feedEntry("a.example"), feedEntry("b.example")]);
    await h.sync({ force: true });
    fs.rmSync(h.ledgerFile());
    h.target.edit({ blockedHosts: ["a.example", "b.example", "mine.example"] });

    h.feed.setEntries([feedEntry("a.example")]);
    const lost = await h.sync({ force: true });
    expect(lost.report.warnings).toEqual([expect.stringContaining("no ownership ledger")]);
    expect(lost.report.targetBlocks).toEqual({ total: 3, managed: 0 });
    expect(h.target.lists().blockedHosts).toEqual(["a.example", "b.example", "mine.example"]);

    const unreviewed = await h.sync({ adopt: true });
    expect(unreviewed.exitCode).toBe(3);
    expect(unreviewed.report.outcome).toBe("adopt_review");
    const review = await h.sync({ adopt: true, dryRun: true });
    expect(review.report.actions.map((a) => `${a.action} ${a.domain} ${a.reason}`)).toEqual([
      "remark a.example adopt",
    ]);
    const adopted = await h.sync({ adopt: true });
    expect(adopted.exitCode).toBe(0);
    expect(h.ledgerHosts()).toEqual(["a.example"]);
    h.feed.setEntries([]);
    await h.sync({ force: true });
    expect(h.target.lists().blockedHosts).toEqual(["b.example", "mine.example"]);
  });

  test("a ledger entry copied to another host verifies for none: that host is left alone", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    const document = JSON.parse(fs.readFileSync(h.ledgerFile(), "utf8"));
    document.hosts["mine.example"] = document.hosts["a.example"];
    fs.writeFileSync(h.ledgerFile(), JSON.stringify(document));
    h.target.edit({ blockedHosts: ["a.example", "mine.example"] });
    h.feed.setEntries([]);
    const run = await h.sync({ force: true });
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "mine.example", wanted: null }),
    ]);
    expect(h.target.lists().blockedHosts).toEqual(["mine.example"]);
  });

  test("an unreadable ledger stops the run (exit 2) and is left as it is", async () => {
    h = await misskeyHarness([feedEntry("a.example")]);
    await h.sync({ force: true });
    fs.writeFileSync(h.ledgerFile(), "{ not json");
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(2);
    expect(run.report.error?.message).toContain("ledger.json is not JSON");
    expect(fs.readFileSync(h.ledgerFile(), "utf8")).toBe("{ not json");
  });

  test("--target sharkey is the same target", () => {
    const options = resolveSyncOptions(
      {
        server: "https://lists.example",
        token: "t",
        target: "Sharkey",
        targetUrl: "https://sharkey.example",
        targetToken: "x",
      },
      {},
    );
    expect(options.target).toBe("misskey");
  });
});
