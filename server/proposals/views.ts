// What members see of a proposal: its fields, the diff against the entry, the tally, every
// vote with its instance, the discussion, and the caller's own vote.
import { appealOfProposal } from "../appeals/proposal-appeal.js";
import { ownInstanceIsTarget } from "../lists/domain-rules.js";
import type { Actor } from "../accounts/actor.js";
import { fromThresholdPercent } from "../lists/policy.js";
import type { Tx } from "../db/client.js";
import type { PrismaClient } from "../db/client.js";
import { entryInclude, snapshotOf, type EntrySnapshot } from "../lists/entry-fields.js";
import type { SeverityRule } from "../lists/policy.js";
import type { Severity } from "../lists/vocabulary.js";
import { passableAt, severityChoice, tallyVotes, type Tally, type VoteValue } from "./tally.js";
import type { ProposalOrigin } from "./vocabulary.js";
import { proposalInclude, proposedFields, type ProposalRow } from "./settle.js";
import type { HistoryAction } from "./vocabulary.js";

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
  proposerInstanceId: number | null;
  origin: string;
  list: { slug: string };
  proposerAccount: { username: string } | null;
  proposerInstance: { domain: string; name: string } | null;
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
    origin: row.origin as ProposalOrigin,
    /** The member who opened it, or null for a source's or an appeal's proposal. */
    proposer:
      row.proposerAccount && row.proposerInstance
        ? { username: row.proposerAccount.username, instance: row.proposerInstance.domain }
        : null,
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
      threshold: fromThresholdPercent(row.thresholdPercent),
      minOpenHours: row.minOpenHours,
      severityRule: row.severityRule,
    },
    tally: tallyVotes(row.votes.map((vote) => ({ vote: vote.vote as VoteValue }))),
    /** Under `majority`, the severities tied for most yes votes (the stricter wins), or null. */
    severityTie:
      row.severity === null
        ? null
        : severityChoice(
            row.severity as Severity,
            row.votes.map((vote) => ({
              vote: vote.vote as VoteValue,
              severity: vote.severity as Severity | null,
            })),
            row.severityRule as SeverityRule,
          ).tiedWith,
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
    canWithdraw:
      row.status === "open" &&
      row.proposerInstanceId !== null &&
      actor.instance?.id === row.proposerInstanceId,
  };
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
  const history = await loadProposalHistory(db, row);
  const appeal = row.origin === "appeal" ? await appealOfProposal(db, row.id) : null;
  return {
    ...summary(row, actor),
    current,
    appeal,
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
    history,
  };
}

/**
 * One step in a proposal's history, from its audit events: opened (a member's with the
 * proposer's automatic yes; a source's or an appeal's with no vote and no actor), votes cast, changed and retracted, withdrawn, passed or rejected (by the
 * votes, or by the service when its window closed: no actor), or decided by a curator.
 * Comments are not repeated here: the discussion lists them.
 */
export interface ProposalHistoryItem {
  id: number;
  at: Date;
  action: HistoryAction;
  /** Who did it; absent when the service itself did (closing a proposal on time). */
  actor?: string;
  /** The actor's instance, when they have one. */
  instance?: string;
  /** The vote cast (opened: the proposer's yes; voteRetracted: the vote taken back). */
  vote?: VoteValue;
  /** voteChanged: the vote it replaced. */
  previousVote?: VoteValue;
  /** The severity a yes vote prefers, when it names one. */
  severity?: string;
  /** A vote's comment, when it has one (every member sees votes' comments). */
  comment?: string;
  /** passed, rejected, decided. */
  outcome?: "passed" | "rejected";
  /** decided: the curator's reason. */
  reason?: string;
  /** passed, rejected, decided: the votes when it closed. */
  tally?: Tally;
}

const HISTORY_ACTIONS: Record<string, ProposalHistoryItem["action"]> = {
  "proposal.opened": "opened",
  "vote.cast": "voteCast",
  "vote.changed": "voteChanged",
  "vote.retracted": "voteRetracted",
  "proposal.withdrawn": "withdrawn",
  "proposal.passed": "passed",
  "proposal.rejected": "rejected",
  "proposal.decided.passed": "decided",
  "proposal.decided.rejected": "decided",
};

type Snapshot = Record<string, unknown>;
const parseSnapshot = (value: string | null): Snapshot => {
  const parsed = value === null ? null : (JSON.parse(value) as unknown);
  return parsed !== null && typeof parsed === "object" ? (parsed as Snapshot) : {};
};
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * The proposal's audit events, oldest first (by time, then id). Proposal events carry the
 * list, the domain as subject and the proposal's id in `after`; the query narrows by the
 * (listId, at) index to the proposal's lifetime, then by subject, then by the id.
 */
export async function loadProposalHistory(
  db: Reader,
  row: Pick<DetailRow, "id" | "listId" | "domain" | "openedAt" | "closedAt">,
): Promise<ProposalHistoryItem[]> {
  const events = await db.auditEvent.findMany({
    where: {
      listId: row.listId,
      at: { gte: row.openedAt, ...(row.closedAt ? { lte: row.closedAt } : {}) },
      subject: row.domain,
      action: { in: Object.keys(HISTORY_ACTIONS) },
    },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  const items: ProposalHistoryItem[] = [];
  for (const event of events) {
    const after = parseSnapshot(event.after);
    if (after.proposal !== row.id) continue;
    const before = parseSnapshot(event.before);
    const action = HISTORY_ACTIONS[event.action]!;
    const item: ProposalHistoryItem = { id: event.id, at: event.at, action };
    if (event.actorUsername) item.actor = event.actorUsername;
    if (event.actorInstance) item.instance = event.actorInstance;
    // A member's proposal opens with its instance's yes; a source's or an appeal's with none.
    if (action === "opened" && after.origin === undefined) item.vote = "yes";
    if (action === "voteCast" || action === "voteChanged") {
      item.vote = after.vote as VoteValue;
      if (action === "voteChanged") item.previousVote = before.vote as VoteValue;
      const severity = text(after.severity);
      if (severity) item.severity = severity;
      const comment = text(after.comment);
      if (comment) item.comment = comment;
    }
    if (action === "voteRetracted") item.vote = before.vote as VoteValue;
    if (action === "passed" || action === "rejected") item.outcome = action;
    if (action === "decided") {
      item.outcome = event.action.endsWith(".passed") ? "passed" : "rejected";
      item.reason = text(after.reason) ?? "";
    }
    if (after.tally) item.tally = after.tally as Tally;
    items.push(item);
  }
  return items;
}
