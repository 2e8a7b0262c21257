// Audit events of proposals and votes carry the service's clock, not the database's: with the
// clock moved years past the wall clock, `at` is the clock's time and `?since=`/`?until=` on the
// audit log select by it, in agreement with the proposal's own timestamps.
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDueProposals } from "../../server/proposals/scheduler.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member, a: Member, b: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  a = await addMember(app, "alice", "a.example");
  b = await addMember(app, "bob", "b.example");
  const list = await admin.api.post("/api/v1/lists", {
    slug: "timed",
    name: "Timed",
    policy: policy({ quorum: 3, votingDays: 7 }),
  });
  expect(list.status).toBe(201);
});
afterAll(() => app.close());

interface AuditItem {
  at: string;
  action: string;
  actor: { username: string } | null;
}

async function audit(query: string): Promise<[string, string, string | null][]> {
  const response = await a.api.get(`/api/v1/audit?list=timed&${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items as AuditItem[]).map((item) => [
    item.at,
    item.action,
    item.actor?.username ?? null,
  ]);
}

test("an audit event's `at` is the clock's time, and ?since= and ?until= filter by it", async () => {
  // Five years past the wall clock (whole hours), so no wall-clock time falls among them.
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 5 * 365 * 86_400_000;
  const hoursLater = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
  const [opened, voted, commented] = [hoursLater(0), hoursLater(5), hoursLater(23.5)];
  app.clock.set(opened);
  const proposal = await a.api.post("/api/v1/lists/timed/proposals", {
    kind: "add",
    domain: "later.example",
    severity: "silence",
  });
  expect(proposal.status).toBe(201);
  const id = proposal.body.id as number;
  app.clock.set(voted);
  expect((await b.api.put(`/api/v1/proposals/${id}/vote`, { vote: "no" })).status).toBe(200);
  app.clock.set(commented);
  expect((await b.api.post(`/api/v1/proposals/${id}/comments`, { body: "why?" })).status).toBe(201);
  // The window closes a week after opening; the scheduler closes it as the service.
  const closes = new Date(new Date(opened).getTime() + 7 * 86_400_000).toISOString();
  app.clock.set(closes);
  expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 1 });

  const detail = await a.api.get(`/api/v1/proposals/${id}`);
  expect(detail.body).toMatchObject({ openedAt: opened, closedAt: closes });

  expect(await audit(`since=${opened}`)).toEqual([
    [closes, "proposal.rejected", null],
    [commented, "proposal.commented", "bob"],
    [voted, "vote.cast", "bob"],
    [opened, "proposal.opened", "alice"],
  ]);
  expect(await audit(`since=${voted}&until=${closes}`)).toEqual([
    [commented, "proposal.commented", "bob"],
    [voted, "vote.cast", "bob"],
  ]);
  // Before the proposal was opened on the clock: the list's creation, none of the proposal's.
  expect((await audit(`until=${opened}`)).map(([, action]) => action)).toEqual(["list.created"]);
});
