// One HTTP client per server the sync talks to: a bearer token, a timeout per request, retries
// with exponential backoff on 5xx answers, timeouts and dropped connections, and patience with
// rate limits (a 429 waits for its `Retry-After`, or else for its `X-RateLimit-Reset`, which is
// all Mastodon sends; when `X-RateLimit-Remaining` reaches 0 the next request waits for
// `X-RateLimit-Reset`), so a large first sync waits rather than fails.
import { exhaustedUntil, parseRateLimitReset, parseRetryAfter } from "./rate-limit.js";
import { BodyTooLargeError, send, type ResponseHeaders } from "./transport.js";

/**
 * The whole run's budget for waiting (--max-wait), shared by the clients of one run: rate
 * limits and retry backoffs draw on it, and a wait that would overdraw it fails at once.
 */
export class WaitBudget {
  remainingMs: number;
  readonly totalMs: number;

  constructor(totalMs: number) {
    this.totalMs = totalMs;
    this.remainingMs = totalMs;
  }
}

/** A wait the run's --max-wait budget cannot pay for: the run stops and saves its plan. */
export class WaitBudgetError extends Error {
  constructor(ms: number, budget: WaitBudget, reason: string) {
    super(
      `${reason}: waiting ${Math.ceil(ms / 1000)} s more would pass the run's waiting budget of ${Math.round(budget.totalMs / 1000)} s (--max-wait)`,
    );
    this.name = "WaitBudgetError";
  }
}

export interface HttpSettings {
  timeoutMs: number;
  /** Retries of one request after a 5xx answer, a timeout or a connection error. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest single wait for a rate limit; a server asking for more fails the request. */
  maxWaitMs: number;
  /** How many 429 answers one request tolerates. */
  throttleRetries: number;
  /** The largest answer accepted (BodyTooLargeError beyond it)... */
  maxBodyBytes: number;
  /** ...except the feed, which may be this large. */
  maxFeedBytes: number;
  /** The run's total waiting budget; none: unlimited. */
  budget?: WaitBudget;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  onWait?: (ms: number, reason: string) => void;
}

/** A page of domain blocks is a few hundred kB at most; a feed of 100 000 entries ~25 MB. */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
export const MAX_FEED_BYTES = 64 * 1024 * 1024;

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  timeoutMs: 30_000,
  retries: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxWaitMs: 15 * 60_000,
  throttleRetries: 10,
  maxBodyBytes: MAX_PAGE_BYTES,
  maxFeedBytes: MAX_FEED_BYTES,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

export interface RequestOptions {
  token: string;
  json?: unknown;
  headers?: Record<string, string>;
  /** The feed: maxFeedBytes applies instead of maxBodyBytes. */
  feed?: boolean;
}

/** The server answered with an error status (after any retries). */
export class HttpError extends Error {
  readonly method: string;
  readonly url: URL;
  readonly status: number;
  readonly body: string;

  constructor(
    method: string,
    url: URL,
    status: number,
    body: string,
    location: string | null = null,
  ) {
    const redirect = location === null ? "" : `: redirected to ${location}; use that URL instead`;
    super(`${method} ${url.pathname} answered ${status}${redirect || explain(body)}`);
    this.name = "HttpError";
    this.method = method;
    this.url = url;
    this.status = status;
    this.body = body;
  }

  json(): unknown {
    try {
      return JSON.parse(this.body);
    } catch {
      return undefined;
    }
  }

