// A bounded in-memory cache of built exports, least recently used out first. Keys include the
// revision, so an entry never goes stale: it just stops being asked for.
import type { ContentCoding } from "./encoding.js";
export interface CachedExport {
  etag: string;
  body: Buffer;
  lastModified: string;
  parts: number;
  revision: number;
  /** The compressed representation's coding (server/exports/encoding.ts); absent: plain bytes. */
  encoding?: ContentCoding;
}

export class ByteCache {
  private readonly items = new Map<string, CachedExport>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedExport | undefined {
    const item = this.items.get(key);
    if (item) {
      this.items.delete(key);
      this.items.set(key, item);
    }
    return item;
  }

  set(key: string, item: CachedExport): void {
    if (item.body.length > this.maxBytes) return;
    const old = this.items.get(key);
    if (old) {
      this.items.delete(key);
      this.bytes -= old.body.length;
    }
    this.items.set(key, item);
    this.bytes += item.body.length;
    for (const [oldest, value] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(oldest);
      this.bytes -= value.body.length;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.items.size, bytes: this.bytes };
  }
}
