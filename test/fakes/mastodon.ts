// A fake Mastodon admin domain blocks API, faithful where the sync depends on it: id-ordered
// pages (limit 100 by default, 200 at most, max_id/since_id/min_id, Link next only on full
// pages), 422 with existing_domain_block per Mastodon's rule_for and stricter_than?, PUT/DELETE
// by id, 401 for an unknown token, 403 without the scope (admin:read or admin:read:domain_blocks,
// admin:write or admin:write:domain_blocks: Mastodon has no bare `admin` scope) and 403 for an
// account that may not manage federation, and the public instance endpoint.
import { createHash } from "node:crypto";
import { domainToASCII } from "node:url";
import {
  castBoolean,
  castText,
  FakeServer,
  type Body,
  type FakeReply,
  type FakeRequest,
} from "./fake-server.js";

export type MastodonSeverity = "silence" | "suspend" | "noop";

export interface MastodonBlock {
  id: bigint;
  domain: string;
  created_at: string;
  severity: MastodonSeverity;
  reject_media: boolean;
  reject_reports: boolean;
  private_comment: string | null;
  public_comment: string | null;
  obfuscate: boolean;
}

export type BlockInput = Partial<Omit<MastodonBlock, "id" | "created_at">> & { domain: string };

export const MASTODON_ADMIN_TOKEN = "mastodon-admin-token";
export const MASTODON_READ_ONLY_TOKEN = "mastodon-read-only-token";
/** Every admin scope, but its account's role may not manage federation (a moderator, say). */
export const MASTODON_NOT_STAFF_TOKEN = "mastodon-not-staff-token";

const COLLECTION = "/api/v1/admin/domain_blocks";
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 200;
const SEVERITIES: MastodonSeverity[] = ["silence", "suspend", "noop"];

/**
 * Doorkeeper as Mastodon uses it: `admin:write:domain_blocks` is granted by itself or by
 * `admin:write` (the parent scope), never by `admin` or `write`.
 */
function grants(scopes: string[], needed: string): boolean {
  const [area, access] = needed.split(":");
  return scopes.includes(needed) || scopes.includes(`${area}:${access}`);
}

/** Mastodon's DomainBlock#stricter_than?. */
function stricterThan(block: MastodonBlock, other: MastodonBlock): boolean {
  if (block.severity === "suspend") return true;
  if (other.severity === "suspend") return false;
  if (other.severity === "silence" && block.severity === "noop") return false;
  return (
    (block.reject_media || !other.reject_media) && (block.reject_reports || !other.reject_reports)
  );
}

function serialize(block: MastodonBlock) {
  return {
    id: block.id.toString(),
    domain: block.domain,
    digest: createHash("sha256").update(block.domain).digest("hex"),
    created_at: block.created_at,
    severity: block.severity,
    reject_media: block.reject_media,
    reject_reports: block.reject_reports,
    private_comment: block.private_comment,
    public_comment: block.public_comment,
    obfuscate: block.obfuscate,
  };
}

function validationFailed(message: string): FakeReply {
  return { status: 422, json: { error: `Validation failed: ${message}` } };
}

export class FakeMastodon extends FakeServer {
  /** Ascending by id, like the primary key. */
  readonly #blocks: MastodonBlock[] = [];
  readonly #byId = new Map<bigint, MastodonBlock>();
  readonly #byDomain = new Map<string, MastodonBlock>();
  readonly instanceDomain: string;
  readonly #links: { origin?: string; path?: string };
  /** Tokens whose account lacks the Manage Federation permission. */
  readonly #notStaff: Set<string>;
  #lastId = 0n;

