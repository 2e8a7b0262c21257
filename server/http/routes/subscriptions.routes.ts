import { z } from "zod";
import { exportQuery } from "../../exports/export-query.js";
import { FORMATS, type ExportFormat } from "../../exports/render.js";
import { SEVERITIES } from "../../lists/vocabulary.js";
import { tag } from "../../proposals/input.js";
import {
  listSubscriptions,
  subscribe,
  subscriberInstance,
  unsubscribe,
  updateSubscription,
} from "../../subscriptions/subscriptions.service.js";
import { subscriptionView } from "../../subscriptions/subscription.schema.js";
import { slug } from "../../lists/slug.js";
import { RESPONDED, route, type AnyRoute } from "../route.js";
import { recordId } from "../schemas.js";
import { writeExport } from "./exports.routes.js";

const idParams = z.object({ id: recordId("subscription") });
const severity = z.enum(SEVERITIES, { error: "expected suspend, silence or noop" });
const settings = {
  minSeverity: severity
    .nullable()
    .optional()
    .describe("only entries at least this strict (null: all)"),
  tags: z.array(tag).max(8).optional().describe("only entries with any of these tags (empty: all)"),
  exclude: z
    .array(z.string().max(1000))
    .max(1000, "at most 1000 excluded domains")
    .optional()
    .describe("domains never to take from this list"),
};
const feedRoute = (format: ExportFormat): AnyRoute =>
  route({
    method: "get",
    path: `/api/v1/subscriptions/export.${format}`,
    tag: "subscriptions",
    summary: `The merged feed of every list the caller's instance subscribes to (${format}); the stricter entry wins where lists disagree, then the export filters apply (?min_severity=suspend for GoToSocial). Bearer token, or HTTP Basic with the token as password`,
    access: "account",
    basicAuth: true,
    query: exportQuery,
    produces: [
      format === "csv" ? "text/csv" : format === "json" ? "application/json" : "text/plain",
    ],
    async handler({ ctx, actor, query, req, res }) {
      const instance = subscriberInstance(actor);
      const answer = await ctx.mergedFeeds.answer(instance, format, query, {
        ifNoneMatch: req.get("if-none-match"),
        ifModifiedSince: req.get("if-modified-since"),
        acceptEncoding: req.get("accept-encoding"),
      });
      writeExport(res, answer, req.method === "HEAD");
      return RESPONDED;
    },
  });

export const subscriptionRoutes = [
  route({
    method: "get",
    path: "/api/v1/subscriptions",
    tag: "subscriptions",
    summary: "The lists the caller's instance subscribes to",
    access: "account",
    response: z.object({ items: z.array(subscriptionView) }),
    async handler({ ctx, actor }) {
      return { items: await listSubscriptions(ctx, actor) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/subscriptions",
    tag: "subscriptions",
    summary: "Subscribe the caller's instance to a list",
    access: "account",
    status: 201,
    body: z.strictObject({ list: slug, ...settings }),
    response: subscriptionView,
    async handler({ ctx, actor, body }) {
      return subscribe(ctx, actor, body);
    },
  }),
  route({
    method: "patch",
    path: "/api/v1/subscriptions/:id",
    tag: "subscriptions",
    summary: "Change a subscription's filters or excluded domains",
    access: "account",
    params: idParams,
    body: z.strictObject(settings),
    response: subscriptionView,
    async handler({ ctx, actor, params, body }) {
      return updateSubscription(ctx, actor, params.id, body);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/subscriptions/:id",
    tag: "subscriptions",
    summary: "Unsubscribe",
    access: "account",
    status: 204,
    params: idParams,
    async handler({ ctx, actor, params }) {
      await unsubscribe(ctx, actor, params.id);
    },
  }),
  ...FORMATS.map(feedRoute),
];
