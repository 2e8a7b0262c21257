// A fake FIRES provider, written from fires-server's source at fedimod/fires commit
// ae42b9540b14ef0ed91b95e2f987b68a2df5942d (server 0.8.x): start/routes/protocol.ts (the routes,
// ids matched as UUIDs), app/controllers/well-known/nodeinfo_controller.ts,
// app/controllers/datasets_controller.ts, app/controllers/datasets/changes_controller.ts and
// snapshots_controller.ts, app/serializers/{dataset,change,snapshot}_serializer.ts,
// app/utils/jsonld.ts, app/validators/dataset_changes.ts and app/models/dataset_change.ts, and
// docs/reference/protocol/. What it reproduces, surprises included:
// - `application/ld+json` when the Accept header starts with it, else `application/json`.
// - Change ids are UUIDv7, ascending in the order the changes were written; `?since=` must be a
//   UUIDv7 (a 400 `{"error":"Malformed request","validation":[…]}` otherwise).
// - Without `since` the changes endpoint answers the OrderedCollection (`first` = since the
//   genesis id 00000000-0000-7000-a000-000000000000 when there is any change, `last` = since the
//   latest), with no items. With `since`: an OrderedCollectionPage of at most 100 records after
//   it, `partOf`, and a `next` built from the 101st record when there is one — so following
//   `next` skips that record (`since` is exclusive) — else from the page's last record. A page
//   asked since the latest record is empty and has no `last`.
// - A Recommendation carries `entityKind`, `entityKey`, `labels` (URLs), `recommendedPolicy`,
//   `recommendedFilters`; a Retraction only `entityKind` and `entityKey` (its `comment` is a
//   TODO in the serializer, though the protocol documents it). `comments: true` makes the fake
//   send `comment` on every record, as the protocol reference describes (and as our own provider
//   does).
// - Dates are `yyyy-MM-ddTHH:mm:ssZ`; the snapshot is the latest record per entity, newest first.
import http from "node:http";
import type { AddressInfo } from "node:net";

export const JSON_LD_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://fires.fedimod.org/context/fires.jsonld",
];
export const GENESIS_ID = "00000000-0000-7000-a000-000000000000";
const PAGE_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export type FiresPolicy = "accept" | "filter" | "reject" | "drop";
type ChangeType = "advisory" | "recommendation" | "retraction" | "tombstone";

interface Change {
  id: string;
  type: ChangeType;
  entityKind: "domain" | "actor";
  entityKey: string;
  labels: string[];
  recommendedPolicy?: FiresPolicy;
  recommendedFilters: string[];
  comment: string;
  createdAt: Date;
}

interface Dataset {
  id: string;
  slug: string;
  name: string;
  summary: string;
  createdAt: Date;
  changes: Change[];
}

const TYPE_NAMES: Record<ChangeType, string> = {
  recommendation: "Recommendation",
  advisory: "Advisory",
  retraction: "Retraction",
  tombstone: "Tombstone",
};

