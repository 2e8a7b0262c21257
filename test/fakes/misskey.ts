// A fake Misskey (and Sharkey) admin API, as far as the sync depends on it. Built from
// misskey-dev/misskey 2024.11–2025.x (NestJS/Fastify): packages/backend/src/server/api/
// ApiCallService.ts (credentials, roles, token permissions, error shapes), endpoint-base.ts
// (INVALID_PARAM), endpoints/admin/meta.ts and admin/update-meta.ts, core/UtilityService.ts
// (how the lists match hosts); and Sharkey 2025.x's UtilityService.ts for its one difference.
//
// What surprises, and the fake does too:
// - There is no block object: the server's meta holds three arrays of host names,
//   `blockedHosts`, `silencedHosts`, `mediaSilencedHosts`, and `update-meta` replaces each array
//   it is given **whole**. Nothing is merged, nothing is versioned: two writers lose each
//   other's edits. There is no comment of any kind per host.
// - `update-meta` normalizes differently per array: `blockedHosts` drops empty strings and
//   lowercases, but neither sorts nor deduplicates; `silencedHosts` and `mediaSilencedHosts` are
//   sorted, deduplicated only where equal values are adjacent after sorting, never lowercased,
//   and lose any host that is in `blockedHosts` **of the same request** only. No host is
//   validated (a URL or `*.example` is stored as given). It answers 204 with no body.
// - `blockedHosts` and `silencedHosts` match a host and every subdomain
//   (`.${host}`.endsWith(`.${entry}`)); Misskey's `mediaSilencedHosts` matches the exact host
//   only, Sharkey's matches subdomains too.
// - Credentials: `Authorization: Bearer` wins over `i` in the body. No credential: 401
//   CREDENTIAL_REQUIRED; an unknown one: 401 AUTHENTICATION_FAILED; an account without an
//   administrator role: 403 ROLE_PERMISSION_DENIED (both endpoints need `requireAdmin`, a
//   moderator is refused); an app token without `read:admin:meta` / `write:admin:meta`: 403
//   PERMISSION_DENIED. The roles are checked before the token's permission. A native session
//   token (the web UI's `i`) has every permission. Errors are `{error: {message, code, id,
//   kind}}` (Misskey's own rate limit is a 429 RATE_LIMIT_EXCEEDED with Retry-After; the shared
//   fault switches stand in for it).
// - Every endpoint is POST; GET answers 405. An unknown endpoint answers 404
//   UNKNOWN_API_ENDPOINT.
import { FakeServer, type Body, type FakeReply, type FakeRequest } from "./fake-server.js";

export type MisskeyFlavor = "misskey" | "sharkey";
export type MisskeyRole = "admin" | "moderator" | "user";

export interface MisskeyToken {
  role: MisskeyRole;
  /** An app token's permissions; null for a native session token, which has them all. */
  permission: string[] | null;
}

export interface MisskeyLists {
  blockedHosts: string[];
  silencedHosts: string[];
  mediaSilencedHosts: string[];
}

export const MISSKEY_ADMIN_TOKEN = "misskey-admin-token";
export const MISSKEY_READ_ONLY_TOKEN = "misskey-read-only-token";
export const MISSKEY_MODERATOR_TOKEN = "misskey-moderator-token";
export const MISSKEY_SESSION_TOKEN = "misskey-session-token";

export const LIST_KEYS = ["blockedHosts", "silencedHosts", "mediaSilencedHosts"] as const;

interface ApiErrorShape {
  message: string;
  code: string;
  id: string;
  kind?: "client" | "permission" | "server";
  info?: unknown;
}

function apiError(status: number, error: ApiErrorShape, headers?: Record<string, string>) {
  return { status, json: { error: { kind: "client", ...error } }, headers } satisfies FakeReply;
}

