// Proposals close on time because the server's own timer fires, not because a request arrives.
// Fake timers stand in for the two weeks; the service, its database and its scheduler are real.
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { systemClock } from "../../server/clock.js";
import { createList } from "../../server/lists/lists.service.js";
import { openProposal } from "../../server/proposals/proposals.service.js";
import { castVote } from "../../server/proposals/votes.service.js";
import { ProposalScheduler } from "../../server/proposals/scheduler.js";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import type { Actor } from "../../server/accounts/actor.js";
import { addAccount, startTestApp, type TestApp } from "../support/app.js";

let app: TestApp;

beforeAll(async () => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
  vi.setSystemTime(new Date("2026-05-01T09:00:00Z"));
  // The scheduler reads the real (here: faked) system time.
  app = await startTestApp({ clock: systemClock as never });
});
afterAll(async () => {
  await app.close();
  vi.useRealTimers();
});

async function actor(username: string, instance: string): Promise<Actor> {
  await addAccount(app.ctx, username, "member", instance);
  const row = await app.ctx.db.prisma.account.findUniqueOrThrow({ where: { username } });
  return (await actorForSession(app.ctx, row.id))!;
}

test("the timer rejects an expired proposal and passes a held-back one at its minOpenHours, with no request", async () => {
  // The safety poll is set beyond the test's horizon: only the timer can close these proposals.
  const scheduler = new ProposalScheduler(app.ctx, 20 * 86_400_000);
  const a = await actor("alice", "a.example");
  const b = await actor("bob", "b.example");
  await createList(app.ctx, "system", {
    slug: "timed",
    name: "Timed",
    policy: { quorum: 2, minOpenHours: 48, votingDays: 7 },
  });

  const expiring = await openProposal(app.ctx, a, "timed", {
    kind: "add",
    domain: "lonely.example",
    severity: "suspend",
  });
  const heldBack = await openProposal(app.ctx, a, "timed", {
    kind: "add",
    domain: "agreed.example",
    severity: "silence",
  });
  await castVote(app.ctx, b, heldBack.id, { vote: "yes" });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(1000);
  await scheduler.idle();

  const status = async (id: number) =>
    (await app.ctx.db.prisma.proposal.findUniqueOrThrow({ where: { id } })).status;
  expect(await status(heldBack.id)).toBe("open");

  // Fake time moves to each due time exactly, then stands still while the run the timer started
  // finishes (its database work is real I/O, and moving fake time on under it would expire the
  // database client's own fake-timed waits).
  const advanceTo = async (at: Date) => {
    await vi.advanceTimersByTimeAsync(Math.max(0, at.getTime() - Date.now()));
    await scheduler.idle();
  };
  await advanceTo(new Date(heldBack.openedAt.getTime() + 48 * 3_600_000));
  expect(await status(heldBack.id)).toBe("passed");
  expect(await status(expiring.id)).toBe("open");
  expect(await app.ctx.db.prisma.entry.count({ where: { domain: "agreed.example" } })).toBe(1);

  await advanceTo(new Date(expiring.closesAt));
  expect(await status(expiring.id)).toBe("rejected");
  const closed = await app.ctx.db.prisma.proposal.findUniqueOrThrow({ where: { id: expiring.id } });
  expect(closed.closedAt?.getTime()).toBeLessThanOrEqual(closed.closesAt.getTime() + 60_000);
  scheduler.stop();
});
