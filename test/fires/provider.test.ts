// The FIRES provider (issue 17, part 1), checked by the rules the conformance suite of
// fedimod/fires checks (branch feat/conformance, commit 3eb9472, components/conformance:
// nodeinfo, datasets and labels specs), written here from reading it, plus the paging,
// mapping and caching rules of fires-server (commit ae42b95). The service runs in-process on a
// real database; every URL is followed from the discovery document, as a consumer would.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  changesCollection,
  changesPage,
  datasetCollection,
  datasetDocument,
  labelCollection,
  labelDocument,
  nodeInfo,
  nodeInfoDiscovery,
  recordDocument,
  snapshot,
  type FiresRecord,
} from "../../server/fires/fires.schema.js";
import { FIRES_CONTEXT } from "../../server/fires/jsonld.js";
import { GENESIS_ID } from "../../server/fires/record-ids.js";
import { createList } from "../../server/lists/lists.service.js";
import { TAGS } from "../../server/entries/vocabulary.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";

let app: TestApp;
let member: Member;
let curator: Member;

const LD = "application/ld+json";
const XSD_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** GET an absolute URL of this service (the documents link with absolute URLs). */
function get(url: string, accept = LD) {
  const parsed = new URL(url);
  expect(parsed.origin).toBe(app.url);
  return request(app.url)
    .get(parsed.pathname + parsed.search)
    .set("Accept", accept);
}

async function json(url: string, accept = LD) {
  const response = await get(url, accept);
  expect(response.status, `${url}: ${response.text}`).toBe(200);
  return JSON.parse(response.text) as Record<string, unknown>;
}

async function nodeInfoDoc() {
  const discovery = nodeInfoDiscovery.parse(await json(`${app.url}/.well-known/nodeinfo`, "*/*"));
  const link = discovery.links.find(
    (l) => l.rel === "http://nodeinfo.diaspora.software/ns/schema/2.1",
  );
  expect(link).toBeDefined();
  return nodeInfo.parse(await json(link!.href, "*/*"));
}

beforeAll(async () => {
  app = await startTestApp();
  member = await addMember(app, "mia", "m.example");
  curator = await addMember(app, "cora", "c.example", "curator");
  await createList(app.ctx, "system", {
    slug: "pub",
    name: "Public list",
    description: "Shared blocks",
  });
  await createList(app.ctx, "system", { slug: "secret", name: "Secret", visibility: "members" });
  await seedEntries(app.ctx, "pub", [
    {
      domain: "dropped.example",
      severity: "suspend",
      publicComment: "Hate speech, unmoderated",
      privateComment: "PRIVATE-NOTE",
      evidence: ["https://evidence.example/secret-proof"],
      tags: ["hate-speech", "no-moderation"],
    },
    { domain: "limited.example", severity: "silence", rejectMedia: true, publicComment: "Spam" },
    { domain: "noisy.example", severity: "noop", rejectReports: true, publicComment: "Reports" },
    { domain: "fine.example", severity: "noop", publicComment: "Watched" },
  ]);
  await seedEntries(app.ctx, "secret", [{ domain: "hidden.example", publicComment: "shh" }]);
});
afterAll(() => app.close());

describe("discovery", () => {
  test("the NodeInfo chain names the fires protocol and absolute URLs of this service", async () => {
    const discoveryResponse = await request(app.url).get("/.well-known/nodeinfo");
    expect(discoveryResponse.headers["content-type"]).toContain("application/json");
    const info = await nodeInfoDoc();
    expect(info.version).toBe("2.1");
    expect(info.protocols).toEqual(["fires"]);
    expect(info.metadata.fires).toEqual({
      datasets: `${app.url}/fires/datasets`,
      labels: `${app.url}/fires/labels`,
    });
  });

  test("the URLs come from FEDIBLOCK_PUBLIC_URL, not from the request's host", async () => {
    const response = await request(app.url)
      .get("/nodeinfo/2.1")
      .set("Host", "attacker.example")
      .set("X-Forwarded-Host", "attacker.example");
    expect(response.body.metadata.fires.datasets).toBe(`${app.url}/fires/datasets`);
  });
});

