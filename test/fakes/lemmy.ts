// A fake Lemmy federation blocklist API, as far as the sync depends on it, in two versions.
// Built from LemmyNet/lemmy:
// - 0.19 (tag 0.19.20): crates/api_crud/src/site/update.rs (`PUT /api/v3/site`),
//   crates/db_schema/src/impls/federation_blocklist.rs (`replace`), crates/api/src/site/
//   federated_instances.rs (`GET /api/v3/federated_instances`), src/session_middleware.rs,
//   crates/utils/src/error.rs (LemmyErrorType and its status codes);
// - 1.0 (439734dd, 1.0.0-beta.1): crates/api/api/src/site/admin_block_instance.rs
//   (`POST /api/v4/admin/instance/block`), crates/api/api/src/site/federated_instances.rs and
//   crates/db_views/site/src/api.rs (`GET /api/v4/federated_instances`, cursor pages),
//   crates/api/api_utils/src/utils.rs (`read_auth_token`, `check_expire_time`).
//
// What surprises, and the fake does too:
// - One kind of block only, of the exact host (no subdomains, no severities, no flags).
// - 0.19 has no block object: `PUT /api/v3/site` with `blocked_instances` clears the whole
//   blocklist and inserts the list given (absent: unchanged). The reason is nowhere. The list is
//   read from `GET /api/v3/federated_instances` (`federated_instances.blocked`), not from
//   `GET /api/v3/site`. An allowlist makes a 0.19 blocklist inert but is not refused.
// - 1.0 blocks one host at a time with `{instance, block, reason, expires_at}`; the reason goes
//   to the modlog only, `expires_at` is unix seconds. While any allowlist entry exists it
//   answers 400 `cannot_combine_federation_blocklist_and_allowlist`.
// - Errors are `{"error": "snake_case_name"}` with status 400 for nearly everything:
//   `not_logged_in` (no or an invalid JWT: the middleware ignores a bad token), `not_an_admin`.
//   Only `incorrect_login` is 401 and `not_found` 404. A body missing a field is actix's
//   plain-text 400 `Json deserialize error: …`.
// - The JWT comes from `Authorization: Bearer` or the `jwt` cookie.
import { FakeServer, type FakeReply, type FakeRequest } from "./fake-server.js";

export type LemmyVersion = "0.19" | "1.0";

export const LEMMY_ADMIN_JWT = "lemmy.admin.jwt";
export const LEMMY_USER_JWT = "lemmy.user.jwt";

const PAGE_DEFAULT = 20;
const PAGE_MAX = 50;

interface Instance {
  id: number;
  domain: string;
  published: string;
  updated: string | null;
}

interface Block {
  instanceId: number;
  published: string;
  expiresAt: string | null;
  reason: string;
}

function lemmyError(name: string, status = 400): FakeReply {
  return { status, json: { error: name } };
}

export class FakeLemmy extends FakeServer {
  readonly version: LemmyVersion;
  readonly instanceDomain: string;
  readonly #jwts: Record<string, { admin: boolean }>;
  readonly #instances: Instance[] = [];
  #blocked: Block[] = [];
  #allowed: number[] = [];
  /** The 1.0 modlog's admin_block_instance entries. */
  readonly modlog: { instance: string; block: boolean; reason: string }[] = [];
  #siteName = "Fake Lemmy";

