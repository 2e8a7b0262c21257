// Review dates (issue 18, ADR 0032): under a list's reviewMonths an entry is due that many
// months after it last changed or was confirmed; the API says so (reviewDue), the JSON export
// carries only the date (its ETag moves with revisions, never with the clock); a member confirms
// it (audited, a new revision); the weekly entries.review_due event lists what is due.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addMonths } from "../../server/reviews/review-dates.js";
import { REVIEW_DUE_ACTION, raiseReviewDue } from "../../server/reviews/reviews.service.js";
import { ReviewScheduler, checkReviewDue } from "../../server/reviews/scheduler.js";
import { testDialect } from "../support/database.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";

let app: TestApp;
let alice: Member, admin: Member;
let seededAt: Date;

beforeAll(async () => {
  app = await startTestApp();
  alice = await addMember(app, "alice", "a.example");
  admin = await addMember(app, "operator", "operator.example", "admin");
  const list = await admin.api.post("/api/v1/lists", {
    slug: "aging",
    name: "Aging",
    policy: policy(),
  });
  expect(list.body.policy).toMatchObject({ reviewMonths: null, appealCooldownDays: 30 });
  seededAt = app.clock.now();
  await seedEntries(app.ctx, "aging", [
    { domain: "old.example", severity: "suspend" },
    { domain: "kept.example", severity: "silence" },
    { domain: "a.example", severity: "noop" },
  ]);
});
afterAll(() => app.close());

const entryPage = (domain: string) => request(app.url).get(`/api/v1/lists/aging/entries/${domain}`);
const jsonExport = () => request(app.url).get("/lists/aging.json");
const reviewAtIn = (body: { domain: string; review_at?: string }[], domain: string) =>
  body.find((row) => row.domain === domain)?.review_at;

test.each([
  ["2026-01-31T10:00:00.000Z", 1, "2026-02-28T10:00:00.000Z"],
  ["2028-01-31T10:00:00.000Z", 1, "2028-02-29T10:00:00.000Z"],
  ["2026-11-15T00:00:00.000Z", 3, "2027-02-15T00:00:00.000Z"],
  ["2026-03-31T00:00:00.000Z", -1, "2026-02-28T00:00:00.000Z"],
])("%s plus %i months is %s", (from, months, expected) => {
  expect(addMonths(new Date(from), months).toISOString()).toBe(expected);
});

describe("an entry's review date", () => {
  test("none by default: no date, never due, not in the export", async () => {
    const page = await entryPage("old.example");
    expect(page.body).toMatchObject({ reviewAt: null, reviewDue: false, reviewedAt: null });
    expect(reviewAtIn((await jsonExport()).body, "old.example")).toBeUndefined();
    const confirm = await alice.api.post("/api/v1/lists/aging/entries/old.example/review");
    expect([confirm.status, confirm.body.code]).toEqual([409, "no_review_dates"]);
  });

  test("reviewMonths dates every entry: a new revision, the date in the export, due once passed", async () => {
    const before = await jsonExport();
    const patched = await admin.api.patch("/api/v1/lists/aging", { policy: { reviewMonths: 6 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.policy.reviewMonths).toBe(6);
    const after = await jsonExport();
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const reviewAt = addMonths(seededAt, 6).toISOString();
    expect(reviewAtIn(after.body, "old.example")).toBe(reviewAt);
    expect((await entryPage("old.example")).body).toMatchObject({ reviewAt, reviewDue: false });

    app.clock.set(reviewAt);
    expect((await entryPage("old.example")).body).toMatchObject({ reviewAt, reviewDue: true });
    // The export does not change with the clock: same bytes, same ETag.
    const later = await jsonExport();
    expect([later.headers.etag, later.text]).toEqual([after.headers.etag, after.text]);
    const revalidated = await jsonExport().set("If-None-Match", after.headers.etag!);
    expect(revalidated.status).toBe(304);
  });

  test("a member confirms: recorded, audited, a new revision, the date starts again", async () => {
    const before = await jsonExport();
    const entryBefore = (await entryPage("kept.example")).body;
    const confirmed = await alice.api.post("/api/v1/lists/aging/entries/kept.example/review");
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const now = app.clock.now();
    expect(confirmed.body).toMatchObject({
      reviewAt: addMonths(now, 6).toISOString(),
      reviewDue: false,
      reviewedAt: now.toISOString(),
      // The entry itself did not change.
      entry: { updatedAt: entryBefore.entry.updatedAt },
    });
    const after = await jsonExport();
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(reviewAtIn(after.body, "kept.example")).toBe(addMonths(now, 6).toISOString());
    const audit = await admin.api.get("/api/v1/audit?list=aging");
    expect(audit.body.items[0]).toMatchObject({
      action: "entry.review_confirmed",
      subject: "kept.example",
      actor: { username: "alice", instance: "a.example" },
      after: { reviewedAt: now.toISOString() },
    });
  });

  test("refused: its own instance's entry, an unknown entry, anonymous callers", async () => {
    const own = await alice.api.post("/api/v1/lists/aging/entries/a.example/review");
    expect([own.status, own.body.code]).toEqual([403, "own_instance"]);
    const unknown = await alice.api.post("/api/v1/lists/aging/entries/nope.example/review");
    expect(unknown.status).toBe(404);
    const anonymous = await request(app.url).post("/api/v1/lists/aging/entries/old.example/review");
    expect(anonymous.status).toBe(401);
  });
});

describe("the weekly entries.review_due event", () => {
  const dueEvents = () =>
    app.ctx.db.prisma.auditEvent.findMany({
      where: { action: REVIEW_DUE_ACTION },
      orderBy: { id: "asc" },
    });

  test("lists what is due, once a week, from the scheduler's first check on", async () => {
    const hook = await alice.api.post("/api/v1/webhooks", {
      url: "https://hooks.example/reviews",
      events: ["entries.review_due"],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const scheduler = new ReviewScheduler(app.ctx);
    await scheduler.start();
    scheduler.stop();
    const [first] = await dueEvents();
    expect(first).toMatchObject({ subject: "aging", actorUsername: null });
    const due = JSON.parse(first!.after!) as { count: number; due: { domain: string }[] };
    // kept.example was confirmed; the others are past their date.
    expect(due.due.map((entry) => entry.domain)).toEqual(["a.example", "old.example"]);
    expect(due.count).toBe(2);
    // The same list reaches the member's webhook through the outbox.
    const [delivery] = await app.ctx.db.prisma.webhookDelivery.findMany({
      where: { webhookId: hook.body.id as number },
    });
    expect(delivery?.event).toBe("entries.review_due");
    expect(JSON.parse(delivery!.payload)).toMatchObject({
      list: { slug: "aging" },
      count: 2,
      due: [{ domain: "a.example" }, { domain: "old.example" }],
    });

    app.clock.advance(6 * 86_400_000);
    expect(await raiseReviewDue(app.ctx)).toEqual([]);
    app.clock.advance(86_400_000);
    const again = await raiseReviewDue(app.ctx);
    expect(again.map((list) => list.slug)).toEqual(["aging"]);
    expect((await dueEvents()).length).toBe(2);
  });

  test.runIf(testDialect === "postgres")(
    "on PostgreSQL, checks running at once in several processes raise it once",
    async () => {
      app.clock.advance(7 * 86_400_000);
      const before = (await dueEvents()).length;
      const checks = await Promise.all([1, 2, 3].map(() => checkReviewDue(app.ctx)));
      expect(checks.flatMap((check) => check.raised).map((list) => list.slug)).toEqual(["aging"]);
      expect((await dueEvents()).length).toBe(before + 1);
    },
  );
});