describe("JSON-LD", () => {
  test.each([
    ["application/ld+json", "application/ld+json"],
    ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "application/ld+json"],
    ["application/activity+json, application/ld+json;q=0.9", "application/ld+json"],
    ["application/json", "application/json"],
    ["*/*", "application/json"],
    ["application/json, application/ld+json;q=0.5", "application/json"],
  ])("Accept %s is answered %s, with Vary: Accept", async (accept, expected) => {
    const { metadata } = await nodeInfoDoc();
    const response = await get(metadata.fires.datasets, accept);
    expect(response.headers["content-type"]).toBe(`${expected}; charset=utf-8`);
    expect(response.headers.vary).toBe("Accept");
    expect(JSON.parse(response.text)["@context"]).toEqual(FIRES_CONTEXT);
  });

  test("no Accept header is plain JSON", async () => {
    const response = await request(app.url).get("/fires/labels");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  });
});

describe("labels", () => {
  test("the tag vocabulary, each label typed fires:Label and answering at its own id", async () => {
    const { metadata } = await nodeInfoDoc();
    const labels = labelCollection.parse(await json(metadata.fires.labels));
    expect(labels.items.map((label) => label.id)).toEqual(
      TAGS.map((tag) => `${app.url}/fires/labels/${tag}`),
    );
    expect(labels.totalItems).toBe(TAGS.length);
    for (const item of labels.items) {
      const response = await get(item.id);
      expect(response.headers["content-type"]).toContain(LD);
      const one = labelDocument.parse(JSON.parse(response.text));
      expect(one).toEqual({ "@context": FIRES_CONTEXT, ...item });
      expect(one.nameMap.en).toBe(one.name);
    }
  });

  test("an unknown label is a 404", async () => {
    const response = await request(app.url).get("/fires/labels/cats");
    expect(response.status).toBe(404);
  });
});

describe("datasets", () => {
  test("only public lists, with the fields and endpoints the protocol asks for", async () => {
    const { metadata } = await nodeInfoDoc();
    const datasets = datasetCollection.parse(await json(metadata.fires.datasets));
    const publicLists = await app.ctx.db.prisma.list.findMany({
      where: { visibility: "public" },
      select: { slug: true },
      orderBy: { slug: "asc" },
    });
    expect(datasets.items.map((d) => d.id)).toEqual(
      publicLists.map((list) => `${app.url}/fires/datasets/${list.slug}`),
    );
    expect(datasets.items.map((d) => d.name)).not.toContain("Secret");
    expect(datasets.totalItems).toBe(publicLists.length);
    const item = datasets.items.find((d) => d.name === "Public list");
    expect(item).toMatchObject({
      id: `${app.url}/fires/datasets/pub`,
      url: `${app.url}/lists/pub`,
      summary: "Shared blocks",
      endpoints: {
        changes: `${app.url}/fires/datasets/pub/changes`,
        snapshot: `${app.url}/fires/datasets/pub/snapshot`,
      },
    });
    expect(item!.published).toMatch(XSD_DATE);
    const one = datasetDocument.parse(await json(item!.id));
    expect(one).toEqual({ "@context": FIRES_CONTEXT, ...item });
  });

  test("a members-only list is a 404 to anonymous callers, and readable with a token", async () => {
    for (const path of [
      "/fires/datasets/secret",
      "/fires/datasets/secret/changes",
      `/fires/datasets/secret/changes?since=${GENESIS_ID}`,
      "/fires/datasets/secret/snapshot",
    ]) {
      const anonymous = await request(app.url).get(path);
      expect(anonymous.status, path).toBe(404);
      expect(anonymous.headers["content-type"]).toContain("application/problem+json");
      const withToken = await member.api.get(path);
      expect(withToken.status, path).toBe(200);
      expect(withToken.headers["cache-control"]).toBe("private, no-cache");
      expect(withToken.headers.vary).toBe("Accept, Authorization, Cookie");
    }
  });

  test("a list with no changes: no first page, an empty page from genesis, an empty snapshot", async () => {
    await createList(app.ctx, "system", { slug: "empty", name: "Empty" });
    const collection = changesCollection.parse(
      await json(`${app.url}/fires/datasets/empty/changes`),
    );
    expect(collection).toMatchObject({ totalItems: 0 });
    expect(collection.first).toBeUndefined();
    expect(collection.last).toBeUndefined();
    const page = changesPage.parse(
      await json(`${app.url}/fires/datasets/empty/changes?since=${GENESIS_ID}`),
    );
    expect(page.orderedItems).toEqual([]);
    expect(page.next).toBeUndefined();
    const snap = snapshot.parse(await json(`${app.url}/fires/datasets/empty/snapshot`));
    expect(snap.totalItems).toBe(0);
    expect(snap.changes).toBeUndefined();
  });

  test("an unknown dataset is a 404", async () => {
    expect((await request(app.url).get("/fires/datasets/nope/changes")).status).toBe(404);
  });
});

