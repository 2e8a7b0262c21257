// A fake Mastodon admin domain blocks API, faithful where the sync depends on it: id-ordered
// pages (limit 100 by default, 200 at most, max_id/since_id/min_id, Link next only on full
// pages), 422 with existing_domain_block per Mastodon's rule_for and stricter_than?, PUT/DELETE
// by id, 401 for an unknown token, 403 without the scope (admin:read or admin:read:domain_blocks,
// admin:write or admin:write:domain_blocks: Mastodon has no bare `admin` scope) and 403 for an
// account that may not manage federation, and the public instance endpoint.
//
// And the admin measures `instance_follows` and `instance_followers` (POST /api/v1/admin/measures),
// built from Mastodon's source as read at these commits (mastodon/mastodon on GitHub):
//   app/controllers/api/v1/admin/measures_controller.rb  0486db9f4ebcd2289b211dd43412d356e6bdfa39
//   app/lib/admin/metrics/measure.rb, measure/base_measure.rb  0486db9f4ebcd2289b211dd43412d356e6bdfa39
//   app/lib/admin/metrics/measure/instance_follows_measure.rb  7a21ff2088710d40133f7f2185f2a8c2f63d371f
//   app/lib/admin/metrics/measure/instance_followers_measure.rb, query_helper.rb  252642d54ead8f3d576b07c8064f3c15142fdf2f
// What it keeps: a token is checked for the whole `admin:read` scope only when one is sent
// (authorize_if_got_token!), then the measures are built (params.require(key) → 400 when a
// requested key's params are missing, an unparsable start_at/end_at → 422 "Invalid date
// supplied"), and only then the role's `view_dashboard` permission (403 "This action is not
// allowed", also without any token). Unknown keys are dropped. `total` counts follows of (or by)
// accounts of exactly `domain`; with `include_subdomains` (any value Ruby finds truthy: every
// string, even "false") also those of each subdomain the server knows. The answer is
// `[{key, unit: null, total: "N", data: [{date, value: "n"}]}]`: no previous_total (these two
// measures are not totals in the time range). Values are cached for 5 minutes per (key, start_at,
// end_at, permitted params), as Rails.cache.fetch(expires_in: 5.minutes) does.
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
/** The domain blocks scopes and the whole admin:read; its role may View Dashboard. */
export const MASTODON_MEASURES_TOKEN = "mastodon-measures-token";
/** Every admin scope; its role may manage federation but not View Dashboard. */
export const MASTODON_NO_DASHBOARD_TOKEN = "mastodon-no-dashboard-token";

const DEFAULT_TOKENS: Record<string, string[]> = {
  [MASTODON_ADMIN_TOKEN]: ["read", "admin:read:domain_blocks", "admin:write:domain_blocks"],
  [MASTODON_READ_ONLY_TOKEN]: ["admin:read:domain_blocks"],
  [MASTODON_NOT_STAFF_TOKEN]: ["read", "admin:read", "admin:write"],
  [MASTODON_MEASURES_TOKEN]: ["admin:read", "admin:write:domain_blocks"],
  [MASTODON_NO_DASHBOARD_TOKEN]: ["admin:read", "admin:write"],
};

const MEASURES = "/api/v1/admin/measures";
const MEASURES_CACHE_TTL_MS = 5 * 60 * 1000;
const FOLLOW_MEASURES = ["instance_follows", "instance_followers"] as const;
type FollowMeasure = (typeof FOLLOW_MEASURES)[number];

