// The sync harness for the targets without per-block comments (Misskey, Akkoma, Lemmy): a fake
// feed, a fake target, a state directory, and `runSync` in-process, as harness.ts does for
// Mastodon and GoToSocial; and the pair's ownership ledger, read as the sync wrote it.
import fs from "node:fs";
import path from "node:path";
import { LEDGER_FILE } from "../../server/sync/ledger.js";
import type { SyncOptions } from "../../server/sync/options.js";
import type { SyncReport } from "../../server/sync/report.js";
import { runSync } from "../../server/sync/run.js";
import { stateDirFor } from "../../server/sync/state.js";
import type { HttpSettings } from "../../server/sync/http.js";
import { FEED_TOKEN, startFakeFeed, type FakeFeed, type FeedEntry } from "../fakes/feed.js";
import type { FakeServer } from "../fakes/fake-server.js";
import { AKKOMA_ADMIN_TOKEN, startFakeAkkoma, type FakeAkkoma } from "../fakes/akkoma.js";
import { LEMMY_ADMIN_JWT, startFakeLemmy, type FakeLemmy } from "../fakes/lemmy.js";
import { MISSKEY_ADMIN_TOKEN, startFakeMisskey, type FakeMisskey } from "../fakes/misskey.js";
import { FAST_HTTP, tempDir, type SyncRun } from "./harness.js";

export class FamilyHarness<Fake extends FakeServer> {
  readonly feed: FakeFeed;
  readonly target: Fake;
  readonly kind: SyncOptions["target"];
  readonly targetToken: string;
  readonly stateDir = tempDir();

  constructor(feed: FakeFeed, target: Fake, kind: SyncOptions["target"], targetToken: string) {
    this.feed = feed;
    this.target = target;
    this.kind = kind;
    this.targetToken = targetToken;
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

  pairDir(): string {
    return stateDirFor(this.stateDir, this.options());
  }

  ledgerFile(): string {
    return path.join(this.pairDir(), LEDGER_FILE);
  }

  /** The hosts the ledger says the sync wrote (pending writes included), sorted. */
  ledgerHosts(): string[] {
    if (!fs.existsSync(this.ledgerFile())) return [];
    const document = JSON.parse(fs.readFileSync(this.ledgerFile(), "utf8")) as {
      hosts: Record<string, unknown>;
    };
    return Object.keys(document.hosts).sort();
  }

  async sync(
    overrides: Partial<SyncOptions> = {},
    http: Partial<HttpSettings> = {},
  ): Promise<SyncRun> {
    let stdout = "";
    let stderr = "";
    const exitCode = await runSync(this.options(overrides), {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      http: { ...FAST_HTTP, ...http },
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

export async function misskeyHarness(
  entries: FeedEntry[] = [],
  options: Parameters<typeof startFakeMisskey>[0] = {},
): Promise<FamilyHarness<FakeMisskey>> {
  return new FamilyHarness(
    await startFakeFeed(entries),
    await startFakeMisskey(options),
    "misskey",
    MISSKEY_ADMIN_TOKEN,
  );
}

export async function akkomaHarness(
  entries: FeedEntry[] = [],
  options: Parameters<typeof startFakeAkkoma>[0] = {},
): Promise<FamilyHarness<FakeAkkoma>> {
  return new FamilyHarness(
    await startFakeFeed(entries),
    await startFakeAkkoma(options),
    "akkoma",
    AKKOMA_ADMIN_TOKEN,
  );
}

export async function lemmyHarness(
  entries: FeedEntry[] = [],
  options: Parameters<typeof startFakeLemmy>[0] = {},
): Promise<FamilyHarness<FakeLemmy>> {
  return new FamilyHarness(
    await startFakeFeed(entries),
    await startFakeLemmy(options),
    "lemmy",
    LEMMY_ADMIN_JWT,
  );
}