/** Every record of a dataset, following `first` and then `next` until a page is empty. */
async function readAll(changesUrl: string) {
  const collection = changesCollection.parse(await json(changesUrl));
  const records: FiresRecord[] = [];
  let url = collection.first;
  let pages = 0;
  while (url) {
    const page = changesPage.parse(await json(url));
    expect(page.partOf).toBe(changesUrl);
    expect(page.orderedItems.length).toBeLessThanOrEqual(100);
    pages++;
    records.push(...page.orderedItems);
    url = page.orderedItems.length > 0 ? page.next : undefined;
  }
  return { collection, records, pages };
}

describe("changes and the mapping", () => {
  test("each entry is a Recommendation mapped as fires-server's importer maps it", async () => {
    const { records } = await readAll(`${app.url}/fires/datasets/pub/changes`);
    const byDomain = new Map(records.map((r) => [r.entityKey, r]));
    expect(byDomain.get("dropped.example")).toMatchObject({
      type: "Recommendation",
      entityKind: "domain",
      recommendedPolicy: "drop",
      recommendedFilters: [],
      comment: "Hate speech, unmoderated",
      labels: [`${app.url}/fires/labels/hate-speech`, `${app.url}/fires/labels/no-moderation`],
    });
    expect(byDomain.get("limited.example")).toMatchObject({
      recommendedPolicy: "filter",
      recommendedFilters: [
        "auto-unlisted",
        "prevent-trending",
        "prevent-recommendations",
        "reject-media",
      ],
    });
    expect(byDomain.get("noisy.example")).toMatchObject({
      recommendedPolicy: "filter",
      recommendedFilters: ["reject-reports"],
    });
    expect(byDomain.get("fine.example")).toMatchObject({
      recommendedPolicy: "accept",
      recommendedFilters: [],
      comment: "Watched",
    });
    for (const record of records) {
      expect(record.published).toMatch(XSD_DATE);
      const one = recordDocument.parse(await json(record.id));
      expect(one).toEqual({ "@context": FIRES_CONTEXT, ...record });
    }
  });

  test("no members-only field reaches any FIRES document", async () => {
    const texts = await Promise.all(
      [
        "/fires/datasets/pub/changes",
        `/fires/datasets/pub/changes?since=${GENESIS_ID}`,
        "/fires/datasets/pub/snapshot",
        "/fires/datasets",
      ].map(async (path) => (await request(app.url).get(path)).text),
    );
    for (const text of texts) {
      expect(text).not.toContain("PRIVATE-NOTE");
      expect(text).not.toContain("secret-proof");
      expect(text).not.toContain("hidden.example");
      expect(text).not.toContain("privateComment");
    }
  });

  test.each([
    ["not-a-uuid"],
    ["0190e7a4-7a3b-4c00-8000-000000000000"], // a UUIDv4-shaped id
    ["0190E7A4-7A3B-7C00-8000-000000000000"], // uppercase: not an id this feed writes
  ])("since=%s is a 400 that names since", async (since) => {
    const response = await request(app.url).get(`/fires/datasets/pub/changes?since=${since}`);
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: "query.since", message: expect.stringContaining("UUIDv7") }),
    ]);
  });
});

