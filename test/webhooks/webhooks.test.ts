// Webhooks end to end (issue 18): the API, deliveries signed and received by a local receiver,
// what each receiver may see, nothing sent for a rolled-back write, retries with backoff on
// the injected clock, a webhook disabled after a day of failures, and `proposal.closing`.
import pg from "pg";
import request from "supertest";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { DEFAULT_FIELDS } from "../../server/lists/entry-fields.js";
import { nextRevision, writeEntry } from "../../server/lists/entry-writes.js";
import { runDeliveryPass } from "../../server/webhooks/deliverer.js";
import { deliveryView, webhookView } from "../../server/webhooks/webhook.schema.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { testDialect } from "../support/database.js";
import { startReceiver, type Receiver } from "./receiver.js";

let app: TestApp;
const tokens: Record<string, string> = {};
let receivers: Receiver[] = [];

const api = () => request(app.url);
const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

beforeAll(async () => {
  app = await startTestApp({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
  for (const [name, role, instance] of [
    ["alice", "member", "alice.example"],
    ["bob", "member", "bob.example"],
    ["carol", "member", "carol.example"],
    ["cora", "curator", "cora.example"],
    ["root", "admin", null],
  ] as const) {
    await addAccount(app.ctx, name, role, instance);
    tokens[name] = await tokenFor(
      app.ctx,
      name,
      ["read", "write", "admin"].slice(0, role === "admin" ? 3 : 2) as never,
    );
  }
  await createList(app.ctx, "system", { slug: "open", name: "Open", visibility: "public" });
  await createList(app.ctx, "system", { slug: "inner", name: "Inner", visibility: "members" });
});
afterAll(() => app.close());
beforeEach(async () => {
  await app.ctx.db.prisma.webhook.deleteMany();
});
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function addWebhook(who: string, events: string[], extra: object = {}) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const created = await api()
    .post("/api/v1/webhooks")
    .set(as(who))
    .send({ url: receiver.url, events, ...extra });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { receiver, id: created.body.id as number };
}

const propose = (who: string, list: string, domain: string, extra: object = {}) =>
  api()
    .post(`/api/v1/lists/${list}/proposals`)
    .set(as(who))
    .send({ kind: "add", domain, severity: "suspend", reason: "members-only argument", ...extra });

const pass = () => runDeliveryPass(app.ctx);

test("POST answers the secret once; GET lists without it; DELETE removes; bad input is a clear 400", async () => {
  const created = await api()
    .post("/api/v1/webhooks")
    .set(as("alice"))
    .send({ url: "http://127.0.0.1:9/hook", events: ["proposal.opened", "entry.added"] });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    url: "http://127.0.0.1:9/hook",
    events: ["proposal.opened", "entry.added"],
    instance: "alice.example",
  });
  expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);

  const listed = await api().get("/api/v1/webhooks").set(as("alice"));
  expect(listed.body.items).toHaveLength(1);
  expect(listed.body.items[0]).not.toHaveProperty("secret");
  webhookView.parse(listed.body.items[0]);
  // Another instance neither sees nor deletes it.
  expect((await api().get("/api/v1/webhooks").set(as("bob"))).body.items).toEqual([]);
  expect((await api().delete(`/api/v1/webhooks/${created.body.id}`).set(as("bob"))).status).toBe(
    404,
  );

  const unknownEvent = await api()
    .post("/api/v1/webhooks")
    .set(as("alice"))
    .send({ url: "https://hooks.example/x", events: ["proposal.opend"] });
  expect(unknownEvent.status).toBe(400);
  expect(unknownEvent.type).toBe("application/problem+json");
  expect(unknownEvent.body.errors[0].field).toBe("events.0");
  const badUrl = await api()
    .post("/api/v1/webhooks")
    .set(as("alice"))
    .send({ url: "ftp://hooks.example/x", events: ["entry.added"] });
  expect(badUrl.status).toBe(400);
  expect(badUrl.body.detail).toMatch(/use https:\/\//);
  const noEvents = await api()
    .post("/api/v1/webhooks")
    .set(as("alice"))
    .send({ url: "https://hooks.example/x", events: [] });
  expect(noEvents.status).toBe(400);
  const serviceWide = await api()
    .post("/api/v1/webhooks")
    .set(as("alice"))
    .send({ url: "https://hooks.example/x", events: ["entry.added"], serviceWide: true });
  expect(serviceWide.status).toBe(403);

  expect((await api().delete(`/api/v1/webhooks/${created.body.id}`).set(as("alice"))).status).toBe(
    204,
  );
  expect((await api().get("/api/v1/webhooks").set(as("alice"))).body.items).toEqual([]);
});

