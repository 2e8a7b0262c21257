// What a transaction changed, registered by the write that changes it, and the hooks that
// follow from it (docs/decisions/0018-side-effects-follow-the-transaction.md). A write that
// changes a list (its entries or settings) or a proposal's state registers it on its `tx`;
// `Database.transaction` runs every hook's `beforeCommit` inside the transaction (for rows that
// must commit with the change, such as an outbox) and, once it has committed and never after a
// rollback, every hook's `afterCommit` (cache invalidation, the proposal timer, and a signal to
// other processes). Nobody calls a `notify…` after a write.
import type { Tx } from "./client.js";

/** What one committed transaction changed. */
export interface Changes {
  /** Lists whose entries or settings changed. */
  readonly lists: ReadonlySet<number>;
  /** Whether a proposal was opened or closed (passed, rejected, withdrawn, decided). */
  readonly proposals: boolean;
  /** The proposals opened or closed, by id. */
  readonly proposalIds: ReadonlySet<number>;
  /** The proposals opened (some of them may have closed in the same transaction). */
  readonly openedProposalIds: ReadonlySet<number>;
  /** The revisions each changed list took (its change feed rows carry them). */
  readonly revisions: ReadonlyMap<number, ReadonlySet<number>>;
  /** Events that no row of their own names (`appeal.opened`, `entries.review_due`…). */
  readonly events: readonly RegisteredEvent[];
}

/** An event registered as such: its name, the list it concerns and its data. */
export interface RegisteredEvent {
  /** One of server/webhooks/events.ts's WEBHOOK_EVENTS. */
  event: string;
  listId: number;
  /** What members' webhooks receive (beside `list`). */
  data: Record<string, unknown>;
  /** What anyone may see, for service-wide webhooks on a public list; absent: members only. */
  publicData?: Record<string, unknown>;
  /** Only these instances' webhooks hear it (every webhook that subscribes, when absent). */
  instanceIds?: readonly number[];
}

export interface CommitHook {
  /** Runs inside the transaction, after its work, when it changed something. */
  beforeCommit?(tx: Tx, changes: Changes): Promise<void>;
  /** Runs once the transaction has committed, when it changed something. */
  afterCommit?(changes: Changes): void;
}

export class ChangeRecorder implements Changes {
  readonly lists = new Set<number>();
  proposals = false;
  readonly proposalIds = new Set<number>();
  readonly openedProposalIds = new Set<number>();
  readonly revisions = new Map<number, Set<number>>();
  readonly events: RegisteredEvent[] = [];

  get empty(): boolean {
    return this.lists.size === 0 && !this.proposals && this.events.length === 0;
  }
}

const recorders = new WeakMap<object, ChangeRecorder>();

/** Ties a recorder to an open transaction (Database.transaction does, for its `tx`). */
export function attachRecorder(tx: Tx): ChangeRecorder {
  const recorder = new ChangeRecorder();
  recorders.set(tx, recorder);
  return recorder;
}

function recorderOf(tx: Tx): ChangeRecorder {
  const recorder = recorders.get(tx);
  if (!recorder) throw new Error("changes must be registered inside db.transaction()");
  return recorder;
}

/** Registers that a list's entries or settings change in this transaction. */
export function registerChangedList(tx: Tx, listId: number): void {
  recorderOf(tx).lists.add(listId);
}

/** Registers the revision a list takes in this transaction (server/lists/entry-writes.ts). */
export function registerRevision(tx: Tx, listId: number, revision: number): void {
  const recorder = recorderOf(tx);
  recorder.lists.add(listId);
  const taken = recorder.revisions.get(listId) ?? new Set<number>();
  taken.add(revision);
  recorder.revisions.set(listId, taken);
}

/** Registers that a proposal is opened or closed in this transaction. */
export function registerProposalChange(tx: Tx, proposalId: number, opened = false): void {
  const recorder = recorderOf(tx);
  recorder.proposals = true;
  recorder.proposalIds.add(proposalId);
  if (opened) recorder.openedProposalIds.add(proposalId);
}

/**
 * Registers an event that no row written by the transaction names by itself; the outbox
 * (server/webhooks/outbox.ts) writes it for the webhooks that hear it, before commit.
 */
export function registerEvent(tx: Tx, event: RegisteredEvent): void {
  recorderOf(tx).events.push(event);
}

/** The hooks of one database, in the order they were added. */
export class CommitHooks {
  private readonly hooks = new Set<CommitHook>();

  add(hook: CommitHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  async beforeCommit(tx: Tx, changes: ChangeRecorder): Promise<void> {
    if (changes.empty) return;
    for (const hook of this.hooks) await hook.beforeCommit?.(tx, changes);
  }

  afterCommit(changes: ChangeRecorder): void {
    if (changes.empty) return;
    for (const hook of this.hooks) hook.afterCommit?.(changes);
  }
}
