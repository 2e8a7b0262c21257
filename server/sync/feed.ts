// The instance's merged feed from the list server (GET /api/v1/subscriptions/export.json),
// fetched conditionally: the last copy and its ETag are kept in the state directory and a 304
// reuses the copy. A feed that cannot be fetched or is not valid stops the sync before any write.
import fs from "node:fs";
import path from "node:path";
import { isSeverity, type DesiredBlock } from "./block.js";
import { authFailure, feedFailure } from "./errors.js";
import { endpoint, HttpError, type HttpClient } from "./http.js";
import { BodyTooLargeError, type ResponseHeaders } from "./transport.js";
import { writeFileAtomically } from "./state.js";
import { isNormalizedDomain } from "../domains/normalize.js";

export const FEED_PATH = "api/v1/subscriptions/export.json";
const COPY_FILE = "feed.json";
const META_FILE = "feed-meta.json";

export interface Feed {
  entries: DesiredBlock[];
  /** `fetched`: a new feed came; `cached`: the server answered 304 and the copy was used. */
  source: "fetched" | "cached";
  /** How many lists the list server merged into the feed (`Fediblock-Subscriptions`), if it says. */
  subscriptions: number | null;
}

function subscriptionsOf(headers: ResponseHeaders): number | null {
  const value = headers.get("fediblock-subscriptions");
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

interface FeedMeta {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

export class InvalidFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidFeedError";
  }
}

function invalid(index: number, message: string): InvalidFeedError {
  return new InvalidFeedError(`entry ${index}: ${message}`);
}

function readEntry(value: unknown, index: number): DesiredBlock {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(index, "is not an object");
  }
  const raw = value as Record<string, unknown>;
  if (typeof raw.domain !== "string" || !isNormalizedDomain(raw.domain)) {
    throw invalid(index, `domain ${JSON.stringify(raw.domain)} is not a normalized domain`);
  }
  const where = `entry ${index} (${raw.domain})`;
  if (!isSeverity(raw.severity)) {
    throw new InvalidFeedError(
      `${where}: severity ${JSON.stringify(raw.severity)} is not suspend, silence or noop`,
    );
  }
  for (const flag of ["reject_media", "reject_reports", "obfuscate"] as const) {
    if (typeof raw[flag] !== "boolean") {
      throw new InvalidFeedError(
        `${where}: ${flag} is ${JSON.stringify(raw[flag])}, not true or false`,
      );
    }
  }
  const comment = raw.public_comment ?? "";
  if (typeof comment !== "string") {
    throw new InvalidFeedError(`${where}: public_comment is not a string`);
  }
  return {
    domain: raw.domain,
    severity: raw.severity,
    reject_media: raw.reject_media as boolean,
    reject_reports: raw.reject_reports as boolean,
    public_comment: comment,
    obfuscate: raw.obfuscate as boolean,
  };
}

/** The entries of a feed, or InvalidFeedError naming the first bad entry. */
export function parseFeed(body: string): DesiredBlock[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidFeedError("the feed is not JSON");
  }
  if (!Array.isArray(parsed)) throw new InvalidFeedError("the feed is not a JSON array");
  const seen = new Set<string>();
  return parsed.map((value, index) => {
    const entry = readEntry(value, index);
    if (seen.has(entry.domain)) throw invalid(index, `${entry.domain} appears twice`);
    seen.add(entry.domain);
    return entry;
  });
}

function readMeta(stateDir: string, url: URL): FeedMeta | null {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(stateDir, META_FILE), "utf8")) as FeedMeta;
    if (meta.url !== url.href || !fs.existsSync(path.join(stateDir, COPY_FILE))) return null;
    return meta;
  } catch {
    return null;
  }
}

function conditionalHeaders(meta: FeedMeta | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (meta?.etag) headers["if-none-match"] = meta.etag;
  if (meta?.lastModified) headers["if-modified-since"] = meta.lastModified;
  return headers;
}

function readCopy(stateDir: string): DesiredBlock[] | null {
  try {
    return parseFeed(fs.readFileSync(path.join(stateDir, COPY_FILE), "utf8"));
  } catch {
    return null;
  }
}

/** A new feed, validated and kept with its validators; or `not_modified` (a 304). */
async function fetchFeed(
  url: URL,
  token: string,
  http: HttpClient,
  stateDir: string,
  meta: FeedMeta | null,
): Promise<{ entries: DesiredBlock[] | "not_modified"; subscriptions: number | null }> {
  let response;
  try {
    response = await http.request("GET", url, {
      token,
      headers: conditionalHeaders(meta),
      feed: true,
    });
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw feedFailure(
        `the feed is too large (${error.message}); nothing was written. A feed this size is not a blocklist: ask the list server's operators`,
        error,
      );
    }
    if (error instanceof HttpError && error.refusedCredentials) {
      throw authFailure(`the list server refused the token (${error.message})`, error);
    }
    throw feedFailure(`the feed is unavailable: ${(error as Error).message}`, error);
  }
  const subscriptions = subscriptionsOf(response.headers);
  if (response.status === 304 && meta) return { entries: "not_modified", subscriptions };
  if (response.status !== 200) {
    throw feedFailure(`the feed answered ${response.status} instead of 200`);
  }

  let entries: DesiredBlock[];
  try {
    entries = parseFeed(response.body);
  } catch (error) {
    throw feedFailure(`the feed is not valid: ${(error as Error).message}`, error);
  }
  writeFileAtomically(path.join(stateDir, COPY_FILE), response.body);
  const newMeta: FeedMeta = {
    url: url.href,
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
  writeFileAtomically(path.join(stateDir, META_FILE), JSON.stringify(newMeta));
  return { entries, subscriptions };
}

export async function loadFeed(
  server: URL,
  token: string,
  stateDir: string,
  http: HttpClient,
): Promise<Feed> {
  const url = endpoint(server, FEED_PATH);
  const meta = readMeta(stateDir, url);
  if (meta) {
    const { entries, subscriptions } = await fetchFeed(url, token, http, stateDir, meta);
    if (entries !== "not_modified") return { entries, source: "fetched", subscriptions };
    const copy = readCopy(stateDir);
    if (copy) return { entries: copy, source: "cached", subscriptions };
    // The copy is damaged: ask again without validators.
  }
  const { entries, subscriptions } = await fetchFeed(url, token, http, stateDir, null);
  if (entries === "not_modified") throw new Error("unreachable: a 304 without validators");
  return { entries, source: "fetched", subscriptions };
}
