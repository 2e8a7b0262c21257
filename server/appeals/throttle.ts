// Verification attempts are throttled per domain and per address (issue 18): each attempt is a
// row in the database, so every service process counts the same ones (the pattern of the
// sign-in throttle, server/accounts/login-throttle.ts). Every attempt counts, whatever it found:
// a domain's server is not to be made a target of this service's fetches, and an address cannot
// probe the domains of others. A refused attempt is answered 429 at once with Retry-After.
import { addressKey } from "../accounts/login-throttle.js";
import type { Clock } from "../clock.js";
import type { Database, Tx } from "../db/client.js";
import { throttled } from "../errors.js";

export interface VerificationLimits {
  windowMs: number;
  /** Attempts for one domain, from every address. */
  perDomain: number;
  /** Attempts from one address, for every domain. */
  perAddress: number;
}

export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  windowMs: 60 * 60_000,
  perDomain: 10,
  perAddress: 30,
};

/**
 * Counts one verification attempt of `domain` from `address`: answers 429 (with Retry-After)
 * when either limit holds, else records the attempt. Concurrent attempts check and write one at
 * a time: SQLite's write transaction holds the database's lock; PostgreSQL takes a
 * transaction-scoped advisory lock per key, in one order, so two attempts cannot deadlock.
 */
export async function countVerificationAttempt(
  db: Database,
  clock: Clock,
  domain: string,
  address: string,
  limits: VerificationLimits = DEFAULT_VERIFICATION_LIMITS,
): Promise<void> {
  const from = addressKey(address);
  await db.transaction(async (tx) => {
    await serialize(tx, db.dialect, domain, from);
    const now = clock.now();
    const since = new Date(now.getTime() - limits.windowMs);
    await tx.appealVerificationAttempt.deleteMany({ where: { at: { lte: since } } });
    const wait = (oldest: Date) => (oldest.getTime() + limits.windowMs - now.getTime()) / 1000;
    const byDomain = await tx.appealVerificationAttempt.findMany({
      where: { domain },
      orderBy: { at: "asc" },
      select: { at: true },
      take: limits.perDomain,
    });
    if (byDomain.length >= limits.perDomain) {
      throw throttled(
        `Too many verification attempts for ${domain}. Check that the token is served, then try again later.`,
        wait(byDomain[0]!.at),
      );
    }
    const byAddress = await tx.appealVerificationAttempt.findMany({
      where: { address: from },
      orderBy: { at: "asc" },
      select: { at: true },
      take: limits.perAddress,
    });
    if (byAddress.length >= limits.perAddress) {
      throw throttled(
        "Too many verification attempts from this address. Try again later.",
        wait(byAddress[0]!.at),
      );
    }
    await tx.appealVerificationAttempt.create({ data: { domain, address: from, at: now } });
  });
}

async function serialize(tx: Tx, dialect: string, domain: string, from: string): Promise<void> {
  if (dialect !== "postgres") return;
  for (const key of [`verify domain ${domain}`, `verify address ${from}`].sort()) {
    await tx.$queryRawUnsafe("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended($1, 0))", key);
  }
}
