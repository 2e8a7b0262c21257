// Sending the outbox (docs/decisions/0024-outbox-and-delivery.md). Each due delivery is sent
// outside any transaction through the outbound policy (server/net/outbound.ts), then its attempt
// is recorded: delivered on a 2xx, else retried with a growing delay until a day after it was
// written, then failed. A webhook whose every attempt has failed for a day is disabled, says so,
// and its pending deliveries fail with it. A process that dies between sending and recording
// sends again later: deliveries are at least once, receivers de-duplicate by delivery id.
import { createHmac } from "node:crypto";
import type { AppContext } from "../context.js";
import { OutboundError, outboundFetch, type Resolver } from "../net/outbound.js";

export const DAY_MS = 86_400_000;
/** The delay after the 1st, 2nd… failed attempt; the last one repeats, up to a day. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;
/** How long a delivery is retried, and how long a webhook may fail before it is disabled. */
export const GIVE_UP_MS = DAY_MS;
/** The whole exchange with a receiver. */
const TIMEOUT_MS = 10_000;
/** Deliveries sent per pass, oldest due first (the next pass takes the rest at once). */
const BATCH = 50;

/** `sha256=<hex HMAC-SHA256 of the body with the secret>`: the X-Fediblock-Signature header. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** When the attempt after `attempts` failed ones is due, or null when it is past the day. */
export function nextAttemptAfter(createdAt: Date, attempts: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1]!;
  const deadline = createdAt.getTime() + GIVE_UP_MS;
  if (now.getTime() >= deadline) return null;
  return new Date(Math.min(now.getTime() + delay, deadline));
}

export interface DeliveryOptions {
  /** Tests only: resolve names to 127.0.0.1 (never reachable from configuration). */
  resolve?: Resolver;
}

/** Sends every delivery due now; answers how many were sent and how many of them succeeded. */
export async function deliverDue(
  ctx: AppContext,
  options: DeliveryOptions = {},
): Promise<{ sent: number; delivered: number; more: boolean }> {
  const now = ctx.clock.now();
  const due = await ctx.db.prisma.webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    include: { webhook: true },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: BATCH,
  });
  let delivered = 0;
  for (const delivery of due) {
    if (await attempt(ctx, delivery, options)) delivered += 1;
  }
  return { sent: due.length, delivered, more: due.length === BATCH };
}

type DueDelivery = Awaited<
  ReturnType<AppContext["db"]["prisma"]["webhookDelivery"]["findMany"]>
>[number] & {
  webhook: { id: number; url: string; secret: string; disabledAt: Date | null };
};

async function attempt(
  ctx: AppContext,
  delivery: DueDelivery,
  options: DeliveryOptions,
): Promise<boolean> {
  const at = ctx.clock.now();
  const body = JSON.stringify({
    id: delivery.id,
    event: delivery.event,
    timestamp: at.toISOString(),
    ...(JSON.parse(delivery.payload) as object),
  });
  let httpStatus: number | null = null;
  let error = "";
  try {
    const answer = await outboundFetch(
      delivery.webhook.url,
      ctx.config.outbound,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "FediblockCommons-Webhook/1",
          "x-fediblock-event": delivery.event,
          "x-fediblock-delivery": delivery.id,
          "x-fediblock-timestamp": String(Math.floor(at.getTime() / 1000)),
          "x-fediblock-signature": signBody(delivery.webhook.secret, body),
        },
        body,
        maxBytes: 64 * 1024,
        timeoutMs: TIMEOUT_MS,
      },
      options.resolve,
    );
    httpStatus = answer.status;
    if (answer.status < 200 || answer.status >= 300) error = `HTTP ${answer.status}`;
  } catch (failure) {
    error =
      failure instanceof OutboundError
        ? `${failure.code}: ${failure.message}`
        : failure instanceof Error
          ? failure.message
          : String(failure);
  }
  const ok = error === "";
  await record(ctx, delivery, { at, httpStatus, error: error.slice(0, 500), ok });
  return ok;
}

async function record(
  ctx: AppContext,
  delivery: DueDelivery,
  result: { at: Date; httpStatus: number | null; error: string; ok: boolean },
): Promise<void> {
  const attempts = delivery.attempts + 1;
  const next = result.ok ? null : nextAttemptAfter(delivery.createdAt, attempts, result.at);
  await ctx.db.transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        at: result.at,
        httpStatus: result.httpStatus,
        error: result.error,
      },
    });
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempts,
        lastAttemptAt: result.at,
        status: result.ok ? "delivered" : next ? "pending" : "failed",
        nextAttemptAt: next,
      },
    });
    const webhook = await tx.webhook.findUnique({ where: { id: delivery.webhookId } });
    if (!webhook) return;
    if (result.ok) {
      if (webhook.failingSince) {
        await tx.webhook.update({ where: { id: webhook.id }, data: { failingSince: null } });
      }
      return;
    }
    const failingSince = webhook.failingSince ?? result.at;
    if (webhook.disabledAt || result.at.getTime() - failingSince.getTime() < GIVE_UP_MS) {
      if (!webhook.failingSince) {
        await tx.webhook.update({ where: { id: webhook.id }, data: { failingSince } });
      }
      return;
    }
    await tx.webhook.update({
      where: { id: webhook.id },
      data: {
        disabledAt: result.at,
        disabledReason: `Disabled on ${result.at.toISOString()}: every delivery since ${failingSince.toISOString()} failed (last: ${result.error}). Fix the receiver, then add the webhook again.`,
      },
    });
    await tx.webhookDelivery.updateMany({
      where: { webhookId: webhook.id, status: "pending" },
      data: { status: "failed", nextAttemptAt: null },
    });
  });
}

/** When the next pending delivery is due, or null. */
export async function nextDeliveryAt(ctx: AppContext): Promise<Date | null> {
  const next = await ctx.db.prisma.webhookDelivery.findFirst({
    where: { status: "pending" },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  return next?.nextAttemptAt ?? null;
}
