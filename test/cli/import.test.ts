// `fediblock import` through the real executable.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { packageRoot } from "../../server/paths.js";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, fediblockBin, runCli } from "../support/cli.js";

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
  expect(dry.stdout).toMatch(
    /lea-lgbt__blocklist\.csv → seeded \(dry run, direct, merge replace\)/,
  );
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

test("a dry run without --direct needs no account, and counts every instance's proposals", async () => {
  const run = (args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
  expect((await run(["list", "create", "dry", "--name", "Dry"])).code).toBe(0);
  const file = join(tmp.dir, "three.csv");
  writeFileSync(
    file,
    "domain,severity\nproposed-one.example,suspend\nproposed-two.example,silence\nunseen.example,noop\n",
  );
  const before = await run(["import", file, "--list", "dry", "--dry-run"]);
  expect(before.stderr).toBe("");
  expect(before.code).toBe(0);
  expect(before.stdout).toMatch(/three\.csv → dry \(dry run, as proposals\)/);
  expect(before.stdout).toMatch(
    /rows 3: valid 3 \(new 3, already listed 0, already proposed 0, changed 0\), problems 0/,
  );
  expect(before.stdout).toMatch(/Nothing was written \(dry run\)\./);

  // Another instance proposes two of the domains; the operator's dry run sees them as proposed.
  await run(["account", "create", "noa", "--instance", "n.example", "--role", "member"]);
  const two = join(tmp.dir, "two-of-three.csv");
  writeFileSync(two, "domain\nproposed-one.example\nproposed-two.example\n");
  expect((await run(["import", two, "--list", "dry", "--account", "noa"])).code).toBe(0);
  const after = await run(["import", file, "--list", "dry", "--dry-run", "--json"]);
  expect(after.code).toBe(0);
  expect(JSON.parse(after.stdout)).toMatchObject({
    dryRun: true,
    mode: "proposals",
    result: null,
    report: { rows: 3, valid: 3, new: 1, alreadyProposed: 2 },
  });
  // The same report as the member's own dry run.
  const asMember = await run([
    "import",
    file,
    "--list",
    "dry",
    "--dry-run",
    "--json",
    "--account",
    "noa",
  ]);
  expect(JSON.parse(asMember.stdout).report).toEqual(JSON.parse(after.stdout).report);
});

test("--help says when --account is needed", async () => {
  const help = await runCli(["import", "--help"], { cwd: tmp.dir, env: env() });
  expect(help.code).toBe(0);
  expect(help.stdout.replace(/\s+/g, " ")).toMatch(
    /--account <username> +open the proposals in this account's \(and its instance's\) name: needed without --direct, except with --dry-run/,
  );
});

test("a direct import's audit event names the file by its base name and counts its rows", async () => {
  const run = (args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
  expect((await run(["list", "create", "audited", "--name", "Audited"])).code).toBe(0);
  const file = join(tmp.dir, "audited-seed.csv");
  writeFileSync(file, "domain\na.example\nb.example\nA.example\n");
  expect((await run(["import", file, "--list", "audited", "--direct"])).code).toBe(0);
  const db = new Sqlite(join(tmp.dir, "import.db"), { readonly: true });
  const event = db
    .prepare('SELECT subject, after FROM "AuditEvent" WHERE action = ? ORDER BY id DESC LIMIT 1')
    .get("import.direct") as { subject: string; after: string };
  db.close();
  expect(event.subject).toBe("audited-seed.csv");
  expect(JSON.parse(event.after)).toMatchObject({
    file: "audited-seed.csv",
    rows: 3,
    valid: 2,
    added: 2,
  });
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

/** Runs `fediblock ARGS` with a terminal (util-linux `script`), as an admin at a shell would. */
function runInTerminal(args: string[]): Promise<{ code: number; output: string }> {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, fediblockBin, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    execFile(
      "script",
      ["-qec", command, "/dev/null"],
      { cwd: tmp.dir, env: { PATH: process.env.PATH ?? "", ...env() }, timeout: 60_000 },
      (error, stdout) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: stdout });
      },
    );
  });
}

