// Appeals by listed instances (issue 18): an appeal made with no account, verified against the
// domain's own (fake) web server, voted through by the members and the entry removed; what the
// appellant sees and may do; every refusal, each with its code.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import { FakeWellKnown } from "../fakes/well-known.js";

let app: TestApp;
let wellKnown: FakeWellKnown;
let alice: Member, bob: Member, curator: Member;

const anyone = () => request(app.url);

beforeAll(async () => {
  wellKnown = new FakeWellKnown();
  await wellKnown.listen();
  app = await startTestApp({
    env: {
      FEDIBLOCK_VERIFICATION_BASE: wellKnown.base,
      FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true",
    },
  });
  alice = await addMember(app, "alice", "a.example");
  bob = await addMember(app, "bob", "b.example");
  curator = await addMember(app, "carol", "curators.example", "curator");
  const admin = await addMember(app, "operator", "operator.example", "admin");
  for (const [slug, visibility, extra] of [
    ["shared", "public", { quorum: 2, threshold: 0.5 }],
    ["cooling", "public", { quorum: 2, appealCooldownDays: 10 }],
    ["private", "members", {}],
  ] as const) {
    const list = await admin.api.post("/api/v1/lists", {
      slug,
      name: slug,
      visibility,
      policy: policy(extra),
    });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
  }
  await seedEntries(app.ctx, "shared", [
    { domain: "wronged.example", severity: "suspend", publicComment: "spam" },
    { domain: "changing.example", severity: "suspend", publicComment: "spam" },
    { domain: "busy.example", severity: "silence" },
    { domain: "errors.example", severity: "silence" },
  ]);
  await seedEntries(app.ctx, "cooling", [{ domain: "again.example", severity: "suspend" }]);
  await seedEntries(app.ctx, "private", [{ domain: "hidden.example", severity: "suspend" }]);
});
afterAll(async () => {
  await app.close();
  await wellKnown.close();
});

async function appeal(slug: string, domain: string, body: object = { rebuttal: "We fixed it." }) {
  return anyone().post(`/api/v1/lists/${slug}/entries/${domain}/appeals`).send(body);
}

