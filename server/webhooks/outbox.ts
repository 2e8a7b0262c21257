// The outbox (docs/decisions/0024-outbox-and-delivery.md): before a transaction commits, one
// delivery row per (event, webhook that hears it) is written inside it, so a rolled-back write
// sends nothing and a process that dies after the commit loses nothing — the next deliverer
// finds the rows. Events are derived from what the transaction registered (server/db/changes.ts):
// the revisions it took (their change-feed rows are the entry events), the proposals it opened
// or closed (their status is the event), and events registered by name with `emitEvent`.
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import {
  registerEvent,
  type Changes,
  type CommitHook,
  type RegisteredEvent,
} from "../db/changes.js";
import type { Tx } from "../db/client.js";
import type { WebhookEvent } from "./events.js";
import {
  entryEvents,
  proposalEvents,
  registeredEvent,
  type ListFacts,
  type PendingEvent,
} from "./payload.js";

/**
 * Emits an event that no row of the transaction names by itself (`appeal.opened`,
 * `entries.review_due`, `proposal.closing`): written to the outbox with the transaction.
 */
export function emitEvent(tx: Tx, event: RegisteredEvent & { event: WebhookEvent }): void {
  registerEvent(tx, event);
}

/** Webhook events split their `events` column on spaces. */
export const eventsOfWebhook = (events: string): string[] => events.split(" ").filter(Boolean);

/**
 * The commit hook that writes the outbox; `written` is told after a commit that wrote
 * deliveries (the deliverer sends them at once).
 */
export function outboxHook(options: {
  clock: Clock;
  publicUrl: string;
  written: () => void;
}): CommitHook {
  const wrote = new WeakSet<Changes>();
  return {
    async beforeCommit(tx, changes) {
      const count = await writeOutbox(tx, changes, options.clock.now(), options.publicUrl);
      if (count > 0) wrote.add(changes);
    },
    afterCommit(changes) {
      if (wrote.has(changes)) options.written();
    },
  };
}

async function writeOutbox(tx: Tx, changes: Changes, now: Date, publicUrl: string) {
  if (changes.revisions.size === 0 && changes.proposalIds.size === 0 && !changes.events.length) {
    return 0;
  }
  const webhooks = (await tx.webhook.findMany({ where: { disabledAt: null } })).map((hook) => ({
    ...hook,
    hears: new Set(eventsOfWebhook(hook.events)),
  }));
  if (webhooks.length === 0) return 0;
  const heard = new Set(webhooks.flatMap((hook) => [...hook.hears]));
  const lists = new Map<number, ListFacts>();
  const listOf = async (id: number) => {
    if (!lists.has(id)) {
      const list = await tx.list.findUnique({ where: { id } });
      if (list) lists.set(id, list);
    }
    return lists.get(id);
  };
  const events: PendingEvent[] = [];
  if ([...heard].some((name) => name.startsWith("entry."))) {
    for (const id of changes.revisions.keys()) await listOf(id);
    events.push(...(await entryEvents(tx, lists, changes.revisions, publicUrl)));
  }
  if ([...heard].some((name) => name.startsWith("proposal."))) {
    events.push(
      ...(await proposalEvents(
        tx,
        changes.proposalIds,
        changes.openedProposalIds,
        listOf,
        publicUrl,
      )),
    );
  }
  for (const registered of changes.events) {
    const list = await listOf(registered.listId);
    if (list) events.push(registeredEvent(registered, list, publicUrl));
  }
  const rows = [];
  for (const event of events) {
    for (const hook of webhooks) {
      if (!hook.hears.has(event.event)) continue;
      if (event.instanceIds && !event.instanceIds.includes(hook.instanceId ?? -1)) continue;
      const data = event.render(hook.instanceId === null ? "public" : "members");
      if (!data) continue;
      rows.push({
        id: randomUUID(),
        webhookId: hook.id,
        event: event.event,
        payload: JSON.stringify(data),
        status: "pending",
        createdAt: now,
        nextAttemptAt: now,
      });
    }
  }
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows });
  return rows.length;
}
