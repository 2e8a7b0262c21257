// A fake Akkoma/Pleroma admin config API for MRF SimplePolicy, as far as the sync depends on it.
// Built from pleroma-social/pleroma at f917285b (2.2.50, January 2021: the controller, ConfigDB
// and the plugs, which Akkoma keeps): lib/pleroma/web/admin_api/controllers/config_controller.ex,
// fallback_controller.ex, lib/pleroma/config_db.ex, lib/pleroma/web/plugs/o_auth_scopes_plug.ex,
// user_is_admin_plug.ex, ensure_authenticated_plug.ex, the `:admin_api` pipeline in router.ex;
// and from the later lib/pleroma/web/activity_pub/mrf.ex and mrf/simple_policy.ex (2.4+, kept by
// Akkoma), where every SimplePolicy entry is a `{host, reason}` tuple.
//
// What surprises, and the fake does too:
// - Values travel in ConfigDB's JSON encoding: atoms as `":reject"`, tuples as
//   `{"tuple": [a, b]}`, a keyword list as a list of 2-tuples. `:mrf_simple` is a keyword list
//   of `{":reject", [{"tuple": [host, reason]}, …]}` and so on.
// - GET answers the config files merged with the database (`db` names the subkeys stored in the
//   database); POST stores into the database, merging per subkey (`ConfigDB.merge_group`): the
//   subkeys sent replace theirs **whole**, the others stay. At run time a database subkey
//   replaces the file's whole: the first write of `:reject` hides the config file's `:reject`
//   entries unless the write carries them (so a writer must start from the merged GET).
// - `configurable_from_database` off: every request answers 400 `{"error": "To use this
//   endpoint you need to enable configuration from database."}`. A `database_config_whitelist`
//   that does not name the key drops the entry **silently** (200, nothing stored).
// - Authentication runs before the scopes: an unknown token is no user, 403 `Invalid
//   credentials.` (never 401); a user who is not an admin, 403 `User is not an admin.`; then
//   the scopes, `admin:read`/`admin:write` (granted by themselves or by `admin`; `read`/`write`
//   do not), 403 `Insufficient permissions: admin:write.`.
// - A host matches only itself: `MRF.subdomains_regex` turns an entry into
//   `~r/^#{String.replace(domain, "*.", "(.*\\.)*")}$/i`, so `*.example.com` matches
//   example.com and every subdomain, and the dots are not escaped (`a.b` matches `axb`).
// - With `:mrf` `:transparency` (the default), the reasons are published in nodeinfo.
import { FakeServer, type Body, type FakeReply, type FakeRequest } from "./fake-server.js";

export interface PleromaToken {
  scopes: string[];
  admin: boolean;
}

/** A SimplePolicy subkey, as ConfigDB names it in JSON. */
export type SimpleKey =
  | ":reject"
  | ":accept"
  | ":media_removal"
  | ":media_nsfw"
  | ":federated_timeline_removal"
  | ":followers_only"
  | ":report_removal"
  | ":reject_deletes";

export type SimpleEntry = [host: string, reason: string];
export type SimpleConfig = Partial<Record<SimpleKey, SimpleEntry[]>>;

export const AKKOMA_ADMIN_TOKEN = "akkoma-admin-token";
export const AKKOMA_READ_ONLY_TOKEN = "akkoma-read-only-token";
export const AKKOMA_NOT_ADMIN_TOKEN = "akkoma-not-admin-token";

export const SIMPLE_POLICY = "Pleroma.Web.ActivityPub.MRF.SimplePolicy";
const CONFIG_PATH = "/api/v1/pleroma/admin/config";
const DB_DISABLED = "To use this endpoint you need to enable configuration from database.";

type Json = unknown;
/** A keyword list in ConfigDB's JSON form, as [subkey, value] pairs. */
type Keyword = [string, Json][];

function tuple(...items: Json[]) {
  return { tuple: items };
}

function isTuple(value: Json): value is { tuple: Json[] } {
  return !!value && typeof value === "object" && Array.isArray((value as { tuple?: Json }).tuple);
}

/** A JSON keyword list ([{tuple: [":k", v]}, …]) as pairs; null when it is not one. */
function readKeyword(value: Json): Keyword | null {
  if (!Array.isArray(value)) return null;
  const pairs: Keyword = [];
  for (const item of value) {
    if (!isTuple(item) || item.tuple.length !== 2 || typeof item.tuple[0] !== "string") return null;
    if (!item.tuple[0].startsWith(":")) return null;
    pairs.push([item.tuple[0], item.tuple[1]]);
  }
  return pairs;
}

