// Several service processes on one PostgreSQL (issue 12; docs/decisions/0020-several-processes.md):
// three real `fediblock serve` processes share one database; votes sent round-robin are all
// counted and the proposal passes once; a proposal past its window is rejected exactly once
// while all three run; every process serves the same export after a change, within the
// documented bound; a sign-in limit reached through one holds on the others.
// PostgreSQL only: on SQLite a second `serve` refuses to start (ADR 0011).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { actorForSession } from "../../server/accounts/accounts.service.js";
import { ManualClock } from "../../server/clock.js";
import { createList } from "../../server/lists/lists.service.js";
import { openProposal } from "../../server/proposals/proposals.service.js";
import {
  addAccount,
  startTestApp,
  temporaryDirectory,
  tokenFor,
  type TestApp,
} from "../support/app.js";
import { assertBuilt, startServe, type ServeProcess } from "../support/cli.js";
import pg from "pg";
import { freshDatabaseUrl, testDialect } from "../support/database.js";

/** How long after a change on one process another serves it (the export metadata's TTL, 1 s, plus margin). */
const STALENESS_BOUND_MS = 2_000;

describe.skipIf(testDialect !== "postgres")("three service processes on one PostgreSQL", () => {
  let app: TestApp;
  const processes: ServeProcess[] = [];
  const voters: string[] = [];
  const tmp = temporaryDirectory("fediblock-three-");

  beforeAll(async () => {
    assertBuilt();
    // The in-process app seeds the shared database; the three processes serve it.
    // Seeded at the real time: the three processes run on the wall clock.
    app = await startTestApp({ clock: new ManualClock(new Date()) });
    await addAccount(app.ctx, "root", "admin", null);
    await addAccount(app.ctx, "proposer", "member", "proposer.example");
    for (let i = 0; i < 30; i++) {
      await addAccount(app.ctx, `voter${i}`, "member", `v${i}.example`);
      voters.push(await tokenFor(app.ctx, `voter${i}`, ["read", "write"]));
    }
    await addAccount(app.ctx, "carol", "curator", "carol.example");
    for (let i = 0; i < 3; i++) {
      processes.push(
        await startServe({
          cwd: tmp.dir,
          env: { DATABASE_URL: app.ctx.config.databaseUrl, FEDIBLOCK_LOG_LEVEL: "warn" },
        }),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((serve) => serve.stop()));
    await app?.close();
    tmp.remove();
  });

  async function open(slug: string, quorum: number, domain: string) {
    await createList(app.ctx, "system", {
      slug,
      name: slug,
      policy: { quorum, threshold: 0.5, minOpenHours: 0 },
    });
    const account = await app.ctx.db.prisma.account.findUniqueOrThrow({
      where: { username: "proposer" },
    });
    const proposer = (await actorForSession(app.ctx, account.id))!;
    return (
      await openProposal(app.ctx, proposer, slug, { kind: "add", domain, severity: "suspend" })
    ).id;
  }

  async function outcome(slug: string, id: number) {
    const prisma = app.ctx.db.prisma;
    const list = await prisma.list.findUniqueOrThrow({ where: { slug } });
    return {
      status: (await prisma.proposal.findUniqueOrThrow({ where: { id } })).status,
      votes: await prisma.vote.count({ where: { proposalId: id } }),
      revision: list.revision,
      changes: await prisma.listChange.count({ where: { listId: list.id } }),
      passed: await prisma.auditEvent.count({
        where: { listId: list.id, action: "proposal.passed" },
      }),
      rejected: await prisma.auditEvent.count({
        where: { listId: list.id, action: "proposal.rejected" },
      }),
    };
  }

  /** The CSV export from each process: status, ETag and bytes. */
  const exportsOf = (slug: string) =>
    Promise.all(
      processes.map(async (serve) => {
        const response = await request(serve.url).get(`/lists/${slug}.csv`);
        return { status: response.status, etag: response.headers.etag, body: response.text };
      }),
    );

  test("30 votes sent round-robin are all counted; the proposal passes once; every process serves it within the bound", async () => {
    // The proposer's own yes and the 30 votes make the quorum of 31: the last vote passes it.
    const id = await open("shared", 31, "threads.net");
    const before = await exportsOf("shared");
    expect(new Set(before.map((answer) => answer.etag)).size).toBe(1);

    const responses = await Promise.all(
      voters.map((token, i) =>
        request(processes[i % 3]!.url)
          .put(`/api/v1/proposals/${id}/vote`)
          .set("Authorization", `Bearer ${token}`)
          .send({ vote: "yes" }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(voters.map(() => 200));
    const changedAt = Date.now();
    expect(await outcome("shared", id)).toEqual({
      status: "passed",
      votes: 31,
      revision: 1,
      changes: 1,
      passed: 1,
      rejected: 0,
    });

    let after = await exportsOf("shared");
    while (
      !after.every((answer) => answer.body.includes("threads.net")) &&
      Date.now() - changedAt < STALENESS_BOUND_MS * 2
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await exportsOf("shared");
    }
    const servedAfterMs = Date.now() - changedAt;
    expect(after.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(after.every((answer) => answer.body.includes("threads.net,suspend"))).toBe(true);
    expect(new Set(after.map((answer) => answer.etag)).size).toBe(1);
    expect(new Set(after.map((answer) => answer.body)).size).toBe(1);
    expect(after[0]!.etag).not.toBe(before[0]!.etag);
    expect(servedAfterMs).toBeLessThanOrEqual(STALENESS_BOUND_MS);
  });

  test("a proposal whose window has passed is rejected exactly once while all three run", async () => {
    const id = await open("late", 5, "late.example");
    // The window closed while nobody was looking: written straight into the database.
    await app.ctx.db.prisma.proposal.update({
      where: { id },
      data: { closesAt: new Date(Date.now() - 60_000) },
    });
    const reads = await Promise.all(
      [0, 1, 2, 0, 1, 2].map((i) =>
        request(processes[i]!.url)
          .get(`/api/v1/proposals/${id}`)
          .set("Authorization", `Bearer ${voters[i]}`),
      ),
    );
    expect(reads.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(reads.map((response) => response.body.status)).toEqual(Array(6).fill("rejected"));
    expect(await outcome("late", id)).toEqual({
      status: "rejected",
      votes: 1,
      revision: 0,
      changes: 0,
      passed: 0,
      rejected: 1,
    });
  });

  test("a sign-in limit reached through one process holds on the other two", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await request(processes[0]!.url)
        .post("/auth/login")
        .send({ username: "carol", password: `wrong-password-${attempt}` });
      expect(wrong.status).toBe(401);
    }
    for (const serve of processes.slice(1)) {
      const refused = await request(serve.url)
        .post("/auth/login")
        .send({ username: "carol", password: "pw-carol-correct-horse" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(testDialect !== "postgres")(
  "three processes started at once on a new database",
  () => {
    test("they migrate it once, create one admin, and exactly one prints its password", async () => {
      assertBuilt();
      const { url, drop } = await freshDatabaseUrl();
      const tmp = temporaryDirectory("fediblock-three-fresh-");
      const started: ServeProcess[] = [];
      try {
        started.push(
          ...(await Promise.all(
            [0, 1, 2].map(() => startServe({ cwd: tmp.dir, env: { DATABASE_URL: url } })),
          )),
        );
        for (const serve of started) {
          expect((await request(serve.url).get("/healthz")).status).toBe(200);
        }
        const passwords = started
          .map((serve) => /^ {4}(\w{5}-\w{5}-\w{5}-\w{5})$/m.exec(serve.output())?.[1])
          .filter(Boolean);
        expect(passwords).toHaveLength(1);
        const signedIn = await request(started[2]!.url)
          .post("/auth/login")
          .send({ username: "admin", password: passwords[0] });
        expect(signedIn.status).toBe(200);
        const db = new pg.Client({ connectionString: url });
        await db.connect();
        const accounts = await db.query('SELECT username FROM "Account"');
        const migrations = await db.query("SELECT count(*)::int AS n FROM _fediblock_migrations");
        await db.end();
        expect(accounts.rows).toEqual([{ username: "admin" }]);
        expect(migrations.rows[0].n).toBeGreaterThan(0);
      } finally {
        await Promise.all(started.map((serve) => serve.stop()));
        tmp.remove();
        await drop();
      }
    }, 120_000);
  },
);
