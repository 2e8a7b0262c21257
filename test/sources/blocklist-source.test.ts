// A list follows a blocklist file: what is new upstream opens `add` proposals from the source
// (no proposer, no automatic yes), a change of an entry that came from the source a `change`, a
// row gone upstream a `remove`; a failing, empty or unparseable upstream changes nothing; a
// poll that would open more than the source's cap opens none. Polling is a conditional GET.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";
import { BlocklistHost } from "../fakes/blocklist-host.js";

let app: TestApp;
let host: BlocklistHost;
let curator: Member, alice: Member, admin: Member;

const csv = (...rows: string[]) =>
  ["#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate", ...rows].join(
    "\n",
  );

beforeAll(async () => {
  app = await startTestApp({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
  host = new BlocklistHost();
  await host.listen();
  curator = await addMember(app, "carol", "curators.example", "curator");
  alice = await addMember(app, "alice", "a.example");
  admin = await addMember(app, "operator", "operator.example", "admin");
  const created = await admin.api.post("/api/v1/lists", {
    slug: "followed",
    name: "Followed",
    policy: policy({ quorum: 1, votingDays: 7 }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});
afterAll(async () => {
  await app.close();
  await host.close();
});

async function addSource(body: Record<string, unknown>, slug = "followed") {
  const answer = await curator.api.post(`/api/v1/lists/${slug}/sources`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: number };
}

async function poll(id: number, slug = "followed") {
  const answer = await curator.api.post(`/api/v1/lists/${slug}/sources/${id}/poll`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function openProposals() {
  const answer = await alice.api.get("/api/v1/lists/followed/proposals?status=open");
  expect(answer.status).toBe(200);
  return answer.body.items as Record<string, unknown>[];
}

test("bad sources are refused with a problem that says what to fix", async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ kind: "rss", url: host.url() }, "kind"],
    [{ kind: "blocklist", url: "not a url" }, "url"],
    [{ kind: "blocklist", url: "ftp://example.org/list.csv" }, "url"],
    [{ kind: "blocklist", url: host.url(), maxSeverity: "ban" }, "maxSeverity"],
    [{ kind: "blocklist", url: host.url(), maxProposalsPerPoll: 0 }, "maxProposalsPerPoll"],
    [{ kind: "blocklist", url: host.url(), tags: ["nazis"] }, "tags.0"],
    [{ kind: "blocklist", url: host.url(), pollMinutes: 1 }, "pollMinutes"],
  ];
  for (const [body, field] of cases) {
    const answer = await curator.api.post("/api/v1/lists/followed/sources", body);
    expect(answer.status, JSON.stringify(body)).toBe(400);
    expect(answer.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(answer.body.code).toBe("invalid_request");
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }
  const member = await alice.api.post("/api/v1/lists/followed/sources", {
    kind: "blocklist",
    url: host.url("/member.csv"),
  });
  expect(member.status).toBe(403);
  const missing = await curator.api.post("/api/v1/lists/nowhere/sources", {
    kind: "blocklist",
    url: host.url("/x.csv"),
  });
  expect(missing.status).toBe(404);
});

test("a Mastodon CSV opens add proposals from the source; nothing is applied without a vote", async () => {
  host.serve(
    csv(
      "spam.example,suspend,false,false,Spam waves since 2024,false",
      "rude.example,silence,true,false,,false",
      "quiet.example,noop,false,true,=cmd(),false",
    ),
  );
  const source = await addSource({
    kind: "blocklist",
    url: host.url(),
    maxSeverity: "silence",
    tags: ["spam"],
  });
  const duplicate = await curator.api.post("/api/v1/lists/followed/sources", {
    kind: "blocklist",
    url: host.url(),
  });
  expect(duplicate.status).toBe(409);
  expect(duplicate.body.code).toBe("source_exists");

  const polled = await poll(source.id);
  expect(polled.lastSuccessAt).toBe(app.clock.now().toISOString());
  expect(polled.lastError).toBeNull();
  // A comment the importer refuses (a formula) drops its row, counted as ignored.
  expect(polled.lastReport).toMatchObject({ outcome: "changed", read: 3, ignored: 1 });
  expect(polled.lastReport.opened.map((o: { domain: string }) => o.domain).sort()).toEqual([
    "rude.example",
    "spam.example",
  ]);
  expect(polled.lastReport.skipped).toEqual([]);
  expect(polled.proposals).toHaveLength(2);

  const open = await openProposals();
  const spam = open.find((p) => p.domain === "spam.example")!;
  expect(spam).toMatchObject({
    kind: "add",
    origin: "source",
    proposer: null,
    // Lowered to the source's maximum, the upstream comment quoted in the reason.
    severity: "silence",
    tags: ["spam"],
    evidence: [host.url()],
    tally: { yes: 0, no: 0, abstain: 0 },
  });
  expect(spam.reason).toContain(host.url());
  expect(spam.reason).toContain('"Spam waves since 2024"');
  expect(spam.reason).toContain("upstream: suspend");
  const entry = await alice.api.get("/api/v1/lists/followed/entries/spam.example");
  expect(entry.status).toBe(404);
});

test("the next poll is conditional: a 304 opens nothing", async () => {
  const [source] = (await curator.api.get("/api/v1/lists/followed/sources")).body.items;
  const before = host.requests.length;
  const polled = await poll(source.id);
  const request = host.requests.at(-1)!;
  expect(host.requests.length).toBe(before + 1);
  expect(request.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
  expect(request.ifModifiedSince).toMatch(/GMT$/);
  expect(request.status).toBe(304);
  expect(polled.lastReport).toMatchObject({ outcome: "unchanged", opened: [] });
  expect(await openProposals()).toHaveLength(2);
});

test("changes upstream: a change of an entry from the source, a removal, an open proposal skipped", async () => {
  const [source] = (await curator.api.get("/api/v1/lists/followed/sources")).body.items;
  const open = await openProposals();
  const spam = open.find((p) => p.domain === "spam.example")!;
  const vote = await alice.api.put(`/api/v1/proposals/${spam.id}/vote`, { vote: "yes" });
  expect(vote.body.status).toBe("passed");
  // An entry that did not come from the source.
  const own = await alice.api.post("/api/v1/lists/followed/proposals", {
    kind: "add",
    domain: "own.example",
    severity: "suspend",
  });
  expect(own.body.status).toBe("passed");

  host.serve(
    csv(
      // spam.example gone upstream; rude.example (still open) changed; own.example listed too.
      "rude.example,suspend,true,false,worse now,false",
      "own.example,silence,false,false,,false",
      "new.example,noop,true,true,,false",
    ),
  );
  let polled = await poll(source.id);
  expect(polled.lastReport.opened).toHaveLength(2);
  expect(polled.lastReport.opened).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: "remove", domain: "spam.example" }),
      expect.objectContaining({ kind: "add", domain: "new.example" }),
    ]),
  );
  expect(polled.lastReport.skipped).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ domain: "rude.example", code: "proposal_open" }),
      expect.objectContaining({ domain: "own.example", code: "listed_otherwise" }),
    ]),
  );
  const remove = (await openProposals()).find((p) => p.domain === "spam.example")!;
  expect(remove).toMatchObject({ kind: "remove", origin: "source", proposer: null });
  expect(remove.reason).toMatch(/No longer listed upstream by/);

  // rude.example passes; the next change upstream of it is a change proposal.
  const rude = (await openProposals()).find((p) => p.domain === "rude.example")!;
  await alice.api.put(`/api/v1/proposals/${rude.id}/vote`, { vote: "yes" });
  host.serve(
    csv(
      "rude.example,noop,true,false,calmer,false",
      "own.example,silence,false,false,,false",
      "new.example,noop,true,true,,false",
    ),
  );
  polled = await poll(source.id);
  expect(polled.lastReport.opened).toEqual([
    expect.objectContaining({ kind: "change", domain: "rude.example" }),
  ]);
  const change = (await openProposals()).find((p) => p.domain === "rude.example")!;
  expect(change).toMatchObject({ kind: "change", severity: "noop", publicComment: "calmer" });
  const detail = await alice.api.get(`/api/v1/lists/followed/sources/${source.id}`);
  expect(detail.body.proposals).toHaveLength(5);
  expect(detail.body.proposals[0]).toMatchObject({ kind: "change", domain: "rude.example" });
});

