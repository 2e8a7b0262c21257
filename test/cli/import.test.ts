// `fediblock import` through the real executable.
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { packageRoot } from "../../server/paths.js";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, runCli } from "../support/cli.js";

const tmp = temporaryDirectory("fediblock-cli-import-");
const env = () => ({ DATABASE_URL: `file:${join(tmp.dir, "import.db")}` });
const lea = join(packageRoot, "test/fixtures/blocklists/lea-lgbt__blocklist.csv");
beforeAll(async () => {
  assertBuilt();
  const created = await runCli(["list", "create", "seeded", "--name", "Seeded"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(created.code).toBe(0);
});
afterAll(() => tmp.remove());

test("a dry run prints the report and writes nothing; --direct writes one revision", async () => {
  const dry = await runCli(["import", lea, "--list", "seeded", "--direct", "--dry-run"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/lea-lgbt__blocklist\.csv → seeded \(dry run, direct\)/);
  expect(dry.stdout).toMatch(
    /rows 238: valid 228 \(new 228, already listed 0, already proposed 0, changed 0\), problems 10/,
  );
  expect(dry.stdout).toMatch(/line \d+ +\S+ +duplicate: \S+ is already on line \d+/);
  expect(dry.stdout).toMatch(/warnings: boolean 11, field_count 1/);
  expect(dry.stdout).toMatch(/Nothing was written \(dry run\)\./);

  const direct = await runCli(["import", lea, "--list", "seeded", "--direct"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(direct.code).toBe(0);
  expect(direct.stdout).toMatch(/Wrote revision 1: 228 added, 0 changed\./);

  const exported = await runCli(["export", "--list", "seeded", "--format", "txt"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(exported.stdout.trim().split("\n")).toHaveLength(228);
});

test("--json prints the whole report", async () => {
  const result = await runCli(
    ["import", lea, "--list", "seeded", "--direct", "--dry-run", "--json"],
    { cwd: tmp.dir, env: env() },
  );
  const answer = JSON.parse(result.stdout);
  expect(answer.report).toMatchObject({ rows: 238, valid: 228, alreadyListed: 228 });
  expect(answer.report.problems).toHaveLength(10);
});

test("without --direct it needs an account to open proposals in", async () => {
  const result = await runCli(["import", lea, "--list", "seeded"], { cwd: tmp.dir, env: env() });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/add --account USER, or --direct/);

  await runCli(["account", "create", "mia", "--instance", "m.example", "--role", "member"], {
    cwd: tmp.dir,
    env: env(),
  });
  const file = join(tmp.dir, "two.csv");
  writeFileSync(file, "domain,severity\nnew-one.example,suspend\nnew-two.example,silence\n");
  const proposals = await runCli(["import", file, "--list", "seeded", "--account", "mia"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(proposals.code).toBe(0);
  expect(proposals.stdout).toMatch(/Opened 2 proposal\(s\): #1, #2\./);
});

test("missing files and lists are explained", async () => {
  const missing = await runCli(
    ["import", join(tmp.dir, "nope.csv"), "--list", "seeded", "--direct"],
    { cwd: tmp.dir, env: env() },
  );
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/There is no file/);
  const list = await runCli(["import", lea, "--list", "nope", "--direct"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(list.stderr).toMatch(/List nope not found/);
});
