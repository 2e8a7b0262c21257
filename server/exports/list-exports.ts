// Serves a list's exports (SPEC §4). An unchanged export is built once per revision and then
// answered from memory; its ETag is derived from everything that shapes its bytes, so a
// revalidation is answered 304 without building anything.
import { reviewAtOf } from "../reviews/review-dates.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { AppError, notFound } from "../errors.js";
import { atLeast, type Severity } from "../lists/vocabulary.js";
import { ByteCache, type CachedExport } from "./byte-cache.js";
import { isNotModified, strongEtag } from "./conditional.js";
import { encodedExport, etagFor, negotiateCoding, type ContentCoding } from "./encoding.js";
import { PART_ROWS, type ExportQuery } from "./export-query.js";
import { byDomain, render, type ExportFormat, type ExportRow } from "./render.js";

/** An export's answer as data; server/http/export-headers.ts turns it into HTTP headers. */
export interface ExportAnswer {
  status: 200 | 304;
  format: ExportFormat;
  /** The download's name, e.g. `fediblock.part2.csv`. */
  filename: string;
  etag: string;
  /** The HTTP date the content last changed. */
  lastModified: string;
  /** A members-only list's or an instance's feed: never stored by shared caches. */
  isPrivate: boolean;
  /** 200 of a list's export: the revision it shows (a merged feed has none). */
  revision: number | null;
  /** 200: how many parts the export has. */
  parts: number | null;
  /** A merged feed: how many lists it merges (a list's export: null). */
  subscriptions: number | null;
  /** 200: the body's Content-Encoding (null: the plain bytes). */
  encoding: ContentCoding | null;
  body: Buffer | null;
}

/** The answer of a revalidation that matched. */
export function notModifiedAnswer(
  format: ExportFormat,
  filename: string,
  version: Pick<CachedExport, "etag" | "lastModified">,
  isPrivate: boolean,
): ExportAnswer {
  return {
    status: 304,
    format,
    filename,
    etag: version.etag,
    lastModified: version.lastModified,
    isPrivate,
    revision: null,
    parts: null,
    subscriptions: null,
    encoding: null,
    body: null,
  };
}

/** The request headers an export's answer depends on. */
export interface Conditional {
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  /** Chooses the representation (server/exports/encoding.ts), and so the ETag compared. */
  acceptEncoding?: string | undefined;
}

/** The answers of one revision's unfiltered export in one format, built once. */
interface ReadyExport {
  etag: string;
  notModified: ExportAnswer;
  /** The 200, while the byte cache holds this body. */
  ok: ExportAnswer | null;
}

interface ListMeta {
  id: number;
  slug: string;
  visibility: string;
  revision: number;
  revisedAt: Date;
  fetchedAt: number;
  /** By format, and `format.coding` for a compressed representation. */
  ready: Map<string, ReadyExport>;
}

/** How long a list's revision is trusted without asking the database (other processes write too). */
const META_TTL_MS = 1000;
const CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Every entry of the lists, with its tags. Tags are read with a join on the list rather than
 * an IN list of entry ids, which would exceed SQLite's bound-variable limit on large lists.
 */
export async function loadExportRows(
  tx: Tx,
  listIds: number[],
): Promise<(ExportRow & { listId: number })[]> {
  const [entries, tags, lists] = await Promise.all([
    tx.entry.findMany({
      where: { listId: { in: listIds } },
      select: {
        id: true,
        listId: true,
        domain: true,
        severity: true,
        rejectMedia: true,
        rejectReports: true,
        publicComment: true,
        obfuscate: true,
        updatedAt: true,
        reviewedAt: true,
      },
    }),
    tx.entryTag.findMany({
      where: { entry: { listId: { in: listIds } } },
      select: { entryId: true, tag: true },
      orderBy: [{ entryId: "asc" }, { tag: "asc" }],
    }),
    tx.list.findMany({ where: { id: { in: listIds } }, select: { id: true, reviewMonths: true } }),
  ]);
  const reviewMonths = new Map(lists.map((list) => [list.id, list.reviewMonths]));
  const tagsOf = new Map<number, string[]>();
  for (const { entryId, tag } of tags) {
    const list = tagsOf.get(entryId);
    if (list) list.push(tag);
    else tagsOf.set(entryId, [tag]);
  }
  return entries.map((entry) => ({
    listId: entry.listId,
    domain: entry.domain,
    severity: entry.severity as Severity,
    rejectMedia: entry.rejectMedia,
    rejectReports: entry.rejectReports,
    publicComment: entry.publicComment,
    obfuscate: entry.obfuscate,
    tags: tagsOf.get(entry.id) ?? [],
    updatedAt: entry.updatedAt,
    reviewAt: reviewAtOf(entry, reviewMonths.get(entry.listId) ?? null),
  }));
}

