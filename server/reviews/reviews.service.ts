// Reviewing entries (issue 18, docs/decisions/0032): a member confirms an entry still holds
// (recorded, audited, its review date starts again: a new revision, since exports carry the
// date), and the weekly `entries.review_due` event lists what is due on each list.
import type { Actor } from "../accounts/actor.js";
import { emitEvent } from "../webhooks/outbox.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { conflict, notFound } from "../errors.js";
import { refuseOwnInstance } from "../lists/domain-rules.js";
import { nextRevision } from "../lists/entry-writes.js";
import { findVisibleList } from "../lists/lists.service.js";
import { dueCutoff, isReviewDue, reviewAtOf, type Reviewable } from "./review-dates.js";

const DAY_MS = 86_400_000;
/** The action of the weekly event (the webhook outbox hangs off it). */
export const REVIEW_DUE_ACTION = "entries.review_due";
export const REVIEW_DUE_EVERY_MS = 7 * DAY_MS;

/** What the API says of an entry's review: its date, whether it has passed, the last confirmation. */
export function reviewOf(entry: Reviewable | null, reviewMonths: number | null, now: Date) {
  const reviewAt = entry ? reviewAtOf(entry, reviewMonths) : null;
  return {
    reviewAt: reviewAt?.toISOString() ?? null,
    reviewDue: isReviewDue(reviewAt, now),
    reviewedAt: entry?.reviewedAt?.toISOString() ?? null,
  };
}

/** A member confirms the entry still holds: its review date counts from now. */
export async function confirmReview(ctx: AppContext, actor: Actor, slug: string, domain: string) {
  await ctx.db.transaction(async (tx) => {
    const list = await findVisibleList(tx, actor, slug);
    if (list.reviewMonths === null) {
      throw conflict(
        `${slug} sets no review dates (its policy's reviewMonths is null): there is nothing to confirm.`,
        "no_review_dates",
      );
    }
    const entry = await tx.entry.findUnique({
      where: { listId_domain: { listId: list.id, domain } },
      select: { id: true, updatedAt: true, reviewedAt: true },
    });
    if (!entry) throw notFound(`Entry ${domain} on ${slug}`);
    refuseOwnInstance(actor, domain, "confirm");
    const now = ctx.clock.now();
    // Exports carry the review date: a new one is a new revision (and a new ETag).
    await nextRevision(tx, list.id, now);
    // `updatedAt` stays: the entry itself did not change.
    await tx.entry.update({
      where: { id: entry.id },
      data: { reviewedAt: now, updatedAt: entry.updatedAt },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: "entry.review_confirmed",
      listId: list.id,
      subject: domain,
      before: { reviewAt: reviewAtOf(entry, list.reviewMonths)?.toISOString() ?? null },
      after: {
        reviewedAt: now.toISOString(),
        reviewAt: reviewAtOf({ ...entry, reviewedAt: now }, list.reviewMonths)!.toISOString(),
      },
    });
  });
}

export interface DueList {
  slug: string;
  due: { domain: string; reviewAt: string }[];
}

/**
 * Raises `entries.review_due` for each list with review dates that has entries due and has not
 * had the event in the last week: an audit event (by the service) listing them. The audit log is
 * also what makes it weekly across restarts and processes. Answers what was raised.
 */
export async function raiseReviewDue(ctx: AppContext): Promise<DueList[]> {
  const now = ctx.clock.now();
  const lists = await ctx.db.prisma.list.findMany({
    where: { reviewMonths: { not: null } },
    select: { id: true, slug: true, reviewMonths: true, visibility: true },
    orderBy: { id: "asc" },
  });
  const raised: DueList[] = [];
  for (const list of lists) {
    const months = list.reviewMonths!;
    const last = await ctx.db.prisma.auditEvent.findFirst({
      where: { listId: list.id, action: REVIEW_DUE_ACTION },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    if (last && now.getTime() - last.at.getTime() < REVIEW_DUE_EVERY_MS) continue;
    // Month lengths differ: read a few days more than the cutoff, then ask each entry exactly.
    const before = new Date(dueCutoff(now, months).getTime() + 4 * DAY_MS);
    const candidates = await ctx.db.prisma.entry.findMany({
      where: {
        listId: list.id,
        updatedAt: { lt: before },
        OR: [{ reviewedAt: null }, { reviewedAt: { lt: before } }],
      },
      select: { domain: true, updatedAt: true, reviewedAt: true },
      orderBy: { domain: "asc" },
    });
    const due = candidates.flatMap((entry) => {
      const reviewAt = reviewAtOf(entry, months)!;
      return isReviewDue(reviewAt, now)
        ? [{ domain: entry.domain, reviewAt: reviewAt.toISOString() }]
        : [];
    });
    if (due.length === 0) continue;
    await ctx.db.transaction(async (tx) => {
      // The weekly `entries.review_due` event: the webhook outbox hangs off this one.
      await recordAudit(tx, "system", {
        at: now,
        action: REVIEW_DUE_ACTION,
        listId: list.id,
        subject: list.slug,
        after: { count: due.length, due },
      });
      // Review dates are in the list's exports: on a public list anyone may read them.
      const data = { count: due.length, due };
      emitEvent(tx, {
        event: REVIEW_DUE_ACTION,
        listId: list.id,
        data,
        ...(list.visibility === "public" ? { publicData: data } : {}),
      });
    });
    raised.push({ slug: list.slug, due });
  }
  return raised;
}
