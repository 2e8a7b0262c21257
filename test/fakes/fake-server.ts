// What the fake Mastodon and GoToSocial servers share: a node:http server on 127.0.0.1 (port 0),
// a log of every request, bearer tokens with scopes, and faults a test can switch on: error
// answers, 429 with Retry-After, dropped connections, slow answers, and Mastodon's rate limit
// (X-RateLimit-* headers on every answer; past the limit, rack-attack's 429 without Retry-After).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Body = Record<string, unknown>;

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Body;
  /** `http://127.0.0.1:PORT`, for links. */
  origin: string;
}

export interface FakeReply {
  status: number;
  json?: unknown;
  /** A plain-text body instead of JSON (actix's extractor errors, say). */
  text?: string;
  headers?: Record<string, string>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  body: Body;
  /** The status answered, or `dropped` when the connection was destroyed instead. */
  status: number | "dropped";
}

export interface AuthMessages {
  invalidToken: string;
  missingScope: string;
}

export interface FakeServerOptions {
  /** token → scopes. */
  tokens: Record<string, string[]>;
  auth: AuthMessages;
  /** The scope a request needs (either it or a parent scope), or null for public endpoints. */
  scopeFor: (method: string, path: string) => string | null;
  /** Whether a token's scopes grant the scope needed; by default any prefix of it does. */
  grants?: (scopes: string[], needed: string) => boolean;
  handle: (request: FakeRequest) => FakeReply;
}

interface CountedFault {
  remaining: number;
  methods: string[] | undefined;
}

const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

export function isWrite(method: string): boolean {
  return WRITE_METHODS.includes(method);
}

/** `admin:write:domain_blocks` is granted by itself, `admin:write` or `admin` (GoToSocial). */
export function grantedByAnyPrefix(scopes: string[], needed: string): boolean {
  const parts = needed.split(":");
  return parts.some((_, i) => scopes.includes(parts.slice(0, i + 1).join(":")));
}

function parseBody(contentType: string | undefined, raw: string): Body | null {
  if (raw === "") return {};
  if (contentType?.startsWith("application/json")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as Body)
        : null;
    } catch {
      return null;
    }
  }
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return null;
}

export class FakeServer {
  readonly requests: LoggedRequest[] = [];
  readonly #server: http.Server;
  readonly #options: FakeServerOptions;
  #failures: (CountedFault & { status: number })[] = [];
  #throttles: (CountedFault & { retryAfter: string })[] = [];
  #drops: (CountedFault & { afterProcessing: boolean })[] = [];
  #dropWritesAfter: number | null = null;
  #writesAnswered = 0;
  #delayMs = 0;
  #rateLimit: { limit: number; windowMs: number; windowStart: number; used: number } | null = null;
  #beforeHandle: ((request: FakeRequest) => void) | null = null;
  readonly #failingDomains = new Map<string, number>();

  constructor(options: FakeServerOptions) {
    this.#options = options;
    this.#server = http.createServer((req, res) => void this.#serve(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Requests that try to change something (POST, PUT, PATCH, DELETE), answered or not. */
  writeRequests(): LoggedRequest[] {
    return this.requests.filter((request) => isWrite(request.method));
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  /** The next `count` requests (of these methods) answer `status`. */
  failNext(count: number, status = 500, methods?: string[]): void {
    this.#failures.push({ remaining: count, status, methods });
  }

  /**
   * The next `count` requests answer 429 with this Retry-After (seconds or an HTTP date), as
   * GoToSocial and reverse proxies do; Mastodon itself never sends Retry-After (see limitRate).
   */
  throttleNext(count: number, retryAfter: string, methods?: string[]): void {
    this.#throttles.push({ remaining: count, retryAfter, methods });
  }

  /**
   * The next `count` requests (of these methods) lose their connection, before the server acts
   * on them, or after (the client cannot tell whether the write happened).
   */
  dropNext(count: number, options: { methods?: string[]; afterProcessing?: boolean } = {}): void {
    this.#drops.push({
      remaining: count,
      methods: options.methods,
      afterProcessing: options.afterProcessing ?? false,
    });
  }

  /** After `count` more successful writes, every write loses its connection until cleared. */
  dropWritesAfter(count: number): void {
    this.#dropWritesAfter = this.#writesAnswered + count;
  }

  /**
   * Every write whose body names one of these domains answers `status`, until cleared: a few
   * domains that always fail (a server bug, a broken record), while the rest work.
   */
  failDomains(domains: string[], status = 500): void {
    for (const domain of domains) this.#failingDomains.set(domain, status);
  }

  /** Every answer waits this long. */
  slowDown(delayMs: number): void {
    this.#delayMs = delayMs;
  }

  /**
   * Mastodon's rate limiting (rack-attack): X-RateLimit-Limit, -Remaining and -Reset (ISO 8601
   * with microseconds) on every answer; past the limit, 429 `{"error":"Too many requests"}` with
   * those headers (Remaining 0) and no Retry-After.
   */
  limitRate(limit: number, windowMs: number): void {
    this.#rateLimit = { limit, windowMs, windowStart: Date.now(), used: 0 };
  }

