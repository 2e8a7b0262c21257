// The state directory: one folder per (list server, target) pair holding the lock (lock.ts) and
// the last feed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TargetKind } from "./targets/target.js";

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

export function prepareStateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Writes a file whole or not at all, so a killed run never leaves half a feed behind. */
export function writeFileAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
