// Akkoma and Pleroma (target `akkoma`, alias `pleroma`): MRF SimplePolicy through the admin
// config API, as pleroma-social/pleroma f917285b (2.2.50) and its later mrf/simple_policy.ex
// (2.4+, kept by Akkoma) have it (test/fakes/akkoma.ts names the files):
// `GET /api/v1/pleroma/admin/config` (`admin:read`) answers every setting merged from the config
// files and the database; `POST` (`admin:write`) stores `:pleroma, :mrf_simple` subkeys, each
// replacing its whole list. So each write starts from the merged read (entries from the config
// file survive) and sends only the subkeys it changes. It needs `configurable_from_database`.
//
// Mapping (docs/sync.md, ADR 0017): suspend → :reject; silence → :federated_timeline_removal and
// :followers_only (Mastodon's limit: out of public timelines, posts reach followers only);
// reject media → :media_removal; reject reports → :report_removal (a suspension needs neither).
// Entries are `{host, reason}`; a host matches only itself, so the sync writes `*.example.com`,
// which SimplePolicy's subdomains_regex matches for the domain and every subdomain, like a
// Mastodon block. The reason is public (MRF transparency): it carries the public comment, never
// the marker, which lives in the ledger. Obfuscation has no per-entry form and is not synced.
import { SEVERITIES, type BlockFields, type DesiredBlock } from "../block.js";
import { configFailure } from "../errors.js";
import { endpoint, HttpError, type HttpClient } from "../http.js";
import type { Ledger } from "../ledger.js";
import { LedgerTarget, type ListSnapshot } from "./ledger-target.js";
import { fetchInstanceDomains, parseJson, TargetDataError } from "./read.js";
import type { Target } from "./target.js";

const CONFIG = "api/v1/pleroma/admin/config";
const SIMPLE_POLICY = "Pleroma.Web.ActivityPub.MRF.SimplePolicy";
const KEYS = [
  ":reject",
  ":federated_timeline_removal",
  ":followers_only",
  ":media_removal",
  ":report_removal",
] as const;
type SimpleKey = (typeof KEYS)[number];

/** One SimplePolicy entry as read: the host it names, its reason, and the raw JSON to keep. */
interface Entry {
  host: string;
  reason: string;
  raw: unknown;
}

interface SimpleLists {
  /** The synced subkeys' entries, in the server's order. */
  lists: Record<SimpleKey, Entry[]>;
  /** Whether SimplePolicy is among the `:mrf` `:policies`. */
  enabled: boolean;
}

function readEntry(value: unknown): Entry | null {
  // ConfigDB's `{"tuple": [host, reason]}`; older configs hold bare hosts.
  if (typeof value === "string") return { host: value, reason: "", raw: value };
  const tuple = (value as { tuple?: unknown } | null)?.tuple;
  if (!Array.isArray(tuple) || typeof tuple[0] !== "string") return null;
  return { host: tuple[0], reason: typeof tuple[1] === "string" ? tuple[1] : "", raw: value };
}

/** The subkeys an entry with `fields` belongs in. */
function keysFor(fields: BlockFields | null): Set<SimpleKey> {
  const keys = new Set<SimpleKey>();
  if (!fields) return keys;
  if (fields.severity === "suspend") return keys.add(":reject");
  if (fields.severity === "silence") {
    keys.add(":federated_timeline_removal").add(":followers_only");
  }
  if (fields.reject_media) keys.add(":media_removal");
  if (fields.reject_reports) keys.add(":report_removal");
  return keys;
}

/** The entry the sync writes for `host`: the domain and its subdomains. */
const pattern = (host: string) => `*.${host}`;

/**
 * What the entries for one host amount to. A combination the sync never writes (a reject with
 * other subkeys, only one of the two silence subkeys, reasons that differ) reads with its raw
 * form appended to the comment, so that no marker verifies it: the host counts as edited.
 */
function fieldsOf(keys: Map<SimpleKey, string>): BlockFields {
  const has = (key: SimpleKey) => keys.has(key);
  const fields: BlockFields = {
    severity: has(":reject")
      ? "suspend"
      : has(":federated_timeline_removal") || has(":followers_only")
        ? "silence"
        : "noop",
    reject_media: !has(":reject") && has(":media_removal"),
    reject_reports: !has(":reject") && has(":report_removal"),
    public_comment: [...keys.values()][0] ?? "",
    obfuscate: false,
  };
  const expected = keysFor(fields);
  const reasons = new Set(keys.values());
  const odd = expected.size !== keys.size || [...expected].some((key) => !keys.has(key));
  if (odd || reasons.size > 1) {
    const entries = [...keys].map(([key, reason]) => `${key} ${JSON.stringify(reason)}`);
    fields.public_comment = `${fields.public_comment} [${entries.join(", ")}]`;
  }
  return fields;
}

const RANK = Object.fromEntries(SEVERITIES.map((severity, i) => [severity, -i]));

export class AkkomaTarget extends LedgerTarget<SimpleLists> implements Target {
  readonly kind = "akkoma" as const;
  readonly #base: URL;
  readonly #token: string;
  readonly #http: HttpClient;
  #policyOff = false;

  constructor(base: URL, token: string, http: HttpClient, ledger: Ledger) {
    super(ledger);
    this.#base = base;
    this.#token = token;
    this.#http = http;
  }

  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[] {
    return entries
      .map((entry) => ({
        domain: entry.domain,
        severity: entry.severity,
        reject_media: entry.severity !== "suspend" && entry.reject_media,
        reject_reports: entry.severity !== "suspend" && entry.reject_reports,
        public_comment: entry.public_comment,
        obfuscate: false,
      }))
      .filter((entry) => keysFor(entry).size > 0);
  }

