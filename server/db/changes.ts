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

  get empty(): boolean {
    return this.lists.size === 0 && !this.proposals;
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

/** Registers that a proposal is opened or closed in this transaction. */
export function registerProposalChange(tx: Tx): void {
  recorderOf(tx).proposals = true;
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
