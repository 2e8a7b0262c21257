// `fediblock list create` and `fediblock export`, through the real executable.
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase } from "../../server/db/client.js";
import { createContext } from "../../server/context.js";
import { loadConfig } from "../../server/config.js";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, runCli } from "../support/cli.js";
import { seedEntries } from "../support/seed.js";

const tmp = temporaryDirectory("fediblock-cli-lists-");
const env = () => ({ DATABASE_URL: `file:${join(tmp.dir, "lists.db")}` });
beforeAll(() => assertBuilt());
afterAll(() => tmp.remove());

test("list create sets the policy; bad values are named", async () => {
  const created = await runCli(
    [
      "list",
      "create",
      "fedipact",
      "--name",
      "FediPact",
      "--quorum",
      "5",
      "--threshold",
      "0.75",
      "--visibility",
      "members",
      "--min-open-hours",
      "12",
    ],
    { cwd: tmp.dir, env: env() },
  );
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/Created the members list fedipact/);
  expect(created.stdout).toMatch(
    /quorum 5, threshold 0\.75, 14 days to vote, open at least 12 h, severity by majority/,
  );

  const again = await runCli(["list", "create", "fedipact", "--name", "x"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/slug fedipact exists/);

  const badThreshold = await runCli(
    ["list", "create", "other", "--name", "x", "--threshold", "0.666"],
    { cwd: tmp.dir, env: env() },
  );
  expect(badThreshold.code).toBe(1);
  expect(badThreshold.stderr).toMatch(/threshold: use at most two decimals/);

  const badSlug = await runCli(["list", "create", "../etc", "--name", "x"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(badSlug.code).toBe(1);
  expect(badSlug.stderr).toMatch(/lowercase letters, digits or '-'/);

  const badOpen = await runCli(
    ["list", "create", "other", "--name", "x", "--voting-days", "1", "--min-open-hours", "48"],
    { cwd: tmp.dir, env: env() },
  );
  expect(badOpen.stderr).toMatch(/minOpenHours must not exceed the voting window/);
});

test("export prints what /lists/SLUG.csv serves, for members-only lists too, in every format", async () => {
  const db = await openDatabase(env().DATABASE_URL);
  const ctx = createContext(db, loadConfig({ ...env(), FEDIBLOCK_LOG_LEVEL: "silent" }));
  await seedEntries(ctx, "fedipact", [
    {
      domain: "threads.net",
      severity: "suspend",
      publicComment: 'Meta, "Threads"',
      tags: ["corporate"],
    },
    { domain: "spam.example", severity: "silence" },
  ]);
  await db.close();

  const csv = await runCli(["export", "--list", "fedipact"], { cwd: tmp.dir, env: env() });
  expect(csv.code).toBe(0);
  expect(csv.stdout).toBe(
    '#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,silence,false,false,,false\nthreads.net,suspend,false,false,"Meta, ""Threads""",false\n',
  );
  const txt = await runCli(
    ["export", "--list", "fedipact", "--format", "txt", "--min-severity", "suspend"],
    { cwd: tmp.dir, env: env() },
  );
  expect(txt.stdout).toBe("threads.net\n");
  const output = join(tmp.dir, "out.json");
  const json = await runCli(
    ["export", "--list", "fedipact", "--format", "json", "--tag", "corporate", "--output", output],
    { cwd: tmp.dir, env: env() },
  );
  expect(json.code).toBe(0);
  expect(JSON.parse(readFileSync(output, "utf8"))).toEqual([
    expect.objectContaining({ domain: "threads.net", tags: ["corporate"] }),
  ]);

  const badFormat = await runCli(["export", "--list", "fedipact", "--format", "xml"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(badFormat.code).toBe(1);
  expect(badFormat.stderr).toMatch(/--format "xml" is not one of csv, json, txt/);
  const missing = await runCli(["export", "--list", "nope"], { cwd: tmp.dir, env: env() });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/List nope not found/);
});
