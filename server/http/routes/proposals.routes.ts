import { z } from "zod";
import { decisionInput, proposalInput, voteInput, comment } from "../../proposals/input.js";
import {
  commentOnProposal,
  decideProposal,
  getProposal,
  listProposals,
  openProposal,
  withdrawProposal,
} from "../../proposals/proposals.service.js";
import { proposalDetailView, proposalPage } from "../../proposals/proposal.schema.js";
import { PROPOSAL_STATUSES } from "../../proposals/vocabulary.js";
import { castVote, retractVote } from "../../proposals/votes.service.js";
import { slug } from "../../lists/slug.js";
import { route } from "../route.js";
import { pageQuery, recordId } from "../schemas.js";

const idParams = z.object({ id: recordId("proposal") });
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
    response: proposalPage,
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