export function applyFilters(
  rows: ExportRow[],
  query: Pick<ExportQuery, "minSeverity" | "tags">,
): ExportRow[] {
  return rows.filter(
    (row) =>
      (query.minSeverity === null || atLeast(row.severity, query.minSeverity)) &&
      (query.tags.length === 0 || row.tags.some((tag) => (query.tags as string[]).includes(tag))),
  );
}

export function partOf<T>(rows: T[], part: number | null): { rows: T[]; parts: number } {
  const parts = Math.max(1, Math.ceil(rows.length / PART_ROWS));
  if (part === null) return { rows, parts };
  if (part > parts) {
    throw new AppError(
      404,
      "not_found",
      `There is no part ${part}: this export has ${parts} part(s) of up to ${PART_ROWS} rows.`,
    );
  }
  return { rows: rows.slice((part - 1) * PART_ROWS, part * PART_ROWS), parts };
}

const UNFILTERED: ExportQuery = { minSeverity: null, tags: [], part: null };

function okAnswer(
  format: ExportFormat,
  filename: string,
  item: CachedExport,
  isPrivate: boolean,
): ExportAnswer {
  return {
    status: 200,
    format,
    filename,
    etag: item.etag,
    lastModified: item.lastModified,
    isPrivate,
    revision: item.revision,
    parts: item.parts,
    subscriptions: null,
    encoding: item.encoding ?? null,
    body: item.body,
  };
}

export class ListExports {
  private readonly meta = new Map<string, ListMeta>();
  readonly cache = new ByteCache(CACHE_BYTES);

  constructor(private readonly ctx: AppContext) {
    ctx.events.listChanged.subscribe((listId) => {
      for (const [slug, meta] of this.meta) if (meta.id === listId) this.meta.delete(slug);
    });
  }

  private async listMeta(slug: string): Promise<ListMeta | null> {
    const now = Date.now();
    const known = this.meta.get(slug);
    if (known && now - known.fetchedAt < META_TTL_MS) return known;
    const list = await this.ctx.db.prisma.list.findUnique({
      where: { slug },
      select: { id: true, slug: true, visibility: true, revision: true, revisedAt: true },
    });
    if (!list) {
      this.meta.delete(slug);
      return null;
    }
    const ready = known?.revision === list.revision ? known.ready : new Map();
    const meta = { ...list, fetchedAt: now, ready };
    this.meta.set(slug, meta);
    return meta;
  }

  /**
   * The answer to an anonymous, unfiltered export of a public list, from memory only: the list's
   * revision was read less than META_TTL_MS ago and, for a 200, the export is built. Null
   * otherwise (the caller takes `answer`). The same answer objects are returned until the list
   * changes, so the caller may memoize what it derives from them; nothing is hashed, parsed or
   * allocated per request, which is what keeps a revalidation near nginx's speed (SPEC §9).
   */
  answerFromMemory(
    slug: string,
    format: ExportFormat,
    conditional: Conditional,
  ): ExportAnswer | null {
    const meta = this.meta.get(slug);
    if (!meta || meta.visibility !== "public" || Date.now() - meta.fetchedAt >= META_TTL_MS)
      return null;
    const coding = negotiateCoding(conditional.acceptEncoding);
    const key = coding === null ? format : `${format}.${coding}`;
    let ready = meta.ready.get(key);
    if (!ready) {
      const etag = etagFor(this.etag(meta.id, meta.revision, format, UNFILTERED), coding);
      const lastModified = meta.revisedAt.toUTCString();
      ready = {
        etag,
        notModified: notModifiedAnswer(format, `${slug}.${format}`, { etag, lastModified }, false),
        ok: null,
      };
      meta.ready.set(key, ready);
    }
    if (
      conditional.ifNoneMatch === ready.etag ||
      isNotModified(ready.etag, meta.revisedAt, conditional)
    )
      return ready.notModified;
    const item = this.cache.get(ready.etag);
    if (!item) return null;
    if (ready.ok?.body !== item.body) ready.ok = okAnswer(format, `${slug}.${format}`, item, false);
    return ready.ok;
  }

