// Webhooks (issue 18): an instance's accounts manage its webhooks; an admin may add
// service-wide ones, which receive only what anyone may see (server/webhooks/payload.ts). The
// secret is answered once, when the webhook is created.
import { randomBytes } from "node:crypto";
import { isAdmin, requireInstance, type Actor } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { AppError, forbidden, invalid, notFound } from "../errors.js";
import { checkUrl, OutboundError } from "../net/outbound.js";
import { isWebhookEvent, type WebhookEvent } from "./events.js";
import { eventsOfWebhook } from "./outbox.js";
import type { DeliveryStatus, DeliveryView, WebhookView } from "./webhook.schema.js";

/** The most webhooks one instance (or the service) may have. */
export const MAX_WEBHOOKS = 20;
/** The deliveries answered per webhook, newest first. */
const DELIVERIES_SHOWN = 100;

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  /** Admins only: a service-wide webhook (the default for an admin without an instance). */
  serviceWide?: boolean | undefined;
}

interface WebhookRow {
  id: number;
  instanceId: number | null;
  url: string;
  events: string;
  createdAt: Date;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

function view(row: WebhookRow, instances: Map<number, string>): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: eventsOfWebhook(row.events).filter(isWebhookEvent),
    instance: row.instanceId === null ? null : (instances.get(row.instanceId) ?? null),
    createdAt: row.createdAt.toISOString(),
    failingSince: row.failingSince?.toISOString() ?? null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
  };
}

/** The webhooks the caller manages: its instance's, and service-wide ones for an admin. */
function managedBy(actor: Actor): { instanceId: number | null }[] {
  const owners: { instanceId: number | null }[] = [];
  if (actor.instance) owners.push({ instanceId: actor.instance.id });
  if (isAdmin(actor)) owners.push({ instanceId: null });
  return owners;
}

const domainsOf = (actor: Actor) =>
  new Map<number, string>(actor.instance ? [[actor.instance.id, actor.instance.domain]] : []);

/** A URL the deliverer may send to under the outbound policy, checked before it is kept. */
function webhookUrl(ctx: AppContext, text: string): string {
  try {
    return checkUrl(text, ctx.config.outbound).toString();
  } catch (error) {
    if (error instanceof OutboundError) {
      throw invalid(`The webhook URL cannot be used: ${error.message}.`, [
        { field: "url", message: error.message },
      ]);
    }
    throw error;
  }
}

export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  input: WebhookInput,
): Promise<WebhookView & { secret: string }> {
  const serviceWide = input.serviceWide ?? (isAdmin(actor) && !actor.instance);
  if (serviceWide && !isAdmin(actor)) {
    throw forbidden("Only an admin may add a service-wide webhook.");
  }
  const instanceId = serviceWide
    ? null
    : requireInstance(actor, ": webhooks are an instance's (an admin may add service-wide ones).")
        .id;
  const url = webhookUrl(ctx, input.url);
  const events = [...new Set(input.events)];
  if (events.length === 0) {
    throw invalid("Name at least one event.", [{ field: "events", message: "empty" }]);
  }
  const secret = randomBytes(32).toString("hex");
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const count = await tx.webhook.count({ where: { instanceId } });
    if (count >= MAX_WEBHOOKS) {
      throw new AppError(
        409,
        "too_many_webhooks",
        `There are already ${MAX_WEBHOOKS} webhooks here: delete one first.`,
      );
    }
    const created = await tx.webhook.create({
      data: {
        instanceId,
        url,
        events: events.join(" "),
        secret,
        createdByAccountId: actor.accountId,
        createdAt: now,
      },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: "webhook.created",
      subject: String(created.id),
      after: { url, events, serviceWide },
    });
    return created;
  });
  return { ...view(row, domainsOf(actor)), secret };
}

export async function listWebhooks(ctx: AppContext, actor: Actor): Promise<WebhookView[]> {
  const owners = managedBy(actor);
  if (owners.length === 0) return [];
  const rows = await ctx.db.prisma.webhook.findMany({
    where: { OR: owners },
    orderBy: { id: "asc" },
  });
  return rows.map((row) => view(row, domainsOf(actor)));
}

async function findManaged(ctx: AppContext, actor: Actor, id: number) {
  const owners = managedBy(actor);
  const row =
    owners.length === 0
      ? null
      : await ctx.db.prisma.webhook.findFirst({ where: { id, OR: owners } });
  if (!row) throw notFound(`Webhook ${id}`);
  return row;
}

export async function deleteWebhook(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const row = await findManaged(ctx, actor, id);
  await ctx.db.transaction(async (tx) => {
    await tx.webhook.delete({ where: { id: row.id } });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "webhook.deleted",
      subject: String(row.id),
      before: { url: row.url, events: eventsOfWebhook(row.events) },
    });
  });
}

export async function listDeliveries(
  ctx: AppContext,
  actor: Actor,
  id: number,
): Promise<DeliveryView[]> {
  const row = await findManaged(ctx, actor, id);
  const deliveries = await ctx.db.prisma.webhookDelivery.findMany({
    where: { webhookId: row.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: DELIVERIES_SHOWN,
    include: { tries: { orderBy: { id: "asc" } } },
  });
  return deliveries.map((delivery) => ({
    id: delivery.id,
    event: delivery.event as WebhookEvent,
    status: delivery.status as DeliveryStatus,
    attempts: delivery.attempts,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    tries: delivery.tries.map((t) => ({
      at: t.at.toISOString(),
      httpStatus: t.httpStatus,
      error: t.error,
    })),
  }));
}
