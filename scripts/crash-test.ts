// Crash safety of imports (SPEC §9: "every multi-row write is one transaction; a killed import
// leaves nothing behind"), against the real `fediblock serve` on a real SQLite file.
//
//   npx tsx scripts/crash-test.ts          (needs dist/: `npm run build`)
//
// The server is started as a child process, lists are seeded identically, and then, again and
// again, a 50,000-row direct import is uploaded and the server is killed with SIGKILL at a
// different moment: right after the body is sent, after fixed delays, at fractions of the time
// a complete import takes, and when the write-ahead log starts to grow (the write transaction
// is running). After each kill the server is restarted, and the list must be exactly as before
// the upload (revision, entry count, CSV export bytes, its rows in every table) or exactly as
// after a complete import — never in between; an import whose 201 reached the client must have
// survived; no other list may have changed; the database must be in WAL mode and pass
// `PRAGMA integrity_check`; and the server must restart cleanly every time.
// Exit code 0 when every case holds, 1 otherwise. FEDIBLOCK_CRASH_KEEP=1 keeps the directory.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { packageRoot } from "../server/paths.js";
import {
  GENERATED_HEADER,
  generatedBlocklistText,
  generatedDomain,
} from "../test/support/blocklist-generator.js";

const IMPORT_ROWS = 50_000;
/** Rows seeded before the import: some it changes, some it leaves alone. */
const SEEDED_OVERLAP = 2_000;
const SEEDED_OWN = 500;
const FIXED_DELAYS_MS = [0, 20, 100, 300];
const FRACTIONS_OF_IMPORT = [0.25, 0.5, 0.75, 0.9, 1.0, 1.25];
const WAL_GROWTH_TRIGGERS = [64 * 1024, 1024 * 1024, 4 * 1024 * 1024];

const bin = join(packageRoot, "bin/fediblock.js");
const dir = mkdtempSync(join(tmpdir(), "fediblock-crash-"));
const dbFile = join(dir, "crash.db");
const env = {
  PATH: process.env.PATH ?? "",
  DATABASE_URL: `file:${dbFile}`,
  FEDIBLOCK_ADMIN_PASSWORD: "crash-test-admin-password",
  FEDIBLOCK_LOG_LEVEL: "warn",
};

// ---------------------------------------------------------------------------------------------
// The server and the command line

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`fediblock ${args.join(" ")} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

interface Server {
  child: ChildProcess;
  output(): string;
  startedInMs: number;
}

let port = 0;
/** The running server, stopped on the way out whatever happened. */
let current: Server | undefined;
const base = () => `http://127.0.0.1:${port}`;

async function startServer(): Promise<Server> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, "serve", "--port", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start:\n${output}`)),
      30_000,
    );
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} while starting:\n${output}`));
    };
    child.once("exit", onExit);
    child.stdout!.on("data", () => {
      if (/listening on http/.test(output)) {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    });
  });
  const health = await fetch(`${base()}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status} after start`);
  current = { child, output: () => output, startedInMs: Date.now() - started };
  return current;
}

function kill(server: Server): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      resolve(server.child.signalCode);
      return;
    }
    server.child.once("exit", (_code, signal) => resolve(signal));
    server.child.kill("SIGKILL");
  });
}

function stop(server: Server): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      resolve(server.child.exitCode);
      return;
    }
    server.child.once("exit", (code) => resolve(code));
    server.child.kill("SIGTERM");
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP

let token = "";

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base()}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
}

async function importCsv(slug: string, csv: string): Promise<void> {
  const response = await api(`/api/v1/lists/${slug}/imports?direct=true`, {
    method: "POST",
    headers: { "Content-Type": "text/csv" },
    body: csv,
  });
  if (response.status !== 201) {
    throw new Error(`seeding ${slug}: ${response.status} ${await response.text()}`);
  }
}

interface Upload {
  /** Resolves when the whole body has been handed to the kernel. */
  sent: Promise<number>;
  /** The status, or the error when the connection died first. */
  answer: Promise<number | Error>;
}

