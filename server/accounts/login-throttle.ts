// The sign-in throttle (SPEC §9, issue 12): failed sign-ins are rows in the database, so every
// service process counts the same attempts. Three limits, over a sliding window:
//
// - per (account, address): a few failures, then that address waits until the oldest ages out;
// - per address (IPv6 counted per /64): more failures, across every account, then it waits;
// - per account, from every address: a soft limit past which an address that has already failed
//   waits a Retry-After that doubles with each further failure. An address that has not failed
//   is never held back by it, so a correct password from the owner's usual address signs in while
//   the account is being guessed at from elsewhere: nobody can lock a curator out by failing in
//   their name.
//
// An attempt is written as a failure before the password is checked, and deleted when it turns
// out right, so that parallel guesses see each other. Nothing ever sleeps on the server: a
// refused attempt is answered 429 at once with Retry-After.
import { isIP } from "node:net";
import type { Clock } from "../clock.js";
import type { Database, Tx } from "../db/client.js";
import { throttled } from "../errors.js";

export interface ThrottleLimits {
  windowMs: number;
  /** Failures of one account from one address. */
  perAccountAddress: number;
  /** Failures from one address, whatever the account. */
  perAddress: number;
  /** Failures of one account from every address, before an address that failed must wait. */
  accountSoftLimit: number;
  /** The first wait past the soft limit; doubled with each further failure. */
  accountDelayMs: number;
  accountMaxDelayMs: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  perAccountAddress: 5,
  perAddress: 20,
  accountSoftLimit: 10,
  accountDelayMs: 30_000,
  accountMaxDelayMs: 15 * 60_000,
};

export interface SignInAttempt {
  /** The password was right: the attempt and this address's failures for the account go. */
  succeeded(): Promise<void>;
}

/** The account a user name signs in as: trimmed and lowercased, as verifyLogin reads it. */
export function accountKey(username: string): string {
  return username.trim().toLowerCase();
}

/** The address an attempt is counted under: IPv4 as it is, IPv6 as its /64 (one subscriber's
 * network hands out a /64, so each of its addresses must not buy fresh attempts). */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const headGroups = groups(head);
  const missing = 8 - headGroups.length - groups(tail).length;
  const full = address.includes("::")
    ? [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...groups(tail)]
    : headGroups;
  const prefix = full.slice(0, 4).map((group) => group.padStart(4, "0"));
  return `${prefix.join(":")}::/64`;
}

export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Starts a sign-in attempt: answers 429 (with Retry-After) when a limit holds, else writes the
   * attempt as a failure, so that parallel attempts count each other, and answers the handle
   * that forgives it when the password is right.
   */
  async begin(username: string, address: string): Promise<SignInAttempt> {
    const account = accountKey(username);
    const from = addressKey(address);
    const id = await this.db.transaction(async (tx) => {
      await this.serialize(tx, account, from);
      const now = this.clock.now();
      const since = new Date(now.getTime() - this.limits.windowMs);
      await tx.signInFailure.deleteMany({ where: { at: { lte: since } } });
      await this.assertAllowed(tx, account, from, now);
      const row = await tx.signInFailure.create({ data: { account, address: from, at: now } });
      return row.id;
    });
    return {
      succeeded: async () => {
        await this.db.prisma.signInFailure.deleteMany({
          where: { OR: [{ id }, { account, address: from }] },
        });
      },
    };
  }

  /**
   * Concurrent attempts on one account or from one address check and write one at a time. A
   * SQLite write transaction holds the database's write lock already; PostgreSQL takes a
   * transaction-scoped advisory lock per key, in one order so that two attempts cannot deadlock.
   */
  private async serialize(tx: Tx, account: string, from: string): Promise<void> {
    if (this.db.dialect !== "postgres") return;
    for (const key of [`sign-in account ${account}`, `sign-in address ${from}`].sort()) {
      await tx.$queryRawUnsafe("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended($1, 0))", key);
    }
  }

  private async assertAllowed(tx: Tx, account: string, from: string, now: Date): Promise<void> {
    const { perAccountAddress, perAddress, accountSoftLimit } = this.limits;
    const waitUntilAgedOut = (oldest: Date) =>
      (oldest.getTime() + this.limits.windowMs - now.getTime()) / 1000;

    const pair = await tx.signInFailure.findMany({
      where: { account, address: from },
      orderBy: { at: "asc" },
      select: { at: true },
      take: perAccountAddress,
    });
    if (pair.length >= perAccountAddress) {
      throw throttled(
        "Too many failed sign-ins for this account from this address. Wait before trying again, or ask an admin to reset the password.",
        waitUntilAgedOut(pair[0]!.at),
      );
    }

    const byAddress = await tx.signInFailure.findMany({
      where: { address: from },
      orderBy: { at: "asc" },
      select: { at: true },
      take: perAddress,
    });
    if (byAddress.length >= perAddress) {
      throw throttled(
        "Too many failed sign-ins from this address. Wait before trying again.",
        waitUntilAgedOut(byAddress[0]!.at),
      );
    }

    // An address that has not failed is never held back by the account's soft limit.
    if (byAddress.length === 0) return;
    const failures = await tx.signInFailure.count({ where: { account } });
    if (failures < accountSoftLimit) return;
    const latest = await tx.signInFailure.findFirst({
      where: { account },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    const delay = Math.min(
      this.limits.accountDelayMs * 2 ** (failures - accountSoftLimit),
      this.limits.accountMaxDelayMs,
    );
    const waitMs = latest!.at.getTime() + delay - now.getTime();
    if (waitMs > 0) {
      throw throttled(
        "This account has had many failed sign-ins. Wait before trying again from this address.",
        waitMs / 1000,
      );
    }
  }
}