  /** `*.parent` applies every one of its subkeys to the subdomains: each must be covered. */
  covers(parent: BlockFields, child: BlockFields): boolean {
    if (parent.severity === "suspend") return true;
    return (
      RANK[parent.severity]! >= RANK[child.severity]! &&
      (parent.reject_media || !child.reject_media) &&
      (parent.reject_reports || !child.reject_reports)
    );
  }

  override warnings(): string[] {
    const warnings = super.warnings();
    if (this.#policyOff) {
      warnings.push(
        `SimplePolicy (${SIMPLE_POLICY}) is not among the server's :mrf :policies: the entries the sync writes have no effect until an admin enables it`,
      );
    }
    return warnings;
  }

  protected async readLists(): Promise<ListSnapshot<SimpleLists>> {
    let body: string;
    try {
      body = (await this.#http.request("GET", endpoint(this.#base, CONFIG), { token: this.#token }))
        .body;
    } catch (error) {
      throw this.#explain(error);
    }
    const configs = (parseJson(body, "the admin config") as { configs?: unknown } | null)?.configs;
    if (!Array.isArray(configs)) throw new TargetDataError("the admin config has no configs");
    const setting = (key: string) =>
      configs.find((c) => c?.group === ":pleroma" && c?.key === key) as
        { value?: unknown } | undefined;
    const simple = new Map<string, unknown>();
    for (const pair of Array.isArray(setting(":mrf_simple")?.value)
      ? (setting(":mrf_simple")!.value as unknown[])
      : []) {
      const tuple = (pair as { tuple?: unknown[] } | null)?.tuple;
      if (Array.isArray(tuple) && typeof tuple[0] === "string") simple.set(tuple[0], tuple[1]);
    }
    const lists = {} as Record<SimpleKey, Entry[]>;
    for (const key of KEYS) {
      const value = simple.get(key) ?? [];
      if (!Array.isArray(value)) throw new TargetDataError(`:mrf_simple ${key} is not a list`);
      lists[key] = value.map((item) => {
        const entry = readEntry(item);
        if (!entry) throw new TargetDataError(`:mrf_simple ${key} holds an unreadable entry`);
        return entry;
      });
    }
    const policies = (setting(":mrf")?.value as unknown[] | undefined)
      ?.map((pair) => (pair as { tuple?: unknown[] } | null)?.tuple)
      .find((tuple) => tuple?.[0] === ":policies")?.[1];
    const enabled = Array.isArray(policies)
      ? policies.includes(SIMPLE_POLICY)
      : policies === SIMPLE_POLICY;
    this.#policyOff = !enabled;

    const byHost = new Map<string, Map<SimpleKey, string>>();
    for (const key of KEYS) {
      for (const entry of lists[key]) {
        const host = entry.host.startsWith("*.") ? entry.host.slice(2) : entry.host;
        const keys = byHost.get(host) ?? new Map<SimpleKey, string>();
        keys.set(key, entry.reason);
        byHost.set(host, keys);
      }
    }
    const hosts = new Map<string, BlockFields>();
    for (const [host, keys] of byHost) hosts.set(host, fieldsOf(keys));
    return { state: { lists, enabled }, hosts };
  }

  /** Sends only the subkeys whose entries change, each whole, with every other entry as read. */
  protected async write(state: SimpleLists, host: string, fields: BlockFields | null) {
    const wanted = keysFor(fields);
    const value: unknown[] = [];
    for (const key of KEYS) {
      const entries = state.lists[key];
      const ours = entries.filter((entry) => entry.host === pattern(host));
      const keep = wanted.has(key);
      const reason = fields?.public_comment ?? "";
      if (keep && ours.length === 1 && ours[0]!.reason === reason) continue;
      if (!keep && ours.length === 0) continue;
      const others = entries.filter((entry) => entry.host !== pattern(host)).map((e) => e.raw);
      const list = keep ? [...others, { tuple: [pattern(host), reason] }] : others;
      value.push({ tuple: [key, list] });
    }
    if (value.length === 0) return;
    const json = { configs: [{ group: ":pleroma", key: ":mrf_simple", value }] };
    let response;
    try {
      response = await this.#http.request("POST", endpoint(this.#base, CONFIG), {
        token: this.#token,
        json,
      });
    } catch (error) {
      throw this.#explain(error);
    }
    const stored = (parseJson(response.body, "the stored config") as { configs?: unknown[] })
      ?.configs;
    if (Array.isArray(stored) && stored.length === 0) {
      // database_config_whitelist drops what it does not name, answering 200.
      throw configFailure(
        "the server stored nothing: its database_config_whitelist does not name {:pleroma, :mrf_simple}; add it, or the sync cannot write SimplePolicy",
      );
    }
  }

  #explain(error: unknown): unknown {
    if (
      error instanceof HttpError &&
      error.status === 400 &&
      error.body.includes("enable configuration from database")
    ) {
      return configFailure(
        "the server does not allow configuration from the database: set `config :pleroma, configurable_from_database: true` (Akkoma: the same key) and restart it; the sync writes MRF SimplePolicy through the admin config API",
      );
    }
    return error;
  }

  instanceDomains(): Promise<string[]> {
    return fetchInstanceDomains(this.#http, this.#base, this.#token);
  }

  reserve(requests: number): Promise<void> {
    return this.#http.reserve(requests * 3, this.#base.host);
  }
}
