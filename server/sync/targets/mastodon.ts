// Mastodon's admin domain blocks API (scopes admin:read:domain_blocks, admin:write:domain_blocks):
// pages of at most 200 blocks linked by `Link: <…>; rel="next"`, 422 with `existing_domain_block`
// when the domain (or a parent the new block is not stricter than) is already blocked, `PUT /:id`
// to change one.
import type { BlockFields, DesiredBlock, TargetBlock } from "../block.js";
import { endpoint, HttpError, type HttpClient } from "../http.js";
import { parseJson, readBlock, readBlocks, fetchInstanceDomains, TargetDataError } from "./read.js";
import type { CreateResult, Target } from "./target.js";

const PAGE_SIZE = 200;
const COLLECTION = "api/v1/admin/domain_blocks";

/** The `rel="next"` URL of a Link header (RFC 8288), or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(match[2] ?? "")?.[1]?.split(/\s+/) ?? [];
    if (rels.includes("next")) return match[1]!;
  }
  return null;
}

/**
 * The page a `next` link names, on the configured server. Mastodon builds its links from its
 * WEB_DOMAIN over https, which need not be the URL the admin gave (`http://127.0.0.1:3000` on the
 * box, or a LOCAL_DOMAIN other than the WEB_DOMAIN), so only the link's query is followed, on the
 * endpoint already in use: the token never travels to another server or endpoint.
 */
export function nextPage(link: string, current: URL, collection: URL): URL {
  const linked = new URL(link, current);
  if (linked.pathname !== collection.pathname && linked.pathname !== `/${COLLECTION}`) {
    throw new TargetDataError(
      `the next page link points to another endpoint (${linked.pathname}), not ${collection.pathname}`,
    );
  }
  const url = new URL(collection);
  url.search = linked.search;
  return url;
}

export class MastodonTarget implements Target {
  readonly kind = "mastodon" as const;
  readonly #base: URL;
  readonly #token: string;
  readonly #http: HttpClient;

  constructor(base: URL, token: string, http: HttpClient) {
    this.#base = base;
    this.#token = token;
    this.#http = http;
  }

  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[] {
    return [...entries];
  }

  async listBlocks(): Promise<TargetBlock[]> {
    const blocks = new Map<string, TargetBlock>();
    const visited = new Set<string>();
    const collection = endpoint(this.#base, COLLECTION);
    let url: URL | null = new URL(`?limit=${PAGE_SIZE}`, collection);
    while (url && !visited.has(url.href)) {
      visited.add(url.href);
      const response = await this.#http.request("GET", url, { token: this.#token });
      for (const block of readBlocks(response.body)) blocks.set(block.id, block);
      const next = nextLink(response.headers.get("link"));
      url = next === null ? null : nextPage(next, url, collection);
    }
    return [...blocks.values()];
  }

  instanceDomains(): Promise<string[]> {
    return fetchInstanceDomains(this.#http, this.#base, this.#token);
  }

  async create(block: DesiredBlock, privateComment: string): Promise<CreateResult> {
    const url = endpoint(this.#base, COLLECTION);
    const json = { domain: block.domain, ...fieldsToSend(block, privateComment) };
    try {
      const response = await this.#http.request("POST", url, { token: this.#token, json });
      return { created: true, block: readBlock(parseJson(response.body, "the created block")) };
    } catch (error) {
      const refusal = error instanceof HttpError && error.status === 422 ? error.json() : undefined;
      if (!refusal || typeof refusal !== "object" || !("existing_domain_block" in refusal)) {
        throw error;
      }
      const { existing_domain_block: existing, error: message } = refusal as Record<
        string,
        unknown
      >;
      return {
        created: false,
        existing: existing ? readBlock(existing) : null,
        message: typeof message === "string" ? message : "already blocked",
      };
    }
  }

  async update(id: string, fields: BlockFields, privateComment: string): Promise<TargetBlock> {
    const url = endpoint(this.#base, `${COLLECTION}/${encodeURIComponent(id)}`);
    const json = fieldsToSend(fields, privateComment);
    const response = await this.#http.request("PUT", url, { token: this.#token, json });
    return readBlock(parseJson(response.body, "the updated block"));
  }

  async remark(id: string, privateComment: string): Promise<void> {
    // Mastodon's update permits each field on its own: only the comment changes.
    const url = endpoint(this.#base, `${COLLECTION}/${encodeURIComponent(id)}`);
    const json = { private_comment: privateComment };
    await this.#http.request("PUT", url, { token: this.#token, json });
  }

  async probe(): Promise<void> {
    const url = new URL("?limit=1", endpoint(this.#base, COLLECTION));
    await this.#http.request("GET", url, { token: this.#token });
  }

  reserve(requests: number): Promise<void> {
    return this.#http.reserve(requests, this.#base.host);
  }

  async remove(id: string): Promise<void> {
    const url = endpoint(this.#base, `${COLLECTION}/${encodeURIComponent(id)}`);
    await this.#http.request("DELETE", url, { token: this.#token });
  }
}

function fieldsToSend(fields: BlockFields, privateComment: string) {
  return {
    severity: fields.severity,
    reject_media: fields.reject_media,
    reject_reports: fields.reject_reports,
    public_comment: fields.public_comment,
    private_comment: privateComment,
    obfuscate: fields.obfuscate,
  };
}
