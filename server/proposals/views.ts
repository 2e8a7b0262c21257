// What members see of a proposal: its fields, the diff against the entry, the tally, every
// vote with its instance, the discussion, and the caller's own vote.
import type { Actor } from "../accounts/actor.js";
import type { Tx } from "../db/client.js";
import type { PrismaClient } from "../db/client.js";
import { entryInclude, snapshotOf, type EntrySnapshot } from "../lists/entry-fields.js";
import { passableAt, tallyVotes, type VoteValue } from "./tally.js";
import { proposalInclude, proposedFields, type ProposalRow } from "./settle.js";

type Reader = Tx | PrismaClient;

export const proposalDetailInclude = {
  ...proposalInclude,
  list: { select: { slug: true } },
  proposerAccount: { select: { username: true } },
  proposerInstance: { select: { domain: true, name: true } },
  decidedByAccount: { select: { username: true } },
  votes: {
    orderBy: { id: "asc" },
    include: { instance: { select: { domain: true } }, account: { select: { username: true } } },
  },
  comments: {
    orderBy: { id: "asc" },
    include: { instance: { select: { domain: true } }, account: { select: { username: true } } },
  },
} as const;

type DetailRow = ProposalRow & {
  closedAt: Date | null;
  decisionReason: string | null;
  appliedSeverity: string | null;
  proposerInstanceId: number;
  list: { slug: string };
  proposerAccount: { username: string };
  proposerInstance: { domain: string; name: string };
  decidedByAccount: { username: string } | null;
  votes: {
    instanceId: number;
    vote: string;
    severity: string | null;
    comment: string;
    createdAt: Date;
    updatedAt: Date;
    instance: { domain: string };
    account: { username: string };
  }[];
  comments: {
    id: number;
    body: string;
    createdAt: Date;
    instance: { domain: string } | null;
    account: { username: string };
  }[];
};

function summary(row: DetailRow, actor: Actor) {
  const mine = row.votes.find((vote) => vote.instanceId === actor.instance?.id);
  return {
    id: row.id,
    list: row.list.slug,
    kind: row.kind,
    domain: row.domain,
    status: row.status,
    reason: row.reason,
    ...proposedFields(row),
    proposer: { username: row.proposerAccount.username, instance: row.proposerInstance.domain },
    openedAt: row.openedAt,
    passableAt: passableAt(row),
    closesAt: row.closesAt,
    closedAt: row.closedAt,
    decision: row.decidedByAccount
      ? { by: row.decidedByAccount.username, reason: row.decisionReason ?? "" }
      : null,
    appliedSeverity: row.appliedSeverity,
    policy: {
      quorum: row.quorum,
      threshold: row.thresholdPercent / 100,
      minOpenHours: row.minOpenHours,
      severityRule: row.severityRule,
    },
    tally: tallyVotes(row.votes.map((vote) => ({ vote: vote.vote as VoteValue }))),
    myVote: mine
      ? {
          vote: mine.vote as VoteValue,
          severity: mine.severity,
          comment: mine.comment,
          by: mine.account.username,
        }
      : null,
    canVote:
      row.status === "open" && actor.instance !== null && !ownInstanceIsTarget(actor, row.domain),
    canWithdraw: row.status === "open" && actor.instance?.id === row.proposerInstanceId,
  };
}

/** An instance may not vote on, or propose, a block of its own domain (or of a parent of it). */
export function ownInstanceIsTarget(actor: Actor, domain: string): boolean {
  const own = actor.instance?.domain;
  return own !== undefined && (own === domain || own.endsWith(`.${domain}`));
}

export type ProposalSummary = ReturnType<typeof summary>;

export async function loadProposalSummaries(db: Reader, actor: Actor, where: object, take: number) {
  const rows = (await db.proposal.findMany({
    where,
    include: proposalDetailInclude,
    orderBy: { id: "desc" },
    take,
  })) as unknown as DetailRow[];
  return rows.map((row) => summary(row, actor));
}

export async function loadProposalDetail(db: Reader, actor: Actor, id: number) {
  const row = (await db.proposal.findUnique({
    where: { id },
    include: proposalDetailInclude,
  })) as unknown as DetailRow | null;
  if (!row) return null;
  const entry = await db.entry.findUnique({
    where: { listId_domain: { listId: row.listId, domain: row.domain } },
    include: entryInclude,
  });
  const current: EntrySnapshot | null = entry ? snapshotOf(entry) : null;
  return {
    ...summary(row, actor),
    current,
    votes: row.votes.map((vote) => ({
      instance: vote.instance.domain,
      username: vote.account.username,
      vote: vote.vote as VoteValue,
      severity: vote.severity,
      comment: vote.comment,
      at: vote.updatedAt,
    })),
    comments: row.comments.map((c) => ({
      id: c.id,
      username: c.account.username,
      instance: c.instance?.domain ?? null,
      body: c.body,
      at: c.createdAt,
    })),
  };
}
