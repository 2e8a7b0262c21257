// Review dates (issue 18, docs/decisions/0032): under a list's `reviewMonths`, an entry is due
// for review that many calendar months after it last changed or a member last confirmed it.
// The date is data (exports carry it as `review_at`, so their bytes change only with a
// revision); whether it has passed is a question of the clock, asked only by the API and pages.

/** `at` plus `months` calendar months, in UTC; the 31st becomes the month's last day. */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(at.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

export interface Reviewable {
  updatedAt: Date;
  reviewedAt: Date | null;
}

/** When the entry is due for review, or null when the list sets no review dates. */
export function reviewAtOf(entry: Reviewable, reviewMonths: number | null): Date | null {
  if (reviewMonths === null) return null;
  const since =
    entry.reviewedAt && entry.reviewedAt > entry.updatedAt ? entry.reviewedAt : entry.updatedAt;
  return addMonths(since, reviewMonths);
}

/** The latest last-looked-at time that is due at `now`: entries older than it are due. */
export function dueCutoff(now: Date, reviewMonths: number): Date {
  return addMonths(now, -reviewMonths);
}

export const isReviewDue = (reviewAt: Date | null, now: Date) =>
  reviewAt !== null && reviewAt <= now;
