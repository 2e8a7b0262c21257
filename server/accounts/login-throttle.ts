// Failed sign-ins are counted per account and per address over a sliding window (SPEC §9);
// past the limit, sign-in is refused with 429 and Retry-After until the oldest failure ages out.
// An attempt counts as a failure from the moment it starts and is forgiven only when it
// succeeds, so a burst of parallel guesses is throttled like the same guesses one by one.
// Kept in memory: a restart forgets it, which an attacker cannot trigger.
import type { Clock } from "../clock.js";
import { throttled } from "../errors.js";

export interface ThrottleLimits {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  perAccount: 5,
  perAddress: 20,
};

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** The account a user name signs in as: trimmed and lowercased, as verifyLogin reads it, so
   * that " Admin" and "admin" share one count. */
  private accountKey(username: string): string {
    return `account:${username.trim().toLowerCase()}`;
  }

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  private retryAfterSeconds(times: number[]): number {
    const oldest = times[0] ?? this.clock.now().getTime();
    return (oldest + this.limits.windowMs - this.clock.now().getTime()) / 1000;
  }

  /** Throws 429 when either the account or the address has failed too often. */
  private assertAllowed(username: string, address: string): void {
    const account = this.recent(this.accountKey(username));
    if (account.length >= this.limits.perAccount) {
      throw throttled(
        "Too many failed sign-ins for this account. Wait before trying again, or ask an admin to reset the password.",
        this.retryAfterSeconds(account),
      );
    }
    const byAddress = this.recent(`address:${address}`);
    if (byAddress.length >= this.limits.perAddress) {
      throw throttled(
        "Too many failed sign-ins from this address. Wait before trying again.",
        this.retryAfterSeconds(byAddress),
      );
    }
  }

  /**
   * Starts a sign-in attempt: throws 429 past either limit, else counts the attempt as a failure
   * at once (so that parallel attempts see each other) and answers a function to call when the
   * password turns out right, which forgives it.
   */
  begin(username: string, address: string): { succeeded(): void } {
    this.assertAllowed(username, address);
    const at = this.clock.now().getTime();
    const addressKey = `address:${address}`;
    for (const key of [this.accountKey(username), addressKey]) {
      this.failures.set(key, [...this.recent(key), at]);
    }
    return {
      succeeded: () => {
        this.failures.delete(this.accountKey(username));
        const byAddress = this.failures.get(addressKey) ?? [];
        const index = byAddress.indexOf(at);
        if (index !== -1) byAddress.splice(index, 1);
        if (byAddress.length === 0) this.failures.delete(addressKey);
      },
    };
  }
}