test("a delivery is signed, names its event, carries a stable delivery id and a timestamp", async () => {
  const { receiver, id } = await addWebhook("alice", ["proposal.opened"]);
  const opened = await propose("bob", "open", "signed.example");
  expect(opened.status).toBe(201);
  expect(await pass()).toMatchObject({ sent: 1, delivered: 1 });

  const [got] = await receiver.waitFor(1);
  expect(got!.verified).toBe(true);
  expect(got!.headers["x-fediblock-event"]).toBe("proposal.opened");
  expect(got!.headers["x-fediblock-delivery"]).toBe(got!.body.id);
  expect(got!.headers["x-fediblock-timestamp"]).toBe(
    String(Math.floor(app.clock.now().getTime() / 1000)),
  );
  expect(got!.body).toMatchObject({
    event: "proposal.opened",
    list: { slug: "open", visibility: "public" },
    proposal: { id: opened.body.id, domain: "signed.example", reason: "members-only argument" },
  });
  const deliveries = await api().get(`/api/v1/webhooks/${id}/deliveries`).set(as("alice"));
  expect(deliveries.body.items).toEqual([
    expect.objectContaining({
      id: got!.body.id,
      event: "proposal.opened",
      status: "delivered",
      attempts: 1,
      lastAttemptAt: app.clock.now().toISOString(),
    }),
  ]);
  deliveryView.parse(deliveries.body.items[0]);
  // Delivered once: the next pass sends nothing.
  expect(await pass()).toMatchObject({ sent: 0 });
});

test("members' webhooks see members-only fields; a service-wide one sees only what anyone may", async () => {
  const member = await addWebhook("alice", ["proposal.opened", "proposal.passed", "entry.added"]);
  const service = await addWebhook("root", ["proposal.opened", "proposal.passed", "entry.added"]);
  const listed = await api().get("/api/v1/webhooks").set(as("root"));
  expect(listed.body.items.map((w: { instance: string | null }) => w.instance)).toEqual([null]);

  for (const list of ["open", "inner"]) {
    const opened = await propose("bob", list, `private-${list}.example`, {
      privateComment: "moderators' notes",
      publicComment: "harassment campaign",
      evidence: ["https://evidence.example/1"],
    });
    expect(opened.status).toBe(201);
    const decided = await api()
      .post(`/api/v1/proposals/${opened.body.id}/decide`)
      .set(as("cora"))
      .send({ outcome: "passed", reason: "clear case" });
    expect(decided.status).toBe(200);
  }
  await pass();

  const events = (r: Receiver) =>
    r.received.map((d) => `${d.body.event} ${(d.body.list as { slug: string }).slug}`);
  expect(events(member.receiver).sort()).toEqual([
    "entry.added inner",
    "entry.added open",
    "proposal.opened inner",
    "proposal.opened open",
    "proposal.passed inner",
    "proposal.passed open",
  ]);
  // Public list only; no open proposal; public fields only.
  expect(events(service.receiver).sort()).toEqual(["entry.added open", "proposal.passed open"]);
  expect(service.receiver.received.every((d) => d.verified)).toBe(true);
  const publicEntry = service.receiver.received.find((d) => d.body.event === "entry.added")!;
  expect(publicEntry.body.entry).toMatchObject({
    domain: "private-open.example",
    publicComment: "harassment campaign",
  });
  expect(publicEntry.body.entry).not.toHaveProperty("privateComment");
  expect(publicEntry.body.entry).not.toHaveProperty("evidence");
  const publicPassed = service.receiver.received.find((d) => d.body.event === "proposal.passed")!;
  expect(publicPassed.body.proposal).toEqual({
    kind: "add",
    domain: "private-open.example",
    status: "passed",
    openedAt: expect.any(String),
    closedAt: expect.any(String),
    decidedBy: "curator",
    tally: { yes: 1, no: 0, abstain: 0 },
    publicReason: "harassment campaign",
  });
  const memberEntry = member.receiver.received.find(
    (d) => d.body.event === "entry.added" && (d.body.list as { slug: string }).slug === "open",
  )!;
  expect(memberEntry.body.entry).toMatchObject({
    privateComment: "moderators' notes",
    evidence: ["https://evidence.example/1"],
  });
});

