// Several processes on one PostgreSQL (docs/decisions/0020): what one process commits reaches
// the other's caches and proposal timer through LISTEN/NOTIFY; a rollback sends nothing, and a
// process does not hear its own commits twice.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerChangedList, registerProposalChange } from "../../server/db/changes.js";
import { openDatabase, type Database } from "../../server/db/client.js";
import { startChangeSignals, type ChangeSignals } from "../../server/db/change-signals.js";
import { migrate } from "../../server/db/migrate.js";
import { createServiceEvents } from "../../server/events.js";
import { createLogger } from "../../server/log.js";
import { freshDatabaseUrl, testDialect } from "../support/database.js";

describe.skipIf(testDialect !== "postgres")("change signals between two processes", () => {
  let drop: () => Promise<void>;
  const dbs: Database[] = [];
  const signals: ChangeSignals[] = [];
  const heard = [
    { lists: [] as number[], proposals: 0 },
    { lists: [] as number[], proposals: 0 },
  ];

  beforeAll(async () => {
    const fresh = await freshDatabaseUrl();
    drop = fresh.drop;
    await migrate(fresh.url);
    for (const side of [0, 1]) {
      const db = await openDatabase(fresh.url);
      const events = createServiceEvents();
      events.listChanged.subscribe((id) => heard[side]!.lists.push(id));
      events.proposalsChanged.subscribe(() => (heard[side]!.proposals += 1));
      dbs.push(db);
      signals.push(await startChangeSignals(db, events, createLogger("silent")));
    }
  });
  afterAll(async () => {
    await Promise.all(signals.map((signal) => signal.close()));
    await Promise.all(dbs.map((db) => db.close()));
    await drop?.();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  test("a commit on one reaches the other once; a rollback reaches nobody", async () => {
    await dbs[0]!.transaction(async (tx) => {
      registerChangedList(tx, 41);
      registerProposalChange(tx, 1);
    });
    await expect(
      dbs[0]!.transaction(async (tx) => {
        registerChangedList(tx, 99);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await settle();
    expect(heard[1]).toEqual({ lists: [41], proposals: 1 });
    // The sender's own hooks told it already (createContext's); the signal is not heard twice.
    expect(heard[0]).toEqual({ lists: [], proposals: 0 });
  });

  test("a transaction that changed nothing sends nothing", async () => {
    heard[1]!.lists.length = 0;
    heard[1]!.proposals = 0;
    await dbs[1]!.transaction(async (tx) => tx.list.count());
    await dbs[0]!.transaction(async (tx) => tx.list.count());
    await settle();
    expect(heard[1]).toEqual({ lists: [], proposals: 0 });
    expect(heard[0]).toEqual({ lists: [], proposals: 0 });
  });
});
