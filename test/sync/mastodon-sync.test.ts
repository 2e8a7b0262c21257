import { afterEach, describe, expect, test } from "vitest";
import { parseMarker } from "../../server/sync/marker.js";
import { feedEntry } from "../fakes/feed.js";
import { domains, mastodonHarness, type MastodonHarness } from "./harness.js";

let h: MastodonHarness;
afterEach(async () => {
  await h.close();
});

function suspensions(names: string[]) {
  return names.map((domain) => feedEntry(domain, { public_comment: `reason for ${domain}` }));
}

describe("a first sync onto a server with no managed blocks", () => {
  test("stops at the brake without --force, having written nothing (exit 3)", async () => {
    h = await mastodonHarness(suspensions(domains(25)));
    const run = await h.sync();
    expect(run.exitCode).toBe(3);
    expect(run.report.outcome).toBe("brake");
    expect(run.report.brake).toMatchObject({
      changes: 25,
      limit: 20,
      exceeded: true,
      firstSync: true,
      tripped: true,
      forced: false,
    });
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.blocks()).toEqual([]);
  });

  test("stops at the brake even with only 3 entries, well under the limit (exit 3)", async () => {
    h = await mastodonHarness(suspensions(["a.example", "b.example", "c.example"]));
    const run = await h.sync({ json: false });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain(
      "Stopped at the safety brake before any write: this is a first sync onto this server: " +
        "it has no blocks managed by this list server yet, and the plan makes 3 changes. " +
        "Review the plan with --dry-run, then run with --force.",
    );
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.blocks()).toEqual([]);
  });

  test("the dry run of a small first sync says a real run needs --force", async () => {
    h = await mastodonHarness(suspensions(["a.example"]));
    const run = await h.sync({ dryRun: true, json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      "A real run would stop at the safety brake: this is a first sync onto this server: " +
        "it has no blocks managed by this list server yet, and the plan makes 1 change. " +
        "Review this plan, then run with --force.",
    );
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("--max-changes does not release it; --force does", async () => {
    h = await mastodonHarness(suspensions(["a.example"]));
    const braked = await h.sync({ maxChanges: 100 });
    expect(braked.exitCode).toBe(3);
    expect(braked.report.brake).toMatchObject({ exceeded: false, firstSync: true, tripped: true });
    expect(h.target.blocks()).toEqual([]);
    expect((await h.sync({ maxChanges: 100, force: true })).exitCode).toBe(0);
    expect(h.summary()).toEqual({ "a.example": "suspend" });
  });

  test("a server with hand-made blocks only is still a first sync", async () => {
    h = await mastodonHarness(suspensions(["a.example"]));
    h.target.seed({ domain: "mine.example", severity: "suspend" });
    const run = await h.sync();
    expect(run.exitCode).toBe(3);
    expect(run.report.brake).toMatchObject({ firstSync: true });
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("a first sync with nothing to write does not trip the brake", async () => {
    h = await mastodonHarness([]);
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.outcome).toBe("up_to_date");
    expect(run.report.brake).toMatchObject({ firstSync: false, tripped: false });
  });

  test("with --force creates every entry, each marked as managed", async () => {
    h = await mastodonHarness(suspensions(domains(25)));
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.results).toEqual({ applied: 25, skipped: 0, failed: 0, notAttempted: 0 });
    expect(Object.keys(h.summary())).toEqual(domains(25));
    const block = h.target.block("bad007.example")!;
    expect(block).toMatchObject({
      severity: "suspend",
      public_comment: "reason for bad007.example",
    });
    expect(parseMarker(block.private_comment!)).toEqual({
      version: "k1",
      serverHost: new URL(h.feed.url).host,
      mac: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(block.private_comment).toBe(h.mark(suspensions(["bad007.example"])[0]!));
  });

  test("a second run with nothing new makes no write", async () => {
    h = await mastodonHarness(suspensions(domains(25)));
    await h.sync({ force: true });
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.outcome).toBe("up_to_date");
    expect(run.report.plan).toMatchObject({ create: 0, update: 0, delete: 0, unchanged: 25 });
    expect(h.target.writeRequests()).toEqual([]);
  });
});

describe("later syncs", () => {
  test("a retraction deletes the managed block on the next sync, and only it", async () => {
    h = await mastodonHarness(suspensions(["a.example", "b.example", "c.example"]));
    await h.sync({ force: true });
    h.feed.setEntries(suspensions(["a.example", "c.example"]));
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.actions).toEqual([
      expect.objectContaining({ domain: "b.example", action: "delete", status: "applied" }),
    ]);
    expect(h.summary()).toEqual({ "a.example": "suspend", "c.example": "suspend" });
  });

  test("a changed entry updates the managed block in place, keeping the admin's note", async () => {
    h = await mastodonHarness([feedEntry("a.example", { severity: "silence" })]);
    await h.sync({ force: true });
    const before = { ...h.target.block("a.example")! };
    h.target.edit("a.example", { private_comment: `see ticket 42 ${before.private_comment}` });
    h.feed.setEntries([feedEntry("a.example", { severity: "suspend", reject_media: true })]);
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    const after = h.target.block("a.example")!;
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({ severity: "suspend", reject_media: true });
    expect(after.private_comment).toMatch(/^see ticket 42 \[fediblock \S+ k1 [0-9a-f]{32}\]$/);
    expect(after.private_comment).not.toBe(`see ticket 42 ${before.private_comment}`);
    expect(h.target.writeRequests().map((request) => request.method)).toEqual(["PUT"]);
  });

  test("a run whose every create is refused (blocked by hand meanwhile) reports skipped, not applied", async () => {
    h = await mastodonHarness(suspensions(["a.example", "b.example"]));
    h.target.beforeHandle((request) => {
      const domain = request.body.domain;
      if (request.method === "POST" && typeof domain === "string" && !h.target.block(domain)) {
        h.target.seed({
          domain,
          severity: "suspend",
          private_comment: "blocked by hand meanwhile",
        });
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.outcome).toBe("skipped");
    expect(run.report.results).toEqual({ applied: 0, skipped: 2, failed: 0, notAttempted: 0 });
    expect(h.target.blocks().map((block) => block.private_comment)).toEqual([
      "blocked by hand meanwhile",
      "blocked by hand meanwhile",
    ]);

    h.target.beforeHandle(null);
    h.target.clearLog();
    const next = await h.sync();
    expect(next.report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("the human report says when nothing went through", async () => {
    h = await mastodonHarness(suspensions(["a.example"]));
    h.target.beforeHandle((request) => {
      if (request.method === "POST") h.target.seed({ domain: "a.example", severity: "suspend" });
    });
    const run = await h.sync({ force: true, json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ {2}create {2}a\.example {2}suspend \[skipped: /m);
    expect(run.stdout).toContain("Result: 0 applied, 1 skipped, 0 failed, 0 not attempted.");
    expect(run.stdout).toContain(
      "Nothing was changed: the server refused every block the plan would have created",
    );
  });

  test("a hand-made block for the same domain is left untouched and reported", async () => {
    h = await mastodonHarness([feedEntry("hand.example", { severity: "suspend" })]);
    h.target.seed({ domain: "hand.example", severity: "silence", private_comment: "our own call" });
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.block("hand.example")).toMatchObject({
      severity: "silence",
      private_comment: "our own call",
    });
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "hand_made", domain: "hand.example" }),
    ]);
  });

  test("a hand-made block is never deleted, even when nothing on the list names it", async () => {
    h = await mastodonHarness([]);
    h.target.seed({ domain: "mine.example", severity: "suspend" });
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "mine.example": "suspend" });
  });

  test("a managed block an admin edited is left alone, changed or retracted", async () => {
    h = await mastodonHarness(suspensions(["edited.example", "retracted.example"]));
    await h.sync({ force: true });
    h.target.edit("edited.example", { severity: "silence" });
    h.target.edit("retracted.example", { public_comment: "rewritten by an admin" });
    h.feed.setEntries([feedEntry("edited.example", { public_comment: "a newer reason" })]);
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "edited.example": "silence", "retracted.example": "suspend" });
    expect(run.report.notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: "edited", domain: "edited.example" }),
        expect.objectContaining({ reason: "edited", domain: "retracted.example", wanted: null }),
      ]),
    );
  });

  test("an admin deleting a managed block by hand gets it back from the list", async () => {
    h = await mastodonHarness(suspensions(["a.example", "b.example"]));
    await h.sync({ force: true });
    const id = h.target.block("a.example")!.id.toString();
    await fetch(`${h.target.url}/api/v1/admin/domain_blocks/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${h.targetToken}` },
    });
    const run = await h.sync();
    expect(run.report.actions).toEqual([
      expect.objectContaining({ domain: "a.example", action: "create" }),
    ]);
    expect(h.summary()).toEqual({ "a.example": "suspend", "b.example": "suspend" });
  });
});

