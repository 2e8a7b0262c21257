// The merged feed of an instance (SPEC §3, §4): every list it subscribes to, filtered and with
// its excluded domains left out, one row per domain. Where lists disagree on a domain the
// stricter entry wins, in Mastodon's order: suspend > silence > noop, then the reject flags;
// between equally strict entries, the one with a public comment, then the most recently updated.
// The export filters (?min_severity=, ?tag=, ?part=) apply to the merged rows, as to a list's.
//
// Last-Modified must never move backwards while the content changes, or a client revalidating
// with If-Modified-Since alone would be told 304 for a changed feed. The subscriptions that remain
// cannot say when one was removed, so the feed also takes the time of the instance's latest
// subscription change from the audit log (written in the same transaction as every change).
import type { AppContext } from "../context.js";
import type { PrismaClient, Tx } from "../db/client.js";
import { ByteCache, type CachedExport } from "../exports/byte-cache.js";
import { isNotModified, strongEtag } from "../exports/conditional.js";
import { encodedExport, etagFor, negotiateCoding } from "../exports/encoding.js";
import type { ExportQuery } from "../exports/export-query.js";
import {
  applyFilters,
  notModifiedAnswer,
  loadExportRows,
  partOf,
  type Conditional,
  type ExportAnswer,
} from "../exports/list-exports.js";
import { byDomain, render, type ExportFormat, type ExportRow } from "../exports/render.js";
import type { Severity, Tag } from "../lists/vocabulary.js";
import { compareStrictness } from "../lists/vocabulary.js";

const CACHE_BYTES = 32 * 1024 * 1024;

/** The audit actions of subscriptions.service.ts; their subject is the instance's domain. */
const SUBSCRIPTION_CHANGES = [
  "subscription.created",
  "subscription.updated",
  "subscription.deleted",
];

export interface FeedInstance {
  id: number;
  domain: string;
}

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

/** What the feed is made of, and the latest time any of it changed. */
interface FeedState {
  subscriptions: FeedSubscription[];
  changedAt: Date;
}

/**
 * Whether `row` should replace `current` for the same domain: the stricter entry wins; between
 * equally strict ones, the one with a public comment (a voted reason is never dropped for an
 * empty one), then the most recently updated.
 */
function preferOver(row: ExportRow, current: ExportRow): boolean {
  const strictness = compareStrictness(row, current);
  if (strictness !== 0) return strictness > 0;
  const hasReason = (x: ExportRow) => Number(x.publicComment.trim() !== "");
  const byReason = hasReason(row) - hasReason(current);
  if (byReason !== 0) return byReason > 0;
  return row.updatedAt.getTime() > current.updatedAt.getTime();
}

/** Merges rows from several lists: one row per domain, chosen by `preferOver`. */
export function mergeStrictest(rowsByList: ExportRow[][]): ExportRow[] {
  const merged = new Map<string, ExportRow>();
  for (const rows of rowsByList) {
    for (const row of rows) {
      const current = merged.get(row.domain);
      if (!current || preferOver(row, current)) merged.set(row.domain, row);
    }
  }
  return [...merged.values()].sort(byDomain);
}

export class MergedFeeds {
  readonly cache = new ByteCache(CACHE_BYTES);

  constructor(private readonly ctx: AppContext) {}

