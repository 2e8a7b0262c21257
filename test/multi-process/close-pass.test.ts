// One closing pass at a time across processes (docs/decisions/0020): on PostgreSQL a pass holds
// an advisory lock; a process that finds it taken skips and tries again, and no proposal closes
// twice either way.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import { createList } from "../../server/lists/lists.service.js";
import { openProposal } from "../../server/proposals/proposals.service.js";
import { closeDueProposals } from "../../server/proposals/scheduler.js";
import { addAccount, startTestApp, type TestApp } from "../support/app.js";
import { testDialect } from "../support/database.js";

describe.skipIf(testDialect !== "postgres")("the closing pass on PostgreSQL", () => {
  let app: TestApp;
  let id: number;

  beforeAll(async () => {
    app = await startTestApp();
    const account = await addAccount(app.ctx, "proposer", "member", "proposer.example");
    await createList(app.ctx, "system", { slug: "pass", name: "Pass", policy: { quorum: 5 } });
    const row = await app.ctx.db.prisma.account.findUniqueOrThrow({
      where: { username: account.username },
    });
    const proposer = (await actorForSession(app.ctx, row.id))!;
    id = (
      await openProposal(app.ctx, proposer, "pass", {
        kind: "add",
        domain: "due.example",
        severity: "suspend",
      })
    ).id;
    // Its window is over.
    app.clock.advance(15 * 24 * 3_600_000);
  });
  afterAll(() => app.close());

  test("while another process holds the pass, this one skips; then it closes the proposal once", async () => {
    const other = new pg.Client({ connectionString: app.ctx.config.databaseUrl });
    await other.connect();
    await other.query("BEGIN");
    const [held] = (
      await other.query(
        "SELECT pg_try_advisory_xact_lock(hashtext('fediblock-close-due-proposals')) AS locked",
      )
    ).rows;
    expect(held.locked).toBe(true);
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 0, skipped: true });
    expect((await app.ctx.db.prisma.proposal.findUniqueOrThrow({ where: { id } })).status).toBe(
      "open",
    );
    await other.query("COMMIT");
    await other.end();

    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 1 });
    expect(await closeDueProposals(app.ctx)).toEqual({ passed: 0, rejected: 0 });
    expect(
      await app.ctx.db.prisma.auditEvent.count({ where: { action: "proposal.rejected" } }),
    ).toBe(1);
  });
});
