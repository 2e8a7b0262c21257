// The audit log: every mutation writes one event in the same transaction as the change
// (SPEC §2). Events are only ever inserted.
import type { Actor } from "../accounts/actor.js";
import type { Tx } from "../db/client.js";

export interface AuditInput {
  /**
   * When it happened: the context's clock (`ctx.clock.now()`, the same time the change itself
   * records), so `?since=`/`?until=` agree with the other timestamps under a moved clock.
   */
  at: Date;
  action: string;
  listId?: number | null;
  subject?: string;
  before?: unknown;
  after?: unknown;
}

/** Who did it: an actor, or the service itself (closing proposals on time, the first start). */
export type AuditActor = Actor | "system";

const snapshot = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function recordAudit(tx: Tx, actor: AuditActor, event: AuditInput): Promise<void> {
  const who =
    actor === "system"
      ? { actorAccountId: null, actorUsername: null, actorInstanceId: null, actorInstance: null }
      : {
          actorAccountId: actor.accountId,
          actorUsername: actor.username,
          actorInstanceId: actor.instance?.id ?? null,
          actorInstance: actor.instance?.domain ?? null,
        };
  await tx.auditEvent.create({
    data: {
      ...who,
      at: event.at,
      action: event.action,
      listId: event.listId ?? null,
      subject: event.subject ?? "",
      before: snapshot(event.before),
      after: snapshot(event.after),
    },
  });
}
