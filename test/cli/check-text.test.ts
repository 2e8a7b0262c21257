// `fediblock check-text` through the real executable: stored formula-prefixed text is listed
// with where it is, and left as it is (docs/security.md "Spreadsheet formulas").
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "../../server/config.js";
import { createContext } from "../../server/context.js";
import { openDatabase } from "../../server/db/client.js";
import { migrate } from "../../server/db/migrate.js";
import { createList } from "../../server/lists/lists.service.js";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, runCli } from "../support/cli.js";
import { seedEntries } from "../support/seed.js";

const tmp = temporaryDirectory("fediblock-cli-check-text-");
const env = () => ({ DATABASE_URL: `file:${join(tmp.dir, "text.db")}` });
beforeAll(() => assertBuilt());
afterAll(() => tmp.remove());

test("a clean database: exit 0; formula-prefixed rows: listed, exit 1, unchanged", async () => {
  await migrate(env().DATABASE_URL);
  const db = await openDatabase(env().DATABASE_URL);
  const ctx = createContext(db, loadConfig({ ...env(), FEDIBLOCK_LOG_LEVEL: "silent" }));
  try {
    await createList(ctx, "system", { slug: "old", name: "Old" });
    const clean = await runCli(["check-text"], { cwd: tmp.dir, env: env() });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/No stored text begins with =/);

    // Written below the API, as rows from before the rule were.
    await seedEntries(ctx, "old", [
      { domain: "a.example", publicComment: "=1+1" },
      { domain: "b.example", publicComment: "fine" },
    ]);
    const found = await runCli(["check-text"], { cwd: tmp.dir, env: env() });
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(
      /Entry\.publicComment: 1 row\(s\) begin with .*\(old\/a\.example\)/,
    );
    const stored = await db.prisma.entry.findFirstOrThrow({ where: { domain: "a.example" } });
    expect(stored.publicComment).toBe("=1+1");
  } finally {
    await db.close();
  }
});
