// The ownership ledger (ADR 0016): Misskey, Akkoma and Lemmy keep no private comment per block,
// so the pair's state folder keeps the sync's marker for each host it wrote, in `ledger.json`:
//
//   { "version": 1, "target": "<target host>",
//     "hosts": { "<host>": { "fields": {…}, "marker": "[fediblock … k1 <mac>]", "writtenAt": "…",
//                            "pending": { "fields": {…} | null, "marker": "…" | null, "since": "…" } } } }
//
// The marker is the keyed one of ADR 0012 (an HMAC under marker.key over target host, domain,
// list host and fields), so the plan decides ownership exactly as for Mastodon: a host without a
// marker is hand-made, one whose fields on the server no longer verify its marker was edited by
// an admin. Nothing in the file can make a host managed without the key.
//
// Every write is announced first (`intend`, saved before the request goes out) and settled after
// (`confirm` or `abandon`); when a run dies in between, the next run's `reconcile` settles it by
// what the server holds: a write that landed is the sync's, one that did not is forgotten. So a
// request whose answer was lost never leaves a host the sync wrote looking hand-made.
import fs from "node:fs";
import path from "node:path";
import { blockFields, isSeverity, sameFields, type BlockFields } from "./block.js";
import { writeFileAtomically } from "./state.js";

export const LEDGER_FILE = "ledger.json";
const VERSION = 1;

interface Pending {
  /** What the write asked for; null: the host's removal. */
  fields: BlockFields | null;
  marker: string | null;
  since: string;
}

export interface LedgerEntry {
  fields: BlockFields;
  marker: string;
  writtenAt: string;
  pending?: Pending;
}

/** A ledger file that exists but cannot be used: the run stops (exit 2) rather than guess. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

function readFields(value: unknown): BlockFields | null {
  if (!value || typeof value !== "object") return null;
  const raw = value as Record<string, unknown>;
  if (!isSeverity(raw.severity)) return null;
  return {
    severity: raw.severity,
    reject_media: raw.reject_media === true,
    reject_reports: raw.reject_reports === true,
    public_comment: typeof raw.public_comment === "string" ? raw.public_comment : "",
    obfuscate: raw.obfuscate === true,
  };
}

function readPending(value: unknown): Pending | undefined | null {
  if (value === undefined) return undefined;
  if (!value || typeof value !== "object") return null;
  const raw = value as Record<string, unknown>;
  const fields = raw.fields === null ? null : readFields(raw.fields);
  if (fields === null && raw.fields !== null) return null;
  if ((raw.marker !== null && typeof raw.marker !== "string") || typeof raw.since !== "string") {
    return null;
  }
  return { fields, marker: raw.marker as string | null, since: raw.since };
}

/** An entry that only announces a create has no confirmed marker yet. */
type Stored = Partial<Pick<LedgerEntry, "fields" | "marker" | "writtenAt">> & {
  pending?: Pending;
};

function readStored(value: unknown): Stored | null {
  if (!value || typeof value !== "object") return null;
  const raw = value as Record<string, unknown>;
  const pending = readPending(raw.pending);
  if (pending === null) return null;
  if (raw.marker === undefined) return pending ? { pending } : null;
  const fields = readFields(raw.fields);
  if (!fields || typeof raw.marker !== "string" || typeof raw.writtenAt !== "string") return null;
  return { fields, marker: raw.marker, writtenAt: raw.writtenAt, ...(pending ? { pending } : {}) };
}

export class Ledger {
  readonly file: string;
  /** `missing`: no ledger file yet (a first run, or a lost ledger). */
  readonly status: "ok" | "missing";
  readonly #targetHost: string;
  readonly #hosts: Map<string, Stored>;
  readonly #readOnly: boolean;
  readonly #now: () => Date;

  private constructor(
    file: string,
    targetHost: string,
    hosts: Map<string, Stored>,
    status: "ok" | "missing",
    readOnly: boolean,
    now: () => Date,
  ) {
    this.file = file;
    this.#targetHost = targetHost;
    this.#hosts = hosts;
    this.status = status;
    this.#readOnly = readOnly;
    this.#now = now;
  }