const CREDENTIAL_REQUIRED = {
  message: "Credential required.",
  code: "CREDENTIAL_REQUIRED",
  id: "1384574d-a912-4b81-8601-c7b1c4085df1",
};
const AUTHENTICATION_FAILED = {
  message: "Authentication failed. Please ensure your token is correct.",
  code: "AUTHENTICATION_FAILED",
  id: "b0a7f5f8-dc2f-4171-b91f-de88ad238e14",
};
const NOT_ADMIN = {
  message: "You are not assigned to an administrator role.",
  code: "ROLE_PERMISSION_DENIED",
  kind: "permission",
  id: "c3d38592-54c0-429d-be96-5636b0431a61",
} as const;
const PERMISSION_DENIED = {
  message: "Your app does not have the necessary permissions to use this endpoint.",
  code: "PERMISSION_DENIED",
  kind: "permission",
  id: "1370e5b7-d4eb-4566-bb1d-7748ee6a1838",
} as const;

const ENDPOINTS: Record<string, string> = {
  "/api/admin/meta": "read:admin:meta",
  "/api/admin/update-meta": "write:admin:meta",
};

function normalizeSilenced(values: string[], blocked: string[] | undefined): string[] {
  let last = "";
  return [...values].sort().filter((host) => {
    const previous = last;
    last = host;
    return host !== "" && host !== previous && !blocked?.includes(host);
  });
}

function matchesHostOrParent(list: string[], host: string): boolean {
  return list.some((entry) => `.${host.toLowerCase()}`.endsWith(`.${entry}`));
}

export class FakeMisskey extends FakeServer {
  readonly flavor: MisskeyFlavor;
  readonly instanceDomain: string;
  readonly #tokens: Record<string, MisskeyToken>;
  readonly #meta: MisskeyLists & Record<string, unknown>;

