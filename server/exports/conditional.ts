// HTTP conditional requests (RFC 9110 §13): If-None-Match with weak comparison, and
// If-Modified-Since when there is no If-None-Match.
import { createHash } from "node:crypto";

export function strongEtag(parts: unknown[]): string {
  return `"${createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 32)}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

export function isNotModified(
  etag: string,
  lastModified: Date,
  headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined },
): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const value = headers.ifNoneMatch.trim();
    return value === "*" || value.split(",").some((tag) => opaque(tag) === etag);
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