/** A follow between a local account and one of `domain` (`outgoing`: the local one follows). */
interface Follow {
  domain: string;
  outgoing: boolean;
  createdAt: Date;
}

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
  /** Tokens whose account lacks the View Dashboard permission. */
  readonly #noDashboard: Set<string>;
  readonly #tokens: Record<string, string[]>;
  readonly #follows: Follow[] = [];
  readonly #measureCache = new Map<string, { at: number; value: unknown }>();
  readonly #now: () => number;
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
      noDashboard?: string[];
      links?: { origin?: string; path?: string };
      /** The clock of the measures' cache. */
      now?: () => number;
    } = {},
  ) {
    super({
      tokens: options.tokens ?? DEFAULT_TOKENS,
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
    this.#tokens = options.tokens ?? DEFAULT_TOKENS;
    this.instanceDomain = options.instanceDomain ?? "mastodon.example";
    this.#links = options.links ?? {};
    this.#notStaff = new Set(options.notStaff ?? [MASTODON_NOT_STAFF_TOKEN]);
    this.#noDashboard = new Set(
      options.noDashboard ?? [MASTODON_NOT_STAFF_TOKEN, MASTODON_NO_DASHBOARD_TOKEN],
    );
    this.#now = options.now ?? Date.now;
  }

  /**
   * Adds follows between local accounts and accounts of `domain`, as federation would:
   * `follows` local accounts following theirs (instance_follows), `followers` theirs following
   * local ones (instance_followers). The domain becomes one the server knows.
   */
  seedFollows(
    domain: string,
    counts: { follows?: number; followers?: number },
    createdAt = new Date(this.#now()),
  ): void {
    for (let i = 0; i < (counts.follows ?? 0); i++)
      this.#follows.push({ domain, outgoing: true, createdAt });
    for (let i = 0; i < (counts.followers ?? 0); i++)
      this.#follows.push({ domain, outgoing: false, createdAt });
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
    if (request.path === MEASURES && request.method === "POST")
      return this.#measures(request, token);
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

  #measures(request: FakeRequest, token: string | undefined): FakeReply {
    // before_action -> { authorize_if_got_token! :'admin:read' }
    if (token !== undefined) {
      const scopes = this.#tokens[token];
      if (!scopes) return { status: 401, json: { error: "The access token is invalid" } };
      if (!scopes.includes("admin:read"))
        return { status: 403, json: { error: "This action is outside the authorized scopes" } };
    }
    // before_action :set_measures
    const body = request.body;
    const parseDate = (value: unknown): Date | null | "invalid" => {
      if (value === undefined || value === null) return null;
      const text = String(value);
      const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
        ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
        : null;
      return date && !Number.isNaN(date.getTime()) ? date : "invalid";
    };
    const startAt = parseDate(body.start_at);
    const endAt = parseDate(body.end_at);
    if (startAt === "invalid" || endAt === "invalid")
      return { status: 422, json: { error: "Invalid date supplied" } };
    const keys = (Array.isArray(body.keys) ? body.keys : body.keys === undefined ? [] : [body.keys])
      .map(String)
      .filter((key): key is FollowMeasure => (FOLLOW_MEASURES as readonly string[]).includes(key));
    const measures: { key: FollowMeasure; params: Record<string, unknown> }[] = [];
    for (const key of keys) {
      const params = body[key];
      const empty =
        params === undefined ||
        params === null ||
        params === "" ||
        (typeof params === "object" && Object.keys(params).length === 0);
      if (empty)
        return { status: 400, json: { error: `param is missing or the value is empty: ${key}` } };
      // `.permit` on a string: NoMethodError, Rails' 500.
      if (typeof params !== "object" || Array.isArray(params))
        return { status: 500, json: { error: "Internal Server Error" } };
      measures.push({ key, params: params as Record<string, unknown> });
    }
    // create: authorize :dashboard, :index?
    if (token === undefined || this.#noDashboard.has(token))
      return { status: 403, json: { error: "This action is not allowed" } };
    return {
      status: 200,
      json: measures.map(({ key, params }) => this.#measure(key, params, startAt, endAt)),
    };
  }

  #measure(
    key: FollowMeasure,
    params: Record<string, unknown>,
    startAt: Date | null,
    endAt: Date | null,
  ): unknown {
    // permit(:domain, :include_subdomains): only scalars pass; Ruby truthiness for the flag.
    const scalar = (value: unknown) =>
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? value
        : undefined;
    const domain = scalar(params.domain);
    const subdomains = scalar(params.include_subdomains);
    const withSubdomains = subdomains !== undefined && subdomains !== false;
    const canonical = [
      ["domain", domain],
      ["include_subdomains", subdomains],
    ]
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${String(name)}=${String(value)}`)
      .join(";");
    const cacheKey = [
      `metrics/measure/${key}`,
      startAt?.toISOString(),
      endAt?.toISOString(),
      canonical,
    ].join(";");
    const cached = this.#measureCache.get(cacheKey);
    if (cached && this.#now() - cached.at < MEASURES_CACHE_TTL_MS) return cached.value;

    // Account.where(domain: nil) would be the local accounts: the fake has no follows among them.
    const wanted = String(domain ?? "");
    const matches = (follow: Follow) =>
      follow.outgoing === (key === "instance_follows") &&
      domain !== undefined &&
      (follow.domain === wanted || (withSubdomains && follow.domain.endsWith(`.${wanted}`)));
    const counted = this.#follows.filter(matches);
    // generate_series(start_at, end_at, '1 day')::date: no rows when either is missing.
    const data: { date: string; value: string }[] = [];
    if (startAt && endAt) {
      for (let day = startAt.getTime(); day <= endAt.getTime(); day += 86_400_000) {
        const date = new Date(day).toISOString().slice(0, 10);
        const value = counted.filter((f) => f.createdAt.toISOString().slice(0, 10) === date).length;
        data.push({ date: `${date}T00:00:00.000+00:00`, value: String(value) });
      }
    }
    const value = { key, unit: null, total: String(counted.length), data };
    this.#measureCache.set(cacheKey, { at: this.#now(), value });
    return value;
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