  /**
   * Runs before each authorized request is handled, e.g. to let an admin act in the middle of a
   * sync (block a domain just before the sync's POST for it arrives).
   */
  beforeHandle(listener: ((request: FakeRequest) => void) | null): void {
    this.#beforeHandle = listener;
  }

  clearFaults(): void {
    this.#failures = [];
    this.#throttles = [];
    this.#drops = [];
    this.#dropWritesAfter = null;
    this.#delayMs = 0;
    this.#rateLimit = null;
    this.#failingDomains.clear();
  }

  #take<T extends CountedFault>(faults: T[], method: string): T | undefined {
    const fault = faults.find((f) => f.remaining > 0 && (!f.methods || f.methods.includes(method)));
    if (fault) fault.remaining--;
    return fault;
  }

  #rateLimitHeaders(): { headers: Record<string, string>; exceeded: boolean } {
    const limit = this.#rateLimit;
    if (!limit) return { headers: {}, exceeded: false };
    const now = Date.now();
    if (now >= limit.windowStart + limit.windowMs) {
      limit.windowStart = now;
      limit.used = 0;
    }
    limit.used++;
    return {
      headers: {
        "x-ratelimit-limit": String(limit.limit),
        "x-ratelimit-remaining": String(Math.max(0, limit.limit - limit.used)),
        // Ruby's Time#iso8601(6): six fractional digits.
        "x-ratelimit-reset": new Date(limit.windowStart + limit.windowMs)
          .toISOString()
          .replace(/Z$/, "000Z"),
      },
      exceeded: limit.used > limit.limit,
    };
  }

  async #serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const parsed = parseBody(req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
    const logged: LoggedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      body: parsed ?? {},
      status: "dropped",
    };
    this.requests.push(logged);
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));

    const reply = (answer: FakeReply) => {
      logged.status = answer.status;
      if (answer.text !== undefined) {
        res.writeHead(answer.status, {
          "content-type": "text/plain; charset=utf-8",
          ...answer.headers,
        });
        res.end(answer.text);
        return;
      }
      res.writeHead(answer.status, {
        "content-type": "application/json; charset=utf-8",
        ...answer.headers,
      });
      res.end(answer.json === undefined ? "" : JSON.stringify(answer.json));
    };
    const drop = () => {
      logged.status = "dropped";
      req.socket.destroy();
    };

    const writeBlocked =
      isWrite(method) &&
      this.#dropWritesAfter !== null &&
      this.#writesAnswered >= this.#dropWritesAfter;
    const dropFault = this.#take(this.#drops, method);
    if (writeBlocked || (dropFault && !dropFault.afterProcessing)) return drop();
    const rate = this.#rateLimitHeaders();
    if (rate.exceeded) {
      return reply({ status: 429, json: { error: "Too many requests" }, headers: rate.headers });
    }
    const throttle = this.#take(this.#throttles, method);
    if (throttle) {
      return reply({
        status: 429,
        json: { error: "Too many requests" },
        headers: { "retry-after": throttle.retryAfter },
      });
    }
    const failingStatus =
      isWrite(method) && typeof parsed?.domain === "string"
        ? this.#failingDomains.get(parsed.domain)
        : undefined;
    if (failingStatus !== undefined) {
      return reply({ status: failingStatus, json: { error: "Something went wrong on our end" } });
    }
    const failure = this.#take(this.#failures, method);
    if (failure)
      return reply({ status: failure.status, json: { error: "Something went wrong on our end" } });

    const denied = this.#authorize(method, url.pathname, req.headers.authorization);
    if (denied) return reply(denied);
    if (parsed === null) return reply({ status: 415, json: { error: "Unsupported request body" } });

    const request: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parsed,
      origin: `http://${req.headers.host}`,
    };
    this.#beforeHandle?.(request);
    const answer = this.#options.handle(request);
    if (dropFault?.afterProcessing) return drop();
    if (isWrite(method) && answer.status < 400) this.#writesAnswered++;
    reply({ ...answer, headers: { ...rate.headers, ...answer.headers } });
  }

  #authorize(method: string, path: string, authorization: string | undefined): FakeReply | null {
    const scope = this.#options.scopeFor(method, path);
    if (scope === null) return null;
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const scopes = token === undefined ? undefined : this.#options.tokens[token];
    if (!scopes) return { status: 401, json: { error: this.#options.auth.invalidToken } };
    if (!(this.#options.grants ?? grantedByAnyPrefix)(scopes, scope))
      return { status: 403, json: { error: this.#options.auth.missingScope } };
    return null;
  }
}

/** Rails-style boolean casting of a JSON or form value. */
export function castBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  return ["true", "1", "t", "on", "yes"].includes(String(value).toLowerCase());
}

export function castText(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}