  get refusedCredentials(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** No answer at all: timeouts or connection errors on every attempt. */
export class ConnectionError extends Error {
  readonly method: string;
  readonly url: URL;

  constructor(method: string, url: URL, attempts: number, cause: unknown) {
    super(
      `${method} ${url.pathname} got no answer after ${attempts} attempts (${describe(cause)})`,
      {
        cause,
      },
    );
    this.name = "ConnectionError";
    this.method = method;
    this.url = url;
  }
}

/** The error text of a JSON error body (Mastodon `error`, problem+json `detail`/`title`). */
function explain(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object") {
      const { error, detail, title } = parsed as Record<string, unknown>;
      // Misskey nests its error: {error: {code, message}}.
      if (error && typeof error === "object") {
        const { code, message } = error as Record<string, unknown>;
        if (typeof message === "string")
          return `: ${typeof code === "string" ? `${code}: ` : ""}${message}`;
      }
      const text = [error, detail, title].find((value) => typeof value === "string");
      if (typeof text === "string") return `: ${text}`;
    }
  } catch {
    // not JSON: say nothing more
  }
  return "";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class HttpClient {
  readonly #settings: HttpSettings;
  #resumeAt = 0;
  /** The last X-RateLimit-Remaining and X-RateLimit-Reset seen, for `reserve`. */
  #remaining: number | null = null;
  #resetAt: number | null = null;

  constructor(settings: Partial<HttpSettings> = {}) {
    this.#settings = { ...DEFAULT_HTTP_SETTINGS, ...settings };
  }

  /**
   * Answers 2xx and 304; throws HttpError for other statuses (redirects included: the token is
   * never sent on to another URL) or ConnectionError.
   */
  async request(method: string, url: URL, options: RequestOptions): Promise<HttpResponse> {
    const { retries, throttleRetries, maxWaitMs, timeoutMs, now } = this.#settings;
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${options.token}`,
      "user-agent": "fediblock-sync",
      ...options.headers,
    };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    let failures = 0;
    let throttles = 0;
    for (;;) {
      await this.#waitForRateLimit(url);
      let response: HttpResponse;
      try {
        response = await send(
          method,
          url,
          headers,
          body,
          timeoutMs,
          options.feed ? this.#settings.maxFeedBytes : this.#settings.maxBodyBytes,
        );
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw error;
        if (failures >= retries) throw new ConnectionError(method, url, failures + 1, error);
        await this.#backoff(failures++, `${method} ${url.pathname}: ${describe(error)}`);
        continue;
      }
      this.#observe(response.headers);

      if (response.status === 429) {
        const ms =
          parseRetryAfter(response.headers.get("retry-after"), now()) ??
          untilReset(response.headers, now()) ??
          this.#delay(throttles);
        if (++throttles > throttleRetries || ms > maxWaitMs) {
          throw new HttpError(method, url, response.status, response.body);
        }
        await this.#wait(ms, `${url.host} asked to slow down (429)`);
        continue;
      }
      if (response.status >= 500 && failures < retries) {
        await this.#backoff(failures++, `${method} ${url.pathname} answered ${response.status}`);
        continue;
      }
      if (response.status >= 300 && response.status !== 304) {
        throw new HttpError(
          method,
          url,
          response.status,
          response.body,
          response.headers.get("location"),
        );
      }
      return response;
    }
  }

  /**
   * Makes sure `requests` more requests fit in the server's current rate-limit window, as far as
   * its last X-RateLimit-* headers tell: otherwise waits for the window's reset first, so that
   * a group of requests that must follow each other closely (a deletion and the creates it
   * uncovers) is not split by a rate-limit wait.
   */
  async reserve(requests: number, host: string): Promise<void> {
    const { now } = this.#settings;
    if (this.#remaining === null || this.#resetAt === null || this.#remaining >= requests) return;
    const ms = this.#resetAt - now();
    this.#remaining = null;
    if (ms > 0) {
      await this.#wait(
        Math.min(ms, this.#settings.maxWaitMs),
        `keeping ${requests} requests of ${host}'s rate limit together`,
      );
    }
  }

  #observe(headers: ResponseHeaders): void {
    const now = this.#settings.now();
    const until = exhaustedUntil(headers, now);
    if (until !== null) this.#resumeAt = until;
    const remaining = headers.get("x-ratelimit-remaining");
    this.#remaining =
      remaining !== null && /^\d+$/.test(remaining.trim()) ? Number(remaining) : null;
    this.#resetAt = parseRateLimitReset(headers.get("x-ratelimit-reset"), now);
  }

  async #waitForRateLimit(url: URL): Promise<void> {
    const ms = this.#resumeAt - this.#settings.now();
    this.#resumeAt = 0;
    if (ms > 0) {
      await this.#wait(Math.min(ms, this.#settings.maxWaitMs), `rate limit of ${url.host} reached`);
    }
  }

  #delay(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.#settings;
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    // Jitter, so that many cron jobs hitting one list server do not retry in lockstep.
    return Math.round(exponential * (0.5 + Math.random() / 2));
  }

  async #backoff(attempt: number, reason: string): Promise<void> {
    await this.#wait(this.#delay(attempt), `${reason}; retrying`);
  }

  async #wait(ms: number, reason: string): Promise<void> {
    const { budget } = this.#settings;
    if (budget) {
      if (ms > budget.remainingMs) throw new WaitBudgetError(ms, budget, reason);
      budget.remainingMs -= ms;
    }
    this.#settings.onWait?.(ms, reason);
    await this.#settings.sleep(ms);
  }
}

/**
 * Milliseconds until the `X-RateLimit-Reset` a 429 named; null without one, or when it has passed
 * by our clock (the servers' clocks disagree: back off instead of asking again at once).
 */
function untilReset(headers: ResponseHeaders, now: number): number | null {
  const reset = parseRateLimitReset(headers.get("x-ratelimit-reset"), now);
  return reset === null || reset <= now ? null : reset - now;
}

/** `path` (relative, no leading slash) under `base`, keeping any path prefix `base` has. */
export function endpoint(base: URL, path: string): URL {
  const prefix = base.pathname.endsWith("/") ? base : new URL(`${base.pathname}/`, base);
  return new URL(path, prefix);
}
