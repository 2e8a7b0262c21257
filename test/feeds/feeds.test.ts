// Both Atom feeds (issue 18), parsed with a real XML parser and checked against RFC 4287's
// required elements: a public list's decisions (never an open proposal, never a members-only
// field) and what awaits an instance's vote, read with a revocable feed token.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { awaitingView } from "../../server/proposals/awaiting.schema.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { parseAtom } from "./atom-validator.js";

let app: TestApp;
const tokens: Record<string, string> = {};
const api = () => request(app.url);
const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

beforeAll(async () => {
  app = await startTestApp();
  for (const [name, role, instance] of [
    ["alice", "member", "alice.example"],
    ["bob", "member", "bob.example"],
    ["cora", "curator", "cora.example"],
  ] as const) {
    await addAccount(app.ctx, name, role, instance);
    tokens[name] = await tokenFor(app.ctx, name);
  }
  await createList(app.ctx, "system", { slug: "pub", name: "Public <list>", visibility: "public" });
  await createList(app.ctx, "system", { slug: "inner", name: "Inner", visibility: "members" });
});
afterAll(() => app.close());

async function propose(who: string, list: string, body: object): Promise<number> {
  const answer = await api()
    .post(`/api/v1/lists/${list}/proposals`)
    .set(as(who))
    .send("kind" in body ? body : { kind: "add", severity: "suspend", ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}
const decide = (id: number, outcome: "passed" | "rejected", reason: string) =>
  api().post(`/api/v1/proposals/${id}/decide`).set(as("cora")).send({ outcome, reason });

describe("the checker", () => {
  test.each([
    ["not well-formed", "<feed xmlns='http://www.w3.org/2005/Atom'><id>x</feed>"],
    ["not Atom", "<feed><id>https://x.example/</id></feed>"],
    [
      "no updated",
      "<feed xmlns='http://www.w3.org/2005/Atom'><id>https://x.example/</id><title>t</title><author><name>a</name></author><link rel='self' href='https://x.example/'/></feed>",
    ],
  ])("refuses a document: %s", (_what, xml) => {
    expect(() => parseAtom(xml)).toThrow();
  });
});

test("a public list's feed carries its decisions with public reasons, never an open proposal or a members-only field", async () => {
  const passed = await propose("bob", "pub", {
    domain: "spam.example",
    reason: "members-only argument",
    publicComment: 'Spam <waves> & "bots"',
    privateComment: "moderators' notes",
  });
  expect((await decide(passed, "passed", "clear")).status).toBe(200);
  app.clock.advanceHours(1);
  const rejected = await propose("bob", "pub", {
    domain: "maybe.example",
    reason: "members-only doubt",
    publicComment: "never public",
  });
  expect((await decide(rejected, "rejected", "not enough")).status).toBe(200);
  app.clock.advanceHours(1);
  const withdrawn = await propose("bob", "pub", { domain: "oops.example" });
  expect((await api().post(`/api/v1/proposals/${withdrawn}/withdraw`).set(as("bob"))).status).toBe(
    200,
  );
  app.clock.advanceHours(1);
  const removal = await propose("alice", "pub", {
    kind: "remove",
    domain: "spam.example",
    reason: "they cleaned up",
  });
  expect((await decide(removal, "passed", "ok")).status).toBe(200);
  await propose("alice", "pub", { domain: "still-open.example", reason: "open argument" });
  await propose("alice", "inner", { domain: "inner-only.example" });

  const answer = await api().get("/lists/pub/proposals.atom");
  expect(answer.status).toBe(200);
  expect(answer.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
  const feed = parseAtom(answer.text);
  expect(feed.title).toBe("Public <list>: decisions");
  expect(feed.entries.map((e) => e.title)).toEqual([
    "Passed: remove spam.example",
    "Withdrawn: add oops.example",
    "Rejected: add maybe.example",
    "Passed: add spam.example",
  ]);
  expect(feed.entries[0]!.summary).toContain("Reason: they cleaned up");
  expect(feed.entries[3]!.summary).toContain('Reason: Spam <waves> & "bots"');
  expect(feed.entries[3]!.summary).toContain("by a curator");
  expect(feed.entries[3]!.link).toBe(`${app.url}/l/pub/entries/spam.example`);
  expect(feed.entries[2]!.categories).toEqual(["rejected", "add"]);
  for (const hidden of [
    "still-open.example",
    "inner-only.example",
    "members-only",
    "moderators' notes",
    "never public",
    "open argument",
  ]) {
    expect(answer.text).not.toContain(hidden);
  }

  expect((await api().get("/lists/inner/proposals.atom").set(as("alice"))).status).toBe(404);
  const unknown = await api().get("/lists/nope/proposals.atom");
  expect(unknown.status).toBe(404);
  expect(unknown.type).toBe("application/problem+json");
});

test("the awaiting feed lists what the instance has not voted on, read with a revocable feed token", async () => {
  await createList(app.ctx, "system", { slug: "wait", name: "Wait", policy: { quorum: 9 } });
  const first = await propose("bob", "wait", { domain: "first.example", reason: "please look" });
  app.clock.advanceHours(1);
  const second = await propose("bob", "wait", { domain: "second.example" });
  await propose("bob", "wait", { domain: "alice.example" });
  expect(
    (await api().put(`/api/v1/proposals/${second}/vote`).set(as("alice")).send({ vote: "no" }))
      .status,
  ).toBe(200);

  const missing = await api().get("/api/v1/instances/me/awaiting.atom");
  expect(missing.status).toBe(401);
  expect(missing.body.detail).toMatch(/\?token=/);

  const issued = await api().post("/api/v1/instances/me/feed-token").set(as("alice"));
  expect(issued.status).toBe(201);
  expect(issued.body.url).toBe(
    `${app.url}/api/v1/instances/me/awaiting.atom?token=${issued.body.token}`,
  );
  const read = await api().get(
    `/api/v1/instances/me/awaiting.atom?token=${encodeURIComponent(issued.body.token)}`,
  );
  expect(read.status).toBe(200);
  const feed = parseAtom(read.text);
  const titles = feed.entries.map((e) => e.title);
  // Voted on: gone; its own domain: it cannot vote, so it does not wait.
  expect(titles).toContain("Vote: add first.example on Wait");
  expect(titles).not.toContain("Vote: add second.example on Wait");
  expect(titles.some((t) => t.includes("alice.example"))).toBe(false);
  const firstEntry = feed.entries.find((e) => e.title.includes("first.example"))!;
  expect(firstEntry.link).toBe(`${app.url}/proposals/${first}`);
  expect(firstEntry.summary).toMatch(/^Closes .* \(13 days left\)\.\nplease look$/);

  const json = await api().get("/api/v1/instances/me/awaiting").set(as("alice"));
  awaitingView.parse(json.body);
  expect(json.body.count).toBe(feed.entries.length);
  expect(json.body.items.map((p: { domain: string }) => p.domain)).toContain("first.example");

  // Replaced: the old token stops working; revoked: the new one too.
  const replaced = await api().post("/api/v1/instances/me/feed-token").set(as("alice"));
  expect(
    (await api().get(`/api/v1/instances/me/awaiting.atom?token=${issued.body.token}`)).status,
  ).toBe(401);
  expect(
    (await api().get(`/api/v1/instances/me/awaiting.atom?token=${replaced.body.token}`)).status,
  ).toBe(200);
  expect((await api().get("/api/v1/instances/me/feed-token").set(as("alice"))).body.active).toBe(
    true,
  );
  expect((await api().delete("/api/v1/instances/me/feed-token").set(as("alice"))).status).toBe(204);
  expect(
    (await api().get(`/api/v1/instances/me/awaiting.atom?token=${replaced.body.token}`)).status,
  ).toBe(401);
  expect((await api().delete("/api/v1/instances/me/feed-token").set(as("alice"))).status).toBe(404);
});
