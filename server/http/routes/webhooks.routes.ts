// Webhooks (docs/members.md "Webhooks", docs/decisions/0024-outbox-and-delivery.md).
import { z } from "zod";
import { WEBHOOK_EVENTS } from "../../webhooks/events.js";
import {
  createdWebhookView,
  deliveryView,
  webhookEvent,
  webhookView,
} from "../../webhooks/webhook.schema.js";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
} from "../../webhooks/webhooks.service.js";
import { route } from "../route.js";
import { recordId } from "../schemas.js";

const idParams = z.object({ id: recordId("webhook") });

export const webhookRoutes = [
  route({
    method: "get",
    path: "/api/v1/webhooks",
    tag: "webhooks",
    summary:
      "The webhooks the caller manages: its instance's, and the service-wide ones for an admin",
    access: "account",
    response: z.object({ items: z.array(webhookView) }),
    async handler({ ctx, actor }) {
      return { items: await listWebhooks(ctx, actor) };
    },
  }),
  route({
    method: "post",
    path: "/api/v1/webhooks",
    tag: "webhooks",
    summary:
      "Add a webhook for the caller's instance (an admin may add a service-wide one, which receives only what anyone may see); the secret that signs its deliveries is answered only here",
    access: "account",
    status: 201,
    body: z.strictObject({
      url: z
        .string({ error: "expected the receiver's https:// URL" })
        .max(2000, "at most 2000 characters")
        .describe("where deliveries are POSTed (https://)"),
      events: z
        .array(webhookEvent)
        .min(1, "name at least one event")
        .max(WEBHOOK_EVENTS.length)
        .describe(`any of ${WEBHOOK_EVENTS.join(", ")}`),
      serviceWide: z
        .boolean()
        .optional()
        .describe("admins only: a service-wide webhook (default for an admin without instance)"),
    }),
    response: createdWebhookView,
    async handler({ ctx, actor, body }) {
      return createWebhook(ctx, actor, body);
    },
  }),
  route({
    method: "delete",
    path: "/api/v1/webhooks/:id",
    tag: "webhooks",
    summary: "Delete a webhook (its pending deliveries are dropped)",
    access: "account",
    status: 204,
    params: idParams,
    async handler({ ctx, actor, params }) {
      await deleteWebhook(ctx, actor, params.id);
    },
  }),
  route({
    method: "get",
    path: "/api/v1/webhooks/:id/deliveries",
    tag: "webhooks",
    summary: "The webhook's latest deliveries (newest first, at most 100), each attempt recorded",
    access: "account",
    params: idParams,
    response: z.object({ items: z.array(deliveryView) }),
    async handler({ ctx, actor, params }) {
      return { items: await listDeliveries(ctx, actor, params.id) };
    },
  }),
];
