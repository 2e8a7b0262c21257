// Issue 13: a subscriber's admin token must never do harm, and every run makes progress. Each
// case against the fake Mastodon and, where it applies, the fake GoToSocial.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { hashFields } from "../../server/sync/marker.js";
import { formatHuman } from "../../server/sync/report.js";
import { STATE_FILES } from "../../server/sync/state.js";
import { feedEntry } from "../fakes/feed.js";
import {
  domains,
  gotosocialHarness,
  mastodonHarness,
  type GoToSocialHarness,
  type MastodonHarness,
} from "./harness.js";

let h: MastodonHarness | GoToSocialHarness;
afterEach(async () => {
  await h.close();
});

const writes = () => h.target.writeRequests().map((r) => `${r.method} ${r.body.domain ?? r.path}`);
const stateFile = (name: string) => path.join(h.pairDir(), name);
const suspensions = (names: string[]) => names.map((domain) => feedEntry(domain));
/** The old, unkeyed marker a release before ADR 0012 wrote. */
const oldMarker = (serverHost: string, entry: ReturnType<typeof feedEntry>) =>
  `[fediblock ${serverHost} ${hashFields(entry)}]`;

describe("reach: a block on a public suffix", () => {
  test("stops the run even with --force (exit 3), naming the domain and what it covers", async () => {
    h = await mastodonHarness([feedEntry("com"), feedEntry("spam.com"), feedEntry("a.example")]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(3);
    expect(run.report.outcome).toBe("broad");
    expect(run.report.broad).toEqual([
      expect.objectContaining({ domain: "com", kind: "create", approved: false, reaches: 1 }),
    ]);
    expect(run.report.broad![0]!.message).toContain("every domain under .com");
    expect(h.target.writeRequests()).toEqual([]);
    const text = formatHuman(run.report);
    expect(text).toContain("even with --force");
    expect(text).toContain("--allow-broad com");
  });

  test("--allow-broad after the dry run approves it, kept in the state folder for later runs", async () => {
    h = await mastodonHarness([feedEntry("com"), feedEntry("a.example")]);
    const dry = await h.sync({ dryRun: true, allowBroad: ["com"] });
    expect(dry.report.broad).toEqual([expect.objectContaining({ domain: "com", approved: true })]);
    const run = await h.sync({ force: true, allowBroad: ["com"] });
    expect(run.exitCode).toBe(0);
    expect((h as MastodonHarness).summary()).toEqual({ com: "suspend", "a.example": "suspend" });
    expect(JSON.parse(fs.readFileSync(stateFile(STATE_FILES.allowBroad), "utf8"))).toEqual({
      com: { approvedAt: expect.any(String) },
    });
    // Later: `com` made stricter again (the list changed it back and forth) needs no new flag.
    h.feed.setEntries([feedEntry("com", { severity: "silence" }), feedEntry("a.example")]);
    expect((await h.sync()).exitCode).toBe(0);
    h.feed.setEntries([feedEntry("com"), feedEntry("a.example")]);
    const later = await h.sync();
    expect(later.exitCode).toBe(0);
    expect(later.report.broad).toEqual([
      expect.objectContaining({ domain: "com", approved: true }),
    ]);
  });

  test("upgrading a managed block on a public suffix (co.uk silence → suspend) stops too; a private suffix (github.io) counts", async () => {
    h = await mastodonHarness([
      feedEntry("co.uk", { severity: "silence" }),
      feedEntry("a.example"),
    ]);
    expect((await h.sync({ force: true, allowBroad: ["co.uk"] })).exitCode).toBe(0);
    h.feed.setEntries([feedEntry("co.uk"), feedEntry("github.io"), feedEntry("a.example")]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(3);
    expect(run.report.broad?.map((b) => [b.domain, b.kind, b.approved])).toEqual([
      ["co.uk", "update", true],
      ["github.io", "create", false],
    ]);
    expect(h.target.writeRequests()).toHaveLength(2);
  });

  test("on GoToSocial the same", async () => {
    h = await gotosocialHarness([feedEntry("social"), feedEntry("a.example")]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(3);
    expect(run.report.broad).toEqual([expect.objectContaining({ domain: "social" })]);
    expect(h.target.writeRequests()).toEqual([]);
  });
});

describe("progress on every run", () => {
  test("3 always-failing domains ahead of 7 missing ones: the 7 are created in the first run; exit 1 lists the 3 and for how many runs", async () => {
    const failing = ["aaa0.example", "aaa1.example", "aaa2.example"];
    const missing = domains(7);
    h = await mastodonHarness(suspensions([...failing, ...missing]));
    h.target.failDomains(failing);
    const first = await h.sync({ force: true });
    expect(first.exitCode).toBe(1);
    expect(first.report.results).toEqual({ applied: 7, skipped: 0, failed: 3, notAttempted: 0 });
    expect(Object.keys((h as MastodonHarness).summary())).toEqual(missing);
    expect(first.report.failing?.map((f) => [f.domain, f.runs])).toEqual(
      failing.map((domain) => [domain, 1]),
    );
    expect(first.report.stopped).toBeUndefined();

    h.feed.setEntries(suspensions([...failing, ...missing, "zzz.example"]));
    h.target.clearLog();
    const second = await h.sync();
    expect(second.exitCode).toBe(1);
    // Tried after the others: the new domain first.
    expect(
      writes()
        .filter((w) => w.startsWith("POST"))
        .map((w) => w.split(" ")[1]),
    ).toEqual([
      "zzz.example",
      // Each one three times: the 5xx is retried.
      ...failing.flatMap((domain) => [domain, domain, domain]),
    ]);
    expect(second.report.failing?.map((f) => [f.domain, f.runs])).toEqual(
      failing.map((domain) => [domain, 2]),
    );
    expect(formatHuman(second.report)).toContain("aaa0.example: failed 2 runs in a row");
    expect(
      Object.keys(JSON.parse(fs.readFileSync(stateFile(STATE_FILES.failures), "utf8"))),
    ).toEqual(failing);

    h.target.clearFaults();
    expect((await h.sync()).exitCode).toBe(0);
    expect(fs.existsSync(stateFile(STATE_FILES.failures))).toBe(false);
  });

  test("a server-wide failure (no answer to three different writes) stops the run early, and says so", async () => {
    h = await mastodonHarness(suspensions(domains(6)));
    h.target.dropWritesAfter(0);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(1);
    expect(run.report.results).toMatchObject({ failed: 3, notAttempted: 3 });
    expect(run.report.stopped).toEqual({
      reason: "server_failure",
      message: "3 requests in a row got no answer",
    });
    expect(formatHuman(run.report)).toContain("Stopped early for a server-wide failure");
  });

  test("5xx for particular domains while the server answers reads: every domain is tried (GoToSocial)", async () => {
    h = await gotosocialHarness(suspensions(domains(5)));
    h.target.failDomains(domains(5), 503);
    const run = await h.sync({ force: true });
    expect(run.report.results).toMatchObject({ failed: 5, notAttempted: 0 });
    expect(run.report.stopped).toBeUndefined();
    expect(h.target.requests.filter((r) => r.path === "/api/v1/instance")).toHaveLength(2);
  });

  test("5xx on the unrelated read too: a server-wide failure stops the run (GoToSocial)", async () => {
    h = await gotosocialHarness(suspensions(domains(6)));
    let broken = false;
    h.target.beforeHandle((request) => {
      // The server breaks after the first write: everything answers 500 from then on.
      if (request.method === "POST" && !broken) {
        broken = true;
        h.target.failNext(1000, 500);
      }
    });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(1);
    expect(run.report.results).toMatchObject({ applied: 1, failed: 3, notAttempted: 2 });
    expect(run.report.stopped).toMatchObject({
      reason: "server_failure",
      message: expect.stringContaining("an unrelated read failed too"),
    });
  });
});

describe("the keyed marker", () => {
  test("a hand-made block carrying a copied marker is not managed: never changed or deleted", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    expect((await h.sync({ force: true })).exitCode).toBe(0);
    const copied = (h as MastodonHarness).target.block("a.example")!.private_comment!;
    // Someone who can write a private comment copies a valid marker onto another domain.
    (h as MastodonHarness).target.seed({
      domain: "victim.example",
      severity: "suspend",
      private_comment: copied,
    });
    h.target.clearLog();
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.notes).toEqual([
      expect.objectContaining({ reason: "edited", domain: "victim.example", wanted: null }),
    ]);
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("the first run creates marker.key 0600; the target's keyed markers without a key exit 2 and mint none", async () => {
    h = await mastodonHarness(suspensions(domains(3)));
    const first = await h.sync({ force: true });
    expect(first.report.markerKey).toEqual({
      file: stateFile(STATE_FILES.markerKey),
      created: true,
    });
    expect(fs.statSync(stateFile(STATE_FILES.markerKey)).mode & 0o777).toBe(0o600);
    fs.rmSync(stateFile(STATE_FILES.markerKey));
    h.target.clearLog();
    const lost = await h.sync();
    expect(lost.exitCode).toBe(2);
    expect(lost.report.error).toMatchObject({ code: "marker_key_missing" });
    expect(lost.report.error!.message).toContain("--dry-run --adopt");
    expect(fs.existsSync(stateFile(STATE_FILES.markerKey))).toBe(false);
    expect(h.target.writeRequests()).toEqual([]);
    expect((await h.sync({ dryRun: true })).exitCode).toBe(2);
  });

  test("--marker-key-file: the key kept elsewhere is used", async () => {
    h = await mastodonHarness(suspensions(domains(2)));
    const keyFile = path.join(h.stateDir, "elsewhere.key");
    expect((await h.sync({ force: true, markerKeyFile: keyFile })).exitCode).toBe(0);
    expect(fs.existsSync(stateFile(STATE_FILES.markerKey))).toBe(false);
    h.target.clearLog();
    expect((await h.sync({ markerKeyFile: keyFile })).report.outcome).toBe("up_to_date");
    expect((await h.sync()).exitCode).toBe(2);
  });

  test("a lost key: --adopt after a dry run takes only blocks carrying this list server's marker", async () => {
    h = await mastodonHarness(suspensions(domains(3)));
    await h.sync({ force: true });
    const other = (h as MastodonHarness).target.seed({
      domain: "other.example",
      severity: "suspend",
      private_comment: "[fediblock other.example k1 0123456789abcdef0123456789abcdef]",
    });
    fs.rmSync(stateFile(STATE_FILES.markerKey));
    h.target.clearLog();

    const unreviewed = await h.sync({ adopt: true });
    expect(unreviewed.exitCode).toBe(3);
    expect(unreviewed.report.outcome).toBe("adopt_review");
    expect(h.target.writeRequests()).toEqual([]);

    const dry = await h.sync({ adopt: true, dryRun: true });
    expect(dry.report.actions.map((a) => [a.action, a.domain, a.reason]).sort()).toEqual(
      domains(3).map((domain) => ["remark", domain, "adopt"]),
    );
    const run = await h.sync({ adopt: true });
    expect(run.exitCode).toBe(0);
    expect(writes()).toEqual(domains(3).map(() => expect.stringMatching(/^PUT \/api/)));
    expect(h.target.writeRequests().map((r) => Object.keys(r.body))).toEqual(
      domains(3).map(() => ["private_comment"]),
    );
    expect(other.private_comment).toContain("other.example k1");
    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
  });

  test("the upgrade: old markers that verify get marker-only PUTs, reported and exempt from the brake; after it, old markers are hand-made", async () => {
    const entries = suspensions(domains(30));
    h = await mastodonHarness(entries);
    const serverHost = new URL(h.feed.url).host;
    for (const entry of entries) {
      (h as MastodonHarness).target.seed({
        ...entry,
        private_comment: `ticket 7 ${oldMarker(serverHost, entry)}`,
      });
    }
    const run = await h.sync();
    expect(run.exitCode).toBe(0);
    expect(run.report.plan).toMatchObject({ remark: 30, create: 0, update: 0, delete: 0 });
    expect(run.report.brake).toMatchObject({ changes: 0, tripped: false });
    expect(run.report.actions[0]).toMatchObject({
      action: "remark",
      reason: "upgrade",
      status: "applied",
    });
    expect((h as MastodonHarness).target.block("bad000.example")!.private_comment).toBe(
      h.mark(entries[0]!, "ticket 7"),
    );
    expect(fs.existsSync(stateFile(STATE_FILES.markers))).toBe(true);

    // After the upgrade an old marker proves nothing: a retraction leaves such a block alone.
    const late = feedEntry("late.example");
    (h as MastodonHarness).target.seed({ ...late, private_comment: oldMarker(serverHost, late) });
    h.target.clearLog();
    const after = await h.sync();
    expect(after.report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("on GoToSocial, created blocks carry a keyed marker that the next run verifies", async () => {
    h = await gotosocialHarness(suspensions(domains(3)));
    expect((await h.sync({ force: true })).exitCode).toBe(0);
    h.target.clearLog();
    const next = await h.sync();
    expect(next.report.targetBlocks).toEqual({ total: 3, managed: 3 });
    expect(next.report.outcome).toBe("up_to_date");
  });
});

describe("transport and budgets", () => {
  test("a feed larger than the limit stops the run before any write (exit 4)", async () => {
    h = await mastodonHarness(suspensions(domains(50)));
    const run = await h.sync({ force: true }, { maxFeedBytes: 2_000 });
    expect(run.exitCode).toBe(4);
    expect(run.report.error).toMatchObject({
      code: "feed",
      message: expect.stringContaining(
        "the feed is too large (the answer is larger than 2000 bytes)",
      ),
    });
    expect(h.target.requests).toEqual([]);
  });

  test("a page of the target's blocks larger than the limit stops the run (exit 4)", async () => {
    h = await mastodonHarness(suspensions(domains(5)));
    for (let i = 0; i < 40; i++) (h as MastodonHarness).target.seed({ domain: `hand${i}.example` });
    const run = await h.sync({ force: true }, { maxBodyBytes: 2_000 });
    expect(run.exitCode).toBe(4);
    expect(run.report.error).toMatchObject({
      code: "too_large",
      message: expect.stringContaining("a page of the target's domain blocks is too large"),
    });
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("--max-wait stops a long first sync and saves its plan; the next run carries on past the brake while the feed is unchanged", async () => {
    const entries = suspensions(domains(25));
    h = await mastodonHarness(entries);
    (h as MastodonHarness).target.limitRate(6, 400);
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const first = await h.sync({ force: true, maxWaitMs: 100 }, { sleep });
    expect(first.exitCode).toBe(1);
    expect(first.report.stopped).toMatchObject({
      reason: "max_wait",
      message: expect.stringContaining("waiting budget of 0 s (--max-wait)"),
    });
    const created = first.report.results!.applied;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(25);
    expect(fs.existsSync(stateFile(STATE_FILES.pendingPlan))).toBe(true);

    // The list changes meanwhile: a new plan, so the brake applies again.
    h.feed.setEntries([...entries, feedEntry("new.example")]);
    const changed = await h.sync({}, { sleep });
    expect(changed.exitCode).toBe(3);
    expect(changed.report.outcome).toBe("brake");

    h.feed.setEntries(entries);
    const next = await h.sync({}, { sleep });
    expect(next.exitCode).toBe(0);
    expect(next.report.brake).toMatchObject({ tripped: true, forced: false, carriedOn: true });
    expect(Object.keys((h as MastodonHarness).summary())).toEqual(domains(25));
    expect(fs.existsSync(stateFile(STATE_FILES.pendingPlan))).toBe(false);
  });

  test("a retracted parent's children are created right after its deletion, before anything else, in one rate-limit window", async () => {
    h = await mastodonHarness([
      feedEntry("bad.example", { severity: "silence" }),
      feedEntry("a.bad.example", { severity: "silence" }),
      feedEntry("b.bad.example", { severity: "silence" }),
      feedEntry("changed.example"),
      feedEntry("new.example"),
    ]);
    expect((await h.sync({ force: true })).exitCode).toBe(0);
    expect(Object.keys((h as MastodonHarness).summary())).toEqual([
      "bad.example",
      "changed.example",
      "new.example",
    ]);
    h.feed.setEntries([
      feedEntry("a.bad.example", { severity: "silence" }),
      feedEntry("b.bad.example", { severity: "silence" }),
      feedEntry("changed.example", { severity: "silence" }),
      feedEntry("new.example"),
      feedEntry("z.example"),
    ]);
    const parentId = (h as MastodonHarness).target.block("bad.example")!.id;
    (h as MastodonHarness).target.limitRate(4, 300);
    h.target.clearLog();
    const waits: string[] = [];
    const run = await h.sync(
      {},
      { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), onWait: (_, why) => waits.push(why) },
    );
    expect(run.exitCode).toBe(0);
    expect(writes()).toEqual([
      `DELETE /api/v1/admin/domain_blocks/${parentId}`,
      "POST a.bad.example",
      "POST b.bad.example",
      expect.stringMatching(/^PUT /),
      "POST z.example",
    ]);
    // Two reads used half the window: the sync waited for a fresh one before the deletion.
    expect(waits[0]).toContain("keeping 3 requests");
    expect(h.target.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(run.report.actions[0]).toMatchObject({ action: "delete", domain: "bad.example" });
  });
});

describe("the state folder", () => {
  test("is 0700 and its files 0600 whatever the umask", async () => {
    h = await mastodonHarness(suspensions(domains(2)));
    fs.mkdirSync(h.pairDir(), { recursive: true, mode: 0o755 });
    fs.chmodSync(h.pairDir(), 0o755);
    const umask = process.umask(0);
    try {
      h.target.failDomains(["bad001.example"], 422);
      expect((await h.sync({ force: true, allowBroad: ["com"] })).exitCode).toBe(1);
    } finally {
      process.umask(umask);
    }
    expect(fs.statSync(h.pairDir()).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(h.pairDir()).sort();
    expect(files).toEqual(
      [
        STATE_FILES.allowBroad,
        STATE_FILES.failures,
        STATE_FILES.feed,
        STATE_FILES.feedMeta,
        STATE_FILES.markerKey,
        STATE_FILES.markers,
      ].sort(),
    );
    for (const file of files) {
      expect([file, fs.statSync(path.join(h.pairDir(), file)).mode & 0o777]).toEqual([file, 0o600]);
    }
  });
});
