// What a proposal looks like in an answer (SPEC §3), defined once: the routes document it, the
// route-table test checks real answers against it (test/http/authorization-matrix.test.ts), and
// the web reads its types. Layer-neutral: zod and the vocabularies only.
import { z } from "zod";
import { proposalAppealView } from "../appeals/appeal.schema.js";
import { entryView } from "../entries/entry.schema.js";
import { SEVERITY_RULES } from "../lists/policy.js";
import { SEVERITIES } from "../lists/vocabulary.js";
import {
  HISTORY_STEPS,
  PROPOSAL_KINDS,
  PROPOSAL_ORIGINS,
  PROPOSAL_STATUSES,
  VOTE_VALUES,
} from "./vocabulary.js";

const severity = z.enum(SEVERITIES);
const voteValue = z.enum(VOTE_VALUES);

export const tallyView = z.object({
  yes: z.number().int(),
  no: z.number().int(),
  abstain: z.number().int(),
});
export type TallyView = z.output<typeof tallyView>;

/** The entry fields a proposal sets (only those it sets are present). */
export const proposedFieldsView = entryView
  .omit({ domain: true, createdAt: true, updatedAt: true })
  .extend({ evidence: z.array(z.string()).optional() })
  .partial();
export type ProposedFieldsView = z.output<typeof proposedFieldsView>;

export const myVoteView = z.object({
  vote: voteValue,
  severity: severity.nullable(),
  comment: z.string(),
  by: z.string(),
});
export type MyVoteView = z.output<typeof myVoteView>;

export const proposalView = proposedFieldsView.extend({
  id: z.number().int(),
  list: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  domain: z.string(),
  status: z.enum(PROPOSAL_STATUSES),
  reason: z.string(),
  origin: z
    .enum(PROPOSAL_ORIGINS)
    .describe(
      "member: opened by a member instance (its yes is counted); source: from an upstream source the list follows; appeal: from the listed domain's verified appeal. Only a member's has a proposer",
    ),
  proposer: z
    .object({ username: z.string(), instance: z.string() })
    .nullable()
    .describe("The member who opened it; null for a source's or an appeal's proposal"),
  openedAt: z.string(),
  passableAt: z.string(),
  closesAt: z.string(),
  closedAt: z.string().nullable(),
  decision: z.object({ by: z.string(), reason: z.string() }).nullable(),
  appliedSeverity: severity.nullable(),
  severityTie: z
    .array(severity)
    .nullable()
    .describe("Under `majority`, the severities tied for most yes votes (least strict first)"),
  policy: z.object({
    quorum: z.number().int(),
    threshold: z.number(),
    minOpenHours: z.number().int(),
    severityRule: z.enum(SEVERITY_RULES),
  }),
  tally: tallyView,
  myVote: myVoteView.nullable(),
  canVote: z.boolean(),
  canWithdraw: z.boolean(),
});
export type ProposalSummaryView = z.output<typeof proposalView>;

export const proposalHistoryItem = z
  .object({
    id: z.number().int().describe("The audit event's id"),
    at: z.string(),
    action: z.enum(HISTORY_STEPS),
    actor: z
      .string()
      .optional()
      .describe("Who did it; absent when the service closed the proposal on time"),
    instance: z.string().optional().describe("The actor's instance, when they have one"),
    vote: voteValue
      .optional()
      .describe(
        "opened: the proposer's yes; voteCast, voteChanged: the vote; voteRetracted: the vote taken back",
      ),
    previousVote: voteValue.optional().describe("voteChanged: the vote it replaced"),
    severity: severity.optional().describe("The severity a yes vote prefers, when it names one"),
    comment: z.string().optional().describe("A vote's comment, when it has one"),
    outcome: z.enum(["passed", "rejected"]).optional().describe("passed, rejected, decided"),
    reason: z.string().optional().describe("decided: the curator's reason"),
    tally: tallyView.optional().describe("passed, rejected, decided: the votes when it closed"),
  })
  .describe(
    "One step of a proposal's history, from the audit log; passed or rejected without an actor is the service closing it when its window ended (or its minimum open time came)",
  );
export type ProposalHistoryItemView = z.output<typeof proposalHistoryItem>;

/** A proposal with its tally, votes, comments and history (SPEC §3). */
export const proposalDetailView = proposalView.extend({
  current: entryView
    .extend({ privateComment: z.string(), evidence: z.array(z.string()) })
    .nullable()
    .describe("The entry the proposal would change, or null"),
  votes: z.array(
    z.object({
      instance: z.string(),
      username: z.string(),
      vote: voteValue,
      severity: severity.nullable(),
      comment: z.string(),
      at: z.string(),
    }),
  ),
  comments: z.array(
    z.object({
      id: z.number().int(),
      username: z.string(),
      instance: z.string().nullable(),
      body: z.string(),
      at: z.string(),
    }),
  ),
  history: z
    .array(proposalHistoryItem)
    .describe("What happened, oldest first (by time, then id); comments are in `comments`"),
  appeal: proposalAppealView,
});
export type ProposalDetailView = z.output<typeof proposalDetailView>;

export const proposalPage = z.object({
  items: z.array(proposalView),
  nextCursor: z.string().nullable(),
});
