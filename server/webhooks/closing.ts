// `proposal.closing`: 24 hours before an open proposal's window ends, its instances that have
// not voted (and may vote: not the proposed domain's own) are told, once per proposal. Run by
// the deliverer's timer at the injected clock's time; the notice row (unique per proposal) and
// the outbox rows commit together, so two processes cannot both send it.
import type { AppContext } from "../context.js";
import { isOwnInstanceDomain } from "../domains/own-instance.js";
import { proposedFields, proposalInclude, type ProposalRow } from "../proposals/settle.js";
import { tallyVotes, type VoteValue } from "../proposals/tally.js";
import { emitEvent } from "./outbox.js";

export const CLOSING_NOTICE_MS = 86_400_000;

/** Open proposals closing after `now` and before `until`, without a notice yet. */
async function unnoticed(ctx: AppContext, now: Date, until?: Date) {
  const open = await ctx.db.prisma.proposal.findMany({
    where: { status: "open", closesAt: { gt: now, ...(until ? { lte: until } : {}) } },
    select: { id: true, closesAt: true },
    orderBy: { closesAt: "asc" },
  });
  const notified = await ctx.db.prisma.proposalClosingNotice.findMany({
    where: { proposalId: { in: open.map((p) => p.id) } },
    select: { proposalId: true },
  });
  const done = new Set(notified.map((n) => n.proposalId));
  return open.filter((p) => !done.has(p.id));
}

/** Writes the closing notices due at the clock's time; answers how many proposals. */
export async function emitClosingNotices(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let count = 0;
  for (const { id } of await unnoticed(ctx, now, new Date(now.getTime() + CLOSING_NOTICE_MS))) {
    const wrote = await ctx.db.transaction(async (tx) => {
      // Under the delivery pass's lock on PostgreSQL; the primary key refuses a second one.
      if (await tx.proposalClosingNotice.findUnique({ where: { proposalId: id } })) return false;
      await tx.proposalClosingNotice.create({ data: { proposalId: id, at: now } });
      const proposal = await tx.proposal.findUniqueOrThrow({
        where: { id },
        include: { ...proposalInclude, votes: { select: { vote: true, instanceId: true } } },
      });
      if (proposal.status !== "open") return false;
      const voted = new Set(proposal.votes.map((v) => v.instanceId));
      const instances = await tx.instance.findMany({ select: { id: true, domain: true } });
      const waiting = instances
        .filter((i) => !voted.has(i.id) && !isOwnInstanceDomain(i.domain, proposal.domain))
        .map((i) => i.id);
      if (waiting.length === 0) return true;
      emitEvent(tx, {
        event: "proposal.closing",
        listId: proposal.listId,
        instanceIds: waiting,
        data: {
          proposal: {
            id: proposal.id,
            kind: proposal.kind,
            domain: proposal.domain,
            status: proposal.status,
            reason: proposal.reason,
            fields: proposedFields(proposal as unknown as ProposalRow),
            tally: tallyVotes(proposal.votes.map(({ vote }) => ({ vote: vote as VoteValue }))),
            openedAt: proposal.openedAt.toISOString(),
            closesAt: proposal.closesAt.toISOString(),
            url: `${ctx.config.publicUrl}/proposals/${proposal.id}`,
          },
        },
      });
      return true;
    });
    if (wrote) count += 1;
  }
  return count;
}

/** When the next closing notice falls due, or null. */
export async function nextClosingNoticeAt(ctx: AppContext): Promise<Date | null> {
  const [first] = await unnoticed(ctx, ctx.clock.now());
  return first ? new Date(first.closesAt.getTime() - CLOSING_NOTICE_MS) : null;
}
