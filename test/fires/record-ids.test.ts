// FIRES record ids (server/fires/record-ids.ts, docs/decisions/0023-fires-change-ids.md): UUIDv7s
// that grow per list in commit order, whatever the clock does, on every path that writes the
// change feed (one entry at a time, a direct import's bulk rows, concurrent writers).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isRecordId, recordIdsAfter } from "../../server/fires/record-ids.js";
import { DEFAULT_FIELDS } from "../../server/lists/entry-fields.js";
import { nextRevision, writeEntry } from "../../server/lists/entry-writes.js";
import { createList } from "../../server/lists/lists.service.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";

const increasing = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

describe("recordIdsAfter", () => {
  const now = new Date("2026-12-07T12:00:00.123Z");

  test("ids of one millisecond carry its time and grow", () => {
    const ids = recordIdsAfter(null, now, 50);
    expect(ids.every(isRecordId)).toBe(true);
    expect(increasing(ids)).toBe(true);
    const ms = parseInt(ids[0]!.replaceAll("-", "").slice(0, 12), 16);
    expect(ms).toBe(now.getTime());
  });

  test("after an id from the future (a clock that went back) they still grow", () => {
    const [future] = recordIdsAfter(null, new Date(now.getTime() + 3_600_000), 1);
    const ids = recordIdsAfter(future!, now, 10);
    expect(increasing([future!, ...ids])).toBe(true);
    expect(ids.every((id) => id.slice(0, 13) === future!.slice(0, 13))).toBe(true);
  });

  test("a full counter moves on to the next millisecond", () => {
    const last = "0190e7a4-7a3b-7fff-bfff-ffffffffffff";
    const [next] = recordIdsAfter(last, new Date(0), 1);
    expect(next).toBe("0190e7a4-7a3c-7000-8000-000000000000");
  });

  test.each([
    ["0190e7a4-7a3b-7c00-8000-000000000000", true],
    ["0190e7a4-7a3b-4c00-8000-000000000000", false],
    ["0190e7a4-7a3b-7c00-c000-000000000000", false],
    ["0190E7A4-7A3B-7C00-8000-000000000000", false],
    ["0190e7a47a3b7c008000000000000000", false],
  ])("isRecordId(%s) is %s", (id, expected) => {
    expect(isRecordId(id)).toBe(expected);
  });
});

describe("ids written by the service", () => {
  let app: TestApp;
  let curator: Member;

  beforeAll(async () => {
    app = await startTestApp();
    curator = await addMember(app, "cora", "c.example", "curator");
    await createList(app.ctx, "system", { slug: "ids", name: "Ids" });
  });
  afterAll(() => app.close());

  async function idsInCommitOrder() {
    const rows = await app.ctx.db.prisma.listChange.findMany({
      where: { list: { slug: "ids" } },
      orderBy: { id: "asc" },
      select: { firesId: true },
    });
    return rows.map((row) => row.firesId!);
  }

  test("concurrent writers, a clock going back and a direct import: ids grow in commit order", async () => {
    // Writers whose clocks disagree by minutes, as several processes' clocks may.
    const list = await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug: "ids" } });
    const base = app.clock.now().getTime();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app.ctx.db.transaction(async (tx) => {
          const now = new Date(base + (i % 2 === 0 ? -1 : 1) * i * 60_000);
          const revision = await nextRevision(tx, list.id, now);
          await writeEntry(tx, {
            listId: list.id,
            revision,
            domain: `w${i}.example`,
            fields: { severity: "suspend", ...DEFAULT_FIELDS },
            proposalId: null,
            now,
          });
        }),
      ),
    );
    app.clock.advance(-86_400_000);
    const csv = [
      "#domain,#severity",
      ...Array.from({ length: 30 }, (_, i) => `bulk${i}.example,silence`),
    ].join("\n");
    const imported = await request(app.url)
      .post("/api/v1/lists/ids/imports?direct=true")
      .set("Authorization", `Bearer ${curator.token}`)
      .set("Content-Type", "text/csv")
      .send(csv);
    expect(imported.status, imported.text).toBe(201);
    await seedEntries(app.ctx, "ids", [{ domain: "w0.example", severity: "noop" }]);

    const ids = await idsInCommitOrder();
    expect(ids).toHaveLength(43);
    expect(ids.every(isRecordId)).toBe(true);
    expect(increasing(ids)).toBe(true);
  });
});
