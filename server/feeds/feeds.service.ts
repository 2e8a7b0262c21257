// The two Atom feeds (issue 18, docs/members.md "Feeds"): a public list's decisions (closed
// proposals with their public outcome, never an open one: those are members-only), and what
// awaits an instance's vote (read with its feed token).
import type { ActorInstance } from "../accounts/actor.js";
import type { AppContext } from "../context.js";
import { notFound } from "../errors.js";
import { proposalInclude, proposedFields, type ProposalRow } from "../proposals/settle.js";
import { awaitingVote } from "../proposals/awaiting.js";
import { publicOutcome } from "../proposals/public-outcome.js";
import { tallyVotes, type VoteValue } from "../proposals/tally.js";
import { renderAtom, type AtomEntry } from "./atom.js";

/** The decisions a feed carries, newest first. */
export const FEED_ENTRIES = 50;

const OUTCOME_WORDS = { passed: "Passed", rejected: "Rejected", withdrawn: "Withdrawn" } as const;
const KIND_WORDS: Record<string, string> = { add: "add", change: "change", remove: "remove" };

/** `/lists/SLUG/proposals.atom`: a public list's latest decisions. */
export async function listDecisionsFeed(ctx: AppContext, slug: string): Promise<string> {
  const list = await ctx.db.prisma.list.findUnique({ where: { slug } });
  // Members-only lists have no public feed, and are not revealed (SPEC §3).
  if (!list || list.visibility !== "public") throw notFound(`List ${slug}`);
  const rows = await ctx.db.prisma.proposal.findMany({
    where: { listId: list.id, status: { in: ["passed", "rejected", "withdrawn"] } },
    include: { ...proposalInclude, votes: { select: { vote: true } } },
    orderBy: [{ closedAt: "desc" }, { id: "desc" }],
    take: FEED_ENTRIES,
  });
  const base = ctx.config.publicUrl;
  const listPage = `${base}/l/${encodeURIComponent(slug)}`;
  const entries: AtomEntry[] = [];
  for (const row of rows) {
    const tally = tallyVotes(row.votes.map(({ vote }) => ({ vote: vote as VoteValue })));
    const outcome = publicOutcome(row, proposedFields(row as unknown as ProposalRow), tally);
    if (!outcome) continue;
    const counts = `${tally.yes} yes, ${tally.no} no, ${tally.abstain} abstain`;
    const by = { votes: "by vote", curator: "by a curator", proposer: "by its proposer" }[
      outcome.decidedBy
    ];
    entries.push({
      id: `${listPage}/decisions/${row.id}`,
      title: `${OUTCOME_WORDS[outcome.status]}: ${KIND_WORDS[row.kind] ?? row.kind} ${row.domain}`,
      updated: new Date(outcome.closedAt),
      link: `${listPage}/entries/${encodeURIComponent(row.domain)}`,
      categories: [outcome.status, row.kind],
      summary: [
        `${OUTCOME_WORDS[outcome.status]} ${by} on ${outcome.closedAt.slice(0, 10)} (${counts}).`,
        ...(outcome.publicReason ? [`Reason: ${outcome.publicReason}`] : []),
      ].join("\n"),
    });
  }
  return renderAtom({
    id: `${listPage}/decisions`,
    title: `${list.name}: decisions`,
    subtitle: `Proposals passed, rejected and withdrawn on ${list.name}`,
    updated: entries[0]?.updated ?? list.createdAt,
    self: `${base}/lists/${encodeURIComponent(slug)}/proposals.atom`,
    alternate: listPage,
    author: list.name,
    entries,
  });
}

const timeLeft = (seconds: number) => {
  const hours = Math.floor(seconds / 3600);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`;
};

/** `/api/v1/instances/me/awaiting.atom`: the proposals awaiting this instance's vote. */
export async function awaitingFeed(ctx: AppContext, instance: ActorInstance): Promise<string> {
  const waiting = await awaitingVote(ctx, instance);
  const base = ctx.config.publicUrl;
  const entries: AtomEntry[] = waiting.map((proposal) => ({
    id: `${base}/proposals/${proposal.id}`,
    title: `Vote: ${proposal.kind} ${proposal.domain} on ${proposal.listName}`,
    updated: new Date(proposal.openedAt),
    link: `${base}/proposals/${proposal.id}`,
    categories: [proposal.kind, proposal.list],
    summary: [
      `Closes ${proposal.closesAt} (${timeLeft(proposal.secondsLeft)} left).`,
      ...(proposal.reason ? [proposal.reason] : []),
    ].join("\n"),
  }));
  const latest = entries.reduce<Date | null>(
    (max, entry) => (!max || entry.updated > max ? entry.updated : max),
    null,
  );
  return renderAtom({
    id: `${base}/instances/${instance.domain}/awaiting`,
    title: `Waiting for ${instance.name}'s vote`,
    updated: latest ?? ctx.clock.now(),
    self: `${base}/api/v1/instances/me/awaiting.atom`,
    alternate: `${base}/waiting`,
    author: "Fediblock Commons",
    entries,
  });
}
