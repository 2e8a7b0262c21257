import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { acquireLock, type LockHolder } from "../../server/sync/lock.js";
import { stateDirFor } from "../../server/sync/state.js";
import { FEED_TOKEN, feedEntry } from "../fakes/feed.js";
import { MASTODON_ADMIN_TOKEN } from "../fakes/mastodon.js";
import { assertBuilt, fediblockBin } from "../support/cli.js";
import { mastodonHarness, tempDir, type MastodonHarness } from "./harness.js";

const MINUTE = 60_000;

/** Leaves a lock file as another run would have, last touched `ageMs` ago. */
function leaveLock(dir: string, holder: LockHolder, ageMs = 0): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "lock");
  fs.writeFileSync(file, JSON.stringify(holder));
  const touched = new Date(Date.now() - ageMs);
  fs.utimesSync(file, touched, touched);
  return file;
}

const elsewhere = (pid = 1): LockHolder => ({
  pid,
  hostname: "sync-7f9c-abcde",
  startedAt: "2025-01-01T00:00:00.000Z",
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the lock", () => {
  let h: MastodonHarness;
  afterEach(async () => {
    await h.close();
  });

  test("a second concurrent run exits 5 at once, naming the holder, and writes nothing", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.slowDown(300);
    let firstDone = false;
    const first = h.sync({ force: true }).then((run) => {
      firstDone = true;
      return run;
    });
    const second = await h.sync();
    expect(firstDone).toBe(false);
    expect(second.exitCode).toBe(5);
    expect(second.report.error?.message).toMatch(
      new RegExp(
        `another sync for this list server and target is running \\(pid ${process.pid} on ${os.hostname()}`,
      ),
    );
    expect((await first).exitCode).toBe(0);
    expect(h.target.writeRequests()).toHaveLength(1);
    expect((await h.sync()).exitCode).toBe(0);
  });

  test("a stale lock left by a dead process on this host is taken over, with a warning", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const dead = { pid: 2 ** 22 + 12345, hostname: os.hostname(), startedAt: "2025-01-01" };
    const file = leaveLock(h.pairDir(), dead);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.warnings).toEqual([
      `took over a stale lock (pid ${dead.pid} on ${os.hostname()}, started 2025-01-01): its process is gone; lock: ${file}`,
    ]);
    expect(fs.existsSync(file)).toBe(false);
  });

  test("a lock naming our own pid on this host is an earlier run's, and is taken over", async () => {
    // A container gives every run the same pid (often 1) and, with --hostname, the same host.
    h = await mastodonHarness([feedEntry("a.example")]);
    leaveLock(h.pairDir(), { pid: process.pid, hostname: os.hostname(), startedAt: "earlier" });
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(run.report.warnings).toEqual([
      expect.stringContaining("it names this process's pid, so an earlier run left it"),
    ]);
    expect(h.summary()).toEqual({ "a.example": "suspend" });
  });

  test("a lock from another host that is not refreshed for 10 minutes is taken over", async () => {
    // `docker run --rm` and Kubernetes CronJobs get a new hostname each run: a killed run's lock
    // can only be recognized by its age.
    h = await mastodonHarness([feedEntry("a.example")]);
    const file = leaveLock(h.pairDir(), elsewhere(), 11 * MINUTE);
    const run = await h.sync({ force: true, json: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `Warning: took over a stale lock (pid 1 on sync-7f9c-abcde, started 2025-01-01T00:00:00.000Z): it was not refreshed for 11 minutes; lock: ${file}`,
    );
    expect(h.summary()).toEqual({ "a.example": "suspend" });
    expect(fs.existsSync(file)).toBe(false);
  });

  test("a fresh lock from another host is live: exit 5, nothing written", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const file = leaveLock(h.pairDir(), elsewhere(), 9 * MINUTE);
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(5);
    expect(run.report.error?.message).toMatch(
      /running \(pid 1 on sync-7f9c-abcde, started 2025-01-01T00:00:00\.000Z, last refreshed \d{4}-\d\d-\d\dT[\d:.]+Z\); lock: /,
    );
    expect(h.target.requests).toEqual([]);
    expect(fs.existsSync(file)).toBe(true);
  });

  test("the heartbeat keeps a long run's lock fresh, so no other host takes it over", async () => {
    h = await mastodonHarness(["a", "b", "c"].map((name) => feedEntry(`${name}.example`)));
    h.target.slowDown(100);
    const settings = { heartbeatMs: 20, staleAfterMs: 150 };
    const run = h.sync({ force: true }, {}, settings);
    await sleep(400);
    const file = path.join(h.pairDir(), "lock");
    const holder = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
    // The run is older than the staleness bound, but its lock was touched just now.
    expect(Date.now() - Date.parse(holder.startedAt)).toBeGreaterThan(settings.staleAfterMs);
    expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(settings.staleAfterMs);
    const other = acquireLock(h.pairDir(), { ...settings, hostname: "another-host", pid: 1 });
    expect(other).toMatchObject({ acquired: false, holder: { pid: process.pid } });
    expect((await run).exitCode).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  test("separate (server, target) pairs have separate state and locks", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const base = h.options();
    const other = stateDirFor(h.stateDir, { ...base, targetUrl: new URL("https://other.example") });
    expect(other).not.toBe(stateDirFor(h.stateDir, base));
    fs.mkdirSync(other, { recursive: true });
    const held = acquireLock(other);
    expect(held.acquired).toBe(true);
    expect((await h.sync({ force: true })).exitCode).toBe(0);
    if (held.acquired) held.release();
  });
});

