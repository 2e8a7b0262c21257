// Reading a list's entries (with search and paging), one entry and its history, a curator's
// direct edit, and the change feed.
import { domainToASCII } from "node:url";
import type { Actor } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { invalid, notFound } from "../errors.js";
import {
  changedFields,
  entryFor,
  entryInclude,
  snapshotOf,
  type Audience,
  type EntryFields,
  type EntrySnapshot,
  type EntryView,
} from "./entry-fields.js";
import { nextRevision, writeEntry, type ChangeAction } from "./entry-writes.js";
import { refuseOwnInstance } from "./domain-rules.js";
import { findVisibleList, refuseArchived, type ListRow } from "./lists.service.js";
import type { Severity, Tag } from "./vocabulary.js";
import { tallyVotes, type VoteValue } from "../proposals/tally.js";
import { reviewOf } from "../reviews/reviews.service.js";

export const audienceOf = (
  list: Pick<ListRow, "publicEvidence">,
  actor: Actor | null,
): Audience => ({
  member: actor !== null,
  publicEvidence: list.publicEvidence,
});

const encodeCursor = (domain: string) => Buffer.from(domain).toString("base64url");
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const domain = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[a-z0-9.-]+$/.test(domain)) {
    throw invalid("The cursor is not one this server gave out.", [
      { field: "query.cursor", message: "unknown cursor" },
    ]);
  }
  return domain;
}

export interface EntryQuery {
  q?: string | undefined;
  severity?: Severity | undefined;
  tag?: Tag | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A search text matches domains in punycode as well as typed in Unicode. */
function searchTerm(q: string): string {
  const text = q.trim().toLowerCase();
  if ([...text].every((char) => char.charCodeAt(0) < 0x80)) return text;
  return domainToASCII(text) || text;
}

export async function listEntries(
  ctx: AppContext,
  actor: Actor | null,
  slug: string,
  query: EntryQuery,
): Promise<{ items: EntryView[]; nextCursor: string | null }> {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const after = decodeCursor(query.cursor);
  const domain = {
    ...(query.q ? { contains: searchTerm(query.q) } : {}),
    ...(after ? { gt: after } : {}),
  };
  const rows = await ctx.db.prisma.entry.findMany({
    where: {
      listId: list.id,
      ...(Object.keys(domain).length > 0 ? { domain } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      ...(query.tag ? { tags: { some: { tag: query.tag } } } : {}),
    },
    include: entryInclude,
    orderBy: { domain: "asc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const audience = audienceOf(list, actor);
  return {
    items: page.map((row) => entryFor(snapshotOf(row), audience)),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.domain) : null,
  };
}

export interface EntryHistoryItem {
  revision: number;
  action: ChangeAction;
  at: Date;
}

export interface ProposalOutcome {
  kind: string;
  status: string;
  openedAt: Date;
  closedAt: Date | null;
  decidedBy: "votes" | "curator" | "proposer" | null;
  tally: { yes: number; no: number; abstain: number };
  /** Members only. */
  id?: number;
  /** Members only (the proposer's argument), except a passed removal's: it is the
   * retraction's public comment (SPEC §2), which anyone who can read the list may see. */
  reason?: string;
}

const reasonIsPublic = (proposal: { kind: string; status: string }) =>
  proposal.kind === "remove" && proposal.status === "passed";

export async function getEntry(ctx: AppContext, actor: Actor | null, slug: string, domain: string) {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const normalized = domain.toLowerCase();
  const [row, changes, proposals] = await Promise.all([
    ctx.db.prisma.entry.findUnique({
      where: { listId_domain: { listId: list.id, domain: normalized } },
      include: entryInclude,
    }),
    ctx.db.prisma.listChange.findMany({
      where: { listId: list.id, domain: normalized },
      orderBy: { id: "asc" },
      select: { revision: true, action: true, at: true },
    }),
    ctx.db.prisma.proposal.findMany({
      where: { listId: list.id, domain: normalized },
      orderBy: [{ openedAt: "asc" }, { id: "asc" }],
      include: { votes: { select: { vote: true } } },
    }),
  ]);
  if (!row && changes.length === 0) throw notFound(`Entry ${normalized} on ${slug}`);
  const history: ProposalOutcome[] = proposals.map((proposal) => {
    const tally = tallyVotes(proposal.votes.map(({ vote }) => ({ vote: vote as VoteValue })));
    return {
      kind: proposal.kind,
      status: proposal.status,
      openedAt: proposal.openedAt,
      closedAt: proposal.closedAt,
      decidedBy:
        proposal.status === "withdrawn"
          ? "proposer"
          : proposal.decidedByAccountId !== null
            ? "curator"
            : proposal.status === "open"
              ? null
              : "votes",
      tally,
      ...(actor ? { id: proposal.id } : {}),
      ...(actor || reasonIsPublic(proposal) ? { reason: proposal.reason } : {}),
    };
  });
  return {
    listed: row !== null,
    entry: row ? entryFor(snapshotOf(row), audienceOf(list, actor)) : null,
    ...reviewOf(row, list.reviewMonths, ctx.clock.now()),
    changes: changes.map((change) => ({ ...change, action: change.action as ChangeAction })),
    proposals: history,
  };
}

export type EntryEdit = Partial<
  Pick<EntryFields, "publicComment" | "privateComment" | "tags" | "evidence">
>;

/** A curator's direct edit of an entry's comments, tags or evidence (audited, a new revision). */
export async function editEntry(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  domain: string,
  edit: EntryEdit,
): Promise<EntryView> {
  const result = await ctx.db.transaction(async (tx) => {
    const list = await findVisibleList(tx, actor, slug);
    refuseArchived(list, "entry edits");
    const row = await tx.entry.findUnique({
      where: { listId_domain: { listId: list.id, domain: domain.toLowerCase() } },
      include: entryInclude,
    });
    if (!row) throw notFound(`Entry ${domain} on ${slug}`);
    refuseOwnInstance(actor, row.domain, "edit");
    const current = snapshotOf(row);
    const diff = changedFields(current, edit);
    if (Object.keys(diff).length === 0) return { list, after: current };
    const now = ctx.clock.now();
    const revision = await nextRevision(tx, list.id, now);
    const written = await writeEntry(tx, {
      listId: list.id,
      revision,
      domain: row.domain,
      fields: { ...current, ...diff },
      proposalId: row.proposalId,
      now,
    });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "entry.edited",
      listId: list.id,
      subject: row.domain,
      before: current,
      after: written.after,
    });
    return { list, after: written.after };
  });
  return entryFor(result.after, audienceOf(result.list, actor));
}

export interface ChangeFeed {
  revision: number;
  changes: { revision: number; action: ChangeAction; domain: string; entry: EntryView }[];
}

/** Every change after revision `since`, oldest first, removals included. */
export async function changesSince(
  ctx: AppContext,
  actor: Actor | null,
  slug: string,
  since: number,
): Promise<ChangeFeed> {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const rows = await ctx.db.prisma.listChange.findMany({
    where: { listId: list.id, revision: { gt: since, lte: list.revision } },
    orderBy: { id: "asc" },
  });
  const audience = audienceOf(list, actor);
  return {
    revision: list.revision,
    changes: rows.map((row) => ({
      revision: row.revision,
      action: row.action as ChangeAction,
      domain: row.domain,
      entry: entryFor(JSON.parse(row.entry) as EntrySnapshot, audience),
    })),
  };
}
