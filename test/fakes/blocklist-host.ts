// A web server that hosts a blocklist file the way a static host does (nginx, GitHub's raw
// files, a Garden Fence or IFTAS DNI download): a strong ETag of the bytes and a Last-Modified,
// 304 to a matching If-None-Match or to an If-Modified-Since not older than the file (nginx's
// `ngx_http_not_modified_filter`: If-None-Match wins when both are sent). Tests replace the file,
// or make the server answer an error status, for the next requests.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface HostedRequest {
  path: string;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  status: number;
}

export class BlocklistHost {
  readonly requests: HostedRequest[] = [];
  readonly #server = http.createServer((req, res) => this.#serve(req, res));
  #body = "";
  #contentType = "text/csv; charset=utf-8";
  #modified = new Date("2026-01-01T00:00:00Z");
  #status: number | null = null;
  #validators = true;

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The URL of the hosted file. */
  url(path = "/blocklist.csv"): string {
    return `${this.origin}${path}`;
  }

  /** Replaces the file; its Last-Modified moves one minute on. */
  serve(body: string, contentType = "text/csv; charset=utf-8"): void {
    this.#body = body;
    this.#contentType = contentType;
    this.#modified = new Date(this.#modified.getTime() + 60_000);
  }

  /** Every request answers `status` (null: the file again). */
  failWith(status: number | null): void {
    this.#status = status;
  }

  /** Whether ETag and Last-Modified are sent (a host that sends neither is polled in full). */
  sendValidators(on: boolean): void {
    this.#validators = on;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const etag = `"${createHash("sha256").update(this.#body).digest("hex").slice(0, 16)}"`;
    const lastModified = this.#modified.toUTCString();
    const ifNoneMatch = req.headers["if-none-match"];
    const ifModifiedSince = req.headers["if-modified-since"];
    const log = (status: number) =>
      this.requests.push({ path: req.url ?? "/", ifNoneMatch, ifModifiedSince, status });
    if (this.#status !== null) {
      log(this.#status);
      res.writeHead(this.#status, { "content-type": "text/plain" });
      res.end("Something went wrong");
      return;
    }
    const validators = this.#validators ? { etag, "last-modified": lastModified } : {};
    const notModified =
      this.#validators &&
      (ifNoneMatch !== undefined
        ? ifNoneMatch === etag
        : ifModifiedSince !== undefined &&
          new Date(ifModifiedSince).getTime() >=
            Math.floor(this.#modified.getTime() / 1000) * 1000);
    if (notModified) {
      log(304);
      res.writeHead(304, validators);
      res.end();
      return;
    }
    log(200);
    res.writeHead(200, { "content-type": this.#contentType, ...validators });
    res.end(this.#body);
  }
}
