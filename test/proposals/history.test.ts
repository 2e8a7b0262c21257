// A proposal's history (GET /api/v1/proposals/:id `history`), built from its audit events:
// opened, votes cast, changed and retracted, and how it closed, in order, with who and when.
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDueProposals } from "../../server/proposals/scheduler.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member, a: Member, b: Member, c: Member, d: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  a = await addMember(app, "alice", "a.example");
  b = await addMember(app, "bob", "b.example");
  c = await addMember(app, "carol", "c.example");
  d = await addMember(app, "dave", "d.example");
  for (const [slug, overrides] of [
    ["votes", { quorum: 3, threshold: 0.66 }],
    ["timed", { quorum: 3, votingDays: 7 }],
  ] as const) {
    const list = await admin.api.post("/api/v1/lists", {
      slug,
      name: slug,
      policy: policy(overrides),
    });
    expect(list.status).toBe(201);
  }
});
afterAll(() => app.close());

const hoursAfter = (start: string, hours: number) =>
  new Date(new Date(start).getTime() + hours * 3_600_000).toISOString();

async function history(member: Member, id: number) {
  const response = await member.api.get(`/api/v1/proposals/${id}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.history as { id: number; action: string }[]).map(
    ({ id: eventId, ...item }) => {
      expect(eventId).toEqual(expect.any(Number));
      return item;
    },
  );
}

test("open, votes (one changed, one retracted), pass: the history lists each step in order", async () => {
  const start = "2026-03-02T10:00:00.000Z";
  app.clock.set(start);
  const opened = await a.api.post("/api/v1/lists/votes/proposals", {
    kind: "add",
    domain: "spam.example",
    severity: "suspend",
    reason: "Spam waves.",
  });
  expect(opened.status).toBe(201);
  const id = opened.body.id as number;
  expect(opened.body.history).toEqual([
    expect.objectContaining({ action: "opened", actor: "alice", instance: "a.example" }),
  ]);

  app.clock.set(hoursAfter(start, 1));
  expect(
    (await b.api.put(`/api/v1/proposals/${id}/vote`, { vote: "no", comment: "Not sure." })).status,
  ).toBe(200);
  app.clock.set(hoursAfter(start, 2));
  expect((await c.api.put(`/api/v1/proposals/${id}/vote`, { vote: "abstain" })).status).toBe(200);
  // A comment is in the discussion, not in the history.
  expect((await c.api.post(`/api/v1/proposals/${id}/comments`, { body: "Hm." })).status).toBe(201);
  app.clock.set(hoursAfter(start, 3));
  expect((await c.api.delete(`/api/v1/proposals/${id}/vote`)).status).toBe(204);
  app.clock.set(hoursAfter(start, 4));
  const changed = await b.api.put(`/api/v1/proposals/${id}/vote`, {
    vote: "yes",
    severity: "silence",
    comment: "Convinced by the evidence.",
  });
  expect(changed.status).toBe(200);
  expect(changed.body.status).toBe("open");
  // The events of another proposal on the same list do not leak in.
  const other = await d.api.post("/api/v1/lists/votes/proposals", {
    kind: "add",
    domain: "other.example",
    severity: "silence",
  });
  expect(other.status).toBe(201);
  expect((await d.api.post(`/api/v1/proposals/${other.body.id as number}/withdraw`)).status).toBe(
    200,
  );
  app.clock.set(hoursAfter(start, 5));
  const passed = await d.api.put(`/api/v1/proposals/${id}/vote`, { vote: "yes" });
  expect(passed.status).toBe(200);
  expect(passed.body.status).toBe("passed");

  expect(await history(c, id)).toEqual([
    { at: start, action: "opened", actor: "alice", instance: "a.example", vote: "yes" },
    {
      at: hoursAfter(start, 1),
      action: "voteCast",
      actor: "bob",
      instance: "b.example",
      vote: "no",
      comment: "Not sure.",
    },
    {
      at: hoursAfter(start, 2),
      action: "voteCast",
      actor: "carol",
      instance: "c.example",
      vote: "abstain",
    },
    {
      at: hoursAfter(start, 3),
      action: "voteRetracted",
      actor: "carol",
      instance: "c.example",
      vote: "abstain",
    },
    {
      at: hoursAfter(start, 4),
      action: "voteChanged",
      actor: "bob",
      instance: "b.example",
      vote: "yes",
      previousVote: "no",
      severity: "silence",
      comment: "Convinced by the evidence.",
    },
    {
      at: hoursAfter(start, 5),
      action: "voteCast",
      actor: "dave",
      instance: "d.example",
      vote: "yes",
    },
    {
      at: hoursAfter(start, 5),
      action: "passed",
      actor: "dave",
      instance: "d.example",
      outcome: "passed",
      tally: { yes: 3, no: 0, abstain: 0 },
    },
  ]);
  // The history's ids follow its order (same time: the vote before the pass it caused).
  const ids = ((await a.api.get(`/api/v1/proposals/${id}`)).body.history as { id: number }[]).map(
    (item) => item.id,
  );
  expect(ids).toEqual([...ids].sort((x, y) => x - y));
});

test("a proposal rejected when its window closes: the service closes it, with no actor", async () => {
  const start = "2026-04-06T08:00:00.000Z";
  app.clock.set(start);
  const opened = await a.api.post("/api/v1/lists/timed/proposals", {
    kind: "add",
    domain: "lonely.example",
    severity: "silence",
  });
  expect(opened.status).toBe(201);
  const id = opened.body.id as number;
  app.clock.set(hoursAfter(start, 30));
  expect((await b.api.put(`/api/v1/proposals/${id}/vote`, { vote: "no" })).status).toBe(200);
  const closes = hoursAfter(start, 7 * 24);
  app.clock.set(closes);
  expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 1 });
  // Later events about the same domain (a new proposal) are not part of this one's history.
  app.clock.set(hoursAfter(start, 7 * 24 + 1));
  const again = await c.api.post("/api/v1/lists/timed/proposals", {
    kind: "add",
    domain: "lonely.example",
    severity: "silence",
  });
  expect(again.status).toBe(201);

  expect(await history(b, id)).toEqual([
    { at: start, action: "opened", actor: "alice", instance: "a.example", vote: "yes" },
    {
      at: hoursAfter(start, 30),
      action: "voteCast",
      actor: "bob",
      instance: "b.example",
      vote: "no",
    },
    { at: closes, action: "rejected", outcome: "rejected", tally: { yes: 1, no: 1, abstain: 0 } },
  ]);
  expect((await history(c, again.body.id as number)).map((item) => item.action)).toEqual([
    "opened",
  ]);
});

test("a curator's decision is in the history with its reason; a withdrawal too", async () => {
  app.clock.set("2026-05-04T09:00:00.000Z");
  const decided = await a.api.post("/api/v1/lists/votes/proposals", {
    kind: "add",
    domain: "decided.example",
    severity: "suspend",
  });
  const id = decided.body.id as number;
  app.clock.advanceHours(1);
  const decision = await admin.api.post(`/api/v1/proposals/${id}/decide`, {
    outcome: "rejected",
    reason: "Duplicate of an older report.",
  });
  expect(decision.status).toBe(200);
  expect(decision.body.history.at(-1)).toMatchObject({
    action: "decided",
    actor: "operator",
    instance: "operator.example",
    outcome: "rejected",
    reason: "Duplicate of an older report.",
    tally: { yes: 1, no: 0, abstain: 0 },
  });

  const withdrawn = await b.api.post("/api/v1/lists/votes/proposals", {
    kind: "add",
    domain: "withdrawn.example",
    severity: "suspend",
  });
  app.clock.advanceHours(1);
  const done = await b.api.post(`/api/v1/proposals/${withdrawn.body.id as number}/withdraw`);
  expect(done.status).toBe(200);
  expect((await history(a, withdrawn.body.id as number)).map((item) => item.action)).toEqual([
    "opened",
    "withdrawn",
  ]);
});

test("the history is members-only, like the rest of the proposal", async () => {
  const response = await request(app.url).get("/api/v1/proposals/1");
  expect(response.status).toBe(401);
});