function upload(slug: string, csv: Buffer): Upload {
  let markSent!: (at: number) => void;
  const sent = new Promise<number>((resolve) => (markSent = resolve));
  const answer = new Promise<number | Error>((resolve) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/api/v1/lists/${slug}/imports?direct=true`,
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "text/csv",
          "Content-Length": String(csv.length),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", (error) => resolve(error));
      },
    );
    request.on("error", (error) => resolve(error));
    request.end(csv, () => markSent(performance.now()));
  });
  return { sent, answer };
}

// ---------------------------------------------------------------------------------------------
// What a list is, byte for byte

interface Fingerprint {
  revision: number;
  entries: number;
  csvBytes: number;
  csvSha256: string;
  /** The list's rows in each table that has a listId (or hangs off one that has). */
  rows: Record<string, number>;
}

const withDb = <T>(work: (db: Sqlite.Database) => T): T => {
  const db = new Sqlite(dbFile, { readonly: true, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
};

function tableCounts(): Record<string, number> {
  return withDb((db) => {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter((name) => !/^(sqlite_|_fediblock_)/.test(name));
    return Object.fromEntries(
      tables.map((name) => [
        name,
        (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
      ]),
    );
  });
}

function listRows(slug: string): Record<string, number> {
  return withDb((db) => {
    const { id } = db.prepare(`SELECT id FROM "List" WHERE slug = ?`).get(slug) as { id: number };
    const count = (sql: string) => (db.prepare(sql).get(id) as { n: number }).n;
    return {
      Entry: count(`SELECT count(*) AS n FROM "Entry" WHERE listId = ?`),
      EntryTag: count(
        `SELECT count(*) AS n FROM "EntryTag" t JOIN "Entry" e ON e.id = t.entryId WHERE e.listId = ?`,
      ),
      EntryEvidence: count(
        `SELECT count(*) AS n FROM "EntryEvidence" v JOIN "Entry" e ON e.id = v.entryId WHERE e.listId = ?`,
      ),
      ListChange: count(`SELECT count(*) AS n FROM "ListChange" WHERE listId = ?`),
      Proposal: count(`SELECT count(*) AS n FROM "Proposal" WHERE listId = ?`),
      AuditEvent: count(`SELECT count(*) AS n FROM "AuditEvent" WHERE listId = ?`),
    };
  });
}

async function fingerprint(slug: string): Promise<Fingerprint> {
  const list = (await (await api(`/api/v1/lists/${slug}`)).json()) as {
    revision: number;
    counts: { entries: number };
  };
  const csv = Buffer.from(await (await api(`/lists/${slug}.csv`)).arrayBuffer());
  return {
    revision: list.revision,
    entries: list.counts.entries,
    csvBytes: csv.length,
    csvSha256: createHash("sha256").update(csv).digest("hex").slice(0, 16),
    rows: listRows(slug),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Empties the write-ahead log while the server is idle, so that its growth shows new writes
 * (after a checkpoint SQLite reuses the file from the start without growing it). */
function truncateWal(): void {
  const db = new Sqlite(dbFile, { fileMustExist: true });
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

function walBytes(): number {
  try {
    return statSync(`${dbFile}-wal`).size;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The cases

interface KillCase {
  name: string;
  /** Resolves when it is time to kill: `sentAt` is when the body was sent, `walAtStart` the
   * size of the write-ahead log when the upload began. */
  trigger(sentAt: number, walAtStart: number, slug: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const afterDelay = (ms: number): KillCase => ({
  name: `${Math.round(ms)} ms after the body`,
  trigger: async (sentAt) => {
    const wait = sentAt + ms - performance.now();
    if (wait > 0) await sleep(wait);
  },
});

const onWalGrowth = (bytes: number): KillCase => ({
  name: `WAL grew by ${bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} kB`}`,
  trigger: async (_sentAt, walAtStart) => {
    const deadline = performance.now() + 60_000;
    while (walBytes() - walAtStart < bytes && performance.now() < deadline) await sleep(1);
  },
});

/** The moment the import's transaction has committed (its revision is visible to another
 * connection), most likely before the 201 has been sent: a committed import must survive. */
const onCommit: KillCase = {
  name: "right after the commit",
  trigger: async (_sentAt, _walAtStart, slug) => {
    const db = new Sqlite(dbFile, { readonly: true, fileMustExist: true });
    try {
      const revision = db.prepare(`SELECT revision FROM "List" WHERE slug = ?`).pluck();
      const start = revision.get(slug);
      const deadline = performance.now() + 60_000;
      while (revision.get(slug) === start && performance.now() < deadline) await sleep(0);
    } finally {
      db.close();
    }
  },
};

/** WAL growth that only the import's own writes make (a token's lastUsedAt is a page or two). */
const WRITE_BEGAN_BYTES = 64 * 1024;