test("nothing is written or sent for a rolled-back write", async () => {
  const { receiver, id } = await addWebhook("alice", ["entry.added"]);
  const list = await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug: "open" } });
  await expect(
    app.ctx.db.transaction(async (tx) => {
      const now = app.clock.now();
      const revision = await nextRevision(tx, list.id, now);
      await writeEntry(tx, {
        listId: list.id,
        revision,
        domain: "rolled-back.example",
        fields: { severity: "suspend", ...DEFAULT_FIELDS },
        proposalId: null,
        now,
      });
      throw new Error("rolled back on purpose");
    }),
  ).rejects.toThrow("rolled back on purpose");
  expect(await app.ctx.db.prisma.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
  expect(await pass()).toMatchObject({ sent: 0 });
  expect(receiver.received).toEqual([]);

  // The same write committed is delivered.
  await app.ctx.db.transaction(async (tx) => {
    const now = app.clock.now();
    const revision = await nextRevision(tx, list.id, now);
    await writeEntry(tx, {
      listId: list.id,
      revision,
      domain: "committed.example",
      fields: { severity: "suspend", ...DEFAULT_FIELDS },
      proposalId: null,
      now,
    });
  });
  await pass();
  expect(receiver.received.map((d) => (d.body.entry as { domain: string }).domain)).toEqual([
    "committed.example",
  ]);
});

test("a failing receiver is retried with a growing delay, each attempt recorded, until it answers", async () => {
  const { receiver, id } = await addWebhook("alice", ["proposal.opened"]);
  receiver.answer = (nth) => (nth <= 3 ? 500 : 200);
  await propose("bob", "open", "retried.example");
  const start = app.clock.now().getTime();
  const at = (ms: number) => app.clock.set(new Date(start + ms));

  // Attempts at 0, +1 min, +6 min (1 + 5), +36 min (6 + 30): each only once due.
  for (const [due, sent] of [
    [0, 1],
    [59_000, 0],
    [60_000, 1],
    [359_000, 0],
    [360_000, 1],
    [2_159_000, 0],
    [2_160_000, 1],
  ] as const) {
    at(due);
    expect((await pass()).sent, `at +${due} ms`).toBe(sent);
  }
  expect(receiver.received).toHaveLength(4);
  expect(new Set(receiver.received.map((d) => d.body.id)).size).toBe(1);
  expect(receiver.received.every((d) => d.verified)).toBe(true);

  const [delivery] = (await api().get(`/api/v1/webhooks/${id}/deliveries`).set(as("alice"))).body
    .items;
  expect(delivery).toMatchObject({ status: "delivered", attempts: 4, nextAttemptAt: null });
  expect(delivery.tries.map((t: { httpStatus: number }) => t.httpStatus)).toEqual([
    500, 500, 500, 200,
  ]);
  expect(delivery.tries[0].error).toBe("HTTP 500");
  const webhook = (await api().get("/api/v1/webhooks").set(as("alice"))).body.items[0];
  expect(webhook).toMatchObject({ failingSince: null, disabledAt: null });
});