/** `yyyy-MM-dd'T'HH:mm:ss'Z'` (XSDDateFormat). */
const xsdDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export class FakeFires {
  readonly requests: { path: string; since: string | null; accept: string | undefined }[] = [];
  readonly #server = http.createServer((req, res) => this.#serve(req, res));
  readonly #datasets: Dataset[] = [];
  readonly #comments: boolean;
  #clock = Date.parse("2026-01-01T00:00:00Z");
  #sequence = 0;
  #failing: number | null = null;

  constructor(options: { comments?: boolean } = {}) {
    this.#comments = options.comments ?? false;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Every request answers `status` (null: normal service again). */
  failWith(status: number | null): void {
    this.#failing = status;
  }

  createDataset(name: string, summary = ""): string {
    const id = this.#uuid(4);
    this.#datasets.push({
      id,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      name,
      summary,
      createdAt: new Date(this.#clock),
      changes: [],
    });
    return id;
  }

  datasetUrl(id: string): string {
    return `${this.origin}/datasets/${id}`;
  }

  /** A Recommendation for a domain; answers its change id. */
  recommend(
    datasetId: string,
    domain: string,
    policy: FiresPolicy,
    options: { filters?: string[]; comment?: string; labels?: string[] } = {},
  ): string {
    return this.#write(datasetId, {
      type: "recommendation",
      entityKind: "domain",
      entityKey: domain,
      labels: options.labels ?? [],
      recommendedPolicy: policy,
      recommendedFilters: options.filters ?? [],
      comment: options.comment ?? "",
    });
  }

  retract(datasetId: string, domain: string, comment = ""): string {
    return this.#write(datasetId, {
      type: "retraction",
      entityKind: "domain",
      entityKey: domain,
      labels: [],
      recommendedFilters: [],
      comment,
    });
  }

  /** An Advisory (early notice, not a recommendation) or an actor's record. */
  advise(datasetId: string, key: string, entityKind: "domain" | "actor" = "domain"): string {
    return this.#write(datasetId, {
      type: "advisory",
      entityKind,
      entityKey: key,
      labels: [],
      recommendedFilters: [],
      comment: "",
    });
  }

  #write(datasetId: string, change: Omit<Change, "id" | "createdAt">): string {
    const dataset = this.#dataset(datasetId)!;
    this.#clock += 1000;
    const id = this.#uuid(7);
    dataset.changes.push({ ...change, id, createdAt: new Date(this.#clock) });
    return id;
  }

  /** A UUID; version 7 ids grow with the fake's clock and a sequence within it. */
  #uuid(version: 4 | 7): string {
    this.#sequence += 1;
    const time = version === 7 ? this.#clock.toString(16).padStart(12, "0") : "0".repeat(12);
    const sequence = this.#sequence.toString(16).padStart(15, "0");
    const hex = `${time}${version}${sequence.slice(0, 3)}a${sequence.slice(3, 6)}${sequence.slice(6).padStart(12, "0")}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  #dataset(id: string): Dataset | undefined {
    return this.#datasets.find((dataset) => dataset.id === id);
  }

  #datasetDoc(dataset: Dataset, context: boolean) {
    const id = `${this.origin}/datasets/${dataset.id}`;
    const updated = dataset.changes.at(-1)?.createdAt;
    return {
      ...(context ? { "@context": JSON_LD_CONTEXT } : {}),
      type: "Dataset",
      id,
      url: `${this.origin}/datasets/${dataset.slug}`,
      name: dataset.name,
      published: xsdDate(dataset.createdAt),
      endpoints: { changes: `${id}/changes`, snapshot: `${id}/snapshot` },
      ...(updated ? { updated: xsdDate(updated) } : {}),
      ...(dataset.summary ? { summary: dataset.summary } : {}),
    };
  }

  #item(dataset: Dataset, change: Change): Record<string, unknown> {
    const item: Record<string, unknown> = {
      id: `${this.origin}/datasets/${dataset.id}/changes/${change.id}`,
      type: TYPE_NAMES[change.type],
      published: xsdDate(change.createdAt),
    };
    if (change.type === "tombstone") return item;
    item.entityKind = change.entityKind;
    item.entityKey = change.entityKey;
    if (this.#comments && change.comment) item.comment = change.comment;
    if (change.type === "retraction") return item;
    item.labels = change.labels.map((label) => `${this.origin}/labels/${label}`);
    if (change.type === "recommendation") {
      item.recommendedPolicy = change.recommendedPolicy;
      item.recommendedFilters = change.recommendedFilters;
    }
    return item;
  }

  #changes(dataset: Dataset, since: string | null) {
    const collectionId = `${this.origin}/datasets/${dataset.id}/changes`;
    const pageUrl = (id: string | undefined) => {
      if (!id) return undefined;
      const url = new URL(collectionId);
      url.searchParams.set("since", id);
      return url.href;
    };
    const all = dataset.changes;
    const last = all.at(-1);
    const page = since !== null;
    const after = page ? all.filter((change) => change.id > since.toLowerCase()) : [];
    const fetched = after.slice(0, PAGE_LIMIT + 1);
    const next = page ? (fetched[PAGE_LIMIT] ?? null) : null;
    const records = page ? (since === last?.id ? [] : fetched.slice(0, PAGE_LIMIT)) : undefined;
    const first = all.length > 0 ? pageUrl(GENESIS_ID) : undefined;
    return {
      "@context": JSON_LD_CONTEXT,
      id: page ? pageUrl(since) : collectionId,
      partOf: page ? collectionId : undefined,
      type: page ? "OrderedCollectionPage" : "OrderedCollection",
      dataset: `${this.origin}/datasets/${dataset.id}`,
      totalItems: all.length,
      first,
      last: records?.length === 0 ? undefined : pageUrl(last?.id),
      next: page ? pageUrl(next?.id ?? records?.at(-1)?.id) : first,
      orderedItems: all.length === 0 ? [] : records?.map((change) => this.#item(dataset, change)),
    };
  }

  #snapshot(dataset: Dataset) {
    const latest = new Map<string, Change>();
    for (const change of dataset.changes) {
      latest.set(`${change.entityKind}:${change.entityKey}`, change);
    }
    const records = [...latest.values()]
      .filter((change) => change.type !== "retraction" && change.type !== "tombstone")
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    const newest = records.at(0);
    const id = `${this.origin}/datasets/${dataset.id}`;
    return {
      "@context": JSON_LD_CONTEXT,
      id: `${id}/snapshot`,
      type: "Collection",
      summary: `Snapshot for ${dataset.name} dataset`,
      dataset: id,
      totalItems: records.length,
      ...(newest
        ? { updated: xsdDate(newest.createdAt), changes: `${id}/changes?since=${newest.id}` }
        : {}),
      orderedItems: records.map((change) => this.#item(dataset, change)),
    };
  }

  #serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", this.origin);
    const since = url.searchParams.get("since");
    const accept = req.headers.accept;
    this.requests.push({ path: url.pathname, since, accept });
    const send = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, {
        "content-type":
          type ??
          (accept?.startsWith("application/ld+json")
            ? "application/ld+json; charset=utf-8"
            : "application/json; charset=utf-8"),
        vary: "Accept",
      });
      res.end(JSON.stringify(body));
    };
    if (this.#failing !== null) return send(this.#failing, { error: "Internal Server Error" });
    if (url.pathname === "/.well-known/nodeinfo") {
      return send(200, {
        links: [
          {
            rel: "http://nodeinfo.diaspora.software/ns/schema/2.1",
            href: `${this.origin}/nodeinfo/2.1`,
          },
        ],
      });
    }
    if (url.pathname === "/nodeinfo/2.1") {
      return send(
        200,
        {
          version: "2.1",
          software: { name: "fires", version: "0.8.0" },
          protocols: ["fires"],
          services: { inbound: [], outbound: [] },
          openRegistrations: false,
          usage: {},
          metadata: {
            fires: { labels: `${this.origin}/labels`, datasets: `${this.origin}/datasets` },
          },
        },
        'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
      );
    }
    if (url.pathname === "/datasets") {
      return send(200, {
        "@context": JSON_LD_CONTEXT,
        type: "Collection",
        totalItems: this.#datasets.length,
        items: this.#datasets.map((dataset) => this.#datasetDoc(dataset, false)),
      });
    }
    const match = /^\/datasets\/([^/]+)(?:\/(changes|snapshot)(?:\/([^/]+))?)?$/.exec(url.pathname);
    const dataset = match && UUID.test(match[1]!) ? this.#dataset(match[1]!) : undefined;
    if (!match || !dataset) return send(404, { error: "Not found" });
    const [, , part, changeId] = match;
    if (!part) return send(200, this.#datasetDoc(dataset, true));
    if (part === "snapshot") return send(200, this.#snapshot(dataset));
    if (changeId !== undefined) {
      const change = UUID.test(changeId)
        ? dataset.changes.find((c) => c.id === changeId)
        : undefined;
      if (!change) return send(404, { error: "Not found" });
      return send(200, { "@context": JSON_LD_CONTEXT, ...this.#item(dataset, change) });
    }
    if (since !== null && !UUID_V7.test(since)) {
      return send(400, {
        error: "Malformed request",
        validation: [
          { field: "since", rule: "uuid", message: "The since field must be a valid UUID" },
        ],
      });
    }
    return send(200, JSON.parse(JSON.stringify(this.#changes(dataset, since))));
  }
}
