// The Atom feeds and "waiting for your vote" (docs/members.md "Feeds", ADR 0025).
import { z } from "zod";
import { requireInstance } from "../../accounts/actor.js";
import { ATOM_TYPE } from "../../feeds/atom.js";
import {
  feedTokenStatus,
  instanceOfFeedToken,
  issueFeedToken,
  revokeFeedToken,
} from "../../feeds/feed-tokens.service.js";
import { awaitingFeed, listDecisionsFeed } from "../../feeds/feeds.service.js";
import { awaitingVote } from "../../proposals/awaiting.js";
import { awaitingView } from "../../proposals/awaiting.schema.js";
import { RESPONDED, route } from "../route.js";
import { slug } from "./lists.routes.js";

const atom = (res: import("express").Response, body: string) => {
  res.status(200).setHeader("Content-Type", ATOM_TYPE);
  res.setHeader("Cache-Control", "no-cache");
  res.end(body);
  return RESPONDED;
};

const waitingOf = (actor: Parameters<typeof requireInstance>[0]) =>
  requireInstance(actor, ": votes, and so what awaits them, are an instance's.");

export const feedRoutes = [
  route({
    method: "get",
    path: "/lists/:slug/proposals.atom",
    tag: "feeds",
    summary:
      "Atom feed of a public list's decisions: the latest 50 proposals passed, rejected or withdrawn, with their public reasons (never an open proposal)",
    access: "public",
    params: z.object({ slug }),
    produces: ["application/atom+xml"],
    async handler({ ctx, params, res }) {
      return atom(res, await listDecisionsFeed(ctx, params.slug));
    },
  }),
  route({
    method: "get",
    path: "/api/v1/instances/me/awaiting.atom",
    tag: "feeds",
    summary:
      "Atom feed of the proposals awaiting the instance's vote, read with its feed token (?token=, for feed readers that send no headers) or as a signed-in account",
    access: "public",
    query: z.object({
      token: z.string().max(200).optional().describe("the instance's feed token"),
    }),
    produces: ["application/atom+xml"],
    async handler({ ctx, actor, query, res }) {
      const instance =
        query.token !== undefined || !actor?.instance
          ? await instanceOfFeedToken(ctx, query.token)
          : actor.instance;
      return atom(res, await awaitingFeed(ctx, instance));
    },
  }),
  route({
    method: "get",
    path: "/api/v1/instances/me/awaiting",
    tag: "feeds",
    summary: "The open proposals awaiting the caller's instance's vote, closing soonest first",
    access: "account",
    response: awaitingView,
    async handler({ ctx, actor }) {
      const items = await awaitingVote(ctx, waitingOf(actor));
      return { count: items.length, items };
    },
  }),
  route({
    method: "get",
    path: "/api/v1/instances/me/feed-token",
    tag: "feeds",
    summary: "Whether the caller's instance has a feed token, and since when",
    access: "account",
    response: z.object({ active: z.boolean(), createdAt: z.string().nullable() }),
    async handler({ ctx, actor }) {
      return feedTokenStatus(ctx, actor);
    },
  }),
  route({
    method: "post",
    path: "/api/v1/instances/me/feed-token",
    tag: "feeds",
    summary:
      "Issue the instance's feed token, replacing (revoking) the one it had; the token and the feed URL are answered only here",
    access: "account",
    status: 201,
    response: z.object({ token: z.string(), url: z.string(), createdAt: z.string() }),
    async handler({ ctx, actor }) {
      return issueFeedToken(ctx, actor);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/instances/me/feed-token",
    tag: "feeds",
    summary: "Revoke the instance's feed token",
    access: "account",
    status: 204,
    async handler({ ctx, actor }) {
      await revokeFeedToken(ctx, actor);
    },
  }),
];
