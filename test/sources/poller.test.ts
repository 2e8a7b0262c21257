// Sources are polled on a schedule by the context's clock: a new source at once, then every
// `pollMinutes`; the poller's timer polls what is due without a request.
import { afterAll, beforeAll, expect, test } from "vitest";
import { withTryLock } from "../../server/db/try-lock.js";
import { dueSources, pollDueSources, SourcePoller } from "../../server/sources/poller.js";
import { BlocklistHost } from "../fakes/blocklist-host.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let host: BlocklistHost;
let curator: Member;

beforeAll(async () => {
  app = await startTestApp({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
  host = new BlocklistHost();
  await host.listen();
  host.serve("domain,severity\nscheduled.example,suspend\n");
  curator = await addMember(app, "carol", "curators.example", "curator");
  const admin = await addMember(app, "operator", "operator.example", "admin");
  await admin.api.post("/api/v1/lists", {
    slug: "scheduled",
    name: "Scheduled",
    policy: policy({ quorum: 2 }),
  });
});
afterAll(async () => {
  await app.close();
  await host.close();
});

test("a new source is due at once, then every pollMinutes by the clock", async () => {
  const added = await curator.api.post("/api/v1/lists/scheduled/sources", {
    kind: "blocklist",
    url: host.url("/scheduled.csv"),
    pollMinutes: 30,
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  expect(await dueSources(app.ctx)).toEqual([added.body.id]);

  expect(await pollDueSources(app.ctx)).toEqual({ polled: 1 });
  expect(host.requests).toHaveLength(1);
  expect(await dueSources(app.ctx)).toEqual([]);
  expect(await pollDueSources(app.ctx)).toEqual({ polled: 0 });

  app.clock.advance(29 * 60_000);
  expect(await dueSources(app.ctx)).toEqual([]);
  app.clock.advance(60_000);
  expect(await dueSources(app.ctx)).toEqual([added.body.id]);
  await pollDueSources(app.ctx);
  expect(host.requests.map((r) => r.status)).toEqual([200, 304]);

  const view = await curator.api.get(`/api/v1/lists/scheduled/sources/${added.body.id}`);
  expect(view.body).toMatchObject({
    lastSuccessAt: app.clock.now().toISOString(),
    nextPollAt: new Date(app.clock.now().getTime() + 30 * 60_000).toISOString(),
  });
  expect(view.body.proposals).toEqual([
    expect.objectContaining({ kind: "add", domain: "scheduled.example", status: "open" }),
  ]);
});

test("the poller's timer polls due sources without a request", async () => {
  app.clock.advance(30 * 60_000);
  const before = host.requests.length;
  const poller = new SourcePoller(app.ctx, 20);
  try {
    await poller.start();
    expect(host.requests.length).toBe(before + 1);
    app.clock.advance(30 * 60_000);
    await expect.poll(() => host.requests.length, { timeout: 3000, interval: 20 }).toBe(before + 2);
  } finally {
    poller.stop();
    await poller.idle();
  }
});

test.runIf(process.env.FEDIBLOCK_TEST_DATABASE === "postgres")(
  "PostgreSQL: while another process runs a pass, this one skips it; a source's own poll is kept out too",
  async () => {
    app.clock.advance(30 * 60_000);
    const [id] = await dueSources(app.ctx);
    expect(id).toBeDefined();
    const before = host.requests.length;
    const held = await withTryLock(app.ctx.db.url, "fediblock-poll-sources", async () => {
      expect(await pollDueSources(app.ctx)).toEqual({ polled: 0, skipped: true });
      return withTryLock(app.ctx.db.url, `fediblock-source-${id}`, async () => {
        const poll = await curator.api.post(`/api/v1/lists/scheduled/sources/${id}/poll`);
        expect(poll.status).toBe(409);
        expect(poll.body.code).toBe("poll_running");
      });
    });
    expect(held.taken).toBe(false);
    expect(host.requests.length).toBe(before);
    expect(await pollDueSources(app.ctx)).toEqual({ polled: 1 });
  },
);