function writeKeyword(pairs: Keyword): Json[] {
  return pairs.map(([key, value]) => tuple(key, value));
}

/** Keyword.merge: the new pairs replace the old ones with the same key, in place; new keys last. */
function mergeKeyword(old: Keyword, updates: Keyword): Keyword {
  const merged = old.filter(([key]) => !updates.some(([k]) => k === key));
  return [...merged, ...updates];
}

function entriesToJson(entries: SimpleEntry[]): Json[] {
  return entries.map(([host, reason]) => tuple(host, reason));
}

interface Setting {
  group: string;
  key: string;
  /** From the config files. */
  file: Keyword;
  /** From the database, when stored there. */
  db: Keyword | null;
}

export class FakeAkkoma extends FakeServer {
  readonly instanceDomain: string;
  configurableFromDatabase: boolean;
  /** `[group, key]` pairs, or null for no whitelist. */
  whitelist: [string, string][] | null = null;
  readonly #tokens: Record<string, PleromaToken>;
  readonly #settings: Setting[];

  constructor(
    options: {
      instanceDomain?: string;
      tokens?: Record<string, PleromaToken>;
      configurableFromDatabase?: boolean;
      /** The config file's SimplePolicy (`config :pleroma, :mrf_simple, …`). */
      fileSimple?: SimpleConfig;
      /** The config file's MRF policies. */
      policies?: string[];
    } = {},
  ) {
    super({
      tokens: {},
      auth: { invalidToken: "", missingScope: "" },
      scopeFor: () => null,
      handle: (request) => this.#handle(request),
    });
    this.instanceDomain = options.instanceDomain ?? "akkoma.example";
    this.configurableFromDatabase = options.configurableFromDatabase ?? true;
    this.#tokens = options.tokens ?? {
      [AKKOMA_ADMIN_TOKEN]: { scopes: ["read", "admin:read", "admin:write"], admin: true },
      [AKKOMA_READ_ONLY_TOKEN]: { scopes: ["admin:read"], admin: true },
      [AKKOMA_NOT_ADMIN_TOKEN]: { scopes: ["admin"], admin: false },
    };
    const simpleKeys: SimpleKey[] = [
      ":media_removal",
      ":media_nsfw",
      ":federated_timeline_removal",
      ":report_removal",
      ":reject",
      ":followers_only",
      ":accept",
      ":reject_deletes",
    ];
    this.#settings = [
      {
        group: ":pleroma",
        key: ":mrf_simple",
        file: simpleKeys.map((key) => [key, entriesToJson(options.fileSimple?.[key] ?? [])]),
        db: null,
      },
      {
        group: ":pleroma",
        key: ":mrf",
        file: [
          [":policies", options.policies ?? [SIMPLE_POLICY]],
          [":transparency", true],
          [":transparency_exclusions", []],
        ],
        db: null,
      },
      {
        group: ":pleroma",
        key: ":instance",
        file: [
          [":name", "Fake Akkoma"],
          [":limit", 5000],
        ],
        db: null,
      },
    ];
  }

  #setting(group: string, key: string): Setting | undefined {
    return this.#settings.find((setting) => setting.group === group && setting.key === key);
  }

  /** What the server runs with: each database subkey replaces the file's. */
  #effective(setting: Setting): Keyword {
    return setting.db ? mergeKeyword(setting.file, setting.db) : setting.file;
  }

  /** The effective entries of a SimplePolicy subkey, as [host, reason] pairs. */
  simple(key: SimpleKey): SimpleEntry[] {
    const value = this.#effective(this.#setting(":pleroma", ":mrf_simple")!).find(
      ([k]) => k === key,
    )?.[1];
    if (!Array.isArray(value)) return [];
    // MRF.normalize_instance_list: a bare host gets an empty reason.
    return value.map((entry) =>
      isTuple(entry) ? [String(entry.tuple[0]), String(entry.tuple[1] ?? "")] : [String(entry), ""],
    );
  }

  /** The database's subkeys of a setting, or null when it has none stored. */
  stored(key: string): string[] | null {
    return this.#setting(":pleroma", key)?.db?.map(([k]) => k) ?? null;
  }

  /** Whether SimplePolicy applies `key` to `host` (MRF.subdomains_regex, unescaped dots). */
  matches(key: SimpleKey, host: string): boolean {
    return this.simple(key).some(([domain]) =>
      new RegExp(`^${domain.replaceAll("*.", "(.*\\.)*")}$`, "i").test(host),
    );
  }

  policies(): string[] {
    const value = this.#effective(this.#setting(":pleroma", ":mrf")!).find(
      ([k]) => k === ":policies",
    )?.[1];
    return Array.isArray(value) ? (value as string[]) : typeof value === "string" ? [value] : [];
  }

  /** Edits the database directly, as an admin would in AdminFE (not logged as a request). */
  edit(key: SimpleKey, entries: SimpleEntry[]): void {
    const setting = this.#setting(":pleroma", ":mrf_simple")!;
    setting.db = mergeKeyword(setting.db ?? [], [[key, entriesToJson(entries)]]);
  }

  setPolicies(policies: string[]): void {
    const setting = this.#setting(":pleroma", ":mrf")!;
    setting.db = mergeKeyword(setting.db ?? [], [[":policies", policies]]);
  }

  #handle(request: FakeRequest): FakeReply {
    if (request.method === "GET" && request.path === "/api/v1/instance") {
      return {
        status: 200,
        json: {
          uri: `https://${this.instanceDomain}`,
          title: "Fake Akkoma",
          version: "2.7.2 (compatible; Akkoma 3.13.2)",
        },
      };
    }
    if (request.path !== CONFIG_PATH) return { status: 404, json: { error: "Not found" } };
    if (request.method !== "GET" && request.method !== "POST") {
      return { status: 404, json: { error: "Not found" } };
    }
    const denied = this.#authorize(request);
    if (denied) return denied;
    if (!this.configurableFromDatabase) return { status: 400, json: { error: DB_DISABLED } };
    return request.method === "GET" ? this.#show() : this.#update(request.body);
  }

  #authorize(request: FakeRequest): FakeReply | null {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const found = token === undefined ? undefined : this.#tokens[token];
    if (!found) return { status: 403, json: { error: "Invalid credentials." } };
    if (!found.admin) return { status: 403, json: { error: "User is not an admin." } };
    const needed = request.method === "GET" ? "admin:read" : "admin:write";
    // OAuthScopesPlug.filter_descendants: granted by the scope itself or an ancestor.
    const granted = found.scopes.some(
      (scope) => needed === scope || needed.startsWith(`${scope}:`),
    );
    if (!granted) return { status: 403, json: { error: `Insufficient permissions: ${needed}.` } };
    return null;
  }

  #render(setting: Setting, value: Keyword) {
    return {
      group: setting.group,
      key: setting.key,
      value: writeKeyword(value),
      db: setting.db ? setting.db.map(([k]) => k) : [],
    };
  }

  #show(): FakeReply {
    return {
      status: 200,
      json: {
        configs: this.#settings.map((setting) => this.#render(setting, this.#effective(setting))),
        need_reboot: false,
      },
    };
  }

  #whitelisted(group: string, key: string): boolean {
    return (
      this.whitelist === null ||
      this.whitelist.some(([g, k]) => g === group && (k === undefined || k === key))
    );
  }

  #update(body: Body): FakeReply {
    if (!Array.isArray(body.configs)) return { status: 400, json: "Invalid parameters" };
    const updated = [];
    for (const config of body.configs as Json[]) {
      if (!config || typeof config !== "object") return { status: 400, json: "Invalid parameters" };
      const { group, key, value } = config as Record<string, Json>;
      if (typeof group !== "string" || typeof key !== "string") {
        return { status: 400, json: "Invalid parameters" };
      }
      if (!this.#whitelisted(group, key)) continue;
      const setting = this.#setting(group, key);
      const pairs = readKeyword(value);
      if (!setting || pairs === null) {
        // Outside what the fake models: keyword lists of the groups above only.
        return { status: 400, json: { error: `the fake does not model ${group} ${key}` } };
      }
      setting.db = mergeKeyword(setting.db ?? [], pairs);
      updated.push(this.#render(setting, setting.db));
    }
    return { status: 200, json: { configs: updated, need_reboot: false } };
  }
}

export async function startFakeAkkoma(
  options: ConstructorParameters<typeof FakeAkkoma>[0] = {},
): Promise<FakeAkkoma> {
  const fake = new FakeAkkoma(options);
  await fake.listen();
  return fake;
}
