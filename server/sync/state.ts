// The state directory: one folder per (list server, target) pair holding the lock and the last
// feed. The lock is a file created exclusively; a lock whose process is gone is taken over.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
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

export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

export type LockResult =
  | { acquired: true; release: () => void }
  | { acquired: false; holder: LockHolder | null; file: string };

const LOCK_FILE = "lock";

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt) };
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const UNREADABLE_LOCK_GRACE_MS = 60_000;

function isStale(file: string, holder: LockHolder | null): boolean {
  if (holder === null) {
    // Unreadable: a run that died between creating and writing the file, or one writing it now.
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
    } catch {
      return false;
    }
  }
  // A lock from another machine (a shared state directory) cannot be checked: assume it is live.
  return holder.hostname === os.hostname() && !isRunning(holder.pid);
}

function tryCreate(file: string, holder: LockHolder): boolean {
  try {
    fs.writeFileSync(file, JSON.stringify(holder), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Moves a stale lock out of the way. Renaming is atomic, so of two runs taking over the same
 * stale lock only one moves it; if what was moved is not the stale lock we read (another run
 * took over in between), it is put back.
 */
function removeStaleLock(file: string, stale: LockHolder | null): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (moved?.pid === stale?.pid && moved?.startedAt === stale?.startedAt) {
    fs.rmSync(aside, { force: true });
  } else {
    fs.renameSync(aside, file);
  }
}

export function acquireLock(dir: string, pid = process.pid): LockResult {
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file, me)) {
      return {
        acquired: true,
        release: () => {
          const current = readHolder(file);
          if (current?.pid === me.pid && current.startedAt === me.startedAt) {
            fs.rmSync(file, { force: true });
          }
        },
      };
    }
    const holder = readHolder(file);
    if (!isStale(file, holder)) return { acquired: false, holder, file };
    removeStaleLock(file, holder);
  }
  return { acquired: false, holder: readHolder(file), file };
}
