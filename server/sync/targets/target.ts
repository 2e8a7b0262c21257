// What the sync needs from a fediverse server's admin API. One adapter per server software.
import type { BlockFields, DesiredBlock, TargetBlock } from "../block.js";

export const TARGET_KINDS = ["mastodon", "gotosocial", "misskey", "akkoma", "lemmy"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Other names the same API goes by: forks that kept it. */
export const TARGET_ALIASES: Readonly<Record<string, TargetKind>> = {
  sharkey: "misskey",
  pleroma: "akkoma",
};

export type CreateResult =
  | { created: true; block: TargetBlock }
  /** The server already had a block for the domain (or a parent's block covering it). */
  | { created: false; existing: TargetBlock | null; message: string };

export interface Target {
  readonly kind: TargetKind;
  /** The feed entries this server can hold, shaped as it stores them. */
  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[];
  /** Every domain block on the server. */
  listBlocks(): Promise<TargetBlock[]>;
  /** The domains the server calls its own, as far as its public instance endpoint says. */
  instanceDomains(): Promise<string[]>;
  create(block: DesiredBlock, privateComment: string): Promise<CreateResult>;
  update(id: string, fields: BlockFields, privateComment: string): Promise<TargetBlock>;
  /**
   * Rewrites only the private comment (the marker) of a block whose fields are `current`;
   * where the API cannot change the comment alone, it sends `current` unchanged with it.
   */
  remark(id: string, privateComment: string, current: BlockFields): Promise<void>;
  remove(id: string): Promise<void>;
  /**
   * One cheap authenticated read, to tell a server-wide failure (this fails too) from failures
   * of particular domains (it answers).
   */
  probe(): Promise<void>;
  /** Waits, if need be, until `requests` more requests fit in the server's rate-limit window. */
  reserve(requests: number): Promise<void>;
  /** Things the report should say that did not stop the run (a target's configuration, say). */
  warnings?(): string[];
  /**
   * Whether a parent domain's block covers a subdomain's `child` block on this server; absent:
   * Mastodon's rule (block.ts `covers`).
   */
  covers?(parent: BlockFields, child: BlockFields): boolean;
  /** Ownership comes from the state folder's ledger (ADR 0016), not a per-block comment. */
  readonly usesLedger?: boolean;
}
