// Reading what a source says now (docs/decisions/0029): a blocklist file by conditional GET, a
// FIRES dataset by its changes `since` the stored cursor. Every request goes through the
// outbound-fetch policy (server/net/outbound.ts). The error contract: a reader never throws for
// what the upstream did (unreachable, an error status, an empty or unparseable body); it answers
// `{ ok: false, code, message }` and the poll records it and changes nothing. It throws only
// for faults of this service.
import type { OutboundPolicy, OutboundResponse } from "../net/outbound.js";
import { OutboundError, outboundFetch } from "../net/outbound.js";
import { normalizeDomain } from "../domains/normalize.js";
import { parseBlocklist } from "../imports/parse.js";
import type { Severity } from "../lists/vocabulary.js";
import type { PollFailureCode } from "./source.schema.js";

/** What a source says about one domain: the fields it may propose. */
export interface UpstreamFields {
  severity: Severity;
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
}

export interface UpstreamFailure {
  ok: false;
  code: PollFailureCode;
  message: string;
}

/** A blocklist's whole content, or `unchanged` (304), with the validators to send next time. */
export type BlocklistRead =
  | { ok: true; unchanged: true }
  | {
      ok: true;
      unchanged: false;
      entries: Map<string, UpstreamFields>;
      etag: string | null;
      lastModified: string | null;
      read: number;
      ignored: number;
    };

/** A domain's latest record: its fields, or null for a retraction (with the retraction's comment). */
export interface FiresChange {
  fields: UpstreamFields | null;
  /** The record's own URL, when it has one. */
  evidence: string | null;
  retractionComment: string;
}

/** What changed in a FIRES dataset since the cursor: a domain's new fields, or null (retracted). */
export interface FiresRead {
  ok: true;
  changes: Map<string, FiresChange>;
  /** The id of the last record read (unchanged when none was). */
  cursor: string | null;
  read: number;
  ignored: number;
}

const failure = (code: PollFailureCode, message: string): UpstreamFailure => ({
  ok: false,
  code,
  message,
});

const USER_AGENT = "FediblockCommons (upstream source poller)";

async function get(
  url: string,
  policy: OutboundPolicy,
  headers: Record<string, string>,
): Promise<OutboundResponse | UpstreamFailure> {
  try {
    return await outboundFetch(url, policy, { headers: { "User-Agent": USER_AGENT, ...headers } });
  } catch (error) {
    if (error instanceof OutboundError) return failure("upstream_unreachable", error.message);
    throw error;
  }
}

const header = (response: OutboundResponse, name: string): string | null => {
  const value = response.headers[name];
  return typeof value === "string" && value !== "" ? value : null;
};

/** Reads a blocklist file; `validators` are the ETag and Last-Modified of the last read. */
export async function readBlocklist(
  url: string,
  policy: OutboundPolicy,
  validators: { etag: string | null; lastModified: string | null },
): Promise<BlocklistRead | UpstreamFailure> {
  const response = await get(url, policy, {
    Accept: "text/csv, text/plain;q=0.9, */*;q=0.1",
    ...(validators.etag ? { "If-None-Match": validators.etag } : {}),
    ...(validators.lastModified ? { "If-Modified-Since": validators.lastModified } : {}),
  });
  if ("ok" in response) return response;
  if (response.status === 304) return { ok: true, unchanged: true };
  if (response.status !== 200) {
    return failure("upstream_status", `${url} answered HTTP ${response.status}`);
  }
  if (response.body.toString("utf8").trim() === "") {
    return failure("upstream_empty", `${url} answered an empty body: nothing was changed`);
  }
  if (/^\s*text\/html/i.test(header(response, "content-type") ?? "")) {
    return failure("upstream_unparseable", `${url} answered an HTML page, not a blocklist file`);
  }
  const parsed = await parseBlocklist(response.body);
  if (!parsed.ok) {
    return failure(
      "upstream_unparseable",
      `${url} cannot be read as a blocklist (line ${parsed.line}): ${parsed.message}`,
    );
  }
  if (parsed.entries.length === 0) {
    return failure(
      "upstream_empty",
      `${url} holds no valid entry (${parsed.problems.length} rows refused): nothing was changed`,
    );
  }
  const entries = new Map<string, UpstreamFields>();
  for (const entry of parsed.entries) {
    entries.set(entry.domain, {
      severity: entry.severity,
      rejectMedia: entry.rejectMedia,
      rejectReports: entry.rejectReports,
      obfuscate: entry.obfuscate,
      publicComment: entry.publicComment,
    });
  }
  return {
    ok: true,
    unchanged: false,
    entries,
    etag: header(response, "etag"),
    lastModified: header(response, "last-modified"),
    read: parsed.rows,
    ignored: parsed.problems.length,
  };
}

// --- FIRES -------------------------------------------------------------------------------------

const JSON_ACCEPT = "application/ld+json, application/json;q=0.9";
/** At most this many pages of changes per poll (100 records each on fires-server). */
export const MAX_FIRES_PAGES = 50;

type Json = Record<string, unknown>;

