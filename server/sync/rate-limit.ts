// Reading the throttling headers servers send: `Retry-After` on a 429 (RFC 9110: seconds or an
// HTTP date) and Mastodon's `X-RateLimit-Remaining`/`X-RateLimit-Reset` (an ISO 8601 time; some
// servers send epoch seconds or seconds from now instead).
import type { ResponseHeaders } from "./transport.js";

/** Milliseconds to wait, or null when the header is absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/** The time (ms since the epoch) at which the limit resets, or null when unreadable. */
export function parseRateLimitReset(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return seconds >= EPOCH_SECONDS_FLOOR ? seconds * 1000 : now + seconds * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : date;
}

/**
 * When the server said no requests are left in its window, the time to wait for before the next
 * request; null otherwise.
 */
export function exhaustedUntil(headers: ResponseHeaders, now: number): number | null {
  const remaining = headers.get("x-ratelimit-remaining");
  if (remaining === null || remaining.trim() !== "0") return null;
  return parseRateLimitReset(headers.get("x-ratelimit-reset"), now);
}