  /**
   * `links`: what the Link header's URLs are built on. Real Mastodon uses its WEB_DOMAIN over
   * https (`origin: "https://social.example"`), not the Host the request came to; `path` makes a
   * hostile server that points the next page elsewhere.
   */
  constructor(
    options: {
      instanceDomain?: string;
      tokens?: Record<string, string[]>;
      notStaff?: string[];
      links?: { origin?: string; path?: string };
    } = {},
  ) {
    super({
      tokens: options.tokens ?? {
        [MASTODON_ADMIN_TOKEN]: ["read", "admin:read:domain_blocks", "admin:write:domain_blocks"],
        [MASTODON_READ_ONLY_TOKEN]: ["admin:read:domain_blocks"],
        [MASTODON_NOT_STAFF_TOKEN]: ["read", "admin:read", "admin:write"],
      },
      grants,
      auth: {
        invalidToken: "The access token is invalid",
        missingScope: "This action is outside the authorized scopes",
      },
      scopeFor: (method, path) =>
        !path.startsWith(COLLECTION)
          ? null
          : method === "GET"
            ? "admin:read:domain_blocks"
            : "admin:write:domain_blocks",
      handle: (request) => this.#handle(request),
    });
    this.instanceDomain = options.instanceDomain ?? "mastodon.example";
    this.#links = options.links ?? {};
    this.#notStaff = new Set(options.notStaff ?? [MASTODON_NOT_STAFF_TOKEN]);
  }