  /**
   * The ledger of the pair's state folder. A missing file is an empty ledger; one that cannot
   * be read, is not a ledger or names another target throws LedgerError. `readOnly` (a dry
   * run): changes are kept in memory only.
   */
  static load(
    stateDir: string,
    targetHost: string,
    options: { readOnly?: boolean; now?: () => Date } = {},
  ): Ledger {
    const file = path.join(stateDir, LEDGER_FILE);
    const readOnly = options.readOnly ?? false;
    const now = options.now ?? (() => new Date());
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT")
        return new Ledger(file, targetHost, new Map(), "missing", readOnly, now);
      throw new LedgerError(`cannot read the ownership ledger ${file} (${code ?? String(error)})`);
    }
    const broken = (why: string) =>
      new LedgerError(
        `the ownership ledger ${file} ${why}: restore it from a backup of the state folder, or move it away (then no host on the server counts as written by the sync until a reviewed --adopt)`,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw broken("is not JSON");
    }
    const raw = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
    if (raw.version !== VERSION || !raw.hosts || typeof raw.hosts !== "object") {
      throw broken(`is not a version ${VERSION} ledger`);
    }
    if (raw.target !== targetHost) {
      throw broken(`is for ${String(raw.target)}, not ${targetHost}`);
    }
    const hosts = new Map<string, Stored>();
    for (const [host, value] of Object.entries(raw.hosts as Record<string, unknown>)) {
      const stored = readStored(value);
      if (!stored) throw broken(`has an unreadable entry for ${host}`);
      hosts.set(host, stored);
    }
    return new Ledger(file, targetHost, hosts, "ok", readOnly, now);
  }

  /** The marker the sync last wrote for `host`, if the ledger says it wrote it. */
  marker(host: string): string | undefined {
    return this.#hosts.get(host)?.marker;
  }

  hosts(): string[] {
    return [...this.#hosts.keys()];
  }

  /**
   * Settles the writes a run left announced, by what the server holds now (`server`: each host
   * it lists, with its fields), and forgets hosts that are gone from the server (an admin
   * removed them: if one comes back, it is the admin's).
   */
  reconcile(server: ReadonlyMap<string, BlockFields>): void {
    let changed = false;
    for (const [host, stored] of this.#hosts) {
      const held = server.get(host);
      const pending = stored.pending;
      if (pending) {
        changed = true;
        delete stored.pending;
        if (pending.fields !== null && held && sameFields(held, pending.fields)) {
          Object.assign(stored, this.#confirmed(pending.fields, pending.marker!));
        }
      }
      if (!held || stored.marker === undefined) {
        this.#hosts.delete(host);
        changed = true;
      }
    }
    // A real run writes the ledger at once, so that a missing one later means a lost one.
    if (changed || this.status === "missing") this.#save();
  }

  /** Announces a write for `host` (null fields: its removal), saved before the write is sent. */
  intend(host: string, fields: BlockFields | null, marker: string | null): void {
    const stored = this.#hosts.get(host) ?? {};
    stored.pending = {
      fields: fields && blockFields(fields),
      marker,
      since: this.#now().toISOString(),
    };
    this.#hosts.set(host, stored);
    this.#save();
  }

  /** The announced write went through. */
  confirm(host: string): void {
    const stored = this.#hosts.get(host);
    const pending = stored?.pending;
    if (!stored || !pending) return;
    if (pending.fields === null) this.#hosts.delete(host);
    else this.#hosts.set(host, this.#confirmed(pending.fields, pending.marker!));
    this.#save();
  }

  /** The announced write did not happen: the host is as it was. */
  abandon(host: string): void {
    const stored = this.#hosts.get(host);
    if (!stored?.pending) return;
    delete stored.pending;
    if (stored.marker === undefined) this.#hosts.delete(host);
    this.#save();
  }

  /** Takes `host` as the sync's with these fields (a reviewed --adopt): no write to the server. */
  adopt(host: string, fields: BlockFields, marker: string): void {
    this.#hosts.set(host, this.#confirmed(fields, marker));
    this.#save();
  }

  #confirmed(fields: BlockFields, marker: string): Stored {
    return { fields: blockFields(fields), marker, writtenAt: this.#now().toISOString() };
  }

  #save(): void {
    if (this.#readOnly) return;
    const hosts = Object.fromEntries(
      [...this.#hosts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const document = { version: VERSION, target: this.#targetHost, hosts };
    writeFileAtomically(this.file, `${JSON.stringify(document, null, 2)}\n`);
  }
}
