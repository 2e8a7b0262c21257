// The lock in a state directory, so that two syncs of one (list server, target) pair never
// overlap. It is a file created exclusively, naming its holder; while a run holds it, a
// heartbeat touches the file's modification time. A lock is taken over (stale) when:
// - its holder is on this host and its process is gone, or it names our own pid (a previous run
//   of ours: containers give every run the same pid, often 1), unless this very process holds it;
// - its file was not touched for `staleAfterMs`, whoever holds it: the only sign of life a lock
//   from another host (a shared state directory, or a container with a new hostname every run)
//   can give.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Unique to one acquisition: tells this run's lock from an earlier run's with the same pid. */
  id?: string;
}

export interface LockSettings {
  /** How often a held lock's file is touched. */
  heartbeatMs: number;
  /** A lock whose file was not touched for this long is stale, whoever holds it. */
  staleAfterMs: number;
  now: () => number;
  hostname: string;
  pid: number;
}

export const DEFAULT_LOCK_SETTINGS: LockSettings = {
  heartbeatMs: 60_000,
  staleAfterMs: 10 * 60_000,
  now: Date.now,
  hostname: os.hostname(),
  pid: process.pid,
};

/** A stale lock this run took over: whose it was and why it was stale. */
export interface TakeOver {
  holder: LockHolder | null;
  reason: string;
}

export type LockResult =
  | { acquired: true; file: string; tookOver: TakeOver | null; release: () => void }
  | { acquired: false; file: string; holder: LockHolder | null; refreshedAt: Date | null };

export const LOCK_FILE = "lock";
/** An unreadable lock: a run that died between creating and writing the file, or one writing it now. */
const UNREADABLE_LOCK_GRACE_MS = 60_000;

/** The ids of the locks this process holds (two syncs may run in one process, as in tests). */
const heldHere = new Set<string>();

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return null;
    const holder: LockHolder = {
      pid: parsed.pid,
      hostname: parsed.hostname,
      startedAt: String(parsed.startedAt),
    };
    if (typeof parsed.id === "string") holder.id = parsed.id;
    return holder;
  } catch {
    return null;
  }
}

function refreshedAt(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
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

function minutes(ms: number): string {
  const whole = Math.floor(ms / 60_000);
  return whole === 1 ? "1 minute" : `${whole} minutes`;
}

/** Why the lock is stale, or null when its holder may still be running. */
function staleness(
  holder: LockHolder | null,
  touchedAt: number,
  settings: LockSettings,
): string | null {
  const age = settings.now() - touchedAt;
  if (holder === null) {
    return age > UNREADABLE_LOCK_GRACE_MS ? "the lock file is unreadable" : null;
  }
  if (holder.id !== undefined && heldHere.has(holder.id)) return null;
  if (holder.hostname === settings.hostname) {
    if (holder.pid === settings.pid) {
      return "it names this process's pid, so an earlier run left it";
    }
    if (!isRunning(holder.pid)) return "its process is gone";
  }
  if (age > settings.staleAfterMs) return `it was not refreshed for ${minutes(age)}`;
  return null;
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

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  return a?.pid === b?.pid && a?.startedAt === b?.startedAt && a?.id === b?.id;
}

/**
 * Moves a stale lock out of the way. Renaming is atomic, so of two runs taking over the same
 * stale lock only one moves it; if what was moved is not the stale lock we read (another run
 * took over in between), it is put back.
 */
function removeStaleLock(file: string, stale: LockHolder | null, pid: number): boolean {
  const aside = `${file}.stale.${pid}.${randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false;
  }
  if (sameHolder(readHolder(aside), stale)) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  fs.renameSync(aside, file);
  return false;
}

function touch(file: string, at: number): void {
  const time = new Date(at);
  fs.utimesSync(file, time, time);
}

function holdLock(file: string, me: LockHolder, settings: LockSettings, tookOver: TakeOver | null) {
  const id = me.id!;
  heldHere.add(id);
  touch(file, settings.now());
  const heartbeat = setInterval(() => {
    try {
      if (readHolder(file)?.id === id) touch(file, settings.now());
      else clearInterval(heartbeat);
    } catch {
      // The state directory went away or is read-only now: the run itself will notice.
    }
  }, settings.heartbeatMs);
  heartbeat.unref();
  let released = false;
  return {
    acquired: true as const,
    file,
    tookOver,
    release: () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldHere.delete(id);
      if (readHolder(file)?.id === id) fs.rmSync(file, { force: true });
    },
  };
}

export function acquireLock(dir: string, overrides: Partial<LockSettings> = {}): LockResult {
  const settings = { ...DEFAULT_LOCK_SETTINGS, ...overrides };
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = {
    pid: settings.pid,
    hostname: settings.hostname,
    startedAt: new Date(settings.now()).toISOString(),
    id: randomBytes(8).toString("hex"),
  };
  let tookOver: TakeOver | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, me)) return holdLock(file, me, settings, tookOver);
    const holder = readHolder(file);
    const touchedAt = refreshedAt(file);
    if (touchedAt === null) continue; // released meanwhile: try again
    const reason = staleness(holder, touchedAt, settings);
    if (reason === null) {
      return { acquired: false, file, holder, refreshedAt: new Date(touchedAt) };
    }
    if (removeStaleLock(file, holder, settings.pid)) tookOver = { holder, reason };
  }
  const touchedAt = refreshedAt(file);
  return {
    acquired: false,
    file,
    holder: readHolder(file),
    refreshedAt: touchedAt === null ? null : new Date(touchedAt),
  };
}
