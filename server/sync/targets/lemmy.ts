// Lemmy (target `lemmy`), as LemmyNet/lemmy 0.19.20 and 1.0.0-beta.1 (439734dd) have it
// (test/fakes/lemmy.ts names the files), with an admin's JWT. Lemmy has one kind of block, of
// the exact host: the sync writes the feed's `suspend` entries only, without flags, like
// GoToSocial, and a parent's block never covers a subdomain (each gets its own).
//
// - 1.0 (`/api/v4`, tried first): `POST /api/v4/admin/instance/block {instance, block, reason}`
//   one host at a time; the reason (the public comment) goes to the modlog only, so it cannot be
//   read back and a changed comment alone is not re-sent. It refuses every block while an
//   allowlist exists. The blocks are read from `GET /api/v4/federated_instances?kind=blocked`.
// - 0.19 (`/api/v3`): `PUT /api/v3/site {blocked_instances}` replaces the whole list (read from
//   `GET /api/v3/federated_instances`), with the read-modify-write-verify of ADR 0017; it has
//   no reason at all.
//
// Lemmy answers a missing or bad login with 400 `not_logged_in` and a non-admin with 400
// `not_an_admin`: both are refused credentials (exit 2).
import type { BlockFields, DesiredBlock } from "../block.js";
import { configFailure } from "../errors.js";
import { endpoint, HttpError, type HttpClient } from "../http.js";
import type { Ledger } from "../ledger.js";
import { LedgerTarget, RefusedCredentialsError, type ListSnapshot } from "./ledger-target.js";
import { parseJson, TargetDataError } from "./read.js";
import type { Target } from "./target.js";

const REFUSED = new Set(["not_logged_in", "not_an_admin", "incorrect_login"]);
const PAGE_LIMIT = 50;
const MAX_PAGES = 10_000;

const BLOCK: Omit<BlockFields, "public_comment"> = {
  severity: "suspend",
  reject_media: false,
  reject_reports: false,
  obfuscate: false,
};

function lemmyError(error: HttpError): string | undefined {
  const body = error.json() as { error?: unknown } | undefined;
  return typeof body?.error === "string" ? body.error : undefined;
}

export class LemmyTarget extends LedgerTarget<string[]> implements Target {
  readonly kind = "lemmy" as const;
  readonly #base: URL;
  readonly #token: string;
  readonly #http: HttpClient;
  #api: "v3" | "v4" | null = null;
  #allowlisted = false;
  /** The feed's public comment per host, sent as the 1.0 block's reason. */
  readonly #reasons = new Map<string, string>();

  constructor(base: URL, token: string, http: HttpClient, ledger: Ledger) {
    super(ledger);
    this.#base = base;
    this.#token = token;
    this.#http = http;
  }

  desiredFrom(entries: readonly DesiredBlock[]): DesiredBlock[] {
    return entries
      .filter((entry) => entry.severity === "suspend")
      .map((entry) => {
        this.#reasons.set(entry.domain, entry.public_comment);
        return { domain: entry.domain, ...BLOCK, public_comment: "" };
      });
  }

  override warnings(): string[] {
    const warnings = super.warnings();
    if (this.#allowlisted) {
      warnings.push(
        "the server's federation allowlist has entries: while it does, Lemmy federates only with those instances and its blocklist has no effect",
      );
    }
    return warnings;
  }

  /** Lemmy blocks exact hosts: a parent's block covers no subdomain. */
  covers(): boolean {
    return false;
  }

  async #request(method: string, path: string, json?: unknown) {
    try {
      return await this.#http.request(method, endpoint(this.#base, path), {
        token: this.#token,
        ...(json === undefined ? {} : { json }),
      });
    } catch (error) {
      if (error instanceof HttpError && REFUSED.has(lemmyError(error) ?? "")) {
        throw new RefusedCredentialsError(error);
      }
      if (
        error instanceof HttpError &&
        lemmyError(error) === "cannot_combine_federation_blocklist_and_allowlist"
      ) {
        throw configFailure(
          "Lemmy refuses every instance block while its federation allowlist has entries (cannot_combine_federation_blocklist_and_allowlist): empty the allowlist, or do not sync a blocklist to this server",
        );
      }
      throw error;
    }
  }

  /** 1.0's `/api/v4` when the server has it, else 0.19's `/api/v3`. */
  async #version(): Promise<"v3" | "v4"> {
    if (this.#api) return this.#api;
    try {
      await this.#request("GET", "api/v4/site");
      this.#api = "v4";
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
      this.#api = "v3";
    }
    return this.#api;
  }

  protected async readLists(): Promise<ListSnapshot<string[]>> {
    const blocked = (await this.#version()) === "v4" ? await this.#readV4() : await this.#readV3();
    const hosts = new Map<string, BlockFields>();
    for (const domain of blocked) hosts.set(domain, { ...BLOCK, public_comment: "" });
    return { state: blocked, hosts };
  }

  async #readV3(): Promise<string[]> {
    const body = parseJson(
      (await this.#request("GET", "api/v3/federated_instances")).body,
      "the federated instances",
    ) as { federated_instances?: { blocked?: unknown; allowed?: unknown } } | null;
    const { blocked, allowed } = body?.federated_instances ?? {};
    this.#allowlisted = Array.isArray(allowed) && allowed.length > 0;
    if (!Array.isArray(blocked)) throw new TargetDataError("federated_instances has no blocked");
    return blocked.map((instance) => {
      const domain = (instance as { domain?: unknown } | null)?.domain;
      if (typeof domain !== "string") throw new TargetDataError("a blocked instance has no domain");
      return domain;
    });
  }

  async #readV4(): Promise<string[]> {
    const domains: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ kind: "blocked", limit: String(PAGE_LIMIT) });
      if (cursor !== undefined) query.set("page_cursor", cursor);
      const body = parseJson(
        (await this.#request("GET", `api/v4/federated_instances?${query}`)).body,
        "the federated instances",
      ) as { items?: unknown; next_page?: unknown } | null;
      if (!Array.isArray(body?.items))
        throw new TargetDataError("federated_instances has no items");
      for (const item of body.items) {
        const domain = (item as { instance?: { domain?: unknown } } | null)?.instance?.domain;
        if (typeof domain !== "string") throw new TargetDataError("an instance has no domain");
        domains.push(domain);
      }
      if (typeof body.next_page !== "string" || body.next_page === cursor) return domains;
      cursor = body.next_page;
    }
    throw new TargetDataError(`more than ${MAX_PAGES} pages of blocked instances`);
  }

  protected async write(blocked: string[], host: string, fields: BlockFields | null) {
    if ((await this.#version()) === "v4") {
      const reason = fields ? (this.#reasons.get(host) ?? "") : "";
      await this.#request("POST", "api/v4/admin/instance/block", {
        instance: host,
        block: fields !== null,
        reason,
      });
      return;
    }
    const others = blocked.filter((domain) => domain !== host);
    await this.#request("PUT", "api/v3/site", {
      blocked_instances: fields ? [...others, host] : others,
    });
  }

  /** The site's `actor_id` names the server's own host. */
  async instanceDomains(): Promise<string[]> {
    try {
      const version = await this.#version();
      const body = parseJson((await this.#request("GET", `api/${version}/site`)).body, "the site");
      const actor = (body as { site_view?: { site?: { actor_id?: unknown } } } | null)?.site_view
        ?.site?.actor_id;
      return typeof actor === "string" ? [new URL(actor).hostname] : [];
    } catch {
      return [];
    }
  }

  reserve(requests: number): Promise<void> {
    return this.#http.reserve(requests * 3, this.#base.host);
  }
}
