// SQLite beside a second process (docs/decisions/0011-sqlite-one-service-per-file.md): the
// service in this process, the real `fediblock import` in another, on one database file.
// Writes take the write lock up front and wait for the other process within the busy timeout;
// only past it does a request answer 503 with Retry-After, having written nothing.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { openDatabase, sqliteFilePath } from "../../server/db/client.js";
import { createContext } from "../../server/context.js";
import { createApp } from "../../server/http/app.js";
import { createLogger } from "../../server/log.js";
import { loadConfig } from "../../server/config.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  addAccount,
  startTestApp,
  temporaryDirectory,
  tokenFor,
  type TestApp,
} from "../support/app.js";
import { assertBuilt, runCli } from "../support/cli.js";
import { generatedBlocklistText } from "../support/blocklist-generator.js";
import { testDialect } from "../support/database.js";

const sqliteOnly = describe.skipIf(testDialect !== "sqlite");
const tmp = temporaryDirectory("fediblock-second-process-");
let app: TestApp;
let token: string;

beforeAll(async () => {
  if (testDialect !== "sqlite") return;
  assertBuilt();
  app = await startTestApp();
  await addAccount(app.ctx, "proposer", "member", "proposer.example");
  token = await tokenFor(app.ctx, "proposer", ["read", "write"]);
  for (const slug of ["voted", "imported"]) {
    await createList(app.ctx, "system", {
      slug,
      name: slug,
      policy: { quorum: 3, threshold: 0.5 },
    });
  }
});
afterAll(async () => {
  await app?.close();
  tmp.remove();
});

const propose = (url: string, domain: string) =>
  request(url)
    .post("/api/v1/lists/voted/proposals")
    .set("Authorization", `Bearer ${token}`)
    .send({ kind: "add", domain, severity: "suspend", reason: "Spam waves." });

sqliteOnly("the service and the CLI on one SQLite file", () => {
  test("40 concurrent proposals over HTTP while the CLI imports 5,000 rows into another list: all succeed, nothing lost", async () => {
    const csv = join(tmp.dir, "5000.csv");
    writeFileSync(csv, generatedBlocklistText(5000));
    const importing = runCli(["import", csv, "--list", "imported", "--direct"], {
      cwd: tmp.dir,
      env: { DATABASE_URL: app.ctx.db.url },
    });
    // Let the import start reading before the requests arrive, so that they overlap.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const domains = Array.from({ length: 40 }, (_, i) => `concurrent-${i}.example`);
    const responses = await Promise.all(domains.map((domain) => propose(app.url, domain)));
    const imported = await importing;

    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(responses.map((response) => response.status)).toEqual(domains.map(() => 201));
    const prisma = app.ctx.db.prisma;
    const voted = await prisma.list.findUniqueOrThrow({ where: { slug: "voted" } });
    const importedList = await prisma.list.findUniqueOrThrow({ where: { slug: "imported" } });
    const proposals = await prisma.proposal.findMany({
      where: { listId: voted.id },
      select: { domain: true },
    });
    expect(proposals.map((p) => p.domain).sort()).toEqual([...domains].sort());
    expect(await prisma.entry.count({ where: { listId: importedList.id } })).toBe(5000);
  });

  test("past the busy timeout a write answers 503 with Retry-After and writes nothing; within it, it waits and succeeds", async () => {
    // A second service on the same file with a short busy timeout, and a third connection that
    // holds the write lock as another process's long write would.
    const db = await openDatabase(app.ctx.db.url, { busyTimeoutMs: 300 });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ctx = createContext(
      db,
      loadConfig({ DATABASE_URL: app.ctx.db.url, FEDIBLOCK_PUBLIC_URL: url }),
      { log: createLogger("silent") },
    );
    server.on("request", (await createApp(ctx)).handler);
    const holder = new Sqlite(sqliteFilePath(app.ctx.db.url));
    try {
      holder.exec("BEGIN IMMEDIATE");
      const busy = await propose(url, "while-locked.example");
      holder.exec("ROLLBACK");
      expect(busy.status).toBe(503);
      expect(busy.headers["retry-after"]).toBe("2");
      expect(busy.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(busy.body.code).toBe("database_busy");
      expect(
        await app.ctx.db.prisma.proposal.count({ where: { domain: "while-locked.example" } }),
      ).toBe(0);

      holder.exec("BEGIN IMMEDIATE");
      const waiting = propose(url, "after-unlock.example");
      setTimeout(() => holder.exec("COMMIT"), 100);
      expect((await waiting).status).toBe(201);
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    }
  });
});
