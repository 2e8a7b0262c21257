// The shapes of the webhook API (layer-neutral: the routes document them, the services answer
// them, the web UI reads them).
import { z } from "zod";
import { WEBHOOK_EVENTS } from "./events.js";

export const webhookEvent = z.enum(WEBHOOK_EVENTS, {
  error: `expected one of ${WEBHOOK_EVENTS.join(", ")}`,
});

export const webhookView = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(webhookEvent),
  /** The instance whose webhook it is, or null for a service-wide one. */
  instance: z.string().nullable(),
  createdAt: z.string(),
  /** Since when every attempt has failed, or null. */
  failingSince: z.string().nullable(),
  /** Set once it has failed for a day: nothing more is sent to it. */
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
});
export type WebhookView = z.infer<typeof webhookView>;

export const createdWebhookView = webhookView.extend({
  /** The HMAC-SHA256 key of its signatures: shown only in this answer. */
  secret: z.string(),
});

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryView = z.object({
  id: z.string(),
  event: webhookEvent,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  /** Each attempt, oldest first: the receiver's HTTP status (null: no answer) and the error. */
  tries: z.array(
    z.object({ at: z.string(), httpStatus: z.number().int().nullable(), error: z.string() }),
  ),
});
export type DeliveryView = z.infer<typeof deliveryView>;
