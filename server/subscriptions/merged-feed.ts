// The merged feed of an instance (SPEC §3, §4): every list it subscribes to, filtered and with
// its excluded domains left out, one row per domain. Where lists disagree on a domain the
// stricter entry wins, in Mastodon's order: suspend > silence > noop, then the reject flags.
// The export filters (?min_severity=, ?tag=, ?part=) apply to the merged rows, as to a list's.
import type { AppContext } from "../context.js";
import type { PrismaClient, Tx } from "../db/client.js";
import { ByteCache } from "../exports/byte-cache.js";
import { isNotModified, strongEtag } from "../exports/conditional.js";
import type { ExportQuery } from "../exports/export-query.js";
import {
  applyFilters,
  exportHeaders,
  loadExportRows,
  partOf,
  type Conditional,
  type ExportAnswer,
} from "../exports/list-exports.js";
import { byDomain, render, type ExportFormat, type ExportRow } from "../exports/render.js";
import type { Severity, Tag } from "../lists/vocabulary.js";
import { compareStrictness } from "../lists/vocabulary.js";

const CACHE_BYTES = 32 * 1024 * 1024;

interface FeedSubscription {
  listId: number;
  slug: string;
  revision: number;
  revisedAt: Date;
  updatedAt: Date;
  minSeverity: Severity | null;
  tags: Tag[];
  exclude: Set<string>;
}

/** Merges rows from several lists: the stricter entry for each domain wins. */
export function mergeStrictest(rowsByList: ExportRow[][]): ExportRow[] {
  const merged = new Map<string, ExportRow>();
  for (const rows of rowsByList) {
    for (const row of rows) {
      const current = merged.get(row.domain);
      if (!current || compareStrictness(row, current) > 0) merged.set(row.domain, row);
    }
  }
  return [...merged.values()].sort(byDomain);
}

export class MergedFeeds {
  readonly cache = new ByteCache(CACHE_BYTES);

  constructor(private readonly ctx: AppContext) {}

  private async subscriptionsOf(
    db: Tx | PrismaClient,
    instanceId: number,
  ): Promise<FeedSubscription[]> {
    const rows = await db.subscription.findMany({
      where: { instanceId },
      include: {
        list: { select: { id: true, slug: true, revision: true, revisedAt: true } },
        tags: true,
        excludes: true,
      },
      orderBy: { listId: "asc" },
    });
    return rows.map((row) => ({
      listId: row.list.id,
      slug: row.list.slug,
      revision: row.list.revision,
      revisedAt: row.list.revisedAt,
      updatedAt: row.updatedAt,
      minSeverity: row.minSeverity as Severity | null,
      tags: row.tags.map((t) => t.tag as Tag).sort(),
      exclude: new Set(row.excludes.map((e) => e.domain)),
    }));
  }

  /** Everything that shapes the bytes: the lists' revisions, every subscription setting and the
   * export filters. */
  private version(
    instanceId: number,
    format: ExportFormat,
    query: ExportQuery,
    subscriptions: FeedSubscription[],
  ) {
    const etag = strongEtag([
      "merged",
      instanceId,
      format,
      query.minSeverity,
      query.tags,
      query.part,
      subscriptions.map((s) => [
        s.listId,
        s.revision,
        s.minSeverity,
        s.tags,
        [...s.exclude].sort(),
      ]),
    ]);
    const lastModified = new Date(
      Math.max(0, ...subscriptions.flatMap((s) => [s.revisedAt.getTime(), s.updatedAt.getTime()])),
    );
    return { etag, lastModified };
  }

  async answer(
    instanceId: number,
    format: ExportFormat,
    query: ExportQuery,
    conditional: Conditional,
  ): Promise<ExportAnswer> {
    const current = this.version(
      instanceId,
      format,
      query,
      await this.subscriptionsOf(this.ctx.db.prisma, instanceId),
    );
    const filename = `subscriptions${query.part ? `.part${query.part}` : ""}.${format}`;
    const headersFor = (version: { etag: string; lastModified: Date }) =>
      exportHeaders(
        format,
        filename,
        { etag: version.etag, lastModified: version.lastModified.toUTCString() },
        true,
      );
    if (isNotModified(current.etag, current.lastModified, conditional)) {
      return { status: 304, headers: headersFor(current), body: null };
    }
    const item = this.cache.get(current.etag) ?? (await this.build(instanceId, format, query));
    return {
      status: 200,
      headers: {
        ...headersFor({ etag: item.etag, lastModified: new Date(item.lastModified) }),
        "Fediblock-Parts": String(item.parts),
      },
      body: item.body,
    };
  }

  /** Builds the feed from one snapshot, keyed by the version that snapshot saw. */
  private async build(instanceId: number, format: ExportFormat, query: ExportQuery) {
    const { subscriptions, rows } = await this.ctx.db.snapshot(async (tx) => {
      const subscriptions = await this.subscriptionsOf(tx, instanceId);
      return {
        subscriptions,
        rows: await loadExportRows(
          tx,
          subscriptions.map((s) => s.listId),
        ),
      };
    });
    const perList = subscriptions.map((subscription) =>
      applyFilters(
        rows.filter(
          (row) => row.listId === subscription.listId && !subscription.exclude.has(row.domain),
        ),
        { minSeverity: subscription.minSeverity, tags: subscription.tags },
      ),
    );
    // Filtered after the merge: each row is the one the unfiltered feed has for its domain.
    const { rows: partRows, parts } = partOf(
      applyFilters(mergeStrictest(perList), query),
      query.part,
    );
    const version = this.version(instanceId, format, query, subscriptions);
    const item = {
      etag: version.etag,
      body: render(format, partRows),
      lastModified: version.lastModified.toUTCString(),
      parts,
      revision: 0,
    };
    this.cache.set(item.etag, item);
    return item;
  }
}
