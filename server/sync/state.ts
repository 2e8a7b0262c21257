// The state directory: one folder per (list server, target) pair. Every file the sync keeps is
// named here, so that the layout is documented in one place (docs/sync.md §3 repeats it):
//
//   lock                 the run's lock and heartbeat (lock.ts)
//   feed.json            the last feed, as the list server sent it (feed.ts)
//   feed-meta.json       its URL, ETag and Last-Modified, for the conditional GET (feed.ts)
//   marker.key           the secret key of the ownership marker's HMAC (marker-key.ts)
//   markers.json         whether old, unkeyed markers were upgraded to keyed ones (run.ts)
//   failures.json        domains whose action failed, and for how many runs in a row (progress.ts)
//   allow-broad.json     public suffixes the operator approved with --allow-broad (reach.ts)
//   reviews.json         what a dry run showed for --adopt, which the real run must match (run.ts)
//   pending-plan.json    a plan stopped by --max-wait, carried on by the next run (progress.ts)
//   ledger.json          Misskey, Akkoma, Lemmy: the hosts the sync wrote, with its markers (ledger.ts)
//   protect-follows.json domains kept from a suspension by --protect-follows (protect.ts)
//
// The folder is 0700 and every file 0600, whatever the umask: the key and the feed are secret.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TargetKind } from "./targets/target.js";

export const STATE_FILES = {
  lock: "lock",
  feed: "feed.json",
  feedMeta: "feed-meta.json",
  markerKey: "marker.key",
  markers: "markers.json",
  failures: "failures.json",
  allowBroad: "allow-broad.json",
  reviews: "reviews.json",
  pendingPlan: "pending-plan.json",
  protectFollows: "protect-follows.json",
} as const;

export interface StatePair {
  server: URL;
  target: TargetKind;
  targetUrl: URL;
}

/** `<base>/<list host>--<target kind>-<target host>-<8 hex of both URLs>`, readable and unique. */
export function stateDirFor(base: string, pair: StatePair): string {
  const slug = (text: string) => text.replace(/[^a-z0-9.-]+/gi, "_");
  const hash = createHash("sha256")
    .update(`${pair.server.href}\n${pair.target}\n${pair.targetUrl.href}`)
    .digest("hex")
    .slice(0, 8);
  const name = `${slug(pair.server.host)}--${pair.target}-${slug(pair.targetUrl.host)}-${hash}`;
  return path.join(base, name);
}

/** Creates the pair's folder (and the base) as 0700; an existing pair folder is made 0700. */
export function prepareStateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is reduced by the umask, and an existing folder keeps its own: set it.
  fs.chmodSync(dir, 0o700);
}

/** Writes a file whole or not at all, so a killed run never leaves half a feed behind. */
export function writeFileAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

/** A JSON state file, or `fallback` when it is missing or unreadable. */
export function readState<T>(dir: string, name: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as T;
  } catch {
    return fallback;
  }
}

export function writeState(dir: string, name: string, value: unknown): void {
  writeFileAtomically(path.join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
}

export function removeState(dir: string, name: string): void {
  fs.rmSync(path.join(dir, name), { force: true });
}
