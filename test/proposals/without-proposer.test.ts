// A proposal no member made (from an upstream source the list follows, or from a listed
// domain's verified appeal) opens with no proposer and no vote: even a quorum of one does not
// pass it at once, the members vote on it under the list's rules, nobody can withdraw it, and
// a curator may decide it.
import { afterAll, beforeAll, expect, test } from "vitest";
import { findVisibleList } from "../../server/lists/lists.service.js";
import { createProposalWithoutProposer } from "../../server/proposals/proposals.service.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let curator: Member, alice: Member, admin: Member;

beforeAll(async () => {
  app = await startTestApp();
  curator = await addMember(app, "carol", "curators.example", "curator");
  alice = await addMember(app, "alice", "a.example");
  admin = await addMember(app, "operator", "operator.example", "admin");
  const list = await admin.api.post("/api/v1/lists", {
    slug: "followed",
    name: "Followed",
    policy: policy({ quorum: 1, votingDays: 7 }),
  });
  expect(list.status, JSON.stringify(list.body)).toBe(201);
});
afterAll(() => app.close());

async function openFrom(origin: "source" | "appeal", domain: string) {
  return app.ctx.db.transaction(async (tx) =>
    createProposalWithoutProposer(
      tx,
      app.ctx,
      await findVisibleList(tx, "system", "followed"),
      { kind: "add", domain, severity: "suspend", reason: "Listed upstream" },
      origin,
    ),
  );
}

test("a source's proposal opens with no proposer and no vote, even under a quorum of one", async () => {
  const opened = await openFrom("source", "upstream.example");
  expect(opened.outcome).toBe("open");

  const detail = await alice.api.get(`/api/v1/proposals/${opened.id}`);
  expect(detail.status).toBe(200);
  expect(detail.body).toMatchObject({
    status: "open",
    origin: "source",
    proposer: null,
    tally: { yes: 0, no: 0, abstain: 0 },
    myVote: null,
    canVote: true,
    canWithdraw: false,
  });
  expect(detail.body.history).toEqual([
    expect.not.objectContaining({ vote: expect.anything(), actor: expect.anything() }),
  ]);
  expect(detail.body.history[0].action).toBe("opened");

  // The list's own decision: one member's yes meets the quorum of one.
  const vote = await alice.api.put(`/api/v1/proposals/${opened.id}/vote`, { vote: "yes" });
  expect(vote.status, JSON.stringify(vote.body)).toBe(200);
  expect(vote.body.status).toBe("passed");
  const entry = await alice.api.get("/api/v1/lists/followed/entries/upstream.example");
  expect(entry.status).toBe(200);
  expect(entry.body).toMatchObject({ listed: true, entry: { severity: "suspend" } });
});

test("nobody can withdraw an appeal's proposal; a curator may decide it", async () => {
  const opened = await openFrom("appeal", "appealing.example");
  const withdraw = await alice.api.post(`/api/v1/proposals/${opened.id}/withdraw`, {});
  expect(withdraw.status).toBe(403);
  expect(withdraw.body.detail).toMatch(/came from an appeal and has no proposer/);

  const listed = await alice.api.get("/api/v1/lists/followed/proposals?status=open");
  expect(listed.status).toBe(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({ id: opened.id, origin: "appeal", proposer: null }),
  ]);

  const decided = await curator.api.post(`/api/v1/proposals/${opened.id}/decide`, {
    outcome: "rejected",
    reason: "Not ours to add",
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  expect(decided.body).toMatchObject({ status: "rejected", origin: "appeal" });
});

test("a member's proposal still names its proposer and counts its yes", async () => {
  const opened = await alice.api.post("/api/v1/lists/followed/proposals", {
    kind: "add",
    domain: "member.example",
    severity: "silence",
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  expect(opened.body).toMatchObject({
    origin: "member",
    proposer: { username: "alice", instance: "a.example" },
    status: "passed",
  });
});

test("an archived list takes no proposal from a source or an appeal either", async () => {
  const archived = await admin.api.patch("/api/v1/lists/followed", { archived: true });
  expect(archived.status, JSON.stringify(archived.body)).toBe(200);
  await expect(openFrom("source", "after-archive.example")).rejects.toMatchObject({
    status: 409,
    code: "list_archived",
  });
  await expect(openFrom("appeal", "after-archive.example")).rejects.toMatchObject({
    code: "list_archived",
  });
});