test.each([
  ["an error status", () => host.failWith(503), "upstream_status", /HTTP 503/],
  ["an empty body", () => host.serve("   \n"), "upstream_empty", /empty/],
  [
    "an HTML page",
    () => host.serve("<html>hi</html>", "text/html"),
    "upstream_unparseable",
    /HTML/,
  ],
  [
    "a CSV with a quote left open",
    () => host.serve('domain,severity\n"open.example,suspend\n'),
    "upstream_unparseable",
    /cannot be read/,
  ],
  ["only refused rows", () => host.serve("domain\nnot a domain!\n"), "upstream_empty", /no valid/],
])("%s changes nothing and is recorded as the last error", async (_, fault, code, message) => {
  const [source] = (await curator.api.get("/api/v1/lists/followed/sources")).body.items;
  const openBefore = await openProposals();
  app.clock.advance(60_000);
  fault();
  const polled = await poll(source.id);
  host.failWith(null);
  expect(polled.lastReport).toMatchObject({ outcome: "failed", error: { code }, opened: [] });
  expect(polled.lastError).toMatch(message);
  expect(polled.lastErrorAt).toBe(app.clock.now().toISOString());
  expect(polled.lastSuccessAt).not.toBe(app.clock.now().toISOString());
  expect(await openProposals()).toEqual(openBefore);
});

