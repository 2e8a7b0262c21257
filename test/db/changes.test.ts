// Side effects follow the transaction (docs/decisions/0018): what a write registers on its
// transaction reaches the commit hooks once after commit, and nothing after a rollback.
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  registerChangedList,
  registerProposalChange,
  type Changes,
} from "../../server/db/changes.js";
import { DEFAULT_FIELDS } from "../../server/lists/entry-fields.js";
import { nextRevision, writeEntry } from "../../server/lists/entry-writes.js";
import { createList } from "../../server/lists/lists.service.js";
import { startTestApp, type TestApp } from "../support/app.js";

let app: TestApp;
let listId: number;
const seen = { lists: [] as number[], proposals: 0 };
const beforeCommit: Pick<Changes, "lists" | "proposals">[] = [];

beforeAll(async () => {
  app = await startTestApp();
  await createList(app.ctx, "system", { slug: "changes", name: "Changes" });
  listId = (await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug: "changes" } })).id;
  app.ctx.events.listChanged.subscribe((id) => seen.lists.push(id));
  app.ctx.events.proposalsChanged.subscribe(() => (seen.proposals += 1));
  app.ctx.db.onCommit({
    beforeCommit: async (tx, changes) => {
      // Inside the transaction: it sees the transaction's own writes.
      const list = await tx.list.findUniqueOrThrow({ where: { id: listId } });
      beforeCommit.push({ lists: new Set(changes.lists), proposals: changes.proposals });
      expect(list.revision).toBeGreaterThan(0);
    },
  });
});
afterAll(() => app.close());

const reset = () => {
  seen.lists.length = 0;
  seen.proposals = 0;
  beforeCommit.length = 0;
};

async function writeOne(domain: string, fail: boolean) {
  await app.ctx.db.transaction(async (tx) => {
    const now = app.ctx.clock.now();
    const revision = await nextRevision(tx, listId, now);
    await writeEntry(tx, {
      listId,
      revision,
      domain,
      fields: { severity: "suspend", ...DEFAULT_FIELDS },
      proposalId: null,
      now,
    });
    registerProposalChange(tx, 1);
    if (fail) throw new Error("rolled back on purpose");
  });
}

test("a rolled-back transaction invalidates nothing and schedules nothing", async () => {
  reset();
  await expect(writeOne("rolled-back.example", true)).rejects.toThrow("rolled back on purpose");
  expect(seen).toEqual({ lists: [], proposals: 0 });
  expect(beforeCommit).toEqual([]);
  const entry = await app.ctx.db.prisma.entry.findFirst({
    where: { domain: "rolled-back.example" },
  });
  expect(entry).toBeNull();
});

test("a committed transaction invalidates its list and re-arms the timer, once", async () => {
  reset();
  await writeOne("committed.example", false);
  expect(seen).toEqual({ lists: [listId], proposals: 1 });
  expect(beforeCommit).toEqual([{ lists: new Set([listId]), proposals: true }]);
});

test("a transaction that registers nothing runs no hook", async () => {
  reset();
  await app.ctx.db.transaction(async (tx) => tx.list.findMany());
  expect(seen).toEqual({ lists: [], proposals: 0 });
  expect(beforeCommit).toEqual([]);
});

test("a change cannot be registered outside db.transaction()", async () => {
  await expect(app.ctx.db.snapshot(async (tx) => registerChangedList(tx, listId))).rejects.toThrow(
    "changes must be registered inside db.transaction()",
  );
});
