// In-process notifications after a commit: the export cache forgets a list's metadata, the
// proposal scheduler re-arms its timer. They are hints: readers still check the database. Only
// the commit hook (server/context.ts, from what transactions register: server/db/changes.ts)
// notifies them.
type Listener<T> = (value: T) => void;

export class Notifier<T> {
  private readonly listeners = new Set<Listener<T>>();

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

export interface ServiceEvents {
  /** A list's entries or settings changed (its id). */
  listChanged: Notifier<number>;
  /** Proposals were opened, voted on or closed. */
  proposalsChanged: Notifier<void>;
  /** A commit wrote webhook deliveries to the outbox (server/webhooks/outbox.ts). */
  outboxWritten: Notifier<void>;
}

export const createServiceEvents = (): ServiceEvents => ({
  listChanged: new Notifier<number>(),
  proposalsChanged: new Notifier<void>(),
  outboxWritten: new Notifier<void>(),
});
