// A tiny fake of the list server's merged feed, GET /api/v1/subscriptions/export.json: bearer
// or Basic (token as password) authentication, a strong ETag, 304 to a matching If-None-Match,
// 401 as problem+json, and switches for outages and broken bodies.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FeedEntry {
  domain: string;
  severity: "suspend" | "silence" | "noop";
  reject_media: boolean;
  reject_reports: boolean;
  public_comment: string;
  obfuscate: boolean;
  tags: string[];
  updated_at: string;
}

export const FEED_TOKEN = "fbk_1_feedsecret";
export const FEED_PATH = "/api/v1/subscriptions/export.json";

export function feedEntry(domain: string, fields: Partial<FeedEntry> = {}): FeedEntry {
  return {
    domain,
    severity: "suspend",
    reject_media: false,
    reject_reports: false,
    public_comment: "",
    obfuscate: false,
    tags: [],
    updated_at: "2025-01-01T00:00:00.000Z",
    ...fields,
  };
}

export interface FeedRequest {
  path: string;
  ifNoneMatch: string | undefined;
  status: number;
}

export class FakeFeed {
  readonly requests: FeedRequest[] = [];
  #body = "[]";
  #etag = "";
  #lastModified = "";
  /** When set, every request answers this instead of the feed. */
  #outage: { status: number; body: string } | null = null;
  readonly #server = http.createServer((req, res) => this.#serve(req, res));

  constructor(entries: FeedEntry[] = []) {
    this.setEntries(entries);
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

  setEntries(entries: FeedEntry[]): void {
    const sorted = [...entries].sort((a, b) => (a.domain < b.domain ? -1 : 1));
    this.setBody(JSON.stringify(sorted));
  }

  /** Serves exactly these bytes (for invalid feeds). */
  setBody(body: string): void {
    this.#body = body;
    this.#etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
    this.#lastModified = new Date().toUTCString();
  }

  /** Every request answers `status` with `body` until restore(). */
  breakDown(status = 503, body = '{"title":"Service Unavailable"}'): void {
    this.#outage = { status, body };
  }

  restore(): void {
    this.#outage = null;
  }

  #authorized(header: string | undefined): boolean {
    if (header?.startsWith("Bearer ")) return header.slice(7) === FEED_TOKEN;
    if (header?.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      return decoded.slice(decoded.indexOf(":") + 1) === FEED_TOKEN;
    }
    return false;
  }

  #serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const ifNoneMatch = req.headers["if-none-match"];
    const answer = (status: number, headers: Record<string, string>, body = "") => {
      this.requests.push({ path, ifNoneMatch, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (this.#outage) {
      return answer(this.#outage.status, { "content-type": "application/json" }, this.#outage.body);
    }
    if (req.method !== "GET" || path !== FEED_PATH) {
      return answer(
        404,
        { "content-type": "application/problem+json" },
        problem(404, "not_found", "No such export."),
      );
    }
    if (!this.#authorized(req.headers.authorization)) {
      return answer(
        401,
        {
          "content-type": "application/problem+json",
          "www-authenticate": 'Bearer realm="fediblock"',
        },
        problem(401, "unauthenticated", "Sign in or send a valid API token."),
      );
    }
    const validators = { etag: this.#etag, "last-modified": this.#lastModified };
    if (ifNoneMatch === this.#etag) return answer(304, validators);
    answer(200, { "content-type": "application/json; charset=utf-8", ...validators }, this.#body);
  }
}

function problem(status: number, code: string, detail: string): string {
  const title = http.STATUS_CODES[status] ?? "Error";
  return JSON.stringify({
    type: `https://fediblock.example/problems/${code}`,
    title,
    status,
    detail,
    code,
  });
}

export async function startFakeFeed(entries: FeedEntry[] = []): Promise<FakeFeed> {
  const feed = new FakeFeed(entries);
  await feed.listen();
  return feed;
}
