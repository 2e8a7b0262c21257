// The configuration of one sync: flags win over environment variables, which win over defaults.
// Secrets may come from files (--token-file) so that they never appear in `ps`. Every problem
// is reported at once, naming the flag or variable and the bad value.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROTECT_ACTIONS, type ProtectAction } from "./protect.js";
import { TARGET_ALIASES, TARGET_KINDS, type TargetKind } from "./targets/target.js";

export interface SyncOptions {
  server: URL;
  token: string;
  target: TargetKind;
  targetUrl: URL;
  targetToken: string;
  dryRun: boolean;
  /** False with --no-delete. */
  deleteRetracted: boolean;
  /** Undefined: the default rule (20 or 10 % of the managed blocks). */
  maxChanges: number | undefined;
  force: boolean;
  /** The base state directory; each (server, target) pair gets its own folder inside. */
  stateDir: string;
  json: boolean;
  /** Allows http:// to hosts other than loopback (--insecure-http). */
  insecureHttp?: boolean;
  /** Public suffixes the operator approves blocking (--allow-broad, repeatable). */
  allowBroad?: string[];
  /** Take over blocks carrying this list server's marker that no key verifies (--adopt). */
  adopt?: boolean;
  /** The marker key's file (--marker-key-file); by default `marker.key` in the state folder. */
  markerKeyFile?: string | undefined;
  /** The run's total budget for waiting on rate limits and retries (--max-wait), in ms. */
  maxWaitMs?: number;
  /** --protect-follows N: suspensions of domains with more follows become `protectAction`. */
  protectFollows?: number | undefined;
  protectFollowsAction?: ProtectAction;
}

/** What commander parsed: only the flags actually given are set. */
export interface SyncFlags {
  server?: string;
  token?: string;
  tokenFile?: string;
  target?: string;
  targetUrl?: string;
  targetToken?: string;
  targetTokenFile?: string;
  dryRun?: boolean;
  noDelete?: boolean;
  maxChanges?: string;
  force?: boolean;
  state?: string;
  json?: boolean;
  insecureHttp?: boolean;
  allowBroad?: string[];
  adopt?: boolean;
  markerKeyFile?: string;
  maxWait?: string;
  protectFollows?: string;
  protectFollowsAction?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class SyncConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "SyncConfigError";
    this.problems = problems;
  }
}

export const ENV = {
  server: "FEDIBLOCK_SERVER",
  token: "FEDIBLOCK_TOKEN",
  tokenFile: "FEDIBLOCK_TOKEN_FILE",
  target: "FEDIBLOCK_TARGET",
  targetUrl: "FEDIBLOCK_TARGET_URL",
  targetToken: "FEDIBLOCK_TARGET_TOKEN",
  targetTokenFile: "FEDIBLOCK_TARGET_TOKEN_FILE",
  dryRun: "FEDIBLOCK_DRY_RUN",
  noDelete: "FEDIBLOCK_NO_DELETE",
  maxChanges: "FEDIBLOCK_MAX_CHANGES",
  force: "FEDIBLOCK_FORCE",
  state: "FEDIBLOCK_STATE",
  json: "FEDIBLOCK_JSON",
  insecureHttp: "FEDIBLOCK_INSECURE_HTTP",
  allowBroad: "FEDIBLOCK_ALLOW_BROAD",
  adopt: "FEDIBLOCK_ADOPT",
  markerKeyFile: "FEDIBLOCK_MARKER_KEY_FILE",
  maxWait: "FEDIBLOCK_MAX_WAIT",
  protectFollows: "FEDIBLOCK_PROTECT_FOLLOWS",
  protectFollowsAction: "FEDIBLOCK_PROTECT_FOLLOWS_ACTION",
} as const satisfies Record<keyof SyncFlags, string>;

const FLAG: Record<keyof SyncFlags, string> = {
  server: "--server",
  token: "--token",
  tokenFile: "--token-file",
  target: "--target",
  targetUrl: "--target-url",
  targetToken: "--target-token",
  targetTokenFile: "--target-token-file",
  dryRun: "--dry-run",
  noDelete: "--no-delete",
  maxChanges: "--max-changes",
  force: "--force",
  state: "--state",
  json: "--json",
  insecureHttp: "--insecure-http",
  allowBroad: "--allow-broad",
  adopt: "--adopt",
  markerKeyFile: "--marker-key-file",
  maxWait: "--max-wait",
  protectFollows: "--protect-follows",
  protectFollowsAction: "--protect-follows-action",
};

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["0", "false", "no", "off"];

interface Setting<T> {
  value: T;
  /** `--server` or `FEDIBLOCK_SERVER`: where the value came from, for messages. */
  name: string;
}

class Reader {
  readonly problems: string[] = [];
  readonly #flags: SyncFlags;
  readonly #env: Env;