async function verifiedAppeal(slug: string, domain: string, body?: object) {
  const created = await appeal(slug, domain, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  wellKnown.serveToken(domain, created.body.verification.token);
  const verified = await anyone().post(`/api/v1/appeals/${created.body.id}/verify`);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return {
    ...(created.body as { id: number; appealToken: string }),
    proposal: verified.body.proposal,
  };
}

test("the fake serves each domain's file under /{domain}, and 404 for the rest", async () => {
  wellKnown.serveToken("fake-check.example", "t0ken");
  const base = wellKnown.base.replace("/{domain}", "");
  const served = await request(base).get("/fake-check.example/.well-known/fediblock-verification");
  expect([served.status, served.text]).toEqual([200, "t0ken\n"]);
  const other = await request(base).get("/other.example/.well-known/fediblock-verification");
  expect(other.status).toBe(404);
});

test("an appeal verified against the domain's server is voted through and the entry removed", async () => {
  const created = await appeal("shared", "Wronged.Example", {
    rebuttal: "We moderate now; see our rules.",
    links: ["https://wronged.example/about/rules"],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toEqual({
    id: expect.any(Number),
    status: "unverified",
    verification: {
      url:
        wellKnown.base.replace("{domain}", "wronged.example") +
        "/.well-known/fediblock-verification",
      token: expect.stringMatching(/^fediblock-verification-/),
    },
    appealToken: expect.stringMatching(/^fba_/),
  });
  const { id, appealToken } = created.body as { id: number; appealToken: string };
  // Only the appeal token's hash is stored.
  const row = await app.ctx.db.prisma.appeal.findUniqueOrThrow({ where: { id } });
  expect(row.appealTokenHash).not.toContain(appealToken);
  expect(row.appealTokenHash).toMatch(/^[0-9a-f]{64}$/);

  // Unverified: public on its page, never a proposal the members see.
  const page = await anyone().get(`/api/v1/appeals/${id}`);
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({
    status: "unverified",
    proposal: null,
    domain: "wronged.example",
  });
  const open = await alice.api.get("/api/v1/lists/shared/proposals?status=open");
  expect(open.body.items).toEqual([]);
  // Alice's instance hears of the verified appeal by webhook (its outbox row is the proof).
  const hook = await alice.api.post("/api/v1/webhooks", {
    url: "https://hooks.example/appeals",
    events: ["appeal.opened"],
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);

  wellKnown.serveToken("wronged.example", created.body.verification.token);
  const verified = await anyone().post(`/api/v1/appeals/${id}/verify`);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const deliveries = await app.ctx.db.prisma.webhookDelivery.findMany({
    where: { webhookId: hook.body.id as number },
  });
  expect(deliveries.map((delivery) => delivery.event)).toEqual(["appeal.opened"]);
  expect(JSON.parse(deliveries[0]!.payload)).toMatchObject({
    list: { slug: "shared" },
    appeal: id,
    domain: "wronged.example",
    kind: "remove",
    rebuttal: "We moderate now; see our rules.",
    proposal: verified.body.proposal.id,
  });
  expect(verified.body).toMatchObject({
    status: "open",
    proposal: { kind: "remove", status: "open", tally: { yes: 0, no: 0, abstain: 0 } },
  });
  const proposalId = verified.body.proposal.id as number;
  expect(wellKnown.requests.at(-1)).toEqual({
    domain: "wronged.example",
    path: "/.well-known/fediblock-verification",
  });

  // The appellant comments with the appeal token; members see it on the proposal.
  const comment = await anyone()
    .post(`/api/v1/appeals/${id}/comments`)
    .send({ appealToken, body: "Our moderation log is public too." });
  expect(comment.status, JSON.stringify(comment.body)).toBe(201);
  const proposal = await alice.api.get(`/api/v1/proposals/${proposalId}`);
  expect(proposal.body).toMatchObject({
    origin: "appeal",
    proposer: null,
    reason: "We moderate now; see our rules.",
    appeal: {
      id,
      rebuttal: "We moderate now; see our rules.",
      links: ["https://wronged.example/about/rules"],
      comments: [expect.objectContaining({ body: "Our moderation log is public too." })],
    },
  });

  // The appellant has no vote: not even as a member instance of the appealing domain.
  const appellant = await addMember(app, "wronged-admin", "wronged.example");
  const theirs = await appellant.api.get(`/api/v1/proposals/${proposalId}`);
  expect(theirs.body.canVote).toBe(false);
  const theirVote = await appellant.api.put(`/api/v1/proposals/${proposalId}/vote`, {
    vote: "yes",
  });
  expect([theirVote.status, theirVote.body.code]).toEqual([403, "own_instance"]);

  for (const member of [alice, bob]) {
    const vote = await member.api.put(`/api/v1/proposals/${proposalId}/vote`, {
      vote: "yes",
      comment: `${member.username} agrees`,
    });
    expect(vote.status, JSON.stringify(vote.body)).toBe(200);
  }
  const entry = await anyone().get("/api/v1/lists/shared/entries/wronged.example");
  expect(entry.body.listed).toBe(false);

  const outcome = await anyone().get(`/api/v1/appeals/${id}`);
  expect(outcome.body).toMatchObject({
    status: "passed",
    verification: null,
    proposal: {
      id: proposalId,
      status: "passed",
      tally: { yes: 2, no: 0, abstain: 0 },
      decidedBy: "votes",
    },
    comments: [expect.objectContaining({ body: "Our moderation log is public too." })],
  });
  // Never the voters: no names, no instances, no vote comments.
  for (const secret of ["alice", "bob", "a.example", "b.example", "agrees", "wronged-admin"]) {
    expect(outcome.text).not.toContain(secret);
  }
  // Closed: no more comments.
  const late = await anyone()
    .post(`/api/v1/appeals/${id}/comments`)
    .send({ appealToken, body: "Thanks." });
  expect([late.status, late.body.code]).toEqual([409, "appeal_closed"]);
});

test("a change appeal opens a change proposal with the fields asked for", async () => {
  const { proposal } = await verifiedAppeal("shared", "changing.example", {
    kind: "change",
    rebuttal: "We are not spam, only loud.",
    fields: { severity: "silence" },
  });
  const detail = await alice.api.get(`/api/v1/proposals/${proposal.id}`);
  expect(detail.body).toMatchObject({ kind: "change", severity: "silence", origin: "appeal" });
  const decided = await curator.api.post(`/api/v1/proposals/${proposal.id}/decide`, {
    outcome: "passed",
    reason: "Fair: silence it.",
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  const entry = await anyone().get("/api/v1/lists/shared/entries/changing.example");
  expect(entry.body.entry.severity).toBe("silence");
  const page = await anyone().get(`/api/v1/appeals/${detail.body.appeal.id}`);
  expect(page.body.proposal).toMatchObject({
    decidedBy: "curator",
    decisionReason: "Fair: silence it.",
  });
  expect(page.text).not.toContain("carol");
});

describe("refusals", () => {
  test.each([
    ["no rebuttal", "shared", "busy.example", {}, 400, "invalid_request"],
    [
      "fields on a removal",
      "shared",
      "busy.example",
      { rebuttal: "x", fields: { severity: "noop" } },
      400,
      "invalid_request",
    ],
    [
      "a change that changes nothing",
      "shared",
      "busy.example",
      { kind: "change", rebuttal: "x", fields: { severity: "silence" } },
      400,
      "invalid_request",
    ],
    [
      "a private comment",
      "shared",
      "busy.example",
      { kind: "change", rebuttal: "x", fields: { privateComment: "y" } },
      400,
      "invalid_request",
    ],
    ["a domain not listed", "shared", "unlisted.example", { rebuttal: "x" }, 404, "not_found"],
    ["a members-only list", "private", "hidden.example", { rebuttal: "x" }, 404, "not_found"],
    ["an unknown list", "nowhere", "busy.example", { rebuttal: "x" }, 404, "not_found"],
  ])("%s: %i", async (_name, slug, domain, body, status, code) => {
    const response = await appeal(slug, domain, body);
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  test.each([
    [
      "a wrong token",
      { status: 200, body: "someone-else" },
      "verification_mismatch",
      /serves "someone-else", not this appeal's token/,
    ],
    ["no file", { status: 404, body: "Not Found" }, "verification_not_found", /answered 404/],
    ["a server error", { status: 503, body: "down" }, "verification_status", /answered 503/],
    ["an unreachable server", "drop" as const, "verification_unreachable", /could not be fetched/],
  ])("verification finding %s: 422 %s", async (_name, reply, code, detail) => {
    const created = await appeal("shared", "errors.example");
    expect(created.status).toBe(201);
    wellKnown.serve("errors.example", reply);
    const response = await anyone().post(`/api/v1/appeals/${created.body.id}/verify`);
    expect([response.status, response.body.code]).toEqual([422, code]);
    expect(response.body.detail).toMatch(detail);
    expect((await anyone().get(`/api/v1/appeals/${created.body.id}`)).body.status).toBe(
      "unverified",
    );
  });

  test("an unknown appeal is 404; a verified one cannot be verified again (409 appeal_verified)", async () => {
    expect((await anyone().post("/api/v1/appeals/999999/verify")).status).toBe(404);
    expect((await anyone().get("/api/v1/appeals/999999")).status).toBe(404);
    const { id } = await verifiedAppeal("shared", "errors.example");
    const again = await anyone().post(`/api/v1/appeals/${id}/verify`);
    expect([again.status, again.body.code]).toEqual([409, "appeal_verified"]);
    // One open appeal per entry.
    const second = await appeal("shared", "errors.example");
    expect([second.status, second.body.code, second.body.appealId]).toEqual([
      409,
      "appeal_open",
      id,
    ]);
    // A wrong appeal token cannot comment.
    const forged = await anyone()
      .post(`/api/v1/appeals/${id}/comments`)
      .send({ appealToken: "fba_guess", body: "hello" });
    expect([forged.status, forged.body.code]).toEqual([403, "appeal_token"]);
  });

  test("a member's proposal open on the entry: 409 proposal_open, on appeal and on verify", async () => {
    const early = await appeal("shared", "busy.example");
    expect(early.status).toBe(201);
    const opened = await alice.api.post("/api/v1/lists/shared/proposals", {
      kind: "change",
      domain: "busy.example",
      severity: "suspend",
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const late = await appeal("shared", "busy.example");
    expect([late.status, late.body.code, late.body.proposalId]).toEqual([
      409,
      "proposal_open",
      opened.body.id,
    ]);
    wellKnown.serveToken("busy.example", early.body.verification.token);
    const verify = await anyone().post(`/api/v1/appeals/${early.body.id}/verify`);
    expect([verify.status, verify.body.code]).toEqual([409, "proposal_open"]);
  });
});

test("a rejected appeal may be renewed only after the list's appealCooldownDays", async () => {
  const { proposal } = await verifiedAppeal("cooling", "again.example");
  const rejected = await curator.api.post(`/api/v1/proposals/${proposal.id}/decide`, {
    outcome: "rejected",
    reason: "Still spamming.",
  });
  expect(rejected.status).toBe(200);
  const soon = await appeal("cooling", "again.example");
  expect([soon.status, soon.body.code]).toEqual([409, "appeal_cooldown"]);
  expect(soon.body.detail).toMatch(/10 days after a rejection/);
  expect(Number(soon.headers["retry-after"])).toBe(10 * 86_400);

  app.clock.advanceHours(10 * 24 - 1);
  expect((await appeal("cooling", "again.example")).body.code).toBe("appeal_cooldown");
  app.clock.advanceHours(1);
  const renewed = await appeal("cooling", "again.example");
  expect(renewed.status, JSON.stringify(renewed.body)).toBe(201);
});
