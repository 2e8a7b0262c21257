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

const COUNTER_BITS = 74n; // rand_a (12 bits) and rand_b (62 bits) read as one number
const COUNTER_MAX = (1n << COUNTER_BITS) - 1n;

/** A UUIDv7's time (ms) and its 74 counter bits. */
function parse(id: string): { ms: bigint; counter: bigint } {
  const hex = id.replaceAll("-", "");
  const ms = BigInt(`0x${hex.slice(0, 12)}`);
  const randA = BigInt(`0x${hex.slice(13, 16)}`);
  const randB = BigInt(`0x${hex.slice(16, 32)}`) & ((1n << 62n) - 1n);
  return { ms, counter: (randA << 62n) | randB };
}

function format(ms: bigint, counter: bigint): string {
  const randA = counter >> 62n;
  const randB = (counter & ((1n << 62n) - 1n)) | (2n << 62n);
  const hex =
    ms.toString(16).padStart(12, "0") +
    "7" +
    randA.toString(16).padStart(3, "0") +
    randB.toString(16).padStart(16, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random counter in the lower half of its range, so that increments never overflow it. */
function randomCounter(): bigint {
  const bytes = randomBytes(10);
  return BigInt(`0x${bytes.toString("hex")}`) & (COUNTER_MAX >> 1n);
}

/**
 * `count` ids, each larger than the one before and than `last`: from `now`'s millisecond with a
 * random counter when that is later than `last`, else `last` + 1 (RFC 9562 §6.2, method 2).
 */
export function recordIdsAfter(last: string | null, now: Date, count: number): string[] {
  const nowMs = BigInt(now.getTime());
  let { ms, counter } = last ? parse(last) : { ms: -1n, counter: 0n };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    if (nowMs > ms) {
      ms = nowMs;
      counter = randomCounter();
    } else if (counter === COUNTER_MAX) {
      ms += 1n;
      counter = 0n;
    } else {
      counter += 1n;
    }
    ids.push(format(ms, counter));
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