  constructor(flags: SyncFlags, env: Env) {
    this.#flags = flags;
    this.#env = env;
  }

  text(key: Exclude<keyof typeof ENV, "allowBroad">): Setting<string> | undefined {
    const flag = this.#flags[key];
    if (typeof flag === "string") return { value: flag, name: FLAG[key] };
    const fromEnv = this.#env[ENV[key]];
    if (fromEnv !== undefined && fromEnv.trim() !== "") return { value: fromEnv, name: ENV[key] };
    return undefined;
  }

  required(
    key: Exclude<keyof typeof ENV, "allowBroad">,
    hint: string,
  ): Setting<string> | undefined {
    const setting = this.text(key);
    if (!setting) this.problems.push(`${FLAG[key]} (or ${ENV[key]}) is required: ${hint}`);
    return setting;
  }

  boolean(key: "dryRun" | "noDelete" | "force" | "json" | "insecureHttp" | "adopt"): boolean {
    if (this.#flags[key] === true) return true;
    const raw = this.#env[ENV[key]]?.trim().toLowerCase();
    if (raw === undefined || raw === "") return false;
    if (TRUE_WORDS.includes(raw)) return true;
    if (FALSE_WORDS.includes(raw)) return false;
    this.problems.push(`${ENV[key]}=${JSON.stringify(raw)}: expected true or false`);
    return false;
  }

  url(key: "server" | "targetUrl", hint: string): URL | undefined {
    const setting = this.required(key, hint);
    if (!setting) return undefined;
    try {
      const url = new URL(setting.value.trim());
      if (url.protocol === "http:" || url.protocol === "https:") {
        if (url.username || url.password || url.search || url.hash) {
          this.problems.push(
            `${setting.name}=${JSON.stringify(setting.value)}: give the URL without credentials, query or fragment`,
          );
          return undefined;
        }
        return url;
      }
    } catch {
      // reported below
    }
    this.problems.push(
      `${setting.name}=${JSON.stringify(setting.value)}: expected an http(s) URL, ${hint}`,
    );
    return undefined;
  }

  /** A secret from --x, else --x-file, else the same pair of environment variables. */
  secret(
    key: "token" | "targetToken",
    fileKey: "tokenFile" | "targetTokenFile",
    hint: string,
  ): string | undefined {
    const flagValue = this.#flags[key];
    const flagFile = this.#flags[fileKey];
    if (flagValue !== undefined && flagFile !== undefined) {
      this.problems.push(`give ${FLAG[key]} or ${FLAG[fileKey]}, not both`);
      return undefined;
    }
    if (flagValue !== undefined) return this.#checkToken(flagValue, FLAG[key]);
    if (flagFile !== undefined) return this.#readTokenFile(flagFile, FLAG[fileKey]);
    const envValue = this.#env[ENV[key]];
    const envFile = this.#env[ENV[fileKey]];
    if (envValue && envFile) {
      this.problems.push(`set ${ENV[key]} or ${ENV[fileKey]}, not both`);
      return undefined;
    }
    if (envValue) return this.#checkToken(envValue, ENV[key]);
    if (envFile) return this.#readTokenFile(envFile, ENV[fileKey]);
    this.problems.push(
      `${FLAG[key]} or ${FLAG[fileKey]} (or ${ENV[key]}, ${ENV[fileKey]}) is required: ${hint}`,
    );
    return undefined;
  }

  #readTokenFile(file: string, name: string): string | undefined {
    let content: string;
    try {
      content = fs.readFileSync(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.problems.push(`${name}=${JSON.stringify(file)}: cannot read the file (${reason})`);
      return undefined;
    }
    return this.#checkToken(content.trim(), `${name} (${file})`);
  }

  #checkToken(token: string, name: string): string | undefined {
    if (token === "") {
      this.problems.push(`${name} is empty`);
      return undefined;
    }
    // Never echo a secret: say what is wrong with it, not what it is.
    if (/[\s\p{Cc}]/u.test(token)) {
      this.problems.push(`${name} contains spaces or control characters`);
      return undefined;
    }
    return token;
  }
}

/** Whether the report should be JSON, read even when the rest of the configuration is bad. */
export function wantsJson(flags: SyncFlags, env: Env): boolean {
  return flags.json === true || TRUE_WORDS.includes(env[ENV.json]?.trim().toLowerCase() ?? "");
}

export const DEFAULT_MAX_WAIT_SECONDS = 300;

