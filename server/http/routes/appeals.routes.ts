import { z } from "zod";
import { appealView, createdAppealView, verifiedAppealView } from "../../appeals/appeal.schema.js";
import {
  commentOnAppeal,
  createAppeal,
  getAppeal,
  verifyAppeal,
} from "../../appeals/appeals.service.js";
import { appealCommentInput, appealInput } from "../../appeals/input.js";
import { route } from "../route.js";
import { domainInPath, recordId } from "../schemas.js";
import { slug } from "./lists.routes.js";

const idParams = z.object({ id: recordId("appeal") });

export const appealRoutes = [
  route({
    method: "post",
    path: "/api/v1/lists/:slug/entries/:domain/appeals",
    tag: "appeals",
    summary:
      "Appeal an entry on a public list, as the listed domain (no account): answers the token to serve at /.well-known/fediblock-verification and the appeal token (shown once)",
    access: "public",
    status: 201,
    params: z.object({ slug, domain: domainInPath }),
    body: appealInput,
    response: createdAppealView,
    async handler({ ctx, params, body }) {
      return createAppeal(ctx, params.slug, params.domain, body);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/appeals/:id/verify",
    tag: "appeals",
    summary:
      "Fetch the domain's /.well-known/fediblock-verification; when it serves the token, the appeal opens a proposal the members vote on (throttled per domain and per address)",
    access: "public",
    params: idParams,
    response: verifiedAppealView,
    async handler({ ctx, params, req }) {
      return verifyAppeal(ctx, params.id, req.ip ?? "unknown");
    },
  }),
  route({
    method: "get",
    path: "/api/v1/appeals/:id",
    tag: "appeals",
    summary:
      "An appeal: its status, its proposal's outcome and counts, the public reasons (never who voted)",
    access: "public",
    params: idParams,
    response: appealView,
    async handler({ ctx, params }) {
      return getAppeal(ctx, params.id);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/appeals/:id/comments",
    tag: "appeals",
    summary: "The appellant's comment, with the appeal token (while the appeal is open)",
    access: "public",
    status: 201,
    params: idParams,
    body: appealCommentInput,
    response: appealView,
    async handler({ ctx, params, body }) {
      return commentOnAppeal(ctx, params.id, body.appealToken, body.body);
    },
  }),
];
