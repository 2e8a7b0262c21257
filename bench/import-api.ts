// Benchmark (SPEC §9): a 50,000-row direct import through the API takes at most 5× the time of
// inserting the same pre-parsed rows with better-sqlite3 in one transaction (a prepared INSERT
// per row) into the same table and indexes.
//
//   npx tsx bench/import-api.ts      (needs `npm run build`: it starts `fediblock serve`)
//
// The API time is the wall clock of `POST /api/v1/lists/:slug/imports?direct=true` (text/csv
// body, an admin's token) from sending to the whole answer, each run into a fresh list of one
// running service. BENCH_RUNS (5) runs of each, the median kept; BENCH_ROWS (50000);
// BENCH_JSON=FILE writes the results for bench/run-all.ts; BENCH_PROFILE=DIR starts the
// service with --cpu-prof, writing its profile there.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { sqliteFilePath } from "../server/db/client.js";
import { parseBlocklist } from "../server/imports/parse.js";
import {
  cpuSeconds,
  describeMachine,
  machineBusySeconds,
  waitForQuiet,
} from "./exports/machine.js";
import { timeBaselineInsert } from "./import/baseline.js";
import { realisticBlocklist } from "./import/blocklist.js";
import { adminToken, median, withWorkspace, type Workspace } from "./import/workspace.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BAR = 5;
/** The rest of the machine busier than this (in % of one core) disturbs the measurement. */
const QUIET_PERCENT = 25;
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_QUIET_WAIT ?? 120);

/** Times `work` after waiting for a quiet machine; answers the ms and how busy the rest was. */
async function timeQuietly(
  work: () => Promise<number> | number,
  ownCpuSeconds: () => number,
): Promise<{ ms: number; restPercent: number }> {
  await waitForQuiet(QUIET_PERCENT, QUIET_WAIT_SECONDS);
  const busyBefore = machineBusySeconds();
  const ownBefore = ownCpuSeconds();
  const started = performance.now();
  const ms = await work();
  const seconds = (performance.now() - started) / 1000;
  const rest = machineBusySeconds() - busyBefore - (ownCpuSeconds() - ownBefore);
  return { ms, restPercent: (Math.max(0, rest) / seconds) * 100 };
}

interface ImportAnswer {
  report: { rows: number; valid: number; new: number; problems: unknown[] };
  result: { revision: number; added: number; changed: number };
}

async function api(url: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...init.headers },
  });
}

/** One timed import into a fresh list; answers the milliseconds from request to full answer. */
async function timeApiImport(
  workspace: Workspace,
  serverUrl: string,
  token: string,
  csv: string,
  run: number,
): Promise<number> {
  const slug = `bench-import-${run}`;
  const created = await api(`${serverUrl}/api/v1/lists`, token, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ slug, name: `Import benchmark ${run}` }),
  });
  if (created.status !== 201) {
    throw new Error(`creating list ${slug} answered ${created.status}: ${await created.text()}`);
  }

  const started = performance.now();
  const response = await api(`${serverUrl}/api/v1/lists/${slug}/imports?direct=true`, token, {
    method: "POST",
    headers: { "Content-Type": "text/csv" },
    body: csv,
  });
  const text = await response.text();
  const elapsed = performance.now() - started;

  if (response.status !== 201) throw new Error(`the import answered ${response.status}: ${text}`);
  const answer = JSON.parse(text) as ImportAnswer;
  if (answer.report.problems.length > 0 || answer.result.added !== ROWS) {
    throw new Error(`the import did not add every row: ${text.slice(0, 500)}`);
  }
  const db = new Database(sqliteFilePath(workspace.databaseUrl), { readonly: true });
  try {
    const { id: listId } = db.prepare(`SELECT "id" FROM "List" WHERE "slug" = ?`).get(slug) as {
      id: number;
    };
    const count = (sql: string) => (db.prepare(sql).get(listId) as { n: number }).n;
    const entries = count(`SELECT count(*) AS n FROM "Entry" WHERE "listId" = ?`);
    const changes = count(`SELECT count(*) AS n FROM "ListChange" WHERE "listId" = ?`);
    if (entries !== ROWS || changes !== ROWS) {
      throw new Error(`list ${slug} has ${entries} entries and ${changes} changes, not ${ROWS}`);
    }
  } finally {
    db.close();
  }
  return elapsed;
}

async function main(): Promise<number> {
  console.log(`import benchmark: ${ROWS} rows, direct import through the API, ${RUNS} runs`);
  console.log(`  machine: ${describeMachine()}`);
  const csv = realisticBlocklist(ROWS, 50_000).text;
  const parsed = await parseBlocklist(csv, { maxRows: ROWS });
  if (!parsed.ok || parsed.entries.length !== ROWS) {
    throw new Error(`the generated file does not parse to ${ROWS} entries`);
  }
  console.log(`  file: ${(Buffer.byteLength(csv) / 1e6).toFixed(2)} MB, ${ROWS} rows`);

  return withWorkspace("import", async (workspace) => {
    const benchCpu = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    };
    const baseline: number[] = [];
    let busiest = 0;
    for (let run = 1; run <= RUNS; run += 1) {
      const { ms, restPercent } = await timeQuietly(
        () => timeBaselineInsert(path.join(workspace.dir, `baseline-${run}.db`), parsed.entries),
        benchCpu,
      );
      baseline.push(ms);
      busiest = Math.max(busiest, restPercent);
      console.log(
        `  baseline run ${run}: ${ms.toFixed(0)} ms  (rest of the machine ${restPercent.toFixed(0)} %)`,
      );
    }

    const token = await adminToken(workspace);
    const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const service = await workspace.serve(
      profileDir ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {},
    );
    const serviceCpu = () => benchCpu() + cpuSeconds(service.child.pid!);
    const viaApi: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const { ms, restPercent } = await timeQuietly(
        () => timeApiImport(workspace, service.url, token, csv, run),
        serviceCpu,
      );
      viaApi.push(ms);
      busiest = Math.max(busiest, restPercent);
      console.log(
        `  API run ${run}: ${ms.toFixed(0)} ms  (rest of the machine ${restPercent.toFixed(0)} %)`,
      );
    }

    const baselineMs = median(baseline);
    const apiMs = median(viaApi);
    const ratio = apiMs / baselineMs;
    const ok = ratio <= BAR;
    console.log(`  better-sqlite3 baseline: ${baselineMs.toFixed(0)} ms median`);
    console.log(`  API direct import:       ${apiMs.toFixed(0)} ms median`);
    console.log(`  ratio ${ratio.toFixed(2)}× (bar ≤ ${BAR}×)`);
    if (busiest > QUIET_PERCENT) {
      console.log(
        `  note: the rest of the machine used up to ${busiest.toFixed(0)} % of a core during these runs; the figures are disturbed (run it again on a quiet machine)`,
      );
    }
    console.log(ok ? "  PASS" : "  FAIL");
    if (process.env.BENCH_JSON) {
      writeFileSync(
        process.env.BENCH_JSON,
        JSON.stringify(
          {
            bench: "import-api",
            ok,
            machine: describeMachine(),
            rows: ROWS,
            baselineMs: baseline,
            apiMs: viaApi,
            baselineMedianMs: baselineMs,
            apiMedianMs: apiMs,
            ratio,
            busiestRestPercent: busiest,
          },
          null,
          2,
        ),
      );
    }
    return ok ? 0 : 1;
  });
}

process.exitCode = await main();
