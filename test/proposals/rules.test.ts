// The rules of SPEC §2 for proposals and votes, through HTTP, with a clock moved by hand.
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDueProposals } from "../../server/proposals/scheduler.js";
import { addAccount, startTestApp, type TestApp } from "../support/app.js";
import { addMember, bearerApi, policy, type Member } from "../support/members.js";
import { tokenFor } from "../support/app.js";

let app: TestApp;
let admin: Member, curator: Member, a: Member, a2: Member, b: Member, c: Member, d: Member;
let listCount = 0;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  curator = await addMember(app, "cora", "curators.example", "curator");
  a = await addMember(app, "alice", "a.example");
  a2 = await addMember(app, "alfred", "a.example");
  b = await addMember(app, "bob", "b.example");
  c = await addMember(app, "carol", "c.example");
  d = await addMember(app, "dave", "d.example");
});
afterAll(() => app.close());

async function newList(overrides: Record<string, unknown> = {}): Promise<string> {
  const slug = `list-${++listCount}`;
  const response = await admin.api.post("/api/v1/lists", {
    slug,
    name: slug,
    policy: policy(overrides),
  });
  expect(response.status).toBe(201);
  return slug;
}

async function propose(member: Member, slug: string, body: Record<string, unknown>) {
  const response = await member.api.post(`/api/v1/lists/${slug}/proposals`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: number; status: string };
}

const vote = (member: Member, id: number, body: Record<string, unknown>) =>
  member.api.put(`/api/v1/proposals/${id}/vote`, body);

async function listed(slug: string, domain: string) {
  const response = await request(app.url).get(`/api/v1/lists/${slug}/entries/${domain}`);
  return response.status === 200 ? (response.body.entry as Record<string, unknown> | null) : null;
}

/** Adds a domain to a list through a proposal a curator decides. */
async function seed(slug: string, domain: string, fields: Record<string, unknown>) {
  const { id } = await propose(a, slug, { kind: "add", domain, ...fields });
  const decided = await curator.api.post(`/api/v1/proposals/${id}/decide`, {
    outcome: "passed",
    reason: "seed",
  });
  expect(decided.body.status).toBe("passed");
}

describe("minOpenHours", () => {
  test("holds back a proposal that has the votes, which passes when the time comes, with no request", async () => {
    const slug = await newList({ quorum: 2, minOpenHours: 24 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "spam.example",
      severity: "suspend",
    });
    const voted = await vote(b, id, { vote: "yes" });
    expect(voted.body).toMatchObject({ status: "open", tally: { yes: 2, no: 0 } });
    expect(await listed(slug, "spam.example")).toBeNull();

    app.clock.advanceHours(23);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 0 });
    app.clock.advanceHours(1);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 1, rejected: 0 });
    expect((await a.api.get(`/api/v1/proposals/${id}`)).body.status).toBe("passed");
    expect(await listed(slug, "spam.example")).toMatchObject({ severity: "suspend" });
  });
});

