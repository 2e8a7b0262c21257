// The fake FIRES provider behaves as fires-server does (test/fakes/fires.ts names the commit):
// the discovery chain, the dataset's shape, and the changes' paging, including the `next` link
// that skips the record after a full page.
import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeFires, GENESIS_ID, JSON_LD_CONTEXT } from "../fakes/fires.js";

let fires: FakeFires;
let dataset: string;

beforeAll(async () => {
  fires = new FakeFires();
  await fires.listen();
  dataset = fires.createDataset("Fake Coalition", "A dataset for tests");
  for (let i = 0; i < 250; i += 1) fires.recommend(dataset, `d${i}.example`, "drop");
  fires.retract(dataset, "d0.example");
});
afterAll(() => fires.close());

// The documents as a test reads them: any property may be looked into.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FiresDoc = Record<string, any>;

const get = async (url: string, accept = "application/json") => {
  const response = await fetch(url, { headers: { accept } });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.json()) as FiresDoc,
  };
};

test("discovery: nodeinfo links to 2.1, which names the datasets, which list the dataset", async () => {
  const discovery = await get(`${fires.origin}/.well-known/nodeinfo`);
  const nodeinfo = await get(discovery.body.links[0].href);
  expect(nodeinfo.body).toMatchObject({ version: "2.1", protocols: ["fires"] });
  const datasets = await get(nodeinfo.body.metadata.fires.datasets, "application/ld+json");
  expect(datasets.type).toMatch(/^application\/ld\+json/);
  expect(datasets.body).toMatchObject({
    "@context": JSON_LD_CONTEXT,
    type: "Collection",
    totalItems: 1,
  });
  expect(datasets.body.items[0]).toMatchObject({
    type: "Dataset",
    id: fires.datasetUrl(dataset),
    name: "Fake Coalition",
    summary: "A dataset for tests",
    endpoints: { changes: `${fires.datasetUrl(dataset)}/changes` },
  });
  expect(datasets.body.items[0].published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test("changes: the collection, pages of 100 in order, and the next link that skips one", async () => {
  const collection = await get(`${fires.datasetUrl(dataset)}/changes`);
  expect(collection.body).toMatchObject({ type: "OrderedCollection", totalItems: 251 });
  expect(new URL(collection.body.first).searchParams.get("since")).toBe(GENESIS_ID);

  const first = await get(collection.body.first);
  expect(first.body.type).toBe("OrderedCollectionPage");
  expect(first.body.orderedItems).toHaveLength(100);
  expect(first.body.orderedItems[0]).toMatchObject({
    type: "Recommendation",
    entityKind: "domain",
    entityKey: "d0.example",
    recommendedPolicy: "drop",
    recommendedFilters: [],
  });
  // `next` starts after the 101st record, so following it loses d100.example.
  const second = await get(first.body.next);
  expect(second.body.orderedItems[0].entityKey).toBe("d101.example");
  // Asking since the last record read loses nothing.
  const lastId = first.body.orderedItems[99].id.split("/").at(-1);
  const resumed = await get(`${fires.datasetUrl(dataset)}/changes?since=${lastId}`);
  expect(resumed.body.orderedItems[0].entityKey).toBe("d100.example");

  const latest = new URL(collection.body.last).searchParams.get("since");
  const end = await get(`${fires.datasetUrl(dataset)}/changes?since=${latest}`);
  expect(end.body.orderedItems).toEqual([]);
  expect(end.body.last).toBeUndefined();

  expect(resumed.body).toMatchObject({
    totalItems: 251,
    partOf: `${fires.datasetUrl(dataset)}/changes`,
  });
  const bad = await get(`${fires.datasetUrl(dataset)}/changes?since=yesterday`);
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe("Malformed request");
});

test("a retraction carries only the entity; the snapshot holds the latest record per entity", async () => {
  const collection = await get(`${fires.datasetUrl(dataset)}/changes`);
  const latest = collection.body.last as string;
  const change = await get(latest.replace("/changes?since=", "/changes/"));
  expect(change.body).toEqual({
    "@context": JSON_LD_CONTEXT,
    id: latest.replace("/changes?since=", "/changes/"),
    type: "Retraction",
    published: expect.stringMatching(/Z$/),
    entityKind: "domain",
    entityKey: "d0.example",
  });
  const snapshot = await get(`${fires.datasetUrl(dataset)}/snapshot`);
  expect(snapshot.body.totalItems).toBe(249);
  expect(snapshot.body.orderedItems[0].entityKey).toBe("d249.example");
});