  /** Snowflake-like: milliseconds in the high bits, a sequence in the low 16; always increasing. */
  #nextId(): bigint {
    const candidate = BigInt(Date.now()) << 16n;
    this.#lastId = candidate > this.#lastId ? candidate : this.#lastId + 1n;
    return this.#lastId;
  }

  /** Adds a block directly, as an admin would in the web UI (not logged as a request). */
  seed(input: BlockInput): MastodonBlock {
    const block: MastodonBlock = {
      id: this.#nextId(),
      created_at: new Date().toISOString(),
      severity: "silence",
      reject_media: false,
      reject_reports: false,
      private_comment: null,
      public_comment: null,
      obfuscate: false,
      ...input,
    };
    this.#insert(block);
    return block;
  }

  #insert(block: MastodonBlock): void {
    this.#blocks.push(block);
    this.#byId.set(block.id, block);
    this.#byDomain.set(block.domain, block);
  }

  #remove(block: MastodonBlock): void {
    let low = 0;
    let high = this.#blocks.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#blocks[middle]!.id < block.id) low = middle + 1;
      else high = middle;
    }
    this.#blocks.splice(low, 1);
    this.#byId.delete(block.id);
    this.#byDomain.delete(block.domain);
  }

  blocks(): MastodonBlock[] {
    return [...this.#blocks];
  }

  block(domain: string): MastodonBlock | undefined {
    return this.#byDomain.get(domain);
  }

  /** Changes a block directly, as an admin would in the web UI. */
  edit(domain: string, changes: Partial<Omit<MastodonBlock, "id" | "domain">>): void {
    Object.assign(this.block(domain)!, changes);
  }

  #find(id: string): MastodonBlock | undefined {
    return /^\d+$/.test(id) ? this.#byId.get(BigInt(id)) : undefined;
  }

  /** DomainBlock.rule_for: the block of the domain or of its nearest blocked parent. */
  #ruleFor(domain: string): MastodonBlock | undefined {
    const labels = domain.split(".");
    for (let i = 0; i < labels.length; i++) {
      const found = this.block(labels.slice(i).join("."));
      if (found) return found;
    }
    return undefined;
  }

  #handle(request: FakeRequest): FakeReply {
    if (request.method === "GET" && request.path === "/api/v1/instance") {
      return {
        status: 200,
        json: { uri: this.instanceDomain, title: "Fake Mastodon", version: "4.3.0" },
      };
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (request.path.startsWith(COLLECTION) && token !== undefined && this.#notStaff.has(token)) {
      // The scopes are checked first; then the policy of the account's role (Pundit).
      return { status: 403, json: { error: "This action is not allowed" } };
    }
    if (request.path === COLLECTION) {
      if (request.method === "GET") return this.#index(request);
      if (request.method === "POST") return this.#create(request.body);
    }
    const id = request.path.startsWith(`${COLLECTION}/`)
      ? request.path.slice(COLLECTION.length + 1)
      : null;
    if (id !== null) {
      const block = this.#find(id);
      if (!block) return { status: 404, json: { error: "Record not found" } };
      if (request.method === "GET") return { status: 200, json: serialize(block) };
      if (request.method === "PUT") return this.#update(block, request.body);
      if (request.method === "DELETE") {
        this.#remove(block);
        return { status: 200, json: {} };
      }
    }
    return { status: 404, json: { error: "Record not found" } };
  }

  #index(request: FakeRequest): FakeReply {
    const given = request.query.get("limit");
    const limit =
      given === null
        ? DEFAULT_LIMIT
        : Math.min(Math.abs(Number.parseInt(given, 10) || 0), MAX_LIMIT);
    const bound = (name: string) => {
      const value = request.query.get(name);
      return value && /^\d+$/.test(value) ? BigInt(value) : null;
    };
    const maxId = bound("max_id");
    const sinceId = bound("since_id");
    const minId = bound("min_id");
    const inRange = (block: MastodonBlock) =>
      (maxId === null || block.id < maxId) && (sinceId === null || block.id > sinceId);

    let page: MastodonBlock[];
    if (minId !== null) {
      // Oldest first just above min_id, then shown newest first.
      page = this.#blocks
        .filter((block) => block.id > minId && inRange(block))
        .slice(0, limit)
        .reverse();
    } else {
      page = [];
      for (let i = this.#blocks.length - 1; i >= 0 && page.length < limit; i--) {
        if (inRange(this.#blocks[i]!)) page.push(this.#blocks[i]!);
      }
    }

    const link = (params: Record<string, string>) => {
      const query = new URLSearchParams(given === null ? params : { limit: given, ...params });
      return `${this.#links.origin ?? request.origin}${this.#links.path ?? COLLECTION}?${query}`;
    };
    const links: string[] = [];
    if (page.length === limit && page.length > 0)
      links.push(`<${link({ max_id: page.at(-1)!.id.toString() })}>; rel="next"`);
    if (page.length > 0) links.push(`<${link({ min_id: page[0]!.id.toString() })}>; rel="prev"`);
    return {
      status: 200,
      json: page.map(serialize),
      headers: links.length > 0 ? { link: links.join(", ") } : {},
    };
  }

  #readFields(body: Body, into: MastodonBlock): FakeReply | null {
    if ("severity" in body) {
      if (!SEVERITIES.includes(body.severity as MastodonSeverity)) {
        return {
          status: 422,
          json: { error: `'${String(body.severity)}' is not a valid severity` },
        };
      }
      into.severity = body.severity as MastodonSeverity;
    }
    if ("reject_media" in body) into.reject_media = castBoolean(body.reject_media);
    if ("reject_reports" in body) into.reject_reports = castBoolean(body.reject_reports);
    if ("obfuscate" in body) into.obfuscate = castBoolean(body.obfuscate);
    if ("private_comment" in body) into.private_comment = castText(body.private_comment);
    if ("public_comment" in body) into.public_comment = castText(body.public_comment);
    return null;
  }

  #create(body: Body): FakeReply {
    const raw = typeof body.domain === "string" ? body.domain.trim() : "";
    if (raw === "") return validationFailed("Domain can't be blank");
    const domain = domainToASCII(raw.toLowerCase());
    if (domain === "" || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain))
      return validationFailed("Domain is invalid");

    const candidate: MastodonBlock = {
      id: 0n,
      domain,
      created_at: new Date().toISOString(),
      severity: "silence",
      reject_media: false,
      reject_reports: false,
      private_comment: null,
      public_comment: null,
      obfuscate: false,
    };
    const invalid = this.#readFields(body, candidate);
    if (invalid) return invalid;

    const existing = this.#ruleFor(domain);
    if (existing && (existing.domain === domain || !stricterThan(candidate, existing))) {
      return {
        status: 422,
        json: {
          error: `You have already imposed stricter limits on ${existing.domain}.`,
          existing_domain_block: serialize(existing),
        },
      };
    }
    candidate.id = this.#nextId();
    this.#insert(candidate);
    return { status: 200, json: serialize(candidate) };
  }

  #update(block: MastodonBlock, body: Body): FakeReply {
    const changed = { ...block };
    const invalid = this.#readFields(body, changed);
    if (invalid) return invalid;
    Object.assign(block, changed);
    return { status: 200, json: serialize(block) };
  }
}

export async function startFakeMastodon(
  options: ConstructorParameters<typeof FakeMastodon>[0] = {},
): Promise<FakeMastodon> {
  const fake = new FakeMastodon(options);
  await fake.listen();
  return fake;
}
