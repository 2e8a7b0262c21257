// The events a webhook may hear (issue 18, docs/members.md "Webhooks"). Open proposals are
// members-only, so `proposal.opened` and `proposal.closing` reach instances' webhooks only; the
// others reach service-wide webhooks too, for public lists, with public fields only.
export const WEBHOOK_EVENTS = [
  "proposal.opened",
  "proposal.passed",
  "proposal.rejected",
  "proposal.withdrawn",
  "proposal.closing",
  "entry.added",
  "entry.changed",
  "entry.removed",
  "entries.review_due",
  "appeal.opened",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Who receives a payload: an instance's webhook (members) or a service-wide one (anyone). */
export type Receiver = "members" | "public";

export const isWebhookEvent = (name: string): name is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(name);
