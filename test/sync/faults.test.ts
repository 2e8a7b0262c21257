import { afterEach, describe, expect, test } from "vitest";
import { feedEntry } from "../fakes/feed.js";
import { MASTODON_NOT_STAFF_TOKEN, MASTODON_READ_ONLY_TOKEN } from "../fakes/mastodon.js";
import { domains, mastodonHarness, type MastodonHarness } from "./harness.js";

let h: MastodonHarness;
afterEach(async () => {
  await h.close();
});

const posts = () => h.target.requests.filter((request) => request.method === "POST");

describe("rate limits", () => {
  test("a 429 with Retry-After is waited out, then the write goes through", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.throttleNext(1, "1", ["POST"]);
    const started = Date.now();
    const run = await h.sync(
      { force: true },
      { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(run.exitCode).toBe(0);
    expect(posts().map((request) => request.status)).toEqual([429, 200]);
    expect(run.stderr).toContain("waiting 1 s: 127.0.0.1");
    expect(h.summary()).toEqual({ "a.example": "suspend" });
  });

  test("Mastodon's 429 (X-RateLimit-Reset, no Retry-After) is waited out until the reset, then the run succeeds", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const windowMs = 1_000;
    const resetNoEarlierThan = Date.now() + windowMs;
    h.target.limitRate(5, windowMs);
    // Another client (the admin's browser, say) used up the window.
    for (let i = 0; i < 5; i++) await fetch(`${h.target.url}/api/v1/instance`);
    h.target.clearLog();
    let firstAnsweredAt = 0;
    h.target.beforeHandle(() => {
      firstAnsweredAt ||= Date.now();
    });
    const waits: { ms: number; reason: string }[] = [];
    const run = await h.sync(
      { force: true },
      { onWait: (ms, reason) => waits.push({ ms, reason }) },
    );
    expect(run.exitCode).toBe(0);
    expect(h.target.requests[0]).toMatchObject({
      path: "/api/v1/admin/domain_blocks",
      status: 429,
    });
    expect(waits[0]!.reason).toBe(`${new URL(h.target.url).host} asked to slow down (429)`);
    // Until the reset, not a retry backoff (at most 5 ms here).
    expect(waits[0]!.ms).toBeGreaterThan(50);
    expect(waits[0]!.ms).toBeLessThanOrEqual(windowMs);
    expect(firstAnsweredAt).toBeGreaterThanOrEqual(resetNoEarlierThan);
    expect(h.summary()).toEqual({ "a.example": "suspend" });
  });

  test("X-RateLimit-Remaining 0 makes the next request wait for X-RateLimit-Reset", async () => {
    h = await mastodonHarness(domains(4).map((domain) => feedEntry(domain)));
    h.target.limitRate(3, 300);
    const waits: number[] = [];
    const run = await h.sync({ force: true }, { onWait: (ms) => waits.push(ms) });
    expect(run.exitCode).toBe(0);
    expect(h.target.requests.filter((request) => request.status === 429)).toEqual([]);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(300);
    expect(Object.keys(h.summary())).toEqual(domains(4));
  });
});

describe("transient failures", () => {
  test("5xx answers are retried with backoff", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.failNext(2, 502, ["POST"]);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(posts().map((request) => request.status)).toEqual([502, 502, 200]);
  });

  test("a target that answers too slowly fails the run (exit 1) having written nothing", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.slowDown(400);
    const run = await h.sync({}, { timeoutMs: 100, retries: 1 });
    expect(run.exitCode).toBe(1);
    expect(run.report.error).toMatchObject({
      code: "target",
      message: expect.stringContaining("timed out"),
    });
    expect(h.target.writeRequests()).toEqual([]);
  });

  test("a write whose answer is lost is recognized on retry, not duplicated", async () => {
    h = await mastodonHarness([feedEntry("a.example"), feedEntry("b.example")]);
    h.target.dropNext(1, { methods: ["POST"], afterProcessing: true });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(posts().map((request) => request.status)).toEqual(["dropped", 422, 200]);
    expect(run.report.actions[0]).toMatchObject({
      domain: "a.example",
      status: "applied",
      message: "already there: an earlier attempt went through",
    });
    expect(h.summary()).toEqual({ "a.example": "suspend", "b.example": "suspend" });
  });

  test("a sync that dies half-way exits 1, and the next run converges to exactly the list", async () => {
    const wanted = domains(12).map((domain, i) =>
      feedEntry(domain, { severity: i % 2 ? "silence" : "suspend" }),
    );
    h = await mastodonHarness(wanted);
    h.target.seed({ domain: "handmade.example", severity: "noop", reject_media: true });
    h.target.dropWritesAfter(5);
    const broken = await h.sync({ force: true });
    expect(broken.exitCode).toBe(1);
    expect(broken.report.outcome).toBe("partial");
    expect(broken.report.results).toEqual({ applied: 5, skipped: 0, failed: 3, notAttempted: 4 });
    expect(h.target.blocks()).toHaveLength(6);

    h.target.clearFaults();
    const healed = await h.sync();
    expect(healed.exitCode).toBe(0);
    expect(healed.report.results).toEqual({ applied: 7, skipped: 0, failed: 0, notAttempted: 0 });
    const expected = Object.fromEntries(wanted.map((entry) => [entry.domain, entry.severity]));
    expect(h.summary()).toEqual({ ...expected, "handmade.example": "noop+media" });

    h.target.clearLog();
    expect((await h.sync()).report.outcome).toBe("up_to_date");
    expect(h.target.writeRequests()).toEqual([]);
  });
});

describe("refused credentials", () => {
  test("a bad target token exits 2 having changed nothing", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.seed({ domain: "existing.example", severity: "silence" });
    const run = await h.sync({ targetToken: "not-a-real-token" });
    expect(run.exitCode).toBe(2);
    expect(run.report.error).toMatchObject({
      code: "auth",
      message: expect.stringContaining("admin:read:domain_blocks"),
    });
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "existing.example": "silence" });
  });

  test("a token whose account may not manage federation (403 not allowed) exits 2, changing nothing", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.seed({ domain: "existing.example", severity: "silence" });
    const run = await h.sync({ targetToken: MASTODON_NOT_STAFF_TOKEN, force: true });
    expect(run.exitCode).toBe(2);
    expect(run.report.error).toMatchObject({ code: "auth" });
    expect(run.report.error?.message).toContain(
      "the target refused the token (GET /api/v1/admin/domain_blocks answered 403: This action is not allowed)",
    );
    expect(run.report.error?.message).toContain("a role that may Manage Federation");
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "existing.example": "silence" });
  });

  test("a token without admin:write:domain_blocks exits 2 at the first write, changing nothing", async () => {
    h = await mastodonHarness([feedEntry("a.example"), feedEntry("b.example")]);
    const run = await h.sync({ targetToken: MASTODON_READ_ONLY_TOKEN, force: true });
    expect(run.exitCode).toBe(2);
    expect(h.target.writeRequests().map((request) => request.status)).toEqual([403]);
    expect(run.report.actions.map((action) => action.status)).toEqual(["failed", "not_attempted"]);
    expect(h.target.blocks()).toEqual([]);
  });
});
