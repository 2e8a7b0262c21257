// The outbox across a crash (docs/decisions/0024): a real `fediblock serve` commits a proposal,
// whose delivery row is written in the same transaction, and is killed with SIGKILL while the
// receiver holds the delivery unanswered; the next `serve` on the same database sends it again,
// with the same delivery id and a valid signature, and records it delivered.
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import { createList } from "../../server/lists/lists.service.js";
import { createWebhook } from "../../server/webhooks/webhooks.service.js";
import {
  addAccount,
  startTestApp,
  temporaryDirectory,
  tokenFor,
  type TestApp,
} from "../support/app.js";
import { assertBuilt, startServe, type ServeProcess } from "../support/cli.js";
import { startReceiver, type Receiver } from "./receiver.js";

let app: TestApp;
let receiver: Receiver;
const tmp = temporaryDirectory();
const running: ServeProcess[] = [];

beforeAll(async () => {
  assertBuilt();
  app = await startTestApp({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
  await addAccount(app.ctx, "alice", "member", "alice.example");
  await addAccount(app.ctx, "bob", "member", "bob.example");
  await createList(app.ctx, "system", { slug: "crash", name: "Crash" });
  const alice = await app.ctx.db.prisma.account.findUniqueOrThrow({ where: { username: "alice" } });
  const created = await createWebhook(app.ctx, (await actorForSession(app.ctx, alice.id))!, {
    url: receiver.url,
    events: ["proposal.opened"],
  });
  receiver.secret = created.secret;
}, 60_000);
afterAll(async () => {
  // The killed one has exited already (by a signal: no exit code).
  const alive = running.filter((serve) => serve.child.signalCode === null);
  await Promise.all(alive.map((serve) => serve.stop()));
  await receiver.close();
  await app.close();
  tmp.remove();
});

const serve = async () => {
  const started = await startServe({
    cwd: tmp.dir,
    env: {
      DATABASE_URL: app.ctx.config.databaseUrl,
      FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true",
      FEDIBLOCK_ADMIN_PASSWORD: "crash-admin-password-long-enough",
    },
  });
  running.push(started);
  return started;
};

test("a delivery written before the process died is delivered by the next process", async () => {
  receiver.answer = (nth) => (nth === 1 ? "hang" : 204);
  const first = await serve();
  const opened = await request(first.url)
    .post("/api/v1/lists/crash/proposals")
    .set("Authorization", `Bearer ${await tokenFor(app.ctx, "bob")}`)
    .send({ kind: "add", domain: "crashed.example", severity: "suspend" });
  expect(opened.status).toBe(201);
  const [held] = await receiver.waitFor(1);
  expect(held!.verified).toBe(true);

  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  const [row] = await app.ctx.db.prisma.webhookDelivery.findMany();
  expect(row).toMatchObject({ id: held!.body.id, status: "pending", attempts: 0 });

  const second = await serve();
  const [, again] = await receiver.waitFor(2, 20_000);
  expect(again!.verified).toBe(true);
  expect(again!.headers["x-fediblock-delivery"]).toBe(held!.body.id);
  expect(again!.body).toMatchObject({
    event: "proposal.opened",
    proposal: { id: opened.body.id, domain: "crashed.example" },
  });
  const deadline = Date.now() + 10_000;
  let status = "pending";
  while (status !== "delivered" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await app.ctx.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row!.id } }))
      .status;
  }
  expect(status).toBe("delivered");
  expect(receiver.received).toHaveLength(2);
  await second.stop();
}, 90_000);
