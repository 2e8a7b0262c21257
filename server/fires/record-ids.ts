// The ids of FIRES records (docs/decisions/0023-fires-change-ids.md): one UUIDv7 per change-feed
// row, taken while the list's revision lock is held (`nextRevision` has updated the list's row
// in the same transaction), from max(now, the list's last id + 1). A consumer's `since` cursor
// is the last id it read, so an id must never commit after a larger one of the same list: one
// taken before the lock could (two processes, two clocks), one taken under it cannot.
import { randomBytes } from "node:crypto";
import type { Tx } from "../db/client.js";

/** The cursor before every record (fires-server's GENISIS_ID). */
export const GENESIS_ID = "00000000-0000-7000-a000-000000000000";

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `value` is a UUIDv7 as this service writes it (lowercase, hyphenated). */
export function isRecordId(value: string): boolean {
  return UUIDV7.test(value);
}

/**
 * A UUIDv7 as numbers: its time (48 bits) and a 74-bit counter in three parts (rand_a's 12 bits,
 * then rand_b's 62 as 30 + 32), so that a 50,000-row import takes its ids in a few milliseconds.
 */
interface Parts {
  ms: number;
  a: number;
  hi: number;
  lo: number;
}

const A_MAX = 0xfff;
const HI_MAX = 0x3fffffff;
const LO_MAX = 0xffffffff;

function parse(id: string): Parts {
  const hex = id.replaceAll("-", "");
  return {
    ms: parseInt(hex.slice(0, 12), 16),
    a: parseInt(hex.slice(13, 16), 16),
    hi: parseInt(hex.slice(16, 24), 16) & HI_MAX,
    lo: parseInt(hex.slice(24, 32), 16),
  };
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");

function format({ ms, a, hi, lo }: Parts): string {
  const time = hex(ms, 12);
  const b = hex((hi | 0x80000000) >>> 0, 8);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(a, 3)}-${b.slice(0, 4)}-${b.slice(4)}${hex(lo, 8)}`;
}

/** A random counter in the lower half of its range, so that increments never overflow it. */
function randomCounter(ms: number): Parts {
  const bytes = randomBytes(8);
  return {
    ms,
    a: bytes.readUInt16BE(0) & (A_MAX >> 1),
    hi: bytes.readUInt32BE(2) & HI_MAX,
    lo: bytes.readUInt32BE(4),
  };
}

function increment(parts: Parts): Parts {
  if (parts.lo < LO_MAX) return { ...parts, lo: parts.lo + 1 };
  if (parts.hi < HI_MAX) return { ...parts, hi: parts.hi + 1, lo: 0 };
  if (parts.a < A_MAX) return { ...parts, a: parts.a + 1, hi: 0, lo: 0 };
  return { ms: parts.ms + 1, a: 0, hi: 0, lo: 0 };
}

/**
 * `count` ids, each larger than the one before and than `last`: from `now`'s millisecond with a
 * random counter when that is later than `last`, else `last` + 1 (RFC 9562 §6.2, method 2).
 */
export function recordIdsAfter(last: string | null, now: Date, count: number): string[] {
  const nowMs = now.getTime();
  let parts: Parts = last ? parse(last) : { ms: -1, a: 0, hi: 0, lo: 0 };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    parts = nowMs > parts.ms ? randomCounter(nowMs) : increment(parts);
    ids.push(format(parts));
  }
  return ids;
}

/**
 * Takes the next `count` record ids of a list. Call only after `nextRevision` in the same
 * transaction: its update of the list's row is the lock that orders the ids.
 */
export async function takeRecordIds(
  tx: Tx,
  listId: number,
  count: number,
  now: Date,
): Promise<string[]> {
  if (count === 0) return [];
  const last = await tx.listChange.findFirst({
    where: { listId, firesId: { not: null } },
    orderBy: { firesId: "desc" },
    select: { firesId: true },
  });
  return recordIdsAfter(last?.firesId ?? null, now, count);
}
