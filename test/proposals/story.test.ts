// The whole story of issue 3, through HTTP only: a list is created, a block is proposed,
// voted through at its threshold, published, and later retracted.
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member;
let a: Member, b: Member, c: Member, d: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  a = await addMember(app, "alice", "a.example");
  b = await addMember(app, "bob", "b.example");
  c = await addMember(app, "carol", "c.example");
  d = await addMember(app, "dave", "d.example");
});
afterAll(() => app.close());

const csvRows = async () => {
  const response = await request(app.url).get("/lists/fedipact.csv");
  expect(response.status).toBe(200);
  return parse(response.text, { columns: true }) as Record<string, string>[];
};
const revision = async () =>
  (await request(app.url).get("/api/v1/lists/fedipact")).body.revision as number;

test("propose threads.net, vote it through at 3 of 4 under a 0.75 threshold, publish it, then retract it", async () => {
  const created = await admin.browser.post("/api/v1/lists", {
    slug: "fedipact",
    name: "FediPact",
    description: "Instances pledged to block Meta's Threads.",
    policy: { quorum: 3, threshold: 0.75, minOpenHours: 0 },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    slug: "fedipact",
    visibility: "public",
    revision: 0,
    policy: {
      quorum: 3,
      threshold: 0.75,
      votingDays: 14,
      minOpenHours: 0,
      severityRule: "majority",
    },
  });

  const proposed = await a.browser.post("/api/v1/lists/fedipact/proposals", {
    kind: "add",
    domain: "Threads.net",
    severity: "suspend",
    reason: "Meta's Threads: surveillance business, no moderation we can trust.",
    publicComment: "Meta / Threads",
    tags: ["corporate"],
  });
  expect(proposed.status).toBe(201);
  expect(proposed.body).toMatchObject({
    kind: "add",
    domain: "threads.net",
    status: "open",
    tally: { yes: 1, no: 0, abstain: 0 },
    myVote: { vote: "yes", severity: "suspend" },
  });
  const id = proposed.body.id as number;

  const afterB = await b.api.put(`/api/v1/proposals/${id}/vote`, {
    vote: "yes",
    comment: "Agreed.",
  });
  expect(afterB.status).toBe(200);
  expect(afterB.body).toMatchObject({ status: "open", tally: { yes: 2, no: 0 } });

  const afterC = await c.api.put(`/api/v1/proposals/${id}/vote`, {
    vote: "no",
    comment: "Defederate per user instead.",
  });
  expect(afterC.body).toMatchObject({ status: "open", tally: { yes: 2, no: 1 } });
  expect(await csvRows()).toEqual([]);
  expect(await revision()).toBe(0);

  const afterD = await d.browser.put(`/api/v1/proposals/${id}/vote`, { vote: "yes" });
  expect(afterD.status).toBe(200);
  expect(afterD.body).toMatchObject({
    status: "passed",
    tally: { yes: 3, no: 1 },
    appliedSeverity: "suspend",
  });

  expect(await csvRows()).toEqual([
    {
      "#domain": "threads.net",
      "#severity": "suspend",
      "#reject_media": "false",
      "#reject_reports": "false",
      "#public_comment": "Meta / Threads",
      "#obfuscate": "false",
    },
  ]);
  expect(await revision()).toBe(1);
  const added = await request(app.url).get("/api/v1/lists/fedipact/changes?since=0");
  expect(added.body).toEqual({
    revision: 1,
    changes: [
      {
        revision: 1,
        action: "added",
        domain: "threads.net",
        entry: expect.objectContaining({
          domain: "threads.net",
          severity: "suspend",
          tags: ["corporate"],
        }),
      },
    ],
  });
  expect(added.body.changes[0].entry).not.toHaveProperty("privateComment");

  const removal = await b.api.post("/api/v1/lists/fedipact/proposals", {
    kind: "remove",
    domain: "threads.net",
    reason: "Threads left the fediverse.",
  });
  expect(removal.status).toBe(201);
  const removalId = removal.body.id as number;
  await a.api.put(`/api/v1/proposals/${removalId}/vote`, { vote: "yes" });
  const removed = await c.api.put(`/api/v1/proposals/${removalId}/vote`, { vote: "yes" });
  expect(removed.body).toMatchObject({ status: "passed", tally: { yes: 3, no: 0 } });

  expect(await csvRows()).toEqual([]);
  expect(await revision()).toBe(2);
  const feed = await request(app.url).get("/api/v1/lists/fedipact/changes?since=1");
  expect(feed.body.revision).toBe(2);
  expect(feed.body.changes).toEqual([
    {
      revision: 2,
      action: "removed",
      domain: "threads.net",
      entry: expect.objectContaining({ domain: "threads.net" }),
    },
  ]);

  const audit = await a.api.get("/api/v1/audit?list=fedipact&limit=100");
  expect(audit.status).toBe(200);
  const steps = (
    audit.body.items as {
      action: string;
      actor: { instance: string | null } | null;
      subject: string;
    }[]
  )
    .reverse()
    .map((event) => [event.action, event.actor?.instance ?? null, event.subject]);
  expect(steps).toEqual([
    ["list.created", "operator.example", "fedipact"],
    ["proposal.opened", "a.example", "threads.net"],
    ["vote.cast", "b.example", "threads.net"],
    ["vote.cast", "c.example", "threads.net"],
    ["vote.cast", "d.example", "threads.net"],
    ["proposal.passed", "d.example", "threads.net"],
    ["proposal.opened", "b.example", "threads.net"],
    ["vote.cast", "a.example", "threads.net"],
    ["vote.cast", "c.example", "threads.net"],
    ["proposal.passed", "c.example", "threads.net"],
  ]);
});
