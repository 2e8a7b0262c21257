// What the targets without a per-block comment share (Misskey, Akkoma, Lemmy): the server holds
// hosts in lists, the ownership ledger (../ledger.ts) holds the sync's marker for each host it
// wrote. Each host the server lists becomes a TargetBlock whose private comment is that marker
// (none when the sync never wrote it), so the plan's ownership rules apply unchanged: a host
// outside the ledger is hand-made, one whose lists changed since the sync wrote it is edited.
//
// Whole-list replacement (ADR 0017): each change reads the lists right before its write, changes
// one host only, writes, and reads again; when the host is not as written (an admin's save,
// prepared from an older read, replaced the list after ours), the step is done again, up to
// WRITE_ATTEMPTS times. An admin's save that lands between our read and our write is lost to
// the server itself and cannot be seen through these APIs: the window is one request long.
import type { BlockFields, DesiredBlock, TargetBlock } from "../block.js";
import { sameFields } from "../block.js";
import { ConnectionError, HttpError } from "../http.js";
import type { Ledger } from "../ledger.js";
import type { CreateResult } from "./target.js";

export const WRITE_ATTEMPTS = 4;
/** A read this recent stands in for the read before the next write (the previous check read). */
const FRESH_MS = 1_000;

export class ConcurrentEditError extends Error {
  constructor(host: string, attempts: number) {
    super(
      `${host}: the server's lists changed under each of ${attempts} attempts (an admin saving them at the same time?); the next run tries again`,
    );
    this.name = "ConcurrentEditError";
  }
}

/** One read of a server's lists: its own shape, and what it amounts to for each host. */
export interface ListSnapshot<S> {
  state: S;
  hosts: Map<string, BlockFields>;
}

/**
 * An HTTP error that means the credentials were refused, whatever its status (Lemmy answers
 * 400 `not_logged_in`): the run stops with exit 2 as for a 401.
 */
export class RefusedCredentialsError extends HttpError {
  constructor(error: HttpError) {
    super(error.method, error.url, error.status, error.body);
  }

  override get refusedCredentials(): boolean {
    return true;
  }
}

export abstract class LedgerTarget<S> {
  readonly usesLedger = true;
  protected readonly ledger: Ledger;
  #last: { snapshot: ListSnapshot<S>; at: number } | null = null;

  protected constructor(ledger: Ledger) {
    this.ledger = ledger;
  }

  abstract desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[];
  /** Reads every list the target syncs. */
  protected abstract readLists(): Promise<ListSnapshot<S>>;
  /** Writes `state` changed so that `host` holds `fields` (null: no list names it). */
  protected abstract write(state: S, host: string, fields: BlockFields | null): Promise<void>;

  /** Things the report should say that did not stop the run. */
  warnings(): string[] {
    if (this.ledger.status !== "missing" || this.#last?.snapshot.hosts.size === 0) return [];
    return [
      `there is no ownership ledger (${this.ledger.file}) yet: every host the server lists counts as hand-made. ` +
        "On a first run that is right; if the state folder was lost, --dry-run --adopt shows which hosts would be taken over",
    ];
  }

  protected async read(): Promise<ListSnapshot<S>> {
    const snapshot = await this.readLists();
    this.#last = { snapshot, at: Date.now() };
    return snapshot;
  }

  /** The last read if it is recent (no one else's write fits between), else a new one. */
  async #fresh(): Promise<ListSnapshot<S>> {
    const last = this.#last;
    if (last && Date.now() - last.at < FRESH_MS) return last.snapshot;
    return this.read();
  }

  async listBlocks(): Promise<TargetBlock[]> {
    const { hosts } = await this.read();
    this.ledger.reconcile(hosts);
    return [...hosts.entries()].map(([host, fields]) => this.#block(host, fields));
  }

  #block(host: string, fields: BlockFields): TargetBlock {
    return { id: host, domain: host, ...fields, private_comment: this.ledger.marker(host) ?? "" };
  }

  /** The fields as the server reports them back once written (what it cannot hold reads empty). */
  protected held(fields: BlockFields): BlockFields {
    return fields;
  }

  /**
   * Makes `host` hold `fields` (null: removes it) with read-modify-write-verify. The ledger
   * announces the write first and settles it after; an error that proves the write was refused
   * (4xx, a refusal the target recognized) abandons it, a lost answer or a 5xx leaves it for the
   * next run's reconcile.
   */
  protected async change(
    host: string,
    fields: BlockFields | null,
    marker: string | null,
  ): Promise<void> {
    this.ledger.intend(host, fields, marker);
    try {
      for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        const before = attempt === 1 ? await this.#fresh() : await this.read();
        await this.write(before.state, host, fields);
        const after = (await this.read()).hosts.get(host);
        const landed =
          fields === null
            ? after === undefined
            : after !== undefined && sameFields(after, this.held(fields));
        if (landed) {
          this.ledger.confirm(host);
          return;
        }
      }
    } catch (error) {
      // Only a lost answer or a server error leaves it open whether the write landed.
      const unsure =
        error instanceof ConnectionError || (error instanceof HttpError && error.status >= 500);
      if (!unsure) this.ledger.abandon(host);
      throw error;
    }
    this.ledger.abandon(host);
    throw new ConcurrentEditError(host, WRITE_ATTEMPTS);
  }

  async create(block: DesiredBlock, privateComment: string): Promise<CreateResult> {
    const existing = (await this.#fresh()).hosts.get(block.domain);
    if (existing) {
      return {
        created: false,
        existing: this.#block(block.domain, existing),
        message: `${block.domain} is already listed on the server`,
      };
    }
    await this.change(block.domain, block, privateComment);
    const { domain, ...fields } = block;
    return {
      created: true,
      block: { ...this.held(fields), id: domain, domain, private_comment: privateComment },
    };
  }

  async update(id: string, fields: BlockFields, privateComment: string): Promise<TargetBlock> {
    await this.change(id, fields, privateComment);
    return { ...this.held(fields), id, domain: id, private_comment: privateComment };
  }

  /** Only the marker changes (a reviewed --adopt, an upgrade): the server holds none. */
  async remark(id: string, privateComment: string, current: BlockFields): Promise<void> {
    this.ledger.adopt(id, current, privateComment);
  }

  async remove(id: string): Promise<void> {
    await this.change(id, null, null);
  }

  async probe(): Promise<void> {
    await this.read();
  }
}