describe("acquireLock", () => {
  let dir: string;
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a lock held by this process is refused; released, it can be taken again", () => {
    dir = tempDir();
    const first = acquireLock(dir);
    const second = acquireLock(dir);
    expect(first.acquired).toBe(true);
    expect(second).toMatchObject({
      acquired: false,
      holder: { pid: process.pid },
      file: path.join(dir, "lock"),
    });
    if (first.acquired) first.release();
    expect(acquireLock(dir).acquired).toBe(true);
  });

  test("another host's lock is live until it has not been touched for staleAfterMs", () => {
    dir = tempDir();
    const file = leaveLock(dir, elsewhere());
    const touched = fs.statSync(file).mtimeMs;
    const at = (ms: number) => acquireLock(dir, { now: () => touched + ms });
    expect(at(10 * MINUTE - 1000)).toMatchObject({ acquired: false, holder: elsewhere() });
    const taken = at(10 * MINUTE + 1000);
    expect(taken).toMatchObject({
      acquired: true,
      tookOver: { holder: elsewhere(), reason: "it was not refreshed for 10 minutes" },
    });
    if (taken.acquired) taken.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test("the heartbeat touches the lock with the clock's time while it is held", async () => {
    dir = tempDir();
    let clock = Date.parse("2025-06-01T12:00:00Z");
    const held = acquireLock(dir, { now: () => clock, heartbeatMs: 10 });
    expect(held.acquired).toBe(true);
    const file = path.join(dir, "lock");
    expect(fs.statSync(file).mtimeMs).toBe(clock);
    clock += 9 * MINUTE;
    await sleep(50);
    expect(fs.statSync(file).mtimeMs).toBe(clock);
    // 18 minutes after the start, but touched 9 minutes ago: still live for another host.
    clock += 9 * MINUTE;
    const other = acquireLock(dir, { now: () => clock, hostname: "another-host", pid: 1 });
    expect(other.acquired).toBe(false);
    if (held.acquired) held.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test("release leaves alone a lock that another run took over meanwhile", () => {
    dir = tempDir();
    const held = acquireLock(dir, { heartbeatMs: 10 * MINUTE });
    const file = path.join(dir, "lock");
    fs.writeFileSync(file, JSON.stringify(elsewhere(7)));
    if (held.acquired) held.release();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(elsewhere(7));
  });
});

describe("fediblock sync stopped by a signal", () => {
  let h: MastodonHarness;
  afterEach(async () => {
    await h.close();
  });

  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s releases the lock and exits %i", async (signal, code) => {
    assertBuilt();
    h = await mastodonHarness([feedEntry("a.example")]);
    h.target.slowDown(20_000);
    const child = spawn(
      process.execPath,
      [
        fediblockBin,
        "sync",
        "--server",
        h.feed.url,
        "--token",
        FEED_TOKEN,
        "--target",
        "mastodon",
        "--target-url",
        h.target.url,
        "--target-token",
        MASTODON_ADMIN_TOKEN,
        "--state",
        h.stateDir,
        "--force",
        "--json",
      ],
      { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const lock = path.join(h.pairDir(), "lock");
    // Wait until the run holds the lock and waits for the slow target.
    for (let i = 0; i < 200 && h.target.requests.length === 0; i++) await sleep(25);
    expect(fs.existsSync(lock)).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(fs.existsSync(lock)).toBe(false);
    expect(stderr).toContain(
      `fediblock sync: stopped by ${signal}; the lock is released, and the next run picks up where this one stopped`,
    );
    expect(JSON.parse(stdout)).toMatchObject({
      outcome: "failed",
      exitCode: code,
      error: { code: "interrupted" },
    });
    expect(h.target.writeRequests()).toEqual([]);
  });
});
