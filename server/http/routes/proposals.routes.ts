import { z } from "zod";
import { proposalAppealView } from "../../appeals/appeal.schema.js";
import { decisionInput, proposalInput, voteInput, comment } from "../../proposals/input.js";
import {
  commentOnProposal,
  decideProposal,
  getProposal,
  listProposals,
  openProposal,
  PROPOSAL_ORIGINS,
  PROPOSAL_STATUSES,
  withdrawProposal,
} from "../../proposals/proposals.service.js";
import { castVote, retractVote } from "../../proposals/votes.service.js";
import { route } from "../route.js";
import { pageQuery, recordId } from "../schemas.js";
import { slug } from "./lists.routes.js";

const idParams = z.object({ id: recordId("proposal") });
const tally = z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() });
const proposalView = z
  .object({
    id: z.number().int(),
    list: z.string(),
    kind: z.enum(["add", "change", "remove"]),
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
    tally,
    closesAt: z.string(),
    passableAt: z.string(),
    myVote: z
      .object({ vote: z.enum(["yes", "no", "abstain"]) })
      .loose()
      .nullable(),
  })
  .loose();
const voteValue = z.enum(["yes", "no", "abstain"]);
const historyItem = z
  .object({
    id: z.number().int().describe("The audit event's id"),
    at: z.string(),
    action: z.enum([
      "opened",
      "voteCast",
      "voteChanged",
      "voteRetracted",
      "withdrawn",
      "passed",
      "rejected",
      "decided",
    ]),
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
    severity: z.string().optional().describe("The severity a yes vote prefers, when it names one"),
    comment: z.string().optional().describe("A vote's comment, when it has one"),
    outcome: z.enum(["passed", "rejected"]).optional().describe("passed, rejected, decided"),
    reason: z.string().optional().describe("decided: the curator's reason"),
    tally: tally.optional().describe("passed, rejected, decided: the votes when it closed"),
  })
  .describe(
    "One step of a proposal's history, from the audit log; passed or rejected without an actor is the service closing it when its window ended (or its minimum open time came)",
  );
/** A proposal with its tally, votes, comments and history (SPEC §3). */
const proposalDetailView = proposalView.extend({
  appeal: proposalAppealView,
  history: z
    .array(historyItem)
    .describe("What happened, oldest first (by time, then id); comments are in `comments`"),
});

export const proposalRoutes = [
  route({
    method: "get",
    path: "/api/v1/lists/:slug/proposals",
    tag: "proposals",
    summary: "A list's proposals, newest first; filter with status",
    access: "account",
    params: z.object({ slug }),
    query: z.object({
      status: z
        .enum(PROPOSAL_STATUSES, { error: `expected one of ${PROPOSAL_STATUSES.join(", ")}` })
        .optional(),
      ...pageQuery,
    }),
    response: z.object({ items: z.array(proposalView), nextCursor: z.string().nullable() }),
    async handler({ ctx, actor, params, query }) {
      return listProposals(ctx, actor, params.slug, query);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/lists/:slug/proposals",
    tag: "proposals",
    summary: "Propose to add, change or remove an entry; your instance votes yes at once",
    access: "account",
    status: 201,
    params: z.object({ slug }),
    body: proposalInput,
    response: proposalDetailView,
    async handler({ ctx, actor, params, body }) {
      return openProposal(ctx, actor, params.slug, body);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/proposals/:id",
    tag: "proposals",
    summary: "A proposal with its tally, votes, discussion, history and the entry it would change",
    access: "account",
    params: idParams,
    response: proposalDetailView,
    async handler({ ctx, actor, params }) {
      return getProposal(ctx, actor, params.id);
    },
  }),
  route({
    method: "put",
    path: "/api/v1/proposals/:id/vote",
    tag: "proposals",
    summary: "Cast or change your instance's vote",
    access: "account",
    params: idParams,
    body: voteInput,
    response: proposalDetailView,
    async handler({ ctx, actor, params, body }) {
      return castVote(ctx, actor, params.id, body);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/proposals/:id/vote",
    tag: "proposals",
    summary: "Retract your instance's vote",
    access: "account",
    status: 204,
    params: idParams,
    async handler({ ctx, actor, params }) {
      await retractVote(ctx, actor, params.id);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/proposals/:id/withdraw",
    tag: "proposals",
    summary: "Withdraw a proposal (the proposer's instance)",
    access: "account",
    params: idParams,
    response: proposalDetailView,
    async handler({ ctx, actor, params }) {
      return withdrawProposal(ctx, actor, params.id);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/proposals/:id/decide",
    tag: "proposals",
    summary: "Decide a proposal now, with a reason (curators)",
    access: "curator",
    params: idParams,
    body: decisionInput,
    response: proposalDetailView,
    async handler({ ctx, actor, params, body }) {
      return decideProposal(ctx, actor, params.id, body);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/proposals/:id/comments",
    tag: "proposals",
    summary: "Add to a proposal's discussion",
    access: "account",
    status: 201,
    params: idParams,
    body: z.strictObject({ body: comment(5000).min(1, "write something") }),
    response: proposalDetailView,
    async handler({ ctx, actor, params, body }) {
      return commentOnProposal(ctx, actor, params.id, body.body);
    },
  }),
];
