// scripts/check-shared-fixtures.ts, as .ci/run runs it: a dry-run import of every file in a
// directory through the service layer, failing unless every record is accounted for.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { packageRoot } from "../../server/paths.js";
import { temporaryDirectory } from "../support/app.js";

const script = join(packageRoot, "scripts/check-shared-fixtures.ts");
const tsx = join(packageRoot, "node_modules/.bin/tsx");
const fixtures = join(packageRoot, "test/fixtures/blocklists");
const tmp = temporaryDirectory("fediblock-check-fixtures-");
afterAll(() => tmp.remove());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script on DIR with CI set or unset (the rest of the environment is PATH only). */
function check(dir: string, ci: boolean): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
  if (ci) env.CI = "true";
  return new Promise((resolve) => {
    execFile(
      tsx,
      [script, dir],
      { cwd: packageRoot, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function directoryOf(name: string, files: string[], readme: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const file of files) copyFileSync(join(fixtures, file), join(dir, file));
  writeFileSync(join(dir, "README.md"), readme);
  return dir;
}

const table = (rows: [string, number][]) =>
  ["| file | rows |", "|---|---|", ...rows.map(([file, count]) => `| ${file} | ${count} |`)].join(
    "\n",
  );

test("every file is dry-run imported and its report accounts for every record", async () => {
  // Counts from test/imports/fixture-expectations.ts (hand-derived).
  const dir = directoryOf(
    "good",
    ["unicode-tlds.csv", "headerless-five-columns.csv"],
    table([
      ["unicode-tlds.csv", 15],
      ["headerless-five-columns.csv", 12],
    ]),
  );
  const run = await check(dir, true);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines).toEqual([
    expect.stringMatching(
      /^headerless-five-columns\.csv: rows 12 \(csv records 12, README 12\), valid 7 \(new 7, already listed 0, already proposed 0, changed 0\), problems 5 .* — ok$/,
    ),
    expect.stringMatching(
      /^unicode-tlds\.csv: rows 15 \(csv records 15, README 15\), valid 8 \(new 8, .*\), problems 7 \{duplicate 7\}.* — ok$/,
    ),
    "2 files imported (dry run), 0 failed",
  ]);
});

test("a wrong stated count, a record the importer misses and an unreadable file fail", async () => {
  writeFileSync(join(tmp.dir, "unclosed.csv"), '#domain,#public_comment\na.example,"open\n');
  const dir = directoryOf(
    "bad",
    // Its header names the domain `Host`: the plain count takes the header for a record.
    ["bom.csv", "header-aliases-extra-columns.csv"],
    table([["bom.csv", 3]]),
  );
  copyFileSync(join(tmp.dir, "unclosed.csv"), join(dir, "unclosed.csv"));
  const run = await check(dir, true);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^bom\.csv: rows 2 .* — FAIL: rows != README \(3\)$/m);
  expect(run.stdout).toMatch(
    /^header-aliases-extra-columns\.csv: rows 2 \(csv records 3\).* — FAIL: rows != csv records \(3\)$/m,
  );
  expect(run.stdout).toMatch(
    /^unclosed\.csv: not imported: 400 malformed_csv: .*line 2.* — FAIL$/m,
  );
  expect(run.stdout).toMatch(/^3 files imported \(dry run\), 3 failed$/m);
});

test("a missing directory fails under CI and is skipped otherwise", async () => {
  const missing = join(tmp.dir, "no-such-dir");
  const underCi = await check(missing, true);
  expect(underCi.code).toBe(1);
  expect(underCi.stderr).toContain(`FAIL: ${missing} not found`);
  const local = await check(missing, false);
  expect(local.code).toBe(0);
  expect(local.stdout).toContain(`skipped: ${missing} not found`);
});
