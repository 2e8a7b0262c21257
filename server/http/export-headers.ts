// The one place an export's answer becomes HTTP headers, for the fast path
// (server/http/fast-exports.ts) and the Express routes (list exports, the merged feed).
// `Vary: Accept-Encoding` on every answer, 304 included: the ETag depends on it.
import type { ExportAnswer } from "../exports/list-exports.js";
import { CONTENT_TYPES } from "../exports/render.js";

export function exportHeaders(answer: ExportAnswer): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": CONTENT_TYPES[answer.format],
    "Content-Disposition": `attachment; filename="${answer.filename}"`,
    ETag: answer.etag,
    "Last-Modified": answer.lastModified,
    "Cache-Control": answer.isPrivate ? "private, no-cache" : "public, max-age=60",
  };
  // The answer depends on Accept-Encoding whichever coding it has (server/exports/encoding.ts).
  headers.Vary = answer.isPrivate ? "Authorization, Cookie, Accept-Encoding" : "Accept-Encoding";
  if (answer.status === 200 && answer.encoding !== null)
    headers["Content-Encoding"] = answer.encoding;
  if (answer.subscriptions !== null)
    headers["Fediblock-Subscriptions"] = String(answer.subscriptions);
  if (answer.status === 200) {
    if (answer.revision !== null) headers["Fediblock-Revision"] = String(answer.revision);
    if (answer.parts !== null) headers["Fediblock-Parts"] = String(answer.parts);
  }
  return headers;
}