describe("parents, domains leaving the feed, and protected domains", () => {
  test("a subdomain under a stricter parent block is not created", async () => {
    h = await mastodonHarness([
      feedEntry("sub.blocked.example", { severity: "silence" }),
      feedEntry("evil.example", { severity: "suspend" }),
      feedEntry("cdn.evil.example", { severity: "silence" }),
    ]);
    h.target.seed({ domain: "blocked.example", severity: "suspend" });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "blocked.example": "suspend", "evil.example": "suspend" });
    expect(run.report.notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: "covered_by_parent",
          domain: "sub.blocked.example",
          parent: "blocked.example",
        }),
        expect.objectContaining({
          reason: "covered_by_parent",
          domain: "cdn.evil.example",
          parent: "evil.example",
        }),
      ]),
    );
  });

  test("a silenced subdomain under a noop + reject media parent is never POSTed, run after run", async () => {
    // Mastodon refuses it (422): silence is not stricter_than? noop + reject media.
    h = await mastodonHarness([feedEntry("sub.media.example", { severity: "silence" })]);
    h.target.seed({ domain: "media.example", severity: "noop", reject_media: true });
    const first = await h.sync();
    expect(first.exitCode).toBe(0);
    expect(first.report.plan).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(first.report.notes).toEqual([
      expect.objectContaining({
        reason: "covered_by_parent",
        domain: "sub.media.example",
        parent: "media.example",
      }),
    ]);
    expect(h.target.writeRequests()).toEqual([]);

    const second = await h.sync();
    expect(second.exitCode).toBe(0);
    expect(second.report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "media.example": "noop+media" });
  });

  test("a suspended subdomain under a suspended parent is not created: the parent covers it", async () => {
    // Mastodon would accept it, but it would only repeat the parent (SPEC §7.3).
    h = await mastodonHarness([feedEntry("cdn.evil.example", { severity: "suspend" })]);
    h.target.seed({ domain: "evil.example", severity: "suspend" });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.actions).toEqual([]);
    expect(h.summary()).toEqual({ "evil.example": "suspend" });
  });

  test("a subdomain stricter than its parent's block is created (Mastodon accepts it)", async () => {
    h = await mastodonHarness([feedEntry("worse.lenient.example", { severity: "suspend" })]);
    h.target.seed({ domain: "lenient.example", severity: "silence" });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.results).toMatchObject({ applied: 1, skipped: 0 });
    expect(h.summary()).toEqual({
      "lenient.example": "silence",
      "worse.lenient.example": "suspend",
    });
  });

  test("a domain that leaves the feed has its managed block deleted, and it is not created again", async () => {
    // A retraction, or a domain excluded after it was synced: both simply leave the feed. For
    // an exclusion end to end (the real service's feed), see exclusion.test.ts.
    h = await mastodonHarness(suspensions(["kept.example", "dropped.example"]));
    await h.sync({ force: true });
    h.feed.setEntries(suspensions(["kept.example"]));
    const dropped = await h.sync();
    expect(dropped.report.actions).toEqual([
      expect.objectContaining({ domain: "dropped.example", action: "delete", status: "applied" }),
    ]);
    expect(h.summary()).toEqual({ "kept.example": "suspend" });
    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.block("dropped.example")).toBeUndefined();
  });

  test("the target's own domain, its parents and the list server's host are never created", async () => {
    h = await mastodonHarness(
      suspensions(["mastodon.example", "example", "localhost", "fine.example.org"]),
      { instanceDomain: "mastodon.example" },
    );
    const run = await h.sync({
      server: new URL(h.feed.url.replace("127.0.0.1", "localhost")),
      force: true,
    });
    expect(run.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "fine.example.org": "suspend" });
    expect(run.report.notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: "protected",
          domain: "mastodon.example",
          protects: "mastodon.example",
        }),
        expect.objectContaining({
          reason: "protected",
          domain: "example",
          protects: "mastodon.example",
        }),
        expect.objectContaining({
          reason: "protected",
          domain: "localhost",
          protects: "localhost",
        }),
      ]),
    );
  });
});