describe("the voting window", () => {
  test("a proposal without the votes is rejected when its window closes", async () => {
    const slug = await newList({ quorum: 3, votingDays: 14 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "maybe.example",
      severity: "silence",
    });
    await vote(b, id, { vote: "no" });
    app.clock.advanceHours(14 * 24 - 1);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 0 });
    app.clock.advanceHours(1);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 1 });
    const closed = await a.api.get(`/api/v1/proposals/${id}`);
    expect(closed.body).toMatchObject({ status: "rejected", tally: { yes: 1, no: 1 } });
    expect(await listed(slug, "maybe.example")).toBeNull();

    const late = await vote(c, id, { vote: "yes" });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("proposal_closed");
  });

  /** What the audit log says closed a proposal: the action and who (null: the service). */
  async function closingEvents(id: number) {
    const events = await app.ctx.db.prisma.auditEvent.findMany({
      where: { action: { startsWith: "proposal." }, NOT: { action: "proposal.opened" } },
      orderBy: { id: "asc" },
    });
    return events
      .filter((event) => (JSON.parse(event.after ?? "{}") as { proposal?: number }).proposal === id)
      .map((event) => [event.action, event.actorUsername]);
  }

  // Between closesAt and the scheduler's run (downtime, a start before the scheduler, another
  // process), the proposal is still open in the database: no request may pass or decide it.
  type Answer = { status: number; body: { code?: string; detail?: string } };
  const lateRequests: [string, (id: number) => PromiseLike<Answer>][] = [
    ["a vote that would pass it", (id) => vote(c, id, { vote: "yes" })],
    ["a retraction", (id) => b.api.delete(`/api/v1/proposals/${id}/vote`)],
    ["a withdrawal", (id) => a.api.post(`/api/v1/proposals/${id}/withdraw`)],
    [
      "a curator's decision",
      (id) =>
        curator.api.post(`/api/v1/proposals/${id}/decide`, { outcome: "passed", reason: "late" }),
    ],
  ];
  test.each(lateRequests)(
    "%s after the window closed, before the scheduler ran: 409, and the proposal is rejected as the scheduler would",
    async (_name, send) => {
      const slug = await newList({ quorum: 3, votingDays: 7 });
      const { id } = await propose(a, slug, {
        kind: "add",
        domain: "late.example",
        severity: "suspend",
      });
      await vote(b, id, { vote: "yes" });
      const { closesAt } = (await a.api.get(`/api/v1/proposals/${id}`)).body as {
        closesAt: string;
      };
      app.clock.set(closesAt);

      const late = await send(id);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe("proposal_closed");
      expect(late.body.detail).toBe(
        `Proposal ${id} is closed (rejected): its voting window closed on ${closesAt}.`,
      );
      const after = await a.api.get(`/api/v1/proposals/${id}`);
      expect(after.body).toMatchObject({
        status: "rejected",
        tally: { yes: 2, no: 0, abstain: 0 },
        decision: null,
        closedAt: closesAt,
      });
      expect(await listed(slug, "late.example")).toBeNull();
      expect(await closingEvents(id)).toEqual([["proposal.rejected", null]]);
      // Settled once: the scheduler's run leaves it alone, and the domain is free again.
      await closeDueProposals(app.ctx);
      expect(await closingEvents(id)).toEqual([["proposal.rejected", null]]);
      const again = await propose(c, slug, {
        kind: "add",
        domain: "late.example",
        severity: "suspend",
      });
      expect((await c.api.post(`/api/v1/proposals/${again.id}/withdraw`)).status).toBe(200);
    },
  );

  test("reading a proposal past its window, before the scheduler ran, shows it settled, not open", async () => {
    const slug = await newList({ quorum: 3, votingDays: 7 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "unread.example",
      severity: "suspend",
    });
    const { closesAt } = (await a.api.get(`/api/v1/proposals/${id}`)).body as {
      closesAt: string;
    };
    app.clock.set(closesAt);

    // The list of open proposals no longer offers it for voting...
    const open = await a.api.get(`/api/v1/lists/${slug}/proposals?status=open`);
    expect(open.body.items).toEqual([]);
    const all = await a.api.get(`/api/v1/lists/${slug}/proposals`);
    expect(all.body.items).toEqual([expect.objectContaining({ id, status: "rejected" })]);
    // ...nor does its page, and it was settled once, by the service.
    const detail = await b.api.get(`/api/v1/proposals/${id}`);
    expect(detail.body).toMatchObject({ status: "rejected", closedAt: closesAt });
    expect(await closingEvents(id)).toEqual([["proposal.rejected", null]]);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 0 });
  });

  test("a vote cast one millisecond before the window closes still counts and passes it", async () => {
    const slug = await newList({ quorum: 3, votingDays: 7 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "just-in-time.example",
      severity: "suspend",
    });
    await vote(b, id, { vote: "yes" });
    const { closesAt } = (await a.api.get(`/api/v1/proposals/${id}`)).body as { closesAt: string };
    app.clock.set(new Date(new Date(closesAt).getTime() - 1));
    const passed = await vote(c, id, { vote: "yes" });
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ status: "passed", tally: { yes: 3 } });
    expect(await listed(slug, "just-in-time.example")).toMatchObject({ severity: "suspend" });
  });

  test("late requests racing each other settle it once; all are 409", async () => {
    const slug = await newList({ quorum: 3, votingDays: 7 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "race-late.example",
      severity: "suspend",
    });
    app.clock.advanceHours(7 * 24 + 1);
    const answers = await Promise.all([b, c, d].map((member) => vote(member, id, { vote: "yes" })));
    expect(answers.map((answer) => answer.status)).toEqual([409, 409, 409]);
    expect(await closingEvents(id)).toEqual([["proposal.rejected", null]]);
    expect(await app.ctx.db.prisma.vote.count({ where: { proposalId: id } })).toBe(1);
  });

  test("one that had the votes before its window closed, never settled, is passed (not rejected) by a late request", async () => {
    // minOpenHours equal to the window: the votes decide at its end.
    const slug = await newList({ quorum: 2, votingDays: 2, minOpenHours: 48 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "held.example",
      severity: "silence",
    });
    expect((await vote(b, id, { vote: "yes" })).body.status).toBe("open");
    app.clock.advanceHours(72);
    const late = await vote(c, id, { vote: "no" });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain(`Proposal ${id} is closed (passed)`);
    const after = await a.api.get(`/api/v1/proposals/${id}`);
    expect(after.body).toMatchObject({ status: "passed", tally: { yes: 2, no: 0 } });
    expect(await listed(slug, "held.example")).toMatchObject({ severity: "silence" });
    expect(await closingEvents(id)).toEqual([["proposal.passed", null]]);
  });
});

