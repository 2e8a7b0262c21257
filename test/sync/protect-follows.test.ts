// Issue 13, relationships: --protect-follows N against the fake Mastodon's admin measures, and
// the fake's measures endpoint itself (built from Mastodon's source, see test/fakes/mastodon.ts).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { resolveSyncOptions, SyncConfigError } from "../../server/sync/options.js";
import { formatHuman } from "../../server/sync/report.js";
import { STATE_FILES } from "../../server/sync/state.js";
import { feedEntry } from "../fakes/feed.js";
import {
  MASTODON_ADMIN_TOKEN,
  MASTODON_MEASURES_TOKEN,
  MASTODON_NO_DASHBOARD_TOKEN,
  startFakeMastodon,
  type FakeMastodon,
} from "../fakes/mastodon.js";
import { mastodonHarness, type MastodonHarness } from "./harness.js";

describe("the fake Mastodon's POST /api/v1/admin/measures", () => {
  let fake: FakeMastodon;
  let clock = Date.parse("2026-12-07T12:00:00Z");
  afterEach(async () => {
    await fake.close();
  });

  const follows = (domain: string, extra: Record<string, unknown> = {}) => ({
    keys: ["instance_follows", "instance_followers"],
    start_at: "2026-12-06",
    end_at: "2026-12-07",
    instance_follows: { domain, ...extra },
    instance_followers: { domain, ...extra },
  });

  async function measures(body: unknown, token: string | null = MASTODON_MEASURES_TOKEN) {
    const response = await fetch(`${fake.url}/api/v1/admin/measures`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  }

  async function start() {
    fake = await startFakeMastodon({ now: () => clock });
    fake.seedFollows("big.example", { follows: 7, followers: 2 }, new Date("2026-12-07T08:00Z"));
    fake.seedFollows("a.big.example", { follows: 5 }, new Date("2026-12-06T08:00Z"));
    fake.seedFollows("notbig.example", { follows: 100 });
  }

  test("counts the exact domain, as strings, with a daily series and no previous_total", async () => {
    await start();
    const answer = await measures(follows("big.example"));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual([
      {
        key: "instance_follows",
        unit: null,
        total: "7",
        data: [
          { date: "2026-12-06T00:00:00.000+00:00", value: "0" },
          { date: "2026-12-07T00:00:00.000+00:00", value: "7" },
        ],
      },
      {
        key: "instance_followers",
        unit: null,
        total: "2",
        data: [
          { date: "2026-12-06T00:00:00.000+00:00", value: "0" },
          { date: "2026-12-07T00:00:00.000+00:00", value: "2" },
        ],
      },
    ]);
  });

  test("include_subdomains adds each subdomain it knows (Ruby truthiness: the string false too), never a lookalike", async () => {
    await start();
    const total = async (extra: Record<string, unknown>) =>
      ((await measures(follows("big.example", extra))).json as { total: string }[])[0]!.total;
    expect(await total({ include_subdomains: true })).toBe("12");
    expect(await total({ include_subdomains: "false" })).toBe("12");
    // 12, not 112: notbig.example is no subdomain. Mastodon's cache key writes "false" for the
    // string and the boolean alike, so the boolean is asked after the cache expired.
    clock += 5 * 60 * 1000;
    expect(await total({ include_subdomains: false })).toBe("7");
  });

  test("unknown keys are dropped; a requested key without its params is 400; a bad date 422", async () => {
    await start();
    expect((await measures({ keys: ["no_such_key"] })).json).toEqual([]);
    expect(await measures({ keys: ["instance_follows"], start_at: "2026-12-06" })).toEqual({
      status: 400,
      json: { error: "param is missing or the value is empty: instance_follows" },
    });
    expect(await measures({ ...follows("big.example"), start_at: "yesterday" })).toEqual({
      status: 422,
      json: { error: "Invalid date supplied" },
    });
  });

  test("the whole admin:read scope when a token is sent, then View Dashboard (checked after the params)", async () => {
    await start();
    expect(await measures(follows("big.example"), MASTODON_ADMIN_TOKEN)).toEqual({
      status: 403,
      json: { error: "This action is outside the authorized scopes" },
    });
    expect(await measures(follows("big.example"), "nobody")).toEqual({
      status: 401,
      json: { error: "The access token is invalid" },
    });
    expect(await measures(follows("big.example"), MASTODON_NO_DASHBOARD_TOKEN)).toEqual({
      status: 403,
      json: { error: "This action is not allowed" },
    });
    expect((await measures(follows("big.example"), null)).status).toBe(403);
    // set_measures runs before the policy: bad params answer 400 even without the permission.
    expect(
      (await measures({ keys: ["instance_follows"] }, MASTODON_NO_DASHBOARD_TOKEN)).status,
    ).toBe(400);
  });

  test("answers are cached for 5 minutes per key, range and params", async () => {
    await start();
    const total = async () =>
      ((await measures(follows("big.example"))).json as { total: string }[])[0]!.total;
    expect(await total()).toBe("7");
    fake.seedFollows("big.example", { follows: 3 });
    clock += 4 * 60 * 1000;
    expect(await total()).toBe("7");
    clock += 60 * 1000;
    expect(await total()).toBe("10");
  });
});

describe("fediblock sync --protect-follows N", () => {
  let h: MastodonHarness;
  afterEach(async () => {
    await h.close();
  });

  const measureRequests = () =>
    h.target.requests.filter((request) => request.path === "/api/v1/admin/measures");
  const blockWrites = () =>
    h.target
      .writeRequests()
      .filter((request) => request.path !== "/api/v1/admin/measures")
      .map((request) => `${request.method} ${String(request.body.domain ?? request.path)}`);
  const protectedState = () =>
    JSON.parse(
      fs.readFileSync(path.join(h.pairDir(), STATE_FILES.protectFollows), "utf8"),
    ) as Record<string, unknown>;
  const withMeasures = { targetToken: MASTODON_MEASURES_TOKEN, protectFollows: 10 };

  test("above N a suspension is written as a silence, below N as the suspension; recorded and reported", async () => {
    h = await mastodonHarness([feedEntry("big.example"), feedEntry("small.example")]);
    h.target.seedFollows("big.example", { follows: 11 });
    h.target.seedFollows("small.example", { follows: 10, followers: 10 });
    const run = await h.sync({ ...withMeasures, force: true });
    expect(run.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "big.example": "silence", "small.example": "suspend" });
    expect(measureRequests().map((request) => request.body.instance_follows)).toEqual([
      { domain: "big.example", include_subdomains: true },
      { domain: "small.example", include_subdomains: true },
    ]);
    expect(run.report.protectedFollows).toEqual([
      expect.objectContaining({
        domain: "big.example",
        action: "silence",
        follows: 11,
        followers: 0,
        threshold: 10,
        measuredNow: true,
      }),
    ]);
    expect(protectedState()).toEqual({
      "big.example": expect.objectContaining({ action: "silence", follows: 11, threshold: 10 }),
      // At or below N: kept an hour, so that a run stopped by --max-wait does not ask again.
      "small.example": expect.objectContaining({ action: "suspend", follows: 10, followers: 10 }),
    });
    expect(formatHuman(run.report)).toContain(
      "Protected by --protect-follows 10: big.example silenced instead of suspended: 11 follows, 0 followers",
    );
  });

  test("the next run keeps the silence (no upgrade back, no new measure) while the feed suspends it", async () => {
    h = await mastodonHarness([feedEntry("big.example")]);
    h.target.seedFollows("big.example", { followers: 50 });
    expect((await h.sync({ ...withMeasures, force: true })).exitCode).toBe(0);
    h.target.clearLog();
    const again = await h.sync(withMeasures);
    expect(again.exitCode).toBe(0);
    expect(again.report.outcome).toBe("up_to_date");
    expect(again.report.protectedFollows).toEqual([
      expect.objectContaining({ domain: "big.example", measuredNow: false }),
    ]);
    expect(h.target.writeRequests()).toEqual([]);
    expect(h.summary()).toEqual({ "big.example": "silence" });
  });

  test("an upgrade of a managed silence to a suspension is measured too; follows to a subdomain count", async () => {
    h = await mastodonHarness([feedEntry("big.example", { severity: "silence" })]);
    h.target.seedFollows("social.big.example", { follows: 30 });
    expect((await h.sync({ ...withMeasures, force: true })).exitCode).toBe(0);
    expect(measureRequests()).toEqual([]); // a silence is never measured
    h.feed.setEntries([feedEntry("big.example")]);
    const upgrade = await h.sync(withMeasures);
    expect(upgrade.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "big.example": "silence" });
    expect(upgrade.report.protectedFollows).toEqual([
      expect.objectContaining({ domain: "big.example", follows: 30 }),
    ]);
  });

  test("--protect-follows-action hold: no create, and an upgrade stays what the target has", async () => {
    h = await mastodonHarness([
      feedEntry("big.example"),
      feedEntry("other.example", { severity: "silence" }),
    ]);
    h.target.seedFollows("big.example", { follows: 11 });
    h.target.seedFollows("other.example", { follows: 11 });
    const run = await h.sync({ ...withMeasures, protectFollowsAction: "hold", force: true });
    expect(run.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "other.example": "silence" });
    h.feed.setEntries([feedEntry("big.example"), feedEntry("other.example")]);
    const upgrade = await h.sync({ ...withMeasures, protectFollowsAction: "hold" });
    expect(upgrade.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "other.example": "silence" });
    expect(protectedState()).toEqual({
      "big.example": expect.objectContaining({ action: "hold" }),
      "other.example": expect.objectContaining({ action: "hold" }),
    });
    expect(formatHuman(upgrade.report)).toContain("other.example held (not suspended)");
  });

  test("a record ends when the feed stops suspending the domain: a later suspension is measured anew", async () => {
    h = await mastodonHarness([feedEntry("big.example")]);
    h.target.seedFollows("big.example", { follows: 11 });
    await h.sync({ ...withMeasures, force: true });
    h.feed.setEntries([feedEntry("big.example", { severity: "silence" })]);
    await h.sync(withMeasures);
    expect(protectedState()).toEqual({});
    h.feed.setEntries([feedEntry("big.example")]);
    const later = await h.sync({ ...withMeasures, protectFollows: 100 });
    expect(later.exitCode).toBe(0);
    expect(h.summary()).toEqual({ "big.example": "suspend" });
  });

  test("a waiting budget spent on measures: the rest is held, the plan kept, and the runs converge measuring each domain once", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(2, "0")}.example`);
    h = await mastodonHarness(names.map((name) => feedEntry(name)));
    for (const name of names.slice(0, 5)) h.target.seedFollows(name, { follows: 50 });
    h.target.limitRate(6, 400);
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const first = await h.sync({ ...withMeasures, force: true, maxWaitMs: 100 }, { sleep });
    expect(first.exitCode).toBe(1);
    expect(first.report.stopped).toMatchObject({ reason: "max_wait" });
    expect(first.report.warnings).toEqual([
      expect.stringContaining("suspensions were measured; they are held this run"),
    ]);
    let last = first;
    for (let run = 0; run < 15 && last.exitCode !== 0; run++) {
      await sleep(450); // cron's interval: the rate-limit window is over
      last = await h.sync({ ...withMeasures, maxWaitMs: 100 }, { sleep });
      expect([0, 1]).toContain(last.exitCode);
    }
    expect({
      code: last.exitCode,
      report: last.report.error ?? last.report.stopped ?? last.report.outcome,
    }).toEqual({ code: 0, report: "applied" });
    const summary = h.summary();
    expect(Object.keys(summary)).toEqual(names);
    expect(names.map((name) => summary[name])).toEqual([
      ...Array<string>(5).fill("silence"),
      ...Array<string>(15).fill("suspend"),
    ]);
    expect(
      measureRequests()
        .map((r) => (r.body.instance_follows as { domain: string }).domain)
        .sort(),
    ).toEqual(names);
  });

  test("a dry run measures and reports, and records nothing", async () => {
    h = await mastodonHarness([feedEntry("big.example")]);
    h.target.seedFollows("big.example", { follows: 11 });
    const dry = await h.sync({ ...withMeasures, dryRun: true });
    expect(dry.report.actions).toEqual([
      expect.objectContaining({
        domain: "big.example",
        action: "create",
        after: expect.objectContaining({ severity: "silence" }),
      }),
    ]);
    expect(fs.existsSync(path.join(h.pairDir(), STATE_FILES.protectFollows))).toBe(false);
  });

  test("without admin:read (or View Dashboard) the run exits 2 with what to do, nothing written", async () => {
    h = await mastodonHarness([feedEntry("big.example")]);
    for (const targetToken of [MASTODON_ADMIN_TOKEN, MASTODON_NO_DASHBOARD_TOKEN]) {
      const run = await h.sync({ targetToken, protectFollows: 10, force: true });
      expect(run.exitCode).toBe(2);
      expect(run.report.error).toEqual({
        code: "protect_follows_forbidden",
        message: expect.stringContaining("the whole admin:read scope"),
      });
      expect(run.report.error!.message).toContain("View Dashboard");
    }
    expect(blockWrites()).toEqual([]);
    expect(h.summary()).toEqual({});
  });
});

describe("--protect-follows on the command line", () => {
  const flags = {
    server: "https://lists.example.org",
    token: "fbk_1_secret",
    targetUrl: "https://social.example",
    targetToken: "secret",
  };
  const problems = (extra: Record<string, string>) => {
    try {
      resolveSyncOptions({ ...flags, ...extra }, {});
    } catch (error) {
      if (error instanceof SyncConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  test("is refused for GoToSocial (exit 2: no API counts follows per domain)", () => {
    expect(problems({ target: "gotosocial", protectFollows: "10" })).toEqual([
      expect.stringContaining("only a Mastodon target can count the follows"),
    ]);
  });

  test("takes a whole number and silence or hold", () => {
    expect(
      resolveSyncOptions({ ...flags, target: "mastodon", protectFollows: "25" }, {}),
    ).toMatchObject({ protectFollows: 25, protectFollowsAction: "silence" });
    expect(problems({ target: "mastodon", protectFollows: "many" })).toEqual([
      expect.stringContaining("expected a whole number of follows"),
    ]);
    expect(
      problems({ target: "mastodon", protectFollows: "5", protectFollowsAction: "delete" }),
    ).toEqual([expect.stringContaining("expected silence or hold")]);
    expect(problems({ target: "mastodon", protectFollowsAction: "hold" })).toEqual([
      "--protect-follows-action needs --protect-follows N",
    ]);
  });
});

describe("--protect-follows through the command (the build's bin/fediblock.js)", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith("FEDIBLOCK_")),
      );
      execFile(
        process.execPath,
        [path.join(root, "bin/fediblock.js"), "sync", ...args],
        { cwd: root, env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });

  test("--help names both options and the wider token", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--protect-follows <n>");
    expect(help.stdout).toContain("--protect-follows-action <action>");
    expect(help.stdout).toContain("admin:read and View Dashboard");
  });

  test("a GoToSocial target with --protect-follows exits 2 and says why", async () => {
    const refused = await run([
      "--server=https://lists.example.org",
      "--token=fbk_1_secret",
      "--target=gotosocial",
      "--target-url=https://gts.example",
      "--target-token=secret",
      "--protect-follows=5",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("only a Mastodon target can count the follows");
  });
});