async function getJson(url: string, policy: OutboundPolicy): Promise<Json | UpstreamFailure> {
  const response = await get(url, policy, { Accept: JSON_ACCEPT });
  if ("ok" in response) return response;
  if (response.status !== 200) {
    return failure("upstream_status", `${url} answered HTTP ${response.status}`);
  }
  if (response.body.length === 0) return failure("upstream_empty", `${url} answered no body`);
  try {
    const value: unknown = JSON.parse(response.body.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Json;
  } catch {
    // answered below
  }
  return failure("upstream_unparseable", `${url} did not answer a JSON object`);
}

const isFailure = (value: unknown): value is UpstreamFailure =>
  (value as UpstreamFailure).ok === false;

/** The change id a `since` takes: the last path segment of a record's `id` URL. */
export function changeIdOf(recordId: unknown): string | null {
  if (typeof recordId !== "string") return null;
  const last = recordId.split(/[/?#]/).filter(Boolean).at(-1) ?? recordId;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(last)
    ? last.toLowerCase()
    : null;
}

/**
 * A Recommendation as entry fields, following fires-server's own importer in reverse (suspend →
 * drop, silence → filter, noop → accept, or filter with reject-media / reject-reports): drop and
 * reject are a suspension; filter is a silence when it hides the domain from timelines
 * (`auto-unlisted`, or no filter named, as the importer writes it), else a noop with the reject
 * flags; accept is a noop.
 */
export function fieldsOfRecommendation(record: Json): UpstreamFields | null {
  const policy = record.recommendedPolicy;
  const filters = Array.isArray(record.recommendedFilters)
    ? record.recommendedFilters.filter((f): f is string => typeof f === "string")
    : [];
  const named = (name: string) => filters.some((f) => f === name || f.endsWith(`/${name}`));
  const comment =
    typeof record.comment === "string"
      ? record.comment
      : typeof record.content === "string"
        ? record.content
        : "";
  const base = {
    rejectMedia: named("reject-media"),
    rejectReports: named("reject-reports"),
    obfuscate: false,
    publicComment: comment.trim().slice(0, 2000),
  };
  switch (policy) {
    case "drop":
    case "reject":
      return { ...base, severity: "suspend" };
    case "filter": {
      const hides = named("auto-unlisted") || (!base.rejectMedia && !base.rejectReports);
      return { ...base, severity: hides ? "silence" : "noop" };
    }
    case "accept":
      return { ...base, severity: "noop", rejectMedia: false, rejectReports: false };
    default:
      return null;
  }
}

/**
 * Reads the records of a FIRES dataset after `cursor` (from the beginning when null). The
 * dataset document names its `changes` endpoint; each page is asked `since` the id of the last
 * record read, not through the page's `next` link, so a provider whose `next` skips a record
 * (fires-server builds it from the record after the page) still loses none.
 */
export async function readFires(
  url: string,
  policy: OutboundPolicy,
  cursor: string | null,
): Promise<FiresRead | UpstreamFailure> {
  const dataset = await getJson(url, policy);
  if (isFailure(dataset)) return dataset;
  const endpoints = dataset.endpoints as Json | undefined;
  const changesUrl = typeof endpoints?.changes === "string" ? endpoints.changes : null;
  if (dataset.type !== "Dataset" || !changesUrl) {
    return failure(
      "upstream_unparseable",
      `${url} is not a FIRES dataset (a Dataset with endpoints.changes)`,
    );
  }
  let changes: URL;
  try {
    changes = new URL(changesUrl, url);
  } catch {
    return failure("upstream_unparseable", `${url} names a bad changes URL`);
  }
  if (changes.origin !== new URL(url).origin) {
    return failure(
      "upstream_unparseable",
      `${url} names its changes on another host (${changes.origin}): not followed`,
    );
  }

  let since = cursor;
  if (since === null) {
    const collection = await getJson(changes.href, policy);
    if (isFailure(collection)) return collection;
    if (collection.type !== "OrderedCollection") {
      return failure("upstream_unparseable", `${changes.href} is not an OrderedCollection`);
    }
    if (typeof collection.first !== "string") {
      return { ok: true, changes: new Map(), cursor: null, read: 0, ignored: 0 };
    }
    since = new URL(collection.first, changes).searchParams.get("since");
    if (!since) {
      return failure("upstream_unparseable", `${changes.href} names a first page without since`);
    }
  }

  const result: FiresRead = { ok: true, changes: new Map(), cursor, read: 0, ignored: 0 };
  for (let pages = 0; pages < MAX_FIRES_PAGES; pages += 1) {
    const pageUrl = new URL(changes);
    pageUrl.searchParams.set("since", since);
    const page = await getJson(pageUrl.href, policy);
    if (isFailure(page)) return page;
    if (page.type !== "OrderedCollectionPage" || !Array.isArray(page.orderedItems)) {
      return failure(
        "upstream_unparseable",
        `${pageUrl.href} is not an OrderedCollectionPage with orderedItems`,
      );
    }
    const items = page.orderedItems as Json[];
    if (items.length === 0) break;
    for (const item of items) {
      const id = changeIdOf(item?.id);
      if (!id) {
        return failure("upstream_unparseable", `${pageUrl.href} holds a record without an id`);
      }
      result.read += 1;
      result.cursor = id;
      readRecord(item, result);
    }
    if (result.cursor === since || typeof page.next !== "string") break;
    since = result.cursor!;
  }
  return result;
}

function readRecord(item: Json, into: FiresRead): void {
  if (item.entityKind !== "domain" || typeof item.entityKey !== "string") {
    into.ignored += 1;
    return;
  }
  const domain = normalizeDomain(item.entityKey);
  if (!domain.ok) {
    into.ignored += 1;
    return;
  }
  const evidence = typeof item.id === "string" && /^https?:\/\//.test(item.id) ? item.id : null;
  if (item.type === "Retraction") {
    const comment = typeof item.comment === "string" ? item.comment.trim() : "";
    into.changes.set(domain.domain, { fields: null, evidence, retractionComment: comment });
    return;
  }
  const fields = item.type === "Recommendation" ? fieldsOfRecommendation(item) : null;
  if (!fields) {
    into.ignored += 1; // an Advisory (notice, not a recommendation), a Tombstone, a policy unknown
    return;
  }
  into.changes.set(domain.domain, { fields, evidence, retractionComment: "" });
}
