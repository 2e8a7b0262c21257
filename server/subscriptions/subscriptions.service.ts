// Subscriptions (SPEC §2): an instance follows a list, with optional filters (`minSeverity`,
// `tags`) and `exclude` domains. Managed by any account of the instance.
import { requireInstance, type Actor } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { conflict, invalid, notFound } from "../errors.js";
import { normalizeDomain } from "../domains/normalize.js";
import { findVisibleList } from "../lists/lists.service.js";
import type { Severity, Tag } from "../lists/vocabulary.js";
import type { WithDates } from "../answer.js";
import type { SubscriptionAnswer } from "./subscription.schema.js";

export interface SubscriptionInput {
  minSeverity?: Severity | null | undefined;
  tags?: Tag[] | undefined;
  exclude?: string[] | undefined;
}

/** A subscription as the service returns it (server/subscriptions/subscription.schema.ts). */
export type SubscriptionView = WithDates<SubscriptionAnswer, "createdAt" | "updatedAt">;

/** Subscriptions are an instance's. */
export const subscriberInstance = (actor: Actor) =>
  requireInstance(actor, ": subscriptions are an instance's.");

const include = {
  list: { select: { slug: true, name: true } },
  tags: { orderBy: { tag: "asc" } },
  excludes: { orderBy: { domain: "asc" } },
} as const;

type Row = Awaited<ReturnType<typeof loadRows>>[number];
const loadRows = (
  db: Tx | AppContext["db"]["prisma"],
  where: { instanceId: number; id?: number },
) => db.subscription.findMany({ where, include, orderBy: { id: "asc" } });

const view = (row: Row): SubscriptionView => ({
  id: row.id,
  list: row.list.slug,
  listName: row.list.name,
  minSeverity: row.minSeverity as Severity | null,
  tags: row.tags.map((t) => t.tag as Tag),
  exclude: row.excludes.map((e) => e.domain),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Normalizes excluded domains, naming each bad one by its position. */
function excludedDomains(domains: string[]): string[] {
  const errors: { field: string; message: string }[] = [];
  const normalized = domains.map((text, index) => {
    const result = normalizeDomain(text);
    if (!result.ok) {
      errors.push({ field: `exclude.${index}`, message: result.message });
      return "";
    }
    return result.domain;
  });
  if (errors.length > 0) throw invalid("Some excluded domains are not valid.", errors);
  return [...new Set(normalized)].sort();
}

export async function listSubscriptions(
  ctx: AppContext,
  actor: Actor,
): Promise<SubscriptionView[]> {
  const instance = subscriberInstance(actor);
  return (await loadRows(ctx.db.prisma, { instanceId: instance.id })).map(view);
}

export async function subscribe(
  ctx: AppContext,
  actor: Actor,
  input: SubscriptionInput & { list: string },
): Promise<SubscriptionView> {
  const instance = subscriberInstance(actor);
  const exclude = excludedDomains(input.exclude ?? []);
  const id = await ctx.db.transaction(async (tx) => {
    const list = await findVisibleList(tx, actor, input.list);
    const existing = await tx.subscription.findUnique({
      where: { instanceId_listId: { instanceId: instance.id, listId: list.id } },
    });
    if (existing) {
      throw conflict(
        `${instance.domain} already subscribes to ${list.slug} (subscription ${existing.id}): change it instead.`,
        "already_subscribed",
      );
    }
    const now = ctx.clock.now();
    const created = await tx.subscription.create({
      data: {
        instanceId: instance.id,
        listId: list.id,
        minSeverity: input.minSeverity ?? null,
        tags: { create: [...new Set(input.tags ?? [])].map((tag) => ({ tag })) },
        excludes: { create: exclude.map((domain) => ({ domain })) },
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: "subscription.created",
      listId: list.id,
      subject: instance.domain,
      after: { minSeverity: input.minSeverity ?? null, tags: input.tags ?? [], exclude },
    });
    return created.id;
  });
  return view((await loadRows(ctx.db.prisma, { instanceId: instance.id, id }))[0]!);
}

export async function updateSubscription(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: SubscriptionInput,
): Promise<SubscriptionView> {
  const instance = subscriberInstance(actor);
  const exclude = input.exclude === undefined ? undefined : excludedDomains(input.exclude);
  await ctx.db.transaction(async (tx) => {
    const [before] = await loadRows(tx, { instanceId: instance.id, id });
    if (!before) throw notFound(`Subscription ${id}`);
    const now = ctx.clock.now();
    await tx.subscription.update({
      where: { id },
      data: {
        ...(input.minSeverity !== undefined ? { minSeverity: input.minSeverity } : {}),
        ...(input.tags !== undefined
          ? { tags: { deleteMany: {}, create: [...new Set(input.tags)].map((tag) => ({ tag })) } }
          : {}),
        ...(exclude !== undefined
          ? { excludes: { deleteMany: {}, create: exclude.map((domain) => ({ domain })) } }
          : {}),
        updatedAt: now,
      },
    });
    const [after] = await loadRows(tx, { instanceId: instance.id, id });
    await recordAudit(tx, actor, {
      at: now,
      action: "subscription.updated",
      subject: instance.domain,
      before: view(before),
      after: view(after!),
    });
  });
  return view((await loadRows(ctx.db.prisma, { instanceId: instance.id, id }))[0]!);
}

export async function unsubscribe(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const instance = subscriberInstance(actor);
  await ctx.db.transaction(async (tx) => {
    const [before] = await loadRows(tx, { instanceId: instance.id, id });
    if (!before) throw notFound(`Subscription ${id}`);
    await tx.subscription.delete({ where: { id } });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "subscription.deleted",
      subject: instance.domain,
      before: view(before),
    });
  });
}