describe("curators decide", () => {
  test("passed: applied at once with the reason recorded", async () => {
    const slug = await newList({ quorum: 10 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "urgent.example",
      severity: "suspend",
      tags: ["csam"],
    });
    const decided = await curator.api.post(`/api/v1/proposals/${id}/decide`, {
      outcome: "passed",
      reason: "CSAM: no waiting.",
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: "passed",
      decision: { by: "cora", reason: "CSAM: no waiting." },
    });
    expect(await listed(slug, "urgent.example")).toMatchObject({
      severity: "suspend",
      tags: ["csam"],
    });
  });

  test("rejected: closed, nothing applied", async () => {
    const slug = await newList({ quorum: 10 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "fine.example",
      severity: "suspend",
    });
    const decided = await curator.api.post(`/api/v1/proposals/${id}/decide`, {
      outcome: "rejected",
      reason: "No evidence.",
    });
    expect(decided.body).toMatchObject({ status: "rejected", decision: { by: "cora" } });
    expect(await listed(slug, "fine.example")).toBeNull();
  });

  test("members may not decide; a reason is required", async () => {
    const slug = await newList({ quorum: 10 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "x.example",
      severity: "suspend",
    });
    expect(
      (await b.api.post(`/api/v1/proposals/${id}/decide`, { outcome: "passed", reason: "me" }))
        .status,
    ).toBe(403);
    const noReason = await curator.api.post(`/api/v1/proposals/${id}/decide`, {
      outcome: "passed",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe("reason");
  });
});

describe("withdrawal", () => {
  test("by any account of the proposer's instance; others get 403; voting afterwards is 409", async () => {
    const slug = await newList();
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "oops.example",
      severity: "noop",
    });
    expect((await b.api.post(`/api/v1/proposals/${id}/withdraw`)).status).toBe(403);
    const withdrawn = await a2.api.post(`/api/v1/proposals/${id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe("withdrawn");
    expect((await vote(b, id, { vote: "yes" })).status).toBe(409);
    // The domain is free for a new proposal.
    await propose(b, slug, { kind: "add", domain: "oops.example", severity: "noop" });
  });
});

describe("one open proposal per domain, and the kinds' preconditions", () => {
  test("a second open proposal for the same domain is 409", async () => {
    const slug = await newList();
    const first = await propose(a, slug, {
      kind: "add",
      domain: "dup.example",
      severity: "suspend",
    });
    const second = await b.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "DUP.example.",
      severity: "silence",
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("proposal_open");
    expect(second.body.detail).toContain(`Proposal ${first.id}`);
    expect(second.body.proposalId).toBe(first.id);
  });

  test("add of a listed domain is 409; change or remove of an unlisted one is 404", async () => {
    const slug = await newList();
    await seed(slug, "listed.example", { severity: "suspend" });
    const add = await b.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "listed.example",
      severity: "suspend",
    });
    expect(add.status).toBe(409);
    expect(add.body.code).toBe("already_listed");
    for (const kind of ["change", "remove"]) {
      const response = await b.api.post(`/api/v1/lists/${slug}/proposals`, {
        kind,
        domain: "unlisted.example",
        ...(kind === "change" ? { severity: "noop" } : {}),
      });
      expect(response.status).toBe(404);
    }
  });

  test("bad proposals are 400 with the field named", async () => {
    const slug = await newList();
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "add", domain: "no-severity.example" }, "severity"],
      [{ kind: "add", domain: "https://x.example/", severity: "suspend" }, "domain"],
      [{ kind: "add", domain: "ex*mple.com", severity: "suspend" }, "domain"],
      [{ kind: "add", domain: "x.example", severity: "ban" }, "severity"],
      [{ kind: "add", domain: "x.example", severity: "suspend", tags: ["nazis"] }, "tags.0"],
      [
        {
          kind: "add",
          domain: "x.example",
          severity: "suspend",
          evidence: ["javascript:alert(1)"],
        },
        "evidence.0",
      ],
      [{ kind: "add", domain: "x.example", severity: "suspend", sevrity: "x" }, "sevrity"],
      [{ kind: "purge", domain: "x.example" }, "kind"],
    ];
    for (const [body, field] of cases) {
      const response = await a.api.post(`/api/v1/lists/${slug}/proposals`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await app.ctx.db.prisma.proposal.count({ where: { list: { slug } } })).toBe(0);
  });
});

describe("who votes", () => {
  test("the proposed domain's own instance may neither vote (403) nor propose itself", async () => {
    const slug = await newList();
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "d.example",
      severity: "silence",
    });
    const response = await vote(d, id, { vote: "no" });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("own_instance");
    const self = await d.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "d.example",
      severity: "noop",
    });
    expect(self.status).toBe(403);
  });

  test("a subdomain instance cannot vote on its parent's block either", async () => {
    const sub = await addMember(app, "sam", "social.parent.example");
    const slug = await newList();
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "parent.example",
      severity: "suspend",
    });
    expect((await vote(sub, id, { vote: "no" })).status).toBe(403);
  });

  test("one vote per instance: a second account of A changes A's vote rather than adding one", async () => {
    const slug = await newList({ quorum: 5 });
    const { id } = await propose(b, slug, {
      kind: "add",
      domain: "one.example",
      severity: "suspend",
    });
    await vote(a, id, { vote: "yes" });
    const changed = await vote(a2, id, { vote: "no", comment: "alfred disagrees" });
    expect(changed.body.tally).toEqual({ yes: 1, no: 1, abstain: 0 });
    const detail = await b.api.get(`/api/v1/proposals/${id}`);
    expect(
      detail.body.votes.map((v: { instance: string; username: string; vote: string }) => [
        v.instance,
        v.username,
        v.vote,
      ]),
    ).toEqual([
      ["b.example", "bob", "yes"],
      ["a.example", "alfred", "no"],
    ]);
    expect(await app.ctx.db.prisma.vote.count({ where: { proposalId: id } })).toBe(2);
  });

  test("A's member cannot vote as B: an instance field is refused, and A's vote counts for A only", async () => {
    const slug = await newList({ quorum: 5 });
    const { id } = await propose(c, slug, {
      kind: "add",
      domain: "as-b.example",
      severity: "suspend",
    });
    const votesNow = async () => {
      const detail = await b.api.get(`/api/v1/proposals/${id}`);
      return {
        tally: detail.body.tally as Record<string, number>,
        votes: (detail.body.votes as { instance: string; username: string; vote: string }[]).map(
          (v) => [v.instance, v.username, v.vote],
        ),
        bobsOwnVote: detail.body.myVote as unknown,
      };
    };

    for (const field of ["instance", "instanceId", "instanceDomain"]) {
      const value = field === "instanceId" ? 0 : "b.example";
      const response = await vote(a, id, { vote: "yes", [field]: value });
      expect(response.status, field).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect(await votesNow()).toEqual({
      tally: { yes: 1, no: 0, abstain: 0 },
      votes: [["c.example", "carol", "yes"]],
      bobsOwnVote: null,
    });

    expect((await vote(a, id, { vote: "no" })).status).toBe(200);
    expect(await votesNow()).toEqual({
      tally: { yes: 1, no: 1, abstain: 0 },
      votes: [
        ["c.example", "carol", "yes"],
        ["a.example", "alice", "no"],
      ],
      bobsOwnVote: null,
    });

    // B has not voted yet, and still can: its vote is its own, next to A's.
    const bobVoted = await vote(b, id, { vote: "yes", comment: "bob agrees" });
    expect(bobVoted.body.myVote).toMatchObject({ vote: "yes", by: "bob" });
    expect(await votesNow()).toMatchObject({
      tally: { yes: 2, no: 1, abstain: 0 },
      votes: [
        ["c.example", "carol", "yes"],
        ["a.example", "alice", "no"],
        ["b.example", "bob", "yes"],
      ],
    });

    // A's token retracts A's vote, whatever it names; B's stays.
    const retracted = await a.api.delete(`/api/v1/proposals/${id}/vote?instance=b.example`);
    expect(retracted.status).toBe(204);
    const again = await a2.api.delete(`/api/v1/proposals/${id}/vote?instance=b.example`);
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe(`A vote of a.example on proposal ${id} not found.`);
    expect(await votesNow()).toMatchObject({
      tally: { yes: 2, no: 0, abstain: 0 },
      votes: [
        ["c.example", "carol", "yes"],
        ["b.example", "bob", "yes"],
      ],
      bobsOwnVote: { vote: "yes", comment: "bob agrees", by: "bob" },
    });
  });

  test("a vote can be retracted while open", async () => {
    const slug = await newList({ quorum: 5 });
    const { id } = await propose(b, slug, {
      kind: "add",
      domain: "retract.example",
      severity: "suspend",
    });
    await vote(c, id, { vote: "no" });
    expect((await c.api.delete(`/api/v1/proposals/${id}/vote`)).status).toBe(204);
    expect((await c.api.delete(`/api/v1/proposals/${id}/vote`)).status).toBe(404);
    expect((await b.api.get(`/api/v1/proposals/${id}`)).body.tally).toEqual({
      yes: 1,
      no: 0,
      abstain: 0,
    });
  });

  test("an account with no instance cannot vote or propose", async () => {
    const loner = await addAccount(app.ctx, "loner", "admin", null);
    const api = bearerApi(app, await tokenFor(app.ctx, loner.username, ["read", "write"]));
    const slug = await newList();
    const proposed = await api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "z.example",
      severity: "suspend",
    });
    expect(proposed.status).toBe(403);
    expect(proposed.body.code).toBe("no_instance");
  });
});

describe("change proposals", () => {
  test("apply only the fields they change", async () => {
    const slug = await newList({ quorum: 2 });
    await seed(slug, "change.example", {
      severity: "silence",
      rejectMedia: true,
      publicComment: "Spam",
      privateComment: "reports #12",
      tags: ["spam"],
    });
    const unchanged = await b.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "change",
      domain: "change.example",
      severity: "silence",
    });
    expect(unchanged.status).toBe(400);

    const { id } = await propose(b, slug, {
      kind: "change",
      domain: "change.example",
      severity: "silence",
      publicComment: "Spam and harassment",
      tags: ["spam", "harassment"],
    });
    const detail = await b.api.get(`/api/v1/proposals/${id}`);
    expect(detail.body).toMatchObject({
      publicComment: "Spam and harassment",
      tags: ["harassment", "spam"],
    });
    expect(detail.body).not.toHaveProperty("severity");
    expect(detail.body.current).toMatchObject({ publicComment: "Spam", severity: "silence" });

    await vote(c, id, { vote: "yes", severity: "suspend" });
    const entry = await listed(slug, "change.example");
    expect(entry).toMatchObject({
      severity: "silence",
      rejectMedia: true,
      publicComment: "Spam and harassment",
      tags: ["harassment", "spam"],
    });
    expect(entry).not.toHaveProperty("privateComment");
    const asMember = await c.api.get(`/api/v1/lists/${slug}/entries/change.example`);
    expect(asMember.body.entry.privateComment).toBe("reports #12");
  });

  test("a severity change follows the list's rule over the yes votes", async () => {
    const slug = await newList({ quorum: 3, severityRule: "majority" });
    await seed(slug, "sev.example", { severity: "noop" });
    const { id } = await propose(b, slug, {
      kind: "change",
      domain: "sev.example",
      severity: "silence",
    });
    await vote(c, id, { vote: "yes", severity: "suspend" });
    const passed = await vote(a, id, { vote: "yes", severity: "suspend" });
    expect(passed.body).toMatchObject({ status: "passed", appliedSeverity: "suspend" });
    expect(await listed(slug, "sev.example")).toMatchObject({ severity: "suspend" });
  });
});

describe("the proposal keeps its policy", () => {
  test("a later policy change does not affect an open proposal", async () => {
    const slug = await newList({ quorum: 2 });
    const { id } = await propose(a, slug, {
      kind: "add",
      domain: "kept.example",
      severity: "suspend",
    });
    expect((await admin.api.patch(`/api/v1/lists/${slug}`, { policy: { quorum: 5 } })).status).toBe(
      200,
    );
    const passed = await vote(b, id, { vote: "yes" });
    expect(passed.body).toMatchObject({ status: "passed", policy: { quorum: 2 } });
  });
});

describe("CSV of awkward comments", () => {
  test("a comment with a comma, a quote and a newline parses back to the same fields", async () => {
    const slug = await newList({ quorum: 1 });
    const publicComment = 'Harassment, "free speech" zone\nsee thread; für Übersicht';
    await propose(a, slug, {
      kind: "add",
      domain: "quote.example",
      severity: "silence",
      rejectReports: true,
      obfuscate: true,
      publicComment,
    });
    const response = await request(app.url).get(`/lists/${slug}.csv`);
    expect(
      response.text.startsWith(
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n",
      ),
    ).toBe(true);
    expect(parse(response.text, { columns: true })).toEqual([
      {
        "#domain": "quote.example",
        "#severity": "silence",
        "#reject_media": "false",
        "#reject_reports": "true",
        "#public_comment": publicComment,
        "#obfuscate": "true",
      },
    ]);
  });
});