test("a webhook failing for a day gives up its delivery, is disabled and says so", async () => {
  const { receiver, id } = await addWebhook("alice", ["proposal.opened"]);
  receiver.answer = () => 503;
  await propose("bob", "open", "unreachable.example");
  const start = app.clock.now().getTime();
  let attempts = 0;
  for (let hour = 0; hour <= 25; hour += 0.5) {
    app.clock.set(new Date(start + hour * 3_600_000));
    attempts += (await pass()).sent;
  }
  // 0, 1m, 6m, 36m, 2h36m, 8h36m, 14h36m, 20h36m, and the last at 24 h.
  expect(attempts).toBe(9);
  const [delivery] = (await api().get(`/api/v1/webhooks/${id}/deliveries`).set(as("alice"))).body
    .items;
  expect(delivery).toMatchObject({ status: "failed", attempts: 9, nextAttemptAt: null });
  const webhook = (await api().get("/api/v1/webhooks").set(as("alice"))).body.items[0];
  expect(webhook.disabledAt).toBe(new Date(start + 86_400_000).toISOString());
  expect(webhook.disabledReason).toMatch(/every delivery since .* failed \(last: HTTP 503\)/);

  // A disabled webhook hears nothing more.
  await propose("bob", "open", "after-disable.example");
  expect(await app.ctx.db.prisma.webhookDelivery.count({ where: { webhookId: id } })).toBe(1);
});

test("proposal.closing reaches, 24 h before the window ends, only the instances that have not voted", async () => {
  await createList(app.ctx, "system", {
    slug: "short",
    name: "Short",
    policy: { votingDays: 3, quorum: 5 },
  });
  const hooks = {
    alice: await addWebhook("alice", ["proposal.closing"]),
    bob: await addWebhook("bob", ["proposal.closing"]),
    carol: await addWebhook("carol", ["proposal.closing"]),
    root: await addWebhook("root", ["proposal.closing"]),
  };
  const opened = await propose("alice", "short", "closing.example");
  expect(
    (
      await api()
        .put(`/api/v1/proposals/${opened.body.id}/vote`)
        .set(as("bob"))
        .send({ vote: "no" })
    ).status,
  ).toBe(200);
  const start = app.clock.now().getTime();

  app.clock.set(new Date(start + 47 * 3_600_000 + 59 * 60_000));
  await pass();
  expect(hooks.carol.receiver.received).toEqual([]);
  app.clock.set(new Date(start + 48 * 3_600_000));
  expect(await pass()).toMatchObject({ notices: 1 });
  await pass();

  expect(hooks.carol.receiver.received.map((d) => d.body.event)).toEqual(["proposal.closing"]);
  expect(hooks.carol.receiver.received[0]!.body.proposal).toMatchObject({
    id: opened.body.id,
    closesAt: new Date(start + 72 * 3_600_000).toISOString(),
  });
  // Cora's instance has no webhook; alice proposed (voted yes), bob voted; root is service-wide.
  expect(hooks.alice.receiver.received).toEqual([]);
  expect(hooks.bob.receiver.received).toEqual([]);
  expect(hooks.root.receiver.received).toEqual([]);
});

test("a proposal that passes as it opens is announced opened, then passed, then its entry", async () => {
  await createList(app.ctx, "system", {
    slug: "instant",
    name: "Instant",
    policy: { quorum: 1, minOpenHours: 0 },
  });
  const { receiver } = await addWebhook("alice", [
    "proposal.opened",
    "proposal.passed",
    "entry.added",
  ]);
  const opened = await propose("bob", "instant", "instant.example");
  expect(opened.body.status).toBe("passed");
  await pass();
  expect(receiver.received.map((d) => d.body.event).sort()).toEqual([
    "entry.added",
    "proposal.opened",
    "proposal.passed",
  ]);
});

describe.skipIf(testDialect !== "postgres")("several processes on PostgreSQL", () => {
  test("while another process holds the delivery pass, this one skips and sends nothing", async () => {
    const { receiver } = await addWebhook("alice", ["proposal.opened"]);
    await propose("bob", "open", "locked.example");
    const other = new pg.Client({ connectionString: app.ctx.config.databaseUrl });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(hashtext('fediblock-webhook-delivery'))");
      expect(await pass()).toEqual({ notices: 0, sent: 0, delivered: 0, skipped: true });
      expect(receiver.received).toEqual([]);
      await other.query("SELECT pg_advisory_unlock(hashtext('fediblock-webhook-delivery'))");
    } finally {
      await other.end();
    }
    expect(await pass()).toMatchObject({ sent: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
  });
});