/** 127.0.0.0/8, ::1 and localhost: the admin's own machine, where http is fine. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function defaultStateDir(env: Env): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "fediblock");
  return path.join(env.HOME || os.homedir(), ".local", "state", "fediblock");
}

export function resolveSyncOptions(flags: SyncFlags, env: Env): SyncOptions {
  const read = new Reader(flags, env);
  const server = read.url("server", "the list server, such as https://blocklists.example.org");
  const token = read.secret("token", "tokenFile", "this instance's API token on the list server");
  const targetSetting = read.required("target", `one of ${TARGET_KINDS.join(", ")}`);
  const named = targetSetting?.value.trim().toLowerCase();
  const target = named === undefined ? undefined : (TARGET_ALIASES[named] ?? named);
  if (targetSetting && !(TARGET_KINDS as readonly string[]).includes(target!)) {
    read.problems.push(
      `${targetSetting.name}=${JSON.stringify(targetSetting.value)}: expected one of ${TARGET_KINDS.join(", ")} (or ${Object.keys(TARGET_ALIASES).join(", ")})`,
    );
  }
  const targetUrl = read.url("targetUrl", "your server, such as https://mastodon.example");
  const targetToken = read.secret(
    "targetToken",
    "targetTokenFile",
    "an admin token of your server",
  );

  let maxChanges: number | undefined;
  const maxSetting = read.text("maxChanges");
  if (maxSetting) {
    const text = maxSetting.value.trim();
    if (/^\d+$/.test(text)) maxChanges = Number(text);
    else
      read.problems.push(
        `${maxSetting.name}=${JSON.stringify(maxSetting.value)}: expected a whole number, 0 or more`,
      );
  }

  const stateSetting = read.text("state");
  const stateDir = path.resolve(stateSetting?.value ?? defaultStateDir(env));

  const insecureHttp = read.boolean("insecureHttp");
  for (const [url, key] of [
    [server, "server"],
    [targetUrl, "targetUrl"],
  ] as const) {
    if (url && url.protocol === "http:" && !insecureHttp && !isLoopback(url)) {
      read.problems.push(
        `${FLAG[key]}=${JSON.stringify(url.href)}: plain http sends the token in the clear; use https, or --insecure-http if this network is trusted`,
      );
    }
  }

  const allowBroad: string[] = [];
  const broadGiven = flags.allowBroad ?? env[ENV.allowBroad]?.split(",") ?? [];
  for (const raw of broadGiven) {
    const domain = raw.trim().toLowerCase().replace(/\.$/, "");
    if (domain === "") continue;
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain)) allowBroad.push(domain);
    else read.problems.push(`--allow-broad ${JSON.stringify(raw)}: expected a domain, such as com`);
  }

  let maxWaitMs = DEFAULT_MAX_WAIT_SECONDS * 1000;
  const waitSetting = read.text("maxWait");
  if (waitSetting) {
    const text = waitSetting.value.trim();
    if (/^\d+$/.test(text)) maxWaitMs = Number(text) * 1000;
    else
      read.problems.push(
        `${waitSetting.name}=${JSON.stringify(waitSetting.value)}: expected a whole number of seconds, 0 or more`,
      );
  }
  const keySetting = read.text("markerKeyFile");

  let protectFollows: number | undefined;
  const protectSetting = read.text("protectFollows");
  if (protectSetting) {
    const text = protectSetting.value.trim();
    if (!/^\d+$/.test(text)) {
      read.problems.push(
        `${protectSetting.name}=${JSON.stringify(protectSetting.value)}: expected a whole number of follows, 0 or more`,
      );
    } else if (target !== undefined && target !== "mastodon") {
      read.problems.push(
        `${protectSetting.name}: only a Mastodon target can count the follows to a domain (POST /api/v1/admin/measures); ${target} has no such API. Run without it, and review suspensions with --dry-run`,
      );
    } else protectFollows = Number(text);
  }
  const actionSetting = read.text("protectFollowsAction");
  const protectFollowsAction = (actionSetting?.value.trim().toLowerCase() ??
    "silence") as ProtectAction;
  if (actionSetting && !PROTECT_ACTIONS.includes(protectFollowsAction)) {
    read.problems.push(
      `${actionSetting.name}=${JSON.stringify(actionSetting.value)}: expected ${PROTECT_ACTIONS.join(" or ")}`,
    );
  } else if (actionSetting && !protectSetting) {
    read.problems.push(`${actionSetting.name} needs --protect-follows N`);
  }

  const options = {
    insecureHttp,
    allowBroad: [...new Set(allowBroad)],
    adopt: read.boolean("adopt"),
    markerKeyFile: keySetting ? path.resolve(keySetting.value) : undefined,
    maxWaitMs,
    ...(protectFollows === undefined ? {} : { protectFollows, protectFollowsAction }),
    dryRun: read.boolean("dryRun"),
    deleteRetracted: !read.boolean("noDelete"),
    force: read.boolean("force"),
    json: read.boolean("json"),
  };
  if (read.problems.length > 0) throw new SyncConfigError(read.problems);
  return {
    server: server!,
    token: token!,
    target: target as TargetKind,
    targetUrl: targetUrl!,
    targetToken: targetToken!,
    maxChanges,
    stateDir,
    ...options,
  };
}
