// The FIRES provider (SPEC §10; fedimod/fires, docs/subscribers.md): every public list is a
// dataset whose changes are the list's change feed as FIRES records. Documents that follow a
// list's revision (its changes and its snapshot) are built once per revision and kept in the
// exports' byte cache, keyed by a strong ETag of everything that shapes them; the small
// documents (NodeInfo, labels, datasets, one record) are built per request and tagged by a
// hash of their bytes. Members-only lists answer 404 to anonymous callers, as their exports do,
// and no members-only field is ever written into a record.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { notFound } from "../errors.js";
import type { Conditional, ListExports } from "../exports/list-exports.js";
import { isNotModified, strongEtag } from "../exports/conditional.js";
import type { EntrySnapshot } from "../lists/entry-fields.js";
import { packageRoot } from "../paths.js";
import type { FiresRecord } from "./fires.schema.js";
import { FIRES_CONTEXT, xsdDate, type FiresMediaType } from "./jsonld.js";
import { isTag, LABEL_TEXT, LABELS } from "./labels.js";
import { recommendationOf } from "./mapping.js";
import { GENESIS_ID } from "./record-ids.js";

/** Records per page of `…/changes?since=` (fires-server's limit). */
export const PAGE_SIZE = 100;

export const NODEINFO_REL = "http://nodeinfo.diaspora.software/ns/schema/2.1";
const NODEINFO_TYPE =
  'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"';

/** A FIRES document's answer as data; the route turns it into HTTP. */
export interface FiresAnswer {
  status: 200 | 304;
  contentType: string;
  etag: string;
  /** The HTTP date of the list's last change, for documents that follow one. */
  lastModified: string | null;
  /** A members-only list's document: never stored by shared caches. */
  isPrivate: boolean;
  body: Buffer | null;
}

/** The URLs of this provider, all absolute from FEDIBLOCK_PUBLIC_URL. */
export class FiresUrls {
  constructor(private readonly base: string) {}
  get nodeInfo() {
    return `${this.base}/nodeinfo/2.1`;
  }
  get datasets() {
    return `${this.base}/fires/datasets`;
  }
  get labels() {
    return `${this.base}/fires/labels`;
  }
  label(tag: string) {
    return `${this.labels}/${tag}`;
  }
  dataset(slug: string) {
    return `${this.datasets}/${slug}`;
  }
  /** The list's page in the web UI. */
  listPage(slug: string) {
    return `${this.base}/lists/${slug}`;
  }
  changes(slug: string, since?: string) {
    const url = new URL(`${this.dataset(slug)}/changes`);
    if (since !== undefined) url.searchParams.set("since", since);
    return url.href;
  }
  record(slug: string, id: string) {
    return `${this.dataset(slug)}/changes/${id}`;
  }
  snapshot(slug: string) {
    return `${this.dataset(slug)}/snapshot`;
  }
}

interface ChangeRow {
  firesId: string | null;
  action: string;
  domain: string;
  entry: string;
  at: Date;
  comment: string | null;
}

const CHANGE_COLUMNS = {
  firesId: true,
  action: true,
  domain: true,
  entry: true,
  at: true,
  comment: true,
} as const;

/**
 * One change-feed row as a FIRES record: a removal is a `Retraction` with the removal's reason,
 * anything else a `Recommendation` of the entry as it became, with its public comment and its
 * tags as labels. Only public fields are read from the snapshot.
 */
export function recordOf(urls: FiresUrls, slug: string, row: ChangeRow): FiresRecord {
  const common = {
    id: urls.record(slug, row.firesId!),
    published: xsdDate(row.at),
    entityKind: "domain" as const,
    entityKey: row.domain,
  };
  if (row.action === "removed") {
    return { ...common, type: "Retraction", comment: row.comment ?? "" };
  }
  const entry = JSON.parse(row.entry) as EntrySnapshot;
  return {
    ...common,
    type: "Recommendation",
    labels: entry.tags.filter(isTag).map((tag) => urls.label(tag)),
    ...recommendationOf(entry),
    comment: entry.publicComment,
  };
}

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};

type Built = { doc: object; revision: number; revisedAt: Date };

export class FiresDocuments {
  readonly urls: FiresUrls;

  constructor(
    private readonly ctx: AppContext,
    private readonly exports: ListExports,
  ) {
    this.urls = new FiresUrls(ctx.config.publicUrl);
  }

  /** A document built per request, tagged by a hash of its bytes. */
  private small(
    doc: object,
    contentType: string,
    conditional: Conditional,
    isPrivate = false,
  ): FiresAnswer {
    const body = Buffer.from(JSON.stringify(doc));
    const etag = strongEtag(["fires", contentType, body.toString("base64")]);
    const answer = { contentType, etag, lastModified: null, isPrivate };
    if (conditional.ifNoneMatch !== undefined && isNotModified(etag, new Date(0), conditional))
      return { ...answer, status: 304, body: null };
    return { ...answer, status: 200, body };
  }