test("on a terminal, a large file shows a progress bar while it is read; a small one does not", async () => {
  const big = join(tmp.dir, "big.csv");
  const rows = Array.from(
    { length: 5_000 },
    (_, index) =>
      `host${index}.example,suspend,"a public reason long enough to make the file large"`,
  );
  writeFileSync(big, `#domain,#severity,#public_comment\n${rows.join("\n")}\n`);

  const large = await runInTerminal(["import", big, "--list", "seeded", "--direct", "--dry-run"]);
  expect(large.code).toBe(0);
  expect(large.output).toMatch(/Reading big\.csv \[#*\s*\] \d+%/);
  expect(large.output).toMatch(/Reading big\.csv \[#{30}\] 100%/);
  expect(large.output).toMatch(/Read big\.csv; checking it against the list/);
  expect(large.output).toMatch(/rows 5000: valid 5000/);

  const small = await runInTerminal(["import", lea, "--list", "seeded", "--direct", "--dry-run"]);
  expect(small.code).toBe(0);
  expect(small.output).toMatch(/rows 238/);
  expect(small.output).not.toMatch(/Reading lea-lgbt/);

  // Without a terminal (cron, a pipe) the same large file prints the report alone.
  const piped = await runCli(["import", big, "--list", "seeded", "--direct", "--dry-run"], {
    cwd: tmp.dir,
    env: env(),
  });
  expect(piped.code).toBe(0);
  expect(piped.stderr).not.toMatch(/Reading big\.csv/);
  expect(piped.stdout).toMatch(/rows 5000: valid 5000/);
});

test("a file without a header: the unread columns are shown, and --columns names them", async () => {
  const run = (args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
  const fyrfli = join(packageRoot, "test/fixtures/blocklists/headerless-five-columns.csv");
  expect((await run(["list", "create", "fyrfli", "--name", "Fyrfli"])).code).toBe(0);

  const plain = await run(["import", fyrfli, "--list", "fyrfli", "--direct", "--dry-run"]);
  expect(plain.code).toBe(0);
  expect(plain.stdout).toMatch(/columns not read: columns 3-5/);
  expect(plain.stdout).toMatch(
    /first row: 1 "\*\.wildcard-one\.example" → domain, 2 "suspend" → severity, 3 "true" → not read, 4 "true" → not read, 5 "true" → not read\. Name every column with --columns \(read now as --columns domain,severity,,,;/,
  );

  const bad = await run([
    "import",
    fyrfli,
    "--list",
    "fyrfli",
    "--direct",
    "--columns",
    "domain,severity,reject_media,reject_reports",
  ]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/columns= names 4 columns but the file's widest row \(line 1\) has 5/);
  const unknown = await run([
    "import",
    fyrfli,
    "--list",
    "fyrfli",
    "--direct",
    "--columns",
    "domain,sev",
  ]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/"sev" \(column 2\) is not a column name/);

  const named = await run([
    "import",
    fyrfli,
    "--list",
    "fyrfli",
    "--direct",
    "--json",
    "--columns",
    "domain,severity,reject_media,reject_reports,obfuscate",
  ]);
  expect(named.code).toBe(0);
  const answer = JSON.parse(named.stdout);
  expect(answer.ignoredColumns).toEqual([]);
  expect(answer.result).toMatchObject({ added: 7 });
  const exported = await run(["export", "--list", "fyrfli", "--format", "csv"]);
  expect(exported.stdout).toMatch(/^plain\.example\.net,suspend,true,true,,true$/m);
});

test("--merge: a dry run lists what replace would make less strict or erase; max is the default", async () => {
  const run = (args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
  expect((await run(["list", "create", "merged", "--name", "Merged"])).code).toBe(0);
  const first = join(tmp.dir, "first.csv");
  writeFileSync(
    first,
    '#domain,#severity,#reject_media,#public_comment\nbaraag.net,suspend,true,"lolicon, child-porn"\n',
  );
  const later = join(tmp.dir, "later.csv");
  writeFileSync(
    later,
    "#domain,#severity,#reject_media,#public_comment\nbaraag.net,silence,false,\n",
  );
  expect((await run(["import", first, "--list", "merged", "--direct"])).code).toBe(0);

  const replace = await run([
    "import",
    later,
    "--list",
    "merged",
    "--direct",
    "--dry-run",
    "--merge",
    "replace",
  ]);
  expect(replace.code).toBe(0);
  expect(replace.stdout).toMatch(/\(dry run, direct, merge replace\)/);
  expect(replace.stdout).toMatch(
    /downgrades: 1 listed entry would be made less strict:\n +line 2 +baraag\.net +suspend\+reject_media → silence/,
  );
  expect(replace.stdout).toMatch(
    /erased comments: 1 would be emptied:\n +line 2 +baraag\.net +public_comment "lolicon, child-porn" → ""/,
  );
  expect(replace.stdout).toMatch(/--merge max keeps the stricter severity and flags/);

  const byDefault = await run(["import", later, "--list", "merged", "--direct"]);
  expect(byDefault.code).toBe(0);
  expect(byDefault.stdout).toMatch(/\(direct, merge max\)/);
  expect(byDefault.stdout).toMatch(/already listed 1, already proposed 0, changed 0/);
  expect(byDefault.stdout).not.toMatch(/downgrades|erased/);
  const exported = await run(["export", "--list", "merged", "--format", "csv"]);
  expect(exported.stdout).toMatch(/^baraag\.net,suspend,true,false,"lolicon, child-porn",false$/m);

  const wrong = await run([
    "import",
    later,
    "--list",
    "merged",
    "--direct",
    "--merge",
    "strictest",
  ]);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/Allowed choices are max, replace, min/);
});

test("a dry run over 100 proposals says the real run would be refused, before it fails", async () => {
  const run = (args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
  expect((await run(["list", "create", "many", "--name", "Many"])).code).toBe(0);
  await run(["account", "create", "moe", "--instance", "moe.example", "--role", "member"]);
  const refused =
    /This import would open 228 proposals: applied with --account moe it would be refused \(members may open at most 100 per import\)/;
  const member = await run(["import", lea, "--list", "many", "--dry-run", "--account", "moe"]);
  expect(member.code).toBe(0);
  expect(member.stdout).toMatch(refused);
  const operator = await run(["import", lea, "--list", "many", "--dry-run"]);
  expect(operator.stdout).toMatch(/applied with a member's --account it would be refused/);
  const real = await run(["import", lea, "--list", "many", "--account", "moe"]);
  expect(real.code).toBe(1);
  expect(real.stderr).toMatch(/would open 228 proposals; members may open at most 100/);
  const few = join(tmp.dir, "few.csv");
  writeFileSync(few, "domain\nfew-one.example\nfew-two.example\n");
  const small = await run(["import", few, "--list", "many", "--dry-run", "--account", "moe"]);
  expect(small.code).toBe(0);
  expect(small.stdout).toMatch(/new 2,/);
  expect(small.stdout).not.toMatch(/would be refused/);
});