test("after a failure the source carries on from what it read last", async () => {
  const [source] = (await curator.api.get("/api/v1/lists/followed/sources")).body.items;
  host.serve(
    csv(
      "rude.example,noop,true,false,calmer,false",
      "own.example,silence,false,false,,false",
      "new.example,noop,true,true,,false",
    ),
  );
  const polled = await poll(source.id);
  expect(polled.lastReport).toMatchObject({ outcome: "unchanged", opened: [] });
  expect(polled.lastSuccessAt).toBe(app.clock.now().toISOString());
});

test("a poll that would open more proposals than the cap opens none and reports it", async () => {
  await admin.api.post("/api/v1/lists", {
    slug: "capped",
    name: "Capped",
    policy: policy({ quorum: 1 }),
  });
  const rows = Array.from({ length: 6 }, (_, i) => `wave${i}.example,suspend,false,false,,false`);
  host.serve(csv(...rows));
  const source = await addSource(
    { kind: "blocklist", url: host.url("/wave.csv"), maxProposalsPerPoll: 5 },
    "capped",
  );
  let polled = await poll(source.id, "capped");
  expect(polled.lastReport).toMatchObject({
    outcome: "failed",
    error: { code: "too_many_proposals" },
    opened: [],
  });
  expect(polled.lastError).toMatch(/would open 6 proposals .* cap of 5/);
  const none = await alice.api.get("/api/v1/lists/capped/proposals?status=open");
  expect(none.body.items).toEqual([]);

  const raised = await curator.api.patch(`/api/v1/lists/capped/sources/${source.id}`, {
    maxProposalsPerPoll: 10,
  });
  expect(raised.status, JSON.stringify(raised.body)).toBe(200);
  polled = await poll(source.id, "capped");
  expect(polled.lastReport.opened).toHaveLength(6);
});

test("a FediBlockHole export and a plain TXT file are read like an import", async () => {
  await admin.api.post("/api/v1/lists", {
    slug: "formats",
    name: "Formats",
    policy: policy({ quorum: 1 }),
  });
  host.serve(readFileSync("test/fixtures/blocklists/fediblockhole-export.csv", "utf8"));
  const fbh = await addSource({ kind: "blocklist", url: host.url("/fbh.csv") }, "formats");
  const first = await poll(fbh.id, "formats");
  expect(first.lastReport.opened.length).toBeGreaterThan(1);
  host.serve("txt-one.example\ntxt-two.example\n", "text/plain");
  const txt = await addSource({ kind: "blocklist", url: host.url("/list.txt") }, "formats");
  const second = await poll(txt.id, "formats");
  expect(second.lastReport.opened.map((o: { domain: string }) => o.domain)).toEqual([
    "txt-one.example",
    "txt-two.example",
  ]);
  const proposals = await alice.api.get("/api/v1/lists/formats/proposals?status=open");
  const one = proposals.body.items.find((p: { domain: string }) => p.domain === "txt-one.example");
  expect(one).toMatchObject({ kind: "add", severity: "suspend", origin: "source" });
});

test("removing a source keeps the proposals it opened", async () => {
  const [source] = (await curator.api.get("/api/v1/lists/formats/sources")).body.items;
  const openBefore = (await alice.api.get("/api/v1/lists/formats/proposals?status=open")).body.items
    .length;
  const member = await alice.api.delete(`/api/v1/lists/formats/sources/${source.id}`);
  expect(member.status).toBe(403);
  const removed = await curator.api.delete(`/api/v1/lists/formats/sources/${source.id}`);
  expect(removed.status).toBe(204);
  const gone = await curator.api.get(`/api/v1/lists/formats/sources/${source.id}`);
  expect(gone.status).toBe(404);
  const after = await alice.api.get("/api/v1/lists/formats/proposals?status=open");
  expect(after.body.items.length).toBe(openBefore);
  // Adding, changing and removing sources are audited under the curator's name.
  const audit = await alice.api.get("/api/v1/audit?list=formats&limit=500");
  const actions = (audit.body.items as { action: string; actor: { username: string } | null }[])
    .filter((event) => event.action.startsWith("source."))
    .map((event) => `${event.action} by ${event.actor?.username}`);
  expect(actions).toEqual([
    "source.removed by carol",
    "source.added by carol",
    "source.added by carol",
  ]);
  // The proposals a source opened are the service's, with their origin.
  const opened = (audit.body.items as { action: string; actor: unknown; after: unknown }[]).find(
    (event) => event.action === "proposal.opened",
  );
  expect(opened).toMatchObject({
    actor: null,
    after: expect.objectContaining({ origin: "source" }),
  });
});
