// A list follows a FIRES dataset: its records are read `since` the stored cursor (never through
// `next`, which skips a record on fires-server), a Recommendation opens an `add` (drop → suspend,
// filter → silence, or noop with the reject flags), a Retraction of an entry from the source a
// `remove`, a new Recommendation for it a `change`.
import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeFires } from "../fakes/fires.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let fires: FakeFires;
let dataset: string;
let curator: Member, alice: Member;
let sourceId: number;

beforeAll(async () => {
  app = await startTestApp({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
  fires = new FakeFires({ comments: true });
  await fires.listen();
  dataset = fires.createDataset("Upstream coalition");
  curator = await addMember(app, "carol", "curators.example", "curator");
  alice = await addMember(app, "alice", "a.example");
  const admin = await addMember(app, "operator", "operator.example", "admin");
  await admin.api.post("/api/v1/lists", {
    slug: "fed",
    name: "Federated",
    policy: policy({ quorum: 1, votingDays: 7 }),
  });
});
afterAll(async () => {
  await app.close();
  await fires.close();
});

async function poll() {
  const answer = await curator.api.post(`/api/v1/lists/fed/sources/${sourceId}/poll`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function openProposal(domain: string) {
  const answer = await alice.api.get("/api/v1/lists/fed/proposals?status=open&limit=500");
  return (answer.body.items as Record<string, unknown>[]).find((p) => p.domain === domain);
}

test("a dataset of 155 records (two pages): every one read exactly once across pages, as proposals", async () => {
  for (let i = 0; i < 150; i += 1) fires.recommend(dataset, `bulk${i}.example`, "drop");
  fires.recommend(dataset, "media.example", "filter", {
    filters: ["reject-media"],
    comment: "Graphic media",
  });
  fires.recommend(dataset, "quiet.example", "filter", { filters: ["auto-unlisted"] });
  fires.recommend(dataset, "fine.example", "accept");
  fires.advise(dataset, "soon.example");
  fires.advise(dataset, "someone@actor.example", "actor");
  const added = await curator.api.post("/api/v1/lists/fed/sources", {
    kind: "fires",
    url: fires.datasetUrl(dataset),
    maxProposalsPerPoll: 300,
    tags: ["other"],
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  sourceId = added.body.id;

  const polled = await poll();
  expect(polled.lastReport).toMatchObject({ outcome: "changed", read: 155, ignored: 2 });
  expect(polled.lastReport.opened).toHaveLength(153);
  const domains = new Set(polled.lastReport.opened.map((o: { domain: string }) => o.domain));
  for (let i = 0; i < 150; i += 1) expect(domains.has(`bulk${i}.example`)).toBe(true);
  // Pages were asked since the last record read: none skipped, none read twice.
  const sinces = fires.requests.filter((r) => r.since !== null).map((r) => r.since);
  expect(new Set(sinces).size).toBe(sinces.length);

  expect(await openProposal("bulk100.example")).toMatchObject({
    kind: "add",
    severity: "suspend",
    origin: "source",
    proposer: null,
    tags: ["other"],
    evidence: [expect.stringMatching(new RegExp(`^${fires.datasetUrl(dataset)}/changes/`))],
  });
  const media = await openProposal("media.example");
  expect(media).toMatchObject({
    severity: "noop",
    rejectMedia: true,
    publicComment: "Graphic media",
  });
  expect(media!.reason).toContain('"Graphic media"');
  expect(await openProposal("quiet.example")).toMatchObject({ severity: "silence" });
  expect(await openProposal("fine.example")).toMatchObject({
    severity: "noop",
    rejectMedia: false,
  });
  expect(await openProposal("soon.example")).toBeUndefined();
});

test("nothing new upstream: one page asked since the cursor, nothing opened", async () => {
  const before = fires.requests.length;
  const polled = await poll();
  expect(polled.lastReport).toMatchObject({ outcome: "unchanged", read: 0, opened: [] });
  expect(fires.requests.slice(before).map((r) => r.path)).toEqual([
    `/datasets/${dataset}`,
    `/datasets/${dataset}/changes`,
  ]);
});

test("a retraction of an entry from the source opens a remove, a new recommendation a change", async () => {
  for (const domain of ["bulk1.example", "bulk2.example"]) {
    const proposal = await openProposal(domain);
    const vote = await alice.api.put(`/api/v1/proposals/${proposal!.id}/vote`, { vote: "yes" });
    expect(vote.body.status).toBe("passed");
  }
  fires.retract(dataset, "bulk1.example", "Moderation improved");
  fires.recommend(dataset, "bulk2.example", "filter", { comment: "Now only silenced" });
  fires.retract(dataset, "bulk3.example"); // its add is still open: skipped
  const polled = await poll();
  expect(polled.lastReport.opened).toEqual([
    expect.objectContaining({ kind: "remove", domain: "bulk1.example" }),
    expect.objectContaining({ kind: "change", domain: "bulk2.example" }),
  ]);
  expect(polled.lastReport.read).toBe(3);
  const remove = await openProposal("bulk1.example");
  expect(remove).toMatchObject({ kind: "remove", origin: "source" });
  expect(remove!.reason).toContain('"Moderation improved"');
  expect(await openProposal("bulk2.example")).toMatchObject({
    kind: "change",
    severity: "silence",
    publicComment: "Now only silenced",
  });
});

test("a provider that fails changes nothing and keeps the cursor", async () => {
  fires.failWith(502);
  const failed = await poll();
  fires.failWith(null);
  expect(failed.lastReport).toMatchObject({
    outcome: "failed",
    error: { code: "upstream_status" },
  });
  fires.recommend(dataset, "after-outage.example", "drop");
  const polled = await poll();
  expect(polled.lastReport.opened).toEqual([
    expect.objectContaining({ kind: "add", domain: "after-outage.example" }),
  ]);
});

test("a URL that is no FIRES dataset is recorded as unparseable", async () => {
  const added = await curator.api.post("/api/v1/lists/fed/sources", {
    kind: "fires",
    url: `${fires.origin}/nodeinfo/2.1`,
  });
  const answer = await curator.api.post(`/api/v1/lists/fed/sources/${added.body.id}/poll`);
  expect(answer.body.lastReport).toMatchObject({
    outcome: "failed",
    error: { code: "upstream_unparseable" },
  });
  expect(answer.body.lastError).toMatch(/not a FIRES dataset/);
});