  nodeInfoDiscovery(conditional: Conditional): FiresAnswer {
    const doc = { links: [{ rel: NODEINFO_REL, href: this.urls.nodeInfo }] };
    return this.small(doc, "application/json; charset=utf-8", conditional);
  }

  nodeInfo(conditional: Conditional): FiresAnswer {
    const doc = {
      version: "2.1",
      software: { name: "fediblock-commons", version },
      protocols: ["fires"],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: {} },
      metadata: { fires: { datasets: this.urls.datasets, labels: this.urls.labels } },
    };
    return this.small(doc, NODEINFO_TYPE, conditional);
  }

  private labelItem(tag: (typeof LABELS)[number]) {
    const { name, summary } = LABEL_TEXT[tag];
    return {
      type: "fires:Label",
      id: this.urls.label(tag),
      context: this.urls.labels,
      name,
      summary,
      nameMap: { en: name },
      summaryMap: { en: summary },
    };
  }

  labels(mediaType: FiresMediaType, conditional: Conditional): FiresAnswer {
    const doc = {
      "@context": FIRES_CONTEXT,
      id: this.urls.labels,
      type: "Collection",
      summary: `Labels from ${this.ctx.config.publicUrl}: the tags of its lists' entries`,
      totalItems: LABELS.length,
      items: LABELS.map((tag) => this.labelItem(tag)),
    };
    return this.small(doc, `${mediaType}; charset=utf-8`, conditional);
  }

  label(tag: string, mediaType: FiresMediaType, conditional: Conditional): FiresAnswer {
    if (!isTag(tag)) throw notFound(`Label ${tag}`);
    const doc = { "@context": FIRES_CONTEXT, ...this.labelItem(tag) };
    return this.small(doc, `${mediaType}; charset=utf-8`, conditional);
  }

  private datasetItem(list: {
    slug: string;
    name: string;
    description: string;
    createdAt: Date;
    updatedAt: Date;
  }) {
    return {
      type: "Dataset",
      id: this.urls.dataset(list.slug),
      url: this.urls.listPage(list.slug),
      name: list.name,
      summary: list.description,
      published: xsdDate(list.createdAt),
      updated: xsdDate(list.updatedAt),
      endpoints: { changes: this.urls.changes(list.slug), snapshot: this.urls.snapshot(list.slug) },
    };
  }

  private static readonly LIST_COLUMNS = {
    slug: true,
    name: true,
    description: true,
    createdAt: true,
    updatedAt: true,
  } as const;

  /** Every public list, members-only ones never (whoever asks). */
  async datasets(mediaType: FiresMediaType, conditional: Conditional): Promise<FiresAnswer> {
    const lists = await this.ctx.db.prisma.list.findMany({
      where: { visibility: "public" },
      select: FiresDocuments.LIST_COLUMNS,
      orderBy: { slug: "asc" },
    });
    const doc = {
      "@context": FIRES_CONTEXT,
      id: this.urls.datasets,
      type: "Collection",
      totalItems: lists.length,
      items: lists.map((list) => this.datasetItem(list)),
    };
    return this.small(doc, `${mediaType}; charset=utf-8`, conditional);
  }

  async dataset(
    slug: string,
    signedIn: boolean,
    mediaType: FiresMediaType,
    conditional: Conditional,
  ): Promise<FiresAnswer> {
    const visible = await this.exports.visibleList(slug, signedIn);
    const list = await this.ctx.db.prisma.list.findUniqueOrThrow({
      where: { id: visible.id },
      select: FiresDocuments.LIST_COLUMNS,
    });
    const doc = { "@context": FIRES_CONTEXT, ...this.datasetItem(list) };
    return this.small(doc, `${mediaType}; charset=utf-8`, conditional, visible.isPrivate);
  }

  async record(
    slug: string,
    id: string,
    signedIn: boolean,
    mediaType: FiresMediaType,
    conditional: Conditional,
  ): Promise<FiresAnswer> {
    const visible = await this.exports.visibleList(slug, signedIn);
    const row = await this.ctx.db.prisma.listChange.findUnique({
      where: { listId_firesId: { listId: visible.id, firesId: id } },
      select: CHANGE_COLUMNS,
    });
    if (!row) throw notFound(`Change ${id} of ${slug}`);
    const doc = { "@context": FIRES_CONTEXT, ...recordOf(this.urls, slug, row) };
    return this.small(doc, `${mediaType}; charset=utf-8`, conditional, visible.isPrivate);
  }

  /** `…/changes` (the collection) or `…/changes?since=ID` (a page of up to PAGE_SIZE after ID). */
  changes(
    slug: string,
    since: string | null,
    signedIn: boolean,
    mediaType: FiresMediaType,
    conditional: Conditional,
  ): Promise<FiresAnswer> {
    return this.perRevision(slug, ["changes", since], signedIn, mediaType, conditional, (tx, id) =>
      this.buildChanges(tx, id, slug, since),
    );
  }

  snapshot(
    slug: string,
    signedIn: boolean,
    mediaType: FiresMediaType,
    conditional: Conditional,
  ): Promise<FiresAnswer> {
    return this.perRevision(slug, ["snapshot"], signedIn, mediaType, conditional, (tx, id) =>
      this.buildSnapshot(tx, id, slug),
    );
  }

  /** A document of one revision of a list: 304 on a match, else from the cache or built once. */
  private async perRevision(
    slug: string,
    key: unknown[],
    signedIn: boolean,
    mediaType: FiresMediaType,
    conditional: Conditional,
    build: (tx: Tx, listId: number) => Promise<object>,
  ): Promise<FiresAnswer> {
    const list = await this.exports.visibleList(slug, signedIn);
    const contentType = `${mediaType}; charset=utf-8`;
    const etagOf = (revision: number) =>
      strongEtag(["fires", list.id, revision, ...key, contentType]);
    const etag = etagOf(list.revision);
    const base = { contentType, isPrivate: list.isPrivate };
    if (isNotModified(etag, list.revisedAt, conditional)) {
      return {
        ...base,
        status: 304,
        etag,
        lastModified: list.revisedAt.toUTCString(),
        body: null,
      };
    }
    let item = this.exports.cache.get(etag);
    if (!item) {
      const built: Built = await this.ctx.db.snapshot(async (tx) => {
        const row = await tx.list.findUniqueOrThrow({
          where: { id: list.id },
          select: { revision: true, revisedAt: true },
        });
        return { ...row, doc: await build(tx, list.id) };
      });
      item = {
        etag: etagOf(built.revision),
        body: Buffer.from(JSON.stringify(built.doc)),
        lastModified: built.revisedAt.toUTCString(),
        parts: 1,
        revision: built.revision,
      };
      this.exports.cache.set(item.etag, item);
    }
    return {
      ...base,
      status: 200,
      etag: item.etag,
      lastModified: item.lastModified,
      body: item.body,
    };
  }

  private async buildChanges(tx: Tx, listId: number, slug: string, since: string | null) {
    const where = { listId, firesId: { not: null } };
    const [total, latest] = await Promise.all([
      tx.listChange.count({ where }),
      tx.listChange.findFirst({ where, orderBy: { firesId: "desc" }, select: { firesId: true } }),
    ]);
    const collection = this.urls.changes(slug);
    const common = {
      "@context": FIRES_CONTEXT,
      dataset: this.urls.dataset(slug),
      totalItems: total,
      first: total > 0 ? this.urls.changes(slug, GENESIS_ID) : undefined,
    };
    const last = latest?.firesId ? this.urls.changes(slug, latest.firesId) : undefined;
    if (since === null) {
      // `next` is `first`, as fires-server answers it, for consumers that follow `next` only.
      return { id: collection, type: "OrderedCollection", ...common, last, next: common.first };
    }
    const rows = await tx.listChange.findMany({
      where: { listId, firesId: { gt: since } },
      orderBy: { firesId: "asc" },
      take: PAGE_SIZE,
      select: CHANGE_COLUMNS,
    });
    // The next page starts after this page's last record, never after the record that follows
    // it (fires-server's `changes.at(limit)`, which a consumer would then skip).
    const lastOfPage = rows.at(-1)?.firesId;
    return {
      id: this.urls.changes(slug, since),
      type: "OrderedCollectionPage",
      partOf: collection,
      ...common,
      last: rows.length === 0 ? undefined : last,
      next: lastOfPage ? this.urls.changes(slug, lastOfPage) : undefined,
      orderedItems: rows.map((row) => recordOf(this.urls, slug, row)),
    };
  }

  /** The latest record of every domain the list ever had, newest first. */
  private async buildSnapshot(tx: Tx, listId: number, slug: string) {
    const rows = await tx.listChange.findMany({
      where: { listId, firesId: { not: null } },
      orderBy: { firesId: "asc" },
      select: CHANGE_COLUMNS,
    });
    const latest = new Map<string, ChangeRow>();
    for (const row of rows) {
      latest.delete(row.domain);
      latest.set(row.domain, row);
    }
    const records = [...latest.values()].reverse();
    const newest = records[0];
    return {
      "@context": FIRES_CONTEXT,
      id: this.urls.snapshot(slug),
      type: "Collection",
      summary: `The latest record of every domain of the list ${slug}`,
      dataset: this.urls.dataset(slug),
      totalItems: records.length,
      updated: newest ? xsdDate(newest.at) : undefined,
      changes: newest ? this.urls.changes(slug, newest.firesId!) : undefined,
      orderedItems: records.map((row) => recordOf(this.urls, slug, row)),
    };
  }
}
