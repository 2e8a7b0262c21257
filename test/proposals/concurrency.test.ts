// 100 concurrent votes on one proposal from 100 instances (SPEC §9): every vote counted once,
// and the proposal passes exactly once (one revision, one audit event).
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import { createList } from "../../server/lists/lists.service.js";
import { openProposal } from "../../server/proposals/proposals.service.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";

let app: TestApp;
const voters: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  await addAccount(app.ctx, "proposer", "member", "proposer.example");
  for (let i = 0; i < 100; i++) {
    await addAccount(app.ctx, `voter${i}`, "member", `v${i}.example`);
    voters.push(await tokenFor(app.ctx, `voter${i}`, ["read", "write"]));
  }
});
afterAll(() => app.close());

async function open(slug: string, quorum: number, domain: string) {
  await createList(app.ctx, "system", {
    slug,
    name: slug,
    policy: { quorum, threshold: 0.5, minOpenHours: 0 },
  });
  const account = await app.ctx.db.prisma.account.findUniqueOrThrow({
    where: { username: "proposer" },
  });
  const proposer = (await actorForSession(app.ctx, account.id))!;
  return (await openProposal(app.ctx, proposer, slug, { kind: "add", domain, severity: "suspend" }))
    .id;
}

const voteAll = (id: number) =>
  Promise.all(
    voters.map((token) =>
      request(app.url)
        .put(`/api/v1/proposals/${id}/vote`)
        .set("Authorization", `Bearer ${token}`)
        .send({ vote: "yes" }),
    ),
  );

async function outcome(slug: string, id: number) {
  const list = await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug } });
  return {
    status: (await app.ctx.db.prisma.proposal.findUniqueOrThrow({ where: { id } })).status,
    votes: await app.ctx.db.prisma.vote.count({ where: { proposalId: id } }),
    revision: list.revision,
    entries: await app.ctx.db.prisma.entry.count({ where: { listId: list.id } }),
    changes: await app.ctx.db.prisma.listChange.count({ where: { listId: list.id } }),
    passedEvents: await app.ctx.db.prisma.auditEvent.count({
      where: { listId: list.id, action: "proposal.passed" },
    }),
    voteEvents: await app.ctx.db.prisma.auditEvent.count({
      where: { listId: list.id, action: "vote.cast" },
    }),
  };
}

test("all 100 votes are counted, and the last one passes the proposal exactly once", async () => {
  const id = await open("all-count", 101, "crowd.example");
  const responses = await voteAll(id);
  expect(responses.map((r) => r.status)).toEqual(voters.map(() => 200));
  // Each answer shows the proposal as it is after that vote's commit, so several may already
  // show "passed"; the database says how many times it passed.
  expect(await outcome("all-count", id)).toEqual({
    status: "passed",
    votes: 101,
    revision: 1,
    entries: 1,
    changes: 1,
    passedEvents: 1,
    voteEvents: 100,
  });
});

test("votes racing past the quorum: one pass, and every later vote is a clean 409", async () => {
  const id = await open("race", 50, "race.example");
  const responses = await voteAll(id);
  const accepted = responses.filter((r) => r.status === 200);
  const refused = responses.filter((r) => r.status === 409);
  expect(accepted.length + refused.length).toBe(100);
  expect(accepted).toHaveLength(49);
  expect(refused.every((r) => r.body.code === "proposal_closed")).toBe(true);
  expect(await outcome("race", id)).toEqual({
    status: "passed",
    votes: 50,
    revision: 1,
    entries: 1,
    changes: 1,
    passedEvents: 1,
    voteEvents: 49,
  });
});
