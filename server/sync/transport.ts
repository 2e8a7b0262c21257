// One HTTP exchange over node:http/node:https. Not global fetch: loading undici and compiling
// its WebAssembly parser costs more CPU than the rest of a no-op sync (bench/sync-startup.ts).
import http from "node:http";
import https from "node:https";

export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** The answer grew past the size the caller accepts; the connection is closed at once. */
export class BodyTooLargeError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
    this.limit = limit;
  }
}

function readHeaders(headers: http.IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * Sends one request; rejects on connection errors, early closes, after `timeoutMs` in all, and
 * with BodyTooLargeError as soon as the answer passes `maxBytes`.
 */
export function send(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  maxBytes = Infinity,
): Promise<RawResponse> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing =
      body === undefined
        ? headers
        : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const request = client.request(url, { method, headers: outgoing }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const tooLarge = () => {
        fail(new BodyTooLargeError(maxBytes));
        response.destroy();
        request.destroy();
      };
      if (Number(response.headers["content-length"] ?? 0) > maxBytes) return tooLarge();
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return tooLarge();
        chunks.push(chunk);
      });
      response.on("error", fail);
      response.on("close", () => {
        if (settled) return;
        if (!response.complete)
          return fail(new Error("the connection closed before the answer was complete"));
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: readHeaders(response.headers),
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError(timeoutMs)), timeoutMs);
    request.on("error", fail);
    request.end(body);

    let settled = false;
    function fail(error: Error) {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(error);
    }
  });
}
