// Misskey and Sharkey (target `misskey`, alias `sharkey`), as misskey-dev/misskey 2024.11–2025.x
// and Sharkey 2025.x have it (test/fakes/misskey.ts names the files): the server's meta holds
// three lists of hosts, read with `POST /api/admin/meta` (`read:admin:meta`) and replaced whole
// with `POST /api/admin/update-meta` (`write:admin:meta`, an administrator role). The body
// carries only the lists this change touches, nothing else. `federation/update-instance` is
// never used: its `isSuspended` stops delivery only, and its `moderationNote` is the admin's.
//
// Mapping (docs/sync.md, ADR 0017): suspend → blockedHosts; silence → silencedHosts; reject
// media → mediaSilencedHosts (for a silence or a noop; a suspension needs none). blockedHosts
// and silencedHosts cover subdomains like Mastodon's blocks; Misskey's mediaSilencedHosts
// covers the exact host only (Sharkey's covers subdomains: the sync assumes the narrower rule
// for both, so a subdomain's media entry is always written). Reject reports, obfuscate and the
// public comment have no place on Misskey; a noop without reject media is nothing to write.
import { atLeast } from "../../entries/vocabulary.js";
import type { BlockFields, DesiredBlock } from "../block.js";
import { endpoint, type HttpClient } from "../http.js";
import type { Ledger } from "../ledger.js";
import { LedgerTarget, type ListSnapshot } from "./ledger-target.js";
import { parseJson, TargetDataError } from "./read.js";
import type { Target } from "./target.js";

const KEYS = ["blockedHosts", "silencedHosts", "mediaSilencedHosts"] as const;
type ListKey = (typeof KEYS)[number];
type MisskeyLists = Record<ListKey, string[]>;

/** What the lists say about `host` (its entries as stored: Misskey keeps silenced hosts' case). */
function fieldsOf(lists: MisskeyLists, host: string): BlockFields {
  const blocked = lists.blockedHosts.includes(host);
  return {
    severity: blocked ? "suspend" : lists.silencedHosts.includes(host) ? "silence" : "noop",
    reject_media: !blocked && lists.mediaSilencedHosts.includes(host),
    reject_reports: false,
    public_comment: "",
    obfuscate: false,
  };
}

/** The lists a host with `fields` belongs in. */
function listsFor(fields: BlockFields | null): Set<ListKey> {
  const lists = new Set<ListKey>();
  if (fields?.severity === "suspend") lists.add("blockedHosts");
  if (fields?.severity === "silence") lists.add("silencedHosts");
  if (fields && fields.severity !== "suspend" && fields.reject_media) {
    lists.add("mediaSilencedHosts");
  }
  return lists;
}

export class MisskeyTarget extends LedgerTarget<MisskeyLists> implements Target {
  readonly kind = "misskey" as const;
  readonly #base: URL;
  readonly #token: string;
  readonly #http: HttpClient;

  constructor(base: URL, token: string, http: HttpClient, ledger: Ledger) {
    super(ledger);
    this.#base = base;
    this.#token = token;
    this.#http = http;
  }

  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[] {
    return entries
      .filter((entry) => entry.severity !== "noop" || entry.reject_media)
      .map((entry) => ({
        domain: entry.domain,
        severity: entry.severity,
        reject_media: entry.severity !== "suspend" && entry.reject_media,
        reject_reports: false,
        public_comment: "",
        obfuscate: false,
      }));
  }

  /**
   * A parent's blockedHosts or silencedHosts entry covers its subdomains; its
   * mediaSilencedHosts entry does not (Misskey), so a subdomain that wants media rejected gets
   * its own entry unless the parent is blocked.
   */
  covers(parent: BlockFields, child: BlockFields): boolean {
    if (parent.severity === "suspend") return true;
    return atLeast(parent.severity, child.severity) && !child.reject_media;
  }

  protected async readLists(): Promise<ListSnapshot<MisskeyLists>> {
    const url = endpoint(this.#base, "api/admin/meta");
    const response = await this.#http.request("POST", url, { token: this.#token, json: {} });
    const meta = parseJson(response.body, "the server's meta");
    if (!meta || typeof meta !== "object") throw new TargetDataError("the meta is not an object");
    const lists = {} as MisskeyLists;
    for (const key of KEYS) {
      const value = (meta as Record<string, unknown>)[key];
      if (!Array.isArray(value) || value.some((host) => typeof host !== "string")) {
        throw new TargetDataError(`the meta's ${key} is not a list of hosts`);
      }
      lists[key] = value as string[];
    }
    const hosts = new Map<string, BlockFields>();
    for (const host of new Set(KEYS.flatMap((key) => lists[key]))) {
      if (host !== "") hosts.set(host, fieldsOf(lists, host));
    }
    return { state: lists, hosts };
  }

  /** Sends only the lists whose content changes, each whole, every other entry as it was read. */
  protected async write(lists: MisskeyLists, host: string, fields: BlockFields | null) {
    const wanted = listsFor(fields);
    const json: Partial<MisskeyLists> = {};
    for (const key of KEYS) {
      const has = lists[key].includes(host);
      if (has === wanted.has(key)) continue;
      json[key] = has ? lists[key].filter((entry) => entry !== host) : [...lists[key], host];
    }
    if (Object.keys(json).length === 0) return;
    const url = endpoint(this.#base, "api/admin/update-meta");
    await this.#http.request("POST", url, { token: this.#token, json });
  }

  /** `POST /api/meta` names the server's own URL. */
  async instanceDomains(): Promise<string[]> {
    try {
      const url = endpoint(this.#base, "api/meta");
      const response = await this.#http.request("POST", url, { token: this.#token, json: {} });
      const uri = (parseJson(response.body, "the meta") as Record<string, unknown> | null)?.uri;
      return typeof uri === "string" ? [new URL(uri).hostname] : [];
    } catch {
      return [];
    }
  }

  reserve(requests: number): Promise<void> {
    // Each change is up to three requests (read, write, read).
    return this.#http.reserve(requests * 3, this.#base.host);
  }
}
