// Compressed exports (issue 16): an export answers `Accept-Encoding: br` or `gzip` with its bytes
// compressed once per revision and kept in the same byte cache as the plain bytes, under an ETag
// of their own (`"…-br"`, `"…-gz"`: a strong ETag names one representation's bytes). Every
// export answer says `Vary: Accept-Encoding` (server/http/export-headers.ts).
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { ByteCache, CachedExport } from "./byte-cache.js";

export const CODINGS = ["br", "gzip"] as const;
export type ContentCoding = (typeof CODINGS)[number];

const SUFFIX: Record<ContentCoding, string> = { br: "-br", gzip: "-gz" };

const compressors: Record<ContentCoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: {
        // 9 of 11: within a few % of the smallest, several times faster on a 50,000-row list.
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 9 }),
};

/** Accept-Encoding values seen, and the coding each chose (a client sends the same one each time). */
const negotiated = new Map<string, ContentCoding | null>();
const NEGOTIATED_MAX = 256;

/**
 * The coding to answer with (RFC 9110 §12.5.3): the acceptable one (q > 0) with the highest q,
 * br before gzip at equal q; `*` stands for a coding not named. Null: the plain bytes.
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (acceptEncoding === undefined || acceptEncoding === "") return null;
  const known = negotiated.get(acceptEncoding);
  if (known !== undefined) return known;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...params] = part.split(";").map((piece) => piece.trim());
    if (name === "") continue;
    const q = params.find((param) => param.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(weight) ? weight : 0);
  }
  let chosen: ContentCoding | null = null;
  let best = 0;
  for (const coding of CODINGS) {
    const weight = weights.get(coding) ?? weights.get("*") ?? 0;
    if (weight > best) {
      best = weight;
      chosen = coding;
    }
  }
  if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
  negotiated.set(acceptEncoding, chosen);
  return chosen;
}

/** The ETag of the plain bytes' `coding` representation. */
export function etagFor(plainEtag: string, coding: ContentCoding | null): string {
  return coding === null ? plainEtag : `${plainEtag.slice(0, -1)}${SUFFIX[coding]}"`;
}

const compressing = new Map<string, Promise<CachedExport>>();

/**
 * The plain export's `coding` representation: from the cache, or compressed now (once, however
 * many requests ask at the same time) and cached beside it.
 */
export function encodedExport(
  cache: ByteCache,
  plain: CachedExport,
  coding: ContentCoding,
): Promise<CachedExport> {
  const etag = etagFor(plain.etag, coding);
  const cached = cache.get(etag);
  if (cached) return Promise.resolve(cached);
  let pending = compressing.get(etag);
  if (!pending) {
    pending = compressors[coding](plain.body)
      .then((body) => {
        const item: CachedExport = { ...plain, etag, body, encoding: coding };
        cache.set(etag, item);
        return item;
      })
      .finally(() => compressing.delete(etag));
    compressing.set(etag, pending);
  }
  return pending;
}