  /**
   * The list behind another rendering of it (the FIRES documents, server/fires/), with the same
   * rules as an export: unknown, or members-only to an anonymous caller, is a 404.
   */
  async visibleList(
    slug: string,
    signedIn: boolean,
  ): Promise<{ id: number; revision: number; revisedAt: Date; isPrivate: boolean }> {
    const meta = await this.listMeta(slug);
    if (!meta || (meta.visibility !== "public" && !signedIn)) throw notFound(`List ${slug}`);
    return {
      id: meta.id,
      revision: meta.revision,
      revisedAt: meta.revisedAt,
      isPrivate: meta.visibility !== "public",
    };
  }

  /** Whether an export of `slug` needs a signed-in caller (so the fast path must authenticate). */
  async isMembersOnly(slug: string): Promise<boolean> {
    return (await this.listMeta(slug))?.visibility === "members";
  }

  async answer(
    slug: string,
    format: ExportFormat,
    query: ExportQuery,
    signedIn: boolean,
    conditional: Conditional,
  ): Promise<ExportAnswer> {
    const meta = await this.listMeta(slug);
    if (!meta || (meta.visibility !== "public" && !signedIn)) throw notFound(`List ${slug}`);
    const isPrivate = meta.visibility !== "public";
    const filename = `${slug}${query.part ? `.part${query.part}` : ""}.${format}`;
    const coding = negotiateCoding(conditional.acceptEncoding);
    const plainEtag = this.etag(meta.id, meta.revision, format, query);
    const etag = etagFor(plainEtag, coding);
    if (isNotModified(etag, meta.revisedAt, conditional)) {
      const lastModified = meta.revisedAt.toUTCString();
      return notModifiedAnswer(format, filename, { etag, lastModified }, isPrivate);
    }
    let item = this.cache.get(etag);
    if (!item) {
      const plain = this.cache.get(plainEtag) ?? (await this.build(meta, format, query));
      item = coding === null ? plain : await encodedExport(this.cache, plain, coding);
    }
    return okAnswer(format, filename, item, isPrivate);
  }

  private etag(listId: number, revision: number, format: ExportFormat, query: ExportQuery): string {
    return strongEtag([
      "list",
      listId,
      revision,
      format,
      query.minSeverity,
      query.tags,
      query.part,
    ]);
  }

  /** Builds the export from one snapshot, keyed by the revision that snapshot saw. */
  private async build(
    meta: ListMeta,
    format: ExportFormat,
    query: ExportQuery,
  ): Promise<CachedExport> {
    const { list, rows } = await this.ctx.db.snapshot(async (tx) => ({
      list: await tx.list.findUniqueOrThrow({
        where: { id: meta.id },
        select: { revision: true, revisedAt: true },
      }),
      rows: await loadExportRows(tx, [meta.id]),
    }));
    const filtered = applyFilters(rows.sort(byDomain), query);
    const { rows: partRows, parts } = partOf(filtered, query.part);
    const item = {
      etag: this.etag(meta.id, list.revision, format, query),
      body: render(format, partRows),
      lastModified: list.revisedAt.toUTCString(),
      parts,
      revision: list.revision,
    };
    this.cache.set(item.etag, item);
    return item;
  }
}