interface Result {
  slug: string;
  name: string;
  answered: string;
  outcome: "before" | "after" | "IN BETWEEN";
  walGrew: number;
  restartMs: number;
  problems: string[];
}

const slugs = (count: number) => Array.from({ length: count }, (_, i) => `crash-${i + 1}`);

async function main(): Promise<number> {
  if (!existsSync(join(packageRoot, "dist/server/cli/index.js"))) {
    console.error("crash-test: dist/ is missing: run `npm run build` first.");
    return 1;
  }
  port = await freePort();
  console.log(`crash-test: ${dir}, port ${port}`);
  let server = await startServer();

  token = (
    await runCli(["token", "create", "--account", "admin", "--scopes", "read,write"])
  ).trim();
  const importFile = Buffer.from(generatedBlocklistText(IMPORT_ROWS));
  const seed = [
    GENERATED_HEADER.replace("#obfuscate", "#obfuscate,#private_comment"),
    ...Array.from(
      { length: SEEDED_OVERLAP },
      (_, i) => `${generatedDomain(i)},noop,false,true,seeded,false,private ${i}`,
    ),
    ...Array.from(
      { length: SEEDED_OWN },
      (_, i) => `seeded-only-${i}.example,silence,true,false,kept,false,private`,
    ),
  ].join("\n");

  const cases: KillCase[] = FIXED_DELAYS_MS.map(afterDelay);
  const walCases = [...WAL_GROWTH_TRIGGERS.map(onWalGrowth), onCommit];
  const caseSlugs = slugs(FIXED_DELAYS_MS.length + FRACTIONS_OF_IMPORT.length + walCases.length);
  for (const slug of ["crash-ref", ...caseSlugs]) {
    await runCli(["list", "create", slug, "--name", `Crash ${slug}`, "--quorum", "2"]);
    await importCsv(slug, seed);
    const edited = await api(`/api/v1/lists/${slug}/entries/${generatedDomain(0)}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        tags: ["spam", "harassment"],
        evidence: ["https://evidence.example/1"],
      }),
    });
    if (edited.status !== 200) throw new Error(`seeding ${slug}: PATCH ${edited.status}`);
  }

  // The reference: the same import, complete, on a list seeded the same way, timed on a freshly
  // started server like every case below (the first import after a start is the slowest).
  const stopped = await stop(server);
  if (stopped !== 0) throw new Error(`the server stopped with ${stopped} on SIGTERM`);
  server = await startServer();
  const before = await fingerprint("crash-ref");
  const countsBefore = tableCounts();
  const reference = upload("crash-ref", importFile);
  const sentAt = await reference.sent;
  const status = await reference.answer;
  const importMs = performance.now() - sentAt;
  if (status !== 201) throw new Error(`the reference import answered ${String(status)}`);
  const after = await fingerprint("crash-ref");
  const countsAfter = tableCounts();
  const delta = Object.fromEntries(
    Object.keys(countsAfter).map((name) => [name, countsAfter[name]! - (countsBefore[name] ?? 0)]),
  );
  console.log(
    `crash-test: a complete import takes ${Math.round(importMs)} ms after the body is sent`,
  );
  console.log(`  before: ${JSON.stringify(before)}`);
  console.log(`  after:  ${JSON.stringify(after)}`);
  cases.push(...FRACTIONS_OF_IMPORT.map((fraction) => afterDelay(importMs * fraction)));
  cases.push(...walCases);

  const known = new Map<string, Fingerprint>();
  for (const slug of caseSlugs) {
    const print = await fingerprint(slug);
    if (!same(print, before)) {
      throw new Error(`${slug} was not seeded like crash-ref: ${JSON.stringify(print)}`);
    }
    known.set(slug, print);
  }
  known.set("crash-ref", after);

  const results: Result[] = [];
  for (const [index, killCase] of cases.entries()) {
    const slug = caseSlugs[index]!;
    const problems: string[] = [];
    const countsAtStart = tableCounts();
    truncateWal();
    const walAtStart = walBytes();
    const running = upload(slug, importFile);
    await killCase.trigger(await running.sent, walAtStart, slug);
    const walGrew = walBytes() - walAtStart;
    const signal = await kill(server);
    const answer = await running.answer;
    if (signal !== "SIGKILL") problems.push(`the server ended with ${signal}, not SIGKILL`);

    try {
      server = await startServer();
    } catch (error) {
      problems.push(`restart failed: ${(error as Error).message}`);
      results.push({
        slug,
        name: killCase.name,
        answered: String(answer),
        outcome: "IN BETWEEN",
        walGrew,
        restartMs: -1,
        problems,
      });
      break;
    }
    if (/error/i.test(server.output())) problems.push(`the restart logged: ${server.output()}`);

    const mode = withDb((db) => db.pragma("journal_mode", { simple: true }));
    if (mode !== "wal") problems.push(`journal_mode is ${String(mode)}, not wal`);
    const integrity = withDb((db) => db.pragma("integrity_check", { simple: true }));
    if (integrity !== "ok") problems.push(`integrity_check: ${String(integrity)}`);

    const now = await fingerprint(slug);
    const outcome = same(now, before) ? "before" : same(now, after) ? "after" : "IN BETWEEN";
    if (outcome === "IN BETWEEN") problems.push(`half an import: ${JSON.stringify(now)}`);
    if (answer === 201 && outcome !== "after")
      problems.push("a 201 reached the client but the import is gone");
    const counts = tableCounts();
    const expected = Object.fromEntries(
      Object.entries(countsAtStart).map(([name, n]) => [
        name,
        n + (outcome === "after" ? (delta[name] ?? 0) : 0),
      ]),
    );
    if (!same(counts, expected)) {
      problems.push(`table counts ${JSON.stringify(counts)} ≠ ${JSON.stringify(expected)}`);
    }
    for (const [other, print] of known) {
      if (other !== slug && !same(await fingerprint(other), print))
        problems.push(`${other} changed`);
    }
    known.set(slug, now);
    results.push({
      slug,
      name: killCase.name,
      answered: typeof answer === "number" ? String(answer) : "connection lost",
      outcome,
      walGrew,
      restartMs: server.startedInMs,
      problems,
    });
    console.log(
      `  ${slug.padEnd(9)} kill ${killCase.name.padEnd(26)} → ${outcome.padEnd(6)} ${problems.length === 0 ? "ok" : `FAILED: ${problems.join("; ")}`}`,
    );
  }
  const exitCode = await stop(server);

  console.log("");
  console.log("crash-test summary");
  console.log(
    `  ${"list".padEnd(9)}  ${"killed".padEnd(26)}  ${"client saw".padEnd(15)}  ${"WAL grew".padStart(10)}  ${"list after restart".padEnd(18)}  ${"restart".padStart(7)}  result`,
  );
  for (const result of results) {
    console.log(
      `  ${result.slug.padEnd(9)}  ${result.name.padEnd(26)}  ${result.answered.padEnd(15)}  ${`${Math.round(result.walGrew / 1024)} kB`.padStart(10)}  ${`as ${result.outcome}`.padEnd(18)}  ${`${result.restartMs} ms`.padStart(7)}  ${result.problems.length === 0 ? "ok" : "FAILED"}`,
    );
  }
  const rolledBack = results.filter(
    (r) => r.outcome === "before" && r.walGrew >= WRITE_BEGAN_BYTES,
  ).length;
  const failed = results.filter((r) => r.problems.length > 0);
  console.log("");
  console.log(
    `  ${results.length} kills: ${results.filter((r) => r.outcome === "before").length} left the list as before (${rolledBack} of them after the write had begun), ${results.filter((r) => r.outcome === "after").length} as after a complete import, ${results.filter((r) => r.outcome === "IN BETWEEN").length} in between.`,
  );
  console.log(
    `  WAL mode and integrity_check after every restart; the last server stopped with ${exitCode}.`,
  );
  if (results.length < cases.length) failed.push(...results.slice(-1));
  if (rolledBack === 0) {
    console.log("  FAILED: no kill landed while the import was being written: nothing was tested.");
    return 1;
  }
  if (failed.length > 0) {
    console.log(
      `  FAILED: ${failed.map((r) => `${r.slug} (${r.problems.join("; ")})`).join(", ")}`,
    );
    return 1;
  }
  console.log("  PASSED: a killed import leaves the list exactly as before or exactly as after.");
  return 0;
}

main()
  .catch((error: unknown) => {
    console.error(
      `crash-test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  })
  .then(async (code) => {
    if (current) await kill(current);
    if (process.env.FEDIBLOCK_CRASH_KEEP === "1") console.log(`crash-test: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  });
