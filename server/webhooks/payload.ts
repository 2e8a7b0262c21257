// What each event says, cut to what its receiver may see (issue 18: "no members-only field for a
// receiver who may not see it"). An instance's webhook is a member's and sees what members see;
// a service-wide webhook sees what an anonymous visitor sees: public lists only, entries' public
// fields (evidence only where the list shows it), closed proposals' public outcomes, never an
// open proposal.
import type { Tx } from "../db/client.js";
import type { RegisteredEvent } from "../db/changes.js";
import { entryFor, type EntrySnapshot } from "../lists/entry-fields.js";
import { publicOutcome } from "../proposals/public-outcome.js";
import { proposalInclude, proposedFields, type ProposalRow } from "../proposals/settle.js";
import { tallyVotes, type VoteValue } from "../proposals/tally.js";
import type { Receiver, WebhookEvent } from "./events.js";

export interface ListFacts {
  id: number;
  slug: string;
  name: string;
  visibility: string;
  publicEvidence: boolean;
}

/** One event, able to say itself to either receiver (null: this receiver does not hear it). */
export interface PendingEvent {
  event: WebhookEvent;
  list: ListFacts;
  instanceIds?: readonly number[] | undefined;
  render(receiver: Receiver): Record<string, unknown> | null;
}

const listPart = (list: ListFacts, publicUrl: string) => ({
  slug: list.slug,
  name: list.name,
  visibility: list.visibility,
  url: `${publicUrl}/l/${encodeURIComponent(list.slug)}`,
});

/** The entry events of the revisions a transaction took, from the change feed it wrote. */
export async function entryEvents(
  tx: Tx,
  lists: Map<number, ListFacts>,
  revisions: ReadonlyMap<number, ReadonlySet<number>>,
  publicUrl: string,
): Promise<PendingEvent[]> {
  const events: PendingEvent[] = [];
  for (const [listId, taken] of revisions) {
    const list = lists.get(listId);
    if (!list) continue;
    const rows = await tx.listChange.findMany({
      where: { listId, revision: { in: [...taken] } },
      orderBy: { id: "asc" },
    });
    for (const row of rows) {
      const snapshot = JSON.parse(row.entry) as EntrySnapshot;
      events.push({
        event: `entry.${row.action}` as WebhookEvent,
        list,
        render(receiver) {
          if (receiver === "public" && list.visibility !== "public") return null;
          return {
            list: listPart(list, publicUrl),
            revision: row.revision,
            entry: {
              ...entryFor(snapshot, {
                member: receiver === "members",
                publicEvidence: list.publicEvidence,
              }),
              url: `${publicUrl}/l/${encodeURIComponent(list.slug)}/entries/${encodeURIComponent(row.domain)}`,
            },
          };
        },
      });
    }
  }
  return events;
}

const proposalEventOf: Record<string, WebhookEvent> = {
  open: "proposal.opened",
  passed: "proposal.passed",
  rejected: "proposal.rejected",
  withdrawn: "proposal.withdrawn",
};

/** The proposal events of the proposals a transaction opened or closed, from their rows. */
export async function proposalEvents(
  tx: Tx,
  proposalIds: ReadonlySet<number>,
  openedIds: ReadonlySet<number>,
  listOf: (listId: number) => Promise<ListFacts | undefined>,
  publicUrl: string,
): Promise<PendingEvent[]> {
  if (proposalIds.size === 0) return [];
  const rows = await tx.proposal.findMany({
    where: { id: { in: [...proposalIds] } },
    include: { ...proposalInclude, votes: { select: { vote: true } } },
    orderBy: { id: "asc" },
  });
  const events: PendingEvent[] = [];
  for (const row of rows) {
    const list = await listOf(row.listId);
    const closed = proposalEventOf[row.status];
    if (!list || !closed) continue;
    const fields = proposedFields(row as unknown as ProposalRow);
    const tally = tallyVotes(row.votes.map(({ vote }) => ({ vote: vote as VoteValue })));
    // A proposal that passed in the transaction that opened it (quorum reached by its proposer's
    // vote) was opened too.
    const openedNow = row.status !== "open" && openedIds.has(row.id);
    for (const event of openedNow ? ["proposal.opened" as const, closed] : [closed]) {
      events.push({
        event,
        list,
        render(receiver) {
          if (receiver === "members") {
            return {
              list: listPart(list, publicUrl),
              proposal: {
                id: row.id,
                kind: row.kind,
                domain: row.domain,
                status: row.status,
                reason: row.reason,
                fields,
                tally,
                openedAt: row.openedAt.toISOString(),
                closesAt: row.closesAt.toISOString(),
                closedAt: row.closedAt?.toISOString() ?? null,
                decisionReason: row.decisionReason,
                url: `${publicUrl}/proposals/${row.id}`,
              },
            };
          }
          if (list.visibility !== "public") return null;
          if (event === "proposal.opened") return null;
          const outcome = publicOutcome(row, fields, tally);
          return outcome ? { list: listPart(list, publicUrl), proposal: outcome } : null;
        },
      });
    }
  }
  return events;
}

/** An event registered by name (`appeal.opened`, `entries.review_due`, `proposal.closing`). */
export function registeredEvent(
  registered: RegisteredEvent,
  list: ListFacts,
  publicUrl: string,
): PendingEvent {
  return {
    event: registered.event as WebhookEvent,
    list,
    instanceIds: registered.instanceIds,
    render(receiver) {
      if (receiver === "members") return { list: listPart(list, publicUrl), ...registered.data };
      if (list.visibility !== "public" || !registered.publicData) return null;
      return { list: listPart(list, publicUrl), ...registered.publicData };
    },
  };
}
