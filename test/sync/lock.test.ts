import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { acquireLock, stateDirFor } from "../../server/sync/state.js";
import { feedEntry } from "../fakes/feed.js";
import { mastodonHarness, tempDir, type MastodonHarness } from "./harness.js";

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

  test("a stale lock left by a dead process is taken over", async () => {
    h = await mastodonHarness([feedEntry("a.example")]);
    const dir = stateDirFor(h.stateDir, h.options());
    fs.mkdirSync(dir, { recursive: true });
    const dead = {
      pid: 2 ** 22 + 12345,
      hostname: os.hostname(),
      startedAt: "2025-01-01T00:00:00.000Z",
    };
    fs.writeFileSync(path.join(dir, "lock"), JSON.stringify(dead));
    const run = await h.sync({ force: true });
    expect(run.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, "lock"))).toBe(false);
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
  test("a lock held by a live process is refused; released, it can be taken again", () => {
    const dir = tempDir();
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
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
