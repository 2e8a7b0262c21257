// Starts a fake list server feed and a fake target for one test, and runs `runSync` in-process
// against them with short retry delays. Every harness has its own state directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SyncOptions } from "../../server/sync/options.js";
import type { SyncReport } from "../../server/sync/report.js";
import { runSync } from "../../server/sync/run.js";
import { prepareStateDir, stateDirFor } from "../../server/sync/state.js";
import type { BlockFields } from "../../server/sync/block.js";
import { markPrivateComment, type MarkerScope } from "../../server/sync/marker.js";
import { createMarkerKey, loadMarkerKey } from "../../server/sync/marker-key.js";
import type { HttpSettings } from "../../server/sync/http.js";
import type { LockSettings } from "../../server/sync/lock.js";
import { FEED_TOKEN, startFakeFeed, type FakeFeed, type FeedEntry } from "../fakes/feed.js";
import {
  GOTOSOCIAL_ADMIN_TOKEN,
  startFakeGoToSocial,
  type FakeGoToSocial,
} from "../fakes/gotosocial.js";
import { MASTODON_ADMIN_TOKEN, startFakeMastodon, type FakeMastodon } from "../fakes/mastodon.js";

export const FAST_HTTP: Partial<HttpSettings> = {
  timeoutMs: 2_000,
  retries: 2,
  baseDelayMs: 1,
  maxDelayMs: 5,
};

export interface SyncRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The --json report (runs are --json unless `json: false` is passed). */
  report: SyncReport;
}

/**
 * One forced or unforced `--json` sync of a fake Mastodon from a real list server (the service
 * in-process), as a subscriber's cron job would run it.
 */
export async function syncFromService(run: {
  server: string;
  token: string;
  target: FakeMastodon;
  stateDir: string;
  force: boolean;
}): Promise<{ code: number; report: SyncReport }> {
  let stdout = "";
  const code = await runSync(
    {
      server: new URL(run.server),
      token: run.token,
      target: "mastodon",
      targetUrl: new URL(run.target.url),
      targetToken: MASTODON_ADMIN_TOKEN,
      dryRun: false,
      deleteRetracted: true,
      maxChanges: undefined,
      force: run.force,
      stateDir: run.stateDir,
      json: true,
    },
    { stdout: (text) => (stdout += text), stderr: () => {}, http: FAST_HTTP },
  );
  return { code, report: JSON.parse(stdout) as SyncReport };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "fediblock-sync-test-"));
}

abstract class Harness<Target extends FakeMastodon | FakeGoToSocial> {
  readonly feed: FakeFeed;
  readonly target: Target;
  readonly stateDir = tempDir();
  abstract readonly kind: SyncOptions["target"];
  abstract readonly targetToken: string;

  constructor(feed: FakeFeed, target: Target) {
    this.feed = feed;
    this.target = target;
  }

  /** The folder of this harness's (list server, target) pair in the state directory. */
  pairDir(): string {
    return stateDirFor(this.stateDir, this.options());
  }

  /** The marker key of this pair (created in its state folder if need be) and its scope. */
  markerScope(): MarkerScope {
    const dir = this.pairDir();
    prepareStateDir(dir);
    const { key } = loadMarkerKey(dir) ?? createMarkerKey(dir);
    return {
      key,
      targetHost: new URL(this.target.url).host,
      serverHost: new URL(this.feed.url).host,
    };
  }

  /** The private comment the sync writes on a block of `domain` with `fields`. */
  mark(block: BlockFields & { domain: string }, note = ""): string {
    return markPrivateComment(note, this.markerScope(), block.domain, block);
  }

  options(overrides: Partial<SyncOptions> = {}): SyncOptions {
    return {
      server: new URL(this.feed.url),
      token: FEED_TOKEN,
      target: this.kind,
      targetUrl: new URL(this.target.url),
      targetToken: this.targetToken,
      dryRun: false,
      deleteRetracted: true,
      maxChanges: undefined,
      force: false,
      stateDir: this.stateDir,
      json: true,
      ...overrides,
    };
  }

  async sync(
    overrides: Partial<SyncOptions> = {},
    http: Partial<HttpSettings> = {},
    lock: Partial<LockSettings> = {},
  ): Promise<SyncRun> {
    let stdout = "";
    let stderr = "";
    const exitCode = await runSync(this.options(overrides), {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      http: { ...FAST_HTTP, ...http },
      lock,
    });
    const json = overrides.json ?? true;
    return {
      exitCode,
      stdout,
      stderr,
      report: json ? (JSON.parse(stdout) as SyncReport) : ({} as SyncReport),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.feed.close(), this.target.close()]);
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

export class MastodonHarness extends Harness<FakeMastodon> {
  readonly kind = "mastodon" as const;
  readonly targetToken = MASTODON_ADMIN_TOKEN;

  /** The blocks on the fake, by domain, as `severity` or `severity+media+reports`. */
  summary(): Record<string, string> {
    const summary: Record<string, string> = {};
    for (const block of this.target.blocks().sort((a, b) => (a.domain < b.domain ? -1 : 1))) {
      summary[block.domain] = [
        block.severity,
        block.reject_media && "media",
        block.reject_reports && "reports",
      ]
        .filter(Boolean)
        .join("+");
    }
    return summary;
  }
}

export class GoToSocialHarness extends Harness<FakeGoToSocial> {
  readonly kind = "gotosocial" as const;
  readonly targetToken = GOTOSOCIAL_ADMIN_TOKEN;
}

export async function mastodonHarness(
  entries: FeedEntry[] = [],
  options: Parameters<typeof startFakeMastodon>[0] = {},
): Promise<MastodonHarness> {
  return new MastodonHarness(await startFakeFeed(entries), await startFakeMastodon(options));
}

export async function gotosocialHarness(
  entries: FeedEntry[] = [],
  options: Parameters<typeof startFakeGoToSocial>[0] = {},
): Promise<GoToSocialHarness> {
  return new GoToSocialHarness(await startFakeFeed(entries), await startFakeGoToSocial(options));
}

export function domains(count: number, suffix = "example"): string[] {
  return Array.from({ length: count }, (_, i) => `bad${String(i).padStart(3, "0")}.${suffix}`);
}