describe("the safety brake and options", () => {
  test("an emptied feed trips the brake and changes nothing without --force", async () => {
    h = await mastodonHarness(suspensions(domains(30)));
    await h.sync({ force: true });
    h.feed.setEntries([]);
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(3);
    expect(run.report.brake).toMatchObject({ changes: 30, limit: 20, firstSync: false });
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.target.blocks()).toHaveLength(30);
    expect((await h.sync({ json: false })).stdout).toContain(
      "Stopped at the safety brake before any write: 30 changes, more than the limit of 20 " +
        "(the default: 20 or 10 % of the 30 managed blocks). Review the plan with --dry-run, " +
        "then run with --force (or raise --max-changes).",
    );
  });

  test("--max-changes sets the brake's limit, --force releases it", async () => {
    h = await mastodonHarness(suspensions(domains(5)));
    expect((await h.sync({ maxChanges: 4 })).exitCode).toBe(3);
    expect(h.target.blocks()).toHaveLength(0);
    expect((await h.sync({ maxChanges: 4, force: true })).exitCode).toBe(0);
    expect(h.target.blocks()).toHaveLength(5);
  });

  test("--no-delete keeps retracted managed blocks and reports them", async () => {
    h = await mastodonHarness(suspensions(["a.example", "b.example"]));
    await h.sync({ force: true });
    h.feed.setEntries(suspensions(["a.example"]));
    h.target.clearLog();
    const run = await h.sync({ deleteRetracted: false });
    expect(run.exitCode).toBe(0);
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "a.example": "suspend", "b.example": "suspend" });
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "kept", domain: "b.example" }),
    ]);
  });

  test("--dry-run writes nothing, prints the plan and says the brake would trip", async () => {
    h = await mastodonHarness(suspensions(domains(21)));
    const run = await h.sync({ dryRun: true, json: false });
    expect(run.exitCode).toBe(0);
    expect(h.target.writeRequests()).toEqual([]);
    expect(run.stdout).toContain("(dry run: nothing is written)");
    expect(run.stdout).toContain("Plan: 21 to create, 0 to update, 0 to delete, 0 unchanged.");
    expect(run.stdout).toMatch(/^ {2}create {2}bad020\.example {2}suspend$/m);
    expect(run.stdout).toContain(
      "A real run would stop at the safety brake: this is a first sync onto this server",
    );
  });

  test("--json prints one JSON document with counts and per-domain actions", async () => {
    h = await mastodonHarness([
      feedEntry("a.example", { severity: "silence", reject_media: true }),
    ]);
    const run = await h.sync({ force: true });
    expect(run.report).toMatchObject({
      outcome: "applied",
      exitCode: 0,
      feed: { entries: 1, usable: 1, source: "fetched" },
      targetBlocks: { total: 0, managed: 0 },
      plan: { create: 1, update: 0, delete: 0 },
      actions: [
        {
          domain: "a.example",
          action: "create",
          status: "applied",
          after: {
            severity: "silence",
            reject_media: true,
            reject_reports: false,
            public_comment: "",
            obfuscate: false,
          },
        },
      ],
    });
  });

  test("pagination over 450 existing blocks reads every page", async () => {
    h = await mastodonHarness(suspensions(domains(450)));
    for (const entry of suspensions(domains(450))) {
      h.target.seed({ ...entry, private_comment: h.mark(entry) });
    }
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.targetBlocks).toEqual({ total: 450, managed: 450 });
    expect(run.report.plan).toMatchObject({ unchanged: 450, create: 0, delete: 0 });
    const pages = h.target.requests.filter(
      (request) => request.path === "/api/v1/admin/domain_blocks",
    );
    expect(pages.map((page) => page.query)).toEqual([
      "?limit=200",
      expect.stringMatching(/^\?limit=200&max_id=\d+$/),
      expect.stringMatching(/^\?limit=200&max_id=\d+$/),
    ]);
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("pagination follows Link URLs built on another origin (Mastodon's WEB_DOMAIN) on --target-url", async () => {
    // The admin gives http://127.0.0.1:PORT; the server links https://social.example/….
    h = await mastodonHarness(suspensions(domains(450)), {
      links: { origin: "https://social.example" },
    });
    for (const entry of suspensions(domains(450))) {
      h.target.seed({ ...entry, private_comment: h.mark(entry) });
    }
    h.target.edit("bad449.example", { severity: "silence" });
    const first = await fetch(`${h.target.url}/api/v1/admin/domain_blocks?limit=200`, {
      headers: { authorization: `Bearer ${h.targetToken}` },
    });
    expect(first.headers.get("link")).toMatch(
      /^<https:\/\/social\.example\/api\/v1\/admin\/domain_blocks\?limit=200&max_id=\d+>; rel="next"/,
    );
    h.target.clearLog();

    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.targetBlocks).toEqual({ total: 450, managed: 450 });
    expect(run.report.plan).toMatchObject({ unchanged: 449, create: 0, delete: 0 });
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "bad449.example" }),
    ]);
    const pages = h.target.requests.filter(
      (request) => request.path === "/api/v1/admin/domain_blocks",
    );
    expect(pages.map((page) => page.query)).toEqual([
      "?limit=200",
      expect.stringMatching(/^\?limit=200&max_id=\d+$/),
      expect.stringMatching(/^\?limit=200&max_id=\d+$/),
    ]);
  });

  test("a next link to another endpoint is refused: the run stops having written nothing (exit 1)", async () => {
    h = await mastodonHarness(suspensions(domains(250)), {
      links: { path: "/api/v1/admin/accounts" },
    });
    for (const entry of suspensions(domains(250))) {
      h.target.seed({ ...entry, private_comment: h.mark(entry) });
    }
    const run = await h.sync();
    expect(run.exitCode).toBe(1);
    expect(run.report.error).toMatchObject({
      code: "target",
      message: expect.stringContaining(
        "the next page link points to another endpoint (/api/v1/admin/accounts)",
      ),
    });
    expect(h.target.requests.map((request) => request.path)).toEqual([
      "/api/v1/admin/domain_blocks",
    ]);
    expect(h.target.writeRequests()).toEqual([]);
  });
});