  private async stateOf(db: Tx | PrismaClient, instance: FeedInstance): Promise<FeedState> {
    const [rows, joined] = await Promise.all([
      db.subscription.findMany({
        where: { instanceId: instance.id },
        include: {
          list: { select: { id: true, slug: true, revision: true, revisedAt: true } },
          tags: true,
          excludes: true,
        },
        orderBy: { listId: "asc" },
      }),
      db.instance.findUnique({
        where: { id: instance.id },
        select: { createdAt: true, accounts: { select: { id: true } } },
      }),
    ]);
    // Only the instance's own accounts change its subscriptions (requireInstance): looking the
    // events up by actor uses the audit log's index, where subject and action alone scan it all.
    const lastChange = await db.auditEvent.findFirst({
      where: {
        actorAccountId: { in: joined?.accounts.map((account) => account.id) ?? [] },
        subject: instance.domain,
        action: { in: SUBSCRIPTION_CHANGES },
      },
      orderBy: { at: "desc" },
      select: { at: true },
    });
    const subscriptions = rows.map((row) => ({
      listId: row.list.id,
      slug: row.list.slug,
      revision: row.list.revision,
      revisedAt: row.list.revisedAt,
      updatedAt: row.updatedAt,
      minSeverity: row.minSeverity as Severity | null,
      tags: row.tags.map((t) => t.tag as Tag).sort(),
      exclude: new Set(row.excludes.map((e) => e.domain)),
    }));
    // An instance that never subscribed has had an empty feed since it joined.
    const changedAt = Math.max(
      joined?.createdAt.getTime() ?? 0,
      lastChange?.at.getTime() ?? 0,
      ...subscriptions.flatMap((s) => [s.revisedAt.getTime(), s.updatedAt.getTime()]),
    );
    return { subscriptions, changedAt: new Date(changedAt) };
  }

  /** The ETag covers everything that shapes the bytes: the lists' revisions, every subscription
   * setting and the export filters. */
  private version(
    instanceId: number,
    format: ExportFormat,
    query: ExportQuery,
    state: FeedState,
  ): { etag: string; lastModified: Date } {
    const etag = strongEtag([
      "merged",
      instanceId,
      format,
      query.minSeverity,
      query.tags,
      query.part,
      state.subscriptions.map((s) => [
        s.listId,
        s.revision,
        s.minSeverity,
        s.tags,
        [...s.exclude].sort(),
      ]),
    ]);
    return { etag, lastModified: state.changedAt };
  }

  async answer(
    instance: FeedInstance,
    format: ExportFormat,
    query: ExportQuery,
    conditional: Conditional,
  ): Promise<ExportAnswer> {
    const state = await this.stateOf(this.ctx.db.prisma, instance);
    const plain = this.version(instance.id, format, query, state);
    const coding = negotiateCoding(conditional.acceptEncoding);
    const current = { ...plain, etag: etagFor(plain.etag, coding) };
    const filename = `subscriptions${query.part ? `.part${query.part}` : ""}.${format}`;
    const at = (version: { etag: string; lastModified: Date }) => ({
      etag: version.etag,
      lastModified: version.lastModified.toUTCString(),
    });
    // How many lists the feed merges: the sync says so when it is none (an empty feed because
    // the instance subscribes to nothing is not an empty list).
    const subscriptions = state.subscriptions.length;
    if (isNotModified(current.etag, current.lastModified, conditional)) {
      return { ...notModifiedAnswer(format, filename, at(current), true), subscriptions };
    }
    // The same bytes can come back (unsubscribe, subscribe again) after a later change: a cached
    // body is served with the current Last-Modified, not the one it was built with.
    const cached = this.cache.get(current.etag) ?? this.cache.get(plain.etag);
    const built = cached
      ? { version: plain, item: cached }
      : await this.build(instance, format, query);
    const item =
      coding === null || built.item.encoding === coding
        ? built.item
        : await encodedExport(this.cache, built.item, coding);
    const version = { ...built.version, etag: item.etag };
    return {
      status: 200,
      format,
      filename,
      ...at(version),
      isPrivate: true,
      revision: null,
      parts: item.parts,
      subscriptions,
      encoding: item.encoding ?? null,
      body: item.body,
    };
  }

  /** Builds the feed from one snapshot, keyed by the version that snapshot saw. */
  private async build(instance: FeedInstance, format: ExportFormat, query: ExportQuery) {
    const { state, rows } = await this.ctx.db.snapshot(async (tx) => {
      const state = await this.stateOf(tx, instance);
      return {
        state,
        rows: await loadExportRows(
          tx,
          state.subscriptions.map((s) => s.listId),
        ),
      };
    });
    const perList = state.subscriptions.map((subscription) =>
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
    const version = this.version(instance.id, format, query, state);
    const item: CachedExport = {
      etag: version.etag,
      body: render(format, partRows),
      lastModified: version.lastModified.toUTCString(),
      parts,
      revision: 0,
    };
    this.cache.set(item.etag, item);
    return { version, item };
  }
}