  constructor(
    options: {
      flavor?: MisskeyFlavor;
      instanceDomain?: string;
      tokens?: Record<string, MisskeyToken>;
    } = {},
  ) {
    super({
      tokens: {},
      auth: { invalidToken: "", missingScope: "" },
      // Authentication is Misskey's own (the body's `i` or a Bearer header), done in #handle.
      scopeFor: () => null,
      handle: (request) => this.#handle(request),
    });
    this.flavor = options.flavor ?? "misskey";
    this.instanceDomain = options.instanceDomain ?? "misskey.example";
    this.#tokens = options.tokens ?? {
      [MISSKEY_ADMIN_TOKEN]: { role: "admin", permission: ["read:admin:meta", "write:admin:meta"] },
      [MISSKEY_READ_ONLY_TOKEN]: { role: "admin", permission: ["read:admin:meta"] },
      [MISSKEY_MODERATOR_TOKEN]: {
        role: "moderator",
        permission: ["read:admin:meta", "write:admin:meta"],
      },
      [MISSKEY_SESSION_TOKEN]: { role: "admin", permission: null },
    };
    this.#meta = {
      name: "Fake Misskey",
      description: "an instance for tests",
      disableRegistration: false,
      pinnedUsers: [],
      sensitiveWords: ["nsfw"],
      blockedHosts: [],
      silencedHosts: [],
      mediaSilencedHosts: [],
    };
  }

  /** The three lists as the server holds them now. */
  lists(): MisskeyLists {
    return {
      blockedHosts: [...this.#meta.blockedHosts],
      silencedHosts: [...this.#meta.silencedHosts],
      mediaSilencedHosts: [...this.#meta.mediaSilencedHosts],
    };
  }

  /** Any meta field, for checking that the sync left other settings alone. */
  setting(name: string): unknown {
    return this.#meta[name];
  }

  /** Sets lists directly, as an admin would in the control panel (not logged as a request). */
  edit(changes: Partial<MisskeyLists>): void {
    for (const key of LIST_KEYS) {
      if (changes[key]) this.#meta[key] = [...changes[key]];
    }
  }

  /** Whether the server refuses to federate with `host` (UtilityService.isBlockedHost). */
  isBlocked(host: string): boolean {
    return matchesHostOrParent(this.#meta.blockedHosts, host);
  }

  isSilenced(host: string): boolean {
    return matchesHostOrParent(this.#meta.silencedHosts, host);
  }

  /** Misskey: the exact host only; Sharkey: the host and its subdomains. */
  isMediaSilenced(host: string): boolean {
    const list = this.#meta.mediaSilencedHosts;
    return this.flavor === "sharkey"
      ? matchesHostOrParent(list, host)
      : list.includes(host.toLowerCase());
  }

  #handle(request: FakeRequest): FakeReply {
    if (request.path === "/api/meta" && request.method === "POST") {
      return {
        status: 200,
        json: { uri: `https://${this.instanceDomain}`, name: this.#meta.name, version: "2025.4.0" },
      };
    }
    const kind = ENDPOINTS[request.path];
    if (kind === undefined) {
      return apiError(404, {
        message: "Unknown API endpoint.",
        code: "UNKNOWN_API_ENDPOINT",
        id: "2ca3b769-540a-4f08-9dd5-b5a825b6d0f1",
      });
    }
    if (request.method !== "POST") return { status: 405 };
    const denied = this.#authorize(request, kind);
    if (denied) return denied;
    if (request.path === "/api/admin/meta") return { status: 200, json: this.#serializeMeta() };
    return this.#updateMeta(request.body);
  }

  #authorize(request: FakeRequest, kind: string): FakeReply | null {
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith("Bearer ")
      ? authorization.slice(7)
      : (request.body.i as unknown);
    if (token !== undefined && token !== null && typeof token !== "string") return { status: 400 };
    if (token === undefined || token === null) return apiError(401, CREDENTIAL_REQUIRED);
    const found = this.#tokens[token];
    if (!found) {
      return apiError(401, AUTHENTICATION_FAILED, {
        "www-authenticate": `Bearer realm="Misskey", error="invalid_token", error_description="${AUTHENTICATION_FAILED.message}"`,
      });
    }
    if (found.role !== "admin") return apiError(403, NOT_ADMIN);
    if (found.permission !== null && !found.permission.includes(kind)) {
      return apiError(403, PERMISSION_DENIED, {
        "www-authenticate": `Bearer realm="Misskey", error="insufficient_scope", error_description="${PERMISSION_DENIED.message}"`,
      });
    }
    return null;
  }

  #serializeMeta() {
    return { ...structuredClone(this.#meta), uri: `https://${this.instanceDomain}` };
  }

  #invalidParam(param: string, reason: string): FakeReply {
    return apiError(400, {
      message: "Invalid param.",
      code: "INVALID_PARAM",
      id: "3d81ceae-475f-4600-b2a8-2bc116157532",
      info: { param, reason },
    });
  }

  #updateMeta(body: Body): FakeReply {
    for (const key of LIST_KEYS) {
      const value = body[key];
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value))
        return this.#invalidParam(`#/properties/${key}/type`, "must be array");
      if (value.some((item) => typeof item !== "string")) {
        return this.#invalidParam(`#/properties/${key}/items/type`, "must be string");
      }
    }
    for (const key of ["name", "description"]) {
      const value = body[key];
      if (value !== undefined && value !== null && typeof value !== "string") {
        return this.#invalidParam(`#/properties/${key}/type`, "must be string,null");
      }
    }
    const set: Partial<MisskeyLists> & Record<string, unknown> = {};
    if (Array.isArray(body.blockedHosts)) {
      set.blockedHosts = (body.blockedHosts as string[])
        .filter(Boolean)
        .map((host) => host.toLowerCase());
    }
    if (Array.isArray(body.silencedHosts)) {
      set.silencedHosts = normalizeSilenced(body.silencedHosts as string[], set.blockedHosts);
    }
    if (Array.isArray(body.mediaSilencedHosts)) {
      set.mediaSilencedHosts = normalizeSilenced(
        body.mediaSilencedHosts as string[],
        set.blockedHosts,
      );
    }
    if (typeof body.name === "string") set.name = body.name;
    if (typeof body.description === "string") set.description = body.description;
    Object.assign(this.#meta, set);
    return { status: 204 };
  }
}

export async function startFakeMisskey(
  options: ConstructorParameters<typeof FakeMisskey>[0] = {},
): Promise<FakeMisskey> {
  const fake = new FakeMisskey(options);
  await fake.listen();
  return fake;
}