describe("conditional requests and the per-revision cache", () => {
  test.each([
    ["/fires/datasets/pub/changes"],
    [`/fires/datasets/pub/changes?since=${GENESIS_ID}`],
    ["/fires/datasets/pub/snapshot"],
    ["/fires/datasets"],
    ["/fires/labels"],
    ["/nodeinfo/2.1"],
  ])("%s: a strong ETag, and 304 with no body on If-None-Match", async (path) => {
    const first = await request(app.url).get(path).set("Accept", LD);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const again = await request(app.url).get(path).set("Accept", LD).set("If-None-Match", etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    const otherType = await request(app.url).get(path).set("Accept", "application/json");
    if (path !== "/nodeinfo/2.1") expect(otherType.headers.etag).not.toBe(etag);
  });

  test("a list's documents are built once per revision and change with it", async () => {
    await createList(app.ctx, "system", { slug: "cached", name: "Cached" });
    await seedEntries(app.ctx, "cached", [{ domain: "one.example", severity: "suspend" }]);
    const path = "/fires/datasets/cached/snapshot";
    const before = await request(app.url).get(path);
    const modified = before.headers["last-modified"] as string;
    expect(Date.parse(modified)).not.toBeNaN();
    const since = await request(app.url).get(path).set("If-Modified-Since", modified);
    expect(since.status).toBe(304);
    // Rows deleted behind the service's back, without a new revision: the answer of this
    // revision is the one built before, from the cache.
    await app.ctx.db.prisma.listChange.deleteMany({ where: { list: { slug: "cached" } } });
    const fromCache = await request(app.url).get(path);
    expect(fromCache.text).toBe(before.text);
    expect(fromCache.headers.etag).toBe(before.headers.etag);
    app.clock.advance(2000);
    await seedEntries(app.ctx, "cached", [{ domain: "later.example", severity: "suspend" }]);
    const after = await request(app.url)
      .get(path)
      .set("If-None-Match", before.headers.etag as string);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.orderedItems.map((r: FiresRecord) => r.entityKey)).toEqual(["later.example"]);
  });
});

describe("paging over 250 changes with a severity change and a removal", () => {
  test("every record is read exactly once, in commit order, and the snapshot agrees", async () => {
    await createList(app.ctx, "system", { slug: "big", name: "Big" });
    const domains = Array.from(
      { length: 248 },
      (_, i) => `host${String(i).padStart(3, "0")}.example`,
    );
    for (let start = 0; start < domains.length; start += 62) {
      await seedEntries(
        app.ctx,
        "big",
        domains
          .slice(start, start + 62)
          .map((domain) => ({ domain, severity: "suspend" as const })),
      );
      app.clock.advance(-60_000); // a clock that goes back must not reorder the feed
    }
    // A severity change (a new record) and a removal (a Retraction with the proposal's reason).
    await seedEntries(app.ctx, "big", [{ domain: "host007.example", severity: "silence" }]);
    const opened = await member.api.post("/api/v1/lists/big/proposals", {
      kind: "remove",
      domain: "host042.example",
      reason: "Moderation improved",
    });
    expect(opened.status).toBe(201);
    const decided = await curator.api.post(`/api/v1/proposals/${opened.body.id}/decide`, {
      outcome: "passed",
      reason: "agreed",
    });
    expect(decided.status).toBe(200);

    const { collection, records, pages } = await readAll(`${app.url}/fires/datasets/big/changes`);
    expect(collection.totalItems).toBe(250);
    expect(records).toHaveLength(250);
    expect(new Set(records.map((r) => r.id)).size).toBe(250);
    expect(pages).toBe(4); // 100, 100, 50, then the empty page after the last record
    const ids = records.map((r) => r.id.split("/").at(-1)!);
    expect([...ids].sort()).toEqual(ids);
    const rows = await app.ctx.db.prisma.listChange.findMany({
      where: { list: { slug: "big" } },
      orderBy: { id: "asc" },
      select: { firesId: true },
    });
    expect(rows.map((row) => row.firesId)).toEqual(ids);
    expect(collection.last).toBe(`${app.url}/fires/datasets/big/changes?since=${ids.at(-1)}`);
    expect(collection.first).toBe(`${app.url}/fires/datasets/big/changes?since=${GENESIS_ID}`);
    expect(collection.next).toBe(collection.first);

    const changed = records.filter((r) => r.entityKey === "host007.example");
    expect(changed.map((r) => r.type === "Recommendation" && r.recommendedPolicy)).toEqual([
      "drop",
      "filter",
    ]);
    const retraction = records.at(-1)!;
    expect(retraction).toMatchObject({
      type: "Retraction",
      entityKey: "host042.example",
      comment: "Moderation improved",
    });

    const snap = snapshot.parse(await json(`${app.url}/fires/datasets/big/snapshot`));
    expect(snap.totalItems).toBe(248);
    expect(snap.orderedItems[0]).toEqual(retraction);
    expect(snap.orderedItems.find((r) => r.entityKey === "host007.example")).toEqual(changed[1]);
    expect(snap.changes).toBe(`${app.url}/fires/datasets/big/changes?since=${ids.at(-1)}`);
    const resumed = changesPage.parse(await json(snap.changes!));
    expect(resumed.orderedItems).toEqual([]);
    expect(resumed.next).toBeUndefined();
  });
});