  constructor(
    options: {
      version?: LemmyVersion;
      instanceDomain?: string;
      jwts?: Record<string, { admin: boolean }>;
    } = {},
  ) {
    super({
      tokens: {},
      auth: { invalidToken: "", missingScope: "" },
      scopeFor: () => null,
      handle: (request) => this.#handle(request),
    });
    this.version = options.version ?? "0.19";
    this.instanceDomain = options.instanceDomain ?? "lemmy.example";
    this.#jwts = options.jwts ?? {
      [LEMMY_ADMIN_JWT]: { admin: true },
      [LEMMY_USER_JWT]: { admin: false },
    };
  }

  #readOrCreate(domain: string): Instance {
    const found = this.#instances.find((i) => i.domain.toLowerCase() === domain.toLowerCase());
    if (found) return found;
    const instance: Instance = {
      id: this.#instances.length + 1,
      domain,
      published: new Date().toISOString(),
      updated: null,
    };
    this.#instances.push(instance);
    return instance;
  }

  /** The blocked hosts, in the order blocked. */
  blocked(): string[] {
    return this.#blocked.map((block) => this.#instances[block.instanceId - 1]!.domain);
  }

  siteName(): string {
    return this.#siteName;
  }

  /** An admin's direct edit in the admin settings (not logged as a request). */
  edit(changes: { blocked?: string[]; allowed?: string[] }): void {
    if (changes.blocked) this.#replaceBlocked(changes.blocked);
    if (changes.allowed) this.#allowed = changes.allowed.map((d) => this.#readOrCreate(d).id);
  }

  #replaceBlocked(domains: string[]): void {
    this.#blocked = [];
    for (const domain of domains) {
      const instance = this.#readOrCreate(domain);
      if (this.#blocked.some((block) => block.instanceId === instance.id)) continue;
      this.#blocked.push({
        instanceId: instance.id,
        published: new Date().toISOString(),
        expiresAt: null,
        reason: "",
      });
    }
  }

  #user(request: FakeRequest): { admin: boolean } | null {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const cookie = /(?:^|;\s*)jwt=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
    const jwt = bearer ?? cookie;
    return jwt === undefined ? null : (this.#jwts[jwt] ?? null);
  }

  #handle(request: FakeRequest): FakeReply {
    const v3 = this.version === "0.19";
    const api = v3 ? "/api/v3" : "/api/v4";
    const route = `${request.method} ${request.path}`;
    if (route === `GET ${api}/site`) return this.#site();
    if (route === `GET ${api}/federated_instances`) {
      return v3 ? this.#federatedV3() : this.#federatedV4(request.query);
    }
    if (v3 && route === "PUT /api/v3/site") return this.#updateSite(request);
    if (!v3 && route === "POST /api/v4/admin/instance/block") return this.#block(request);
    return { status: 404, json: undefined };
  }

  #site(): FakeReply {
    return {
      status: 200,
      json: {
        site_view: {
          site: { id: 1, name: this.#siteName, actor_id: `https://${this.instanceDomain}/` },
          local_site: { federation_enabled: true },
        },
        admins: [],
        version: this.version === "0.19" ? "0.19.20" : "1.0.0-beta.1",
      },
    };
  }

  #instanceJson(instance: Instance) {
    return { id: instance.id, domain: instance.domain, published: instance.published };
  }

  #federatedV3(): FakeReply {
    const pick = (ids: number[]) => ids.map((id) => this.#instanceJson(this.#instances[id - 1]!));
    return {
      status: 200,
      json: {
        federated_instances: {
          linked: this.#instances.map((instance) => this.#instanceJson(instance)),
          allowed: pick(this.#allowed),
          blocked: pick(this.#blocked.map((block) => block.instanceId)),
        },
      },
    };
  }

  #federatedV4(query: URLSearchParams): FakeReply {
    const kind = query.get("kind") ?? "all";
    if (!["all", "linked", "allowed", "blocked"].includes(kind)) {
      return { status: 400, json: undefined };
    }
    const limitText = query.get("limit");
    const limit = limitText === null ? PAGE_DEFAULT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
      return lemmyError("couldnt_parse_pagination_token");
    }
    const blockedIds = this.#blocked.map((block) => block.instanceId);
    const ids =
      kind === "blocked"
        ? blockedIds
        : kind === "allowed"
          ? this.#allowed
          : this.#instances.map((instance) => instance.id);
    const sorted = [...ids].sort((a, b) => a - b);
    const cursor = query.get("page_cursor");
    const after = cursor === null ? 0 : Number(cursor.replace(/^i/, ""));
    const page = sorted.filter((id) => id > after).slice(0, limit);
    const more = sorted.some((id) => id > (page.at(-1) ?? after));
    return {
      status: 200,
      json: {
        items: page.map((id) => {
          const instance = this.#instances[id - 1]!;
          const block = this.#blocked.find((b) => b.instanceId === id);
          return {
            instance: this.#instanceJson(instance),
            ...(block
              ? {
                  blocked: {
                    published_at: block.published,
                    ...(block.expiresAt ? { expires_at: block.expiresAt } : {}),
                  },
                }
              : {}),
          };
        }),
        ...(more && page.length > 0 ? { next_page: `i${page.at(-1)}` } : {}),
      },
    };
  }

  #updateSite(request: FakeRequest): FakeReply {
    const user = this.#user(request);
    if (!user) return lemmyError("not_logged_in");
    if (!user.admin) return lemmyError("not_an_admin");
    const { blocked_instances: blocked, allowed_instances: allowed, name } = request.body;
    for (const list of [blocked, allowed]) {
      if (list !== undefined && list !== null) {
        if (!Array.isArray(list) || list.some((d) => typeof d !== "string")) {
          return { status: 400, json: undefined };
        }
      }
    }
    if (typeof name === "string") this.#siteName = name;
    if (Array.isArray(allowed)) this.#allowed = allowed.map((d) => this.#readOrCreate(d).id);
    if (Array.isArray(blocked)) this.#replaceBlocked(blocked as string[]);
    return this.#site();
  }

  #block(request: FakeRequest): FakeReply {
    const user = this.#user(request);
    if (!user) return lemmyError("not_logged_in");
    const { instance, block, reason, expires_at: expiresAt } = request.body;
    for (const [field, ok] of [
      ["instance", typeof instance === "string"],
      ["block", typeof block === "boolean"],
      ["reason", typeof reason === "string"],
    ] as const) {
      if (!ok) {
        return { status: 400, text: `Json deserialize error: missing field \`${field}\`` };
      }
    }
    if (!user.admin) return lemmyError("not_an_admin");
    let expires: string | null = null;
    if (expiresAt !== undefined && expiresAt !== null) {
      if (typeof expiresAt !== "number" || !Number.isInteger(expiresAt)) {
        return lemmyError("invalid_unix_time");
      }
      if (expiresAt * 1000 <= Date.now()) return lemmyError("invalid_expire_time");
      expires = new Date(expiresAt * 1000).toISOString();
    }
    if (this.#allowed.length > 0) {
      return lemmyError("cannot_combine_federation_blocklist_and_allowlist");
    }
    const target = this.#readOrCreate(instance as string);
    this.#blocked = this.#blocked.filter((b) => b.instanceId !== target.id);
    if (block) {
      this.#blocked.push({
        instanceId: target.id,
        published: new Date().toISOString(),
        expiresAt: expires,
        reason: reason as string,
      });
    }
    this.modlog.push({
      instance: target.domain,
      block: block as boolean,
      reason: reason as string,
    });
    const current = this.#blocked.find((b) => b.instanceId === target.id);
    return {
      status: 200,
      json: {
        instance: this.#instanceJson(target),
        ...(current ? { blocked: { published_at: current.published } } : {}),
      },
    };
  }
}

export async function startFakeLemmy(
  options: ConstructorParameters<typeof FakeLemmy>[0] = {},
): Promise<FakeLemmy> {
  const fake = new FakeLemmy(options);
  await fake.listen();
  return fake;
}
