// Benchmark (SPEC §9): an unchanged 10,000-entry CSV export, full GET and 304 revalidation,
// answered by one service process at ≥ 50 % of the requests per second of nginx (one worker,
// sendfile on) serving the same bytes as a static file, measured side by side with
// `wrk -t1 -c32` keep-alive.
//
//   npx tsx bench/exports-vs-nginx.ts      (needs `npm run build`, nginx and wrk)
//
// BENCH_SECONDS (10) is each wrk run, BENCH_ROUNDS (3) how many times the four runs alternate
// (the median is kept), BENCH_JSON=FILE writes the results for bench/run-all.ts, and
// BENCH_PROFILE=DIR starts the service with --cpu-prof, writing its profile there, and
// BENCH_ONLY=get or BENCH_ONLY=304 measures one scenario (to profile it). On a shared machine
// each run first waits up to BENCH_QUIET_WAIT seconds (120) for the rest of the machine to go
// quiet, and the report says how busy it was.
import { mkdirSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { freePort } from "../test/support/cli.js";
import { describeMachine, isInstalled, toolVersion, waitForQuiet } from "./exports/machine.js";
import { startNginx } from "./exports/nginx.js";
import { runWrkMeasuringCpu, type MeasuredRun } from "./exports/wrk.js";
import { realisticBlocklist } from "./import/blocklist.js";
import { median, withWorkspace } from "./import/workspace.js";

const ENTRIES = 10_000;
const SLUG = "bench-export";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_SECONDS = 5;
const THREADS = 1;
const CONNECTIONS = 32;
const BAR = 0.5;
/** The rest of the machine busier than this (in % of one core) disturbs the measurement. */
const QUIET_PERCENT = 25;
/** How long a run waits for the machine to be that quiet before it runs anyway. */
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_QUIET_WAIT ?? 120);

const SCENARIOS = (["full GET", "304 revalidation"] as const).filter(
  (scenario) => !process.env.BENCH_ONLY || scenario.toLowerCase().includes(process.env.BENCH_ONLY),
);
type Scenario = (typeof SCENARIOS)[number];
type Server = "service" | "nginx";

interface Target {
  url: string;
  etag: string;
  pids: () => number[];
}

interface ScenarioResult {
  scenario: Scenario;
  service: MeasuredRun;
  nginx: MeasuredRun;
  /** Service requests/s over nginx's, medians of the rounds. */
  ratio: number;
  met: boolean;
}

async function fetchExport(url: string, etag?: string) {
  // The plain bytes, as wrk asks for them (fetch would ask for gzip and get its own ETag).
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (etag) headers["If-None-Match"] = etag;
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, etag: response.headers.get("etag"), body };
}

/** The bytes on the wire of an export asked for with `Accept-Encoding: coding` (not decoded). */
function wireBytes(url: string, coding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "Accept-Encoding": coding } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () =>
        res.headers["content-encoding"] === coding
          ? resolve(bytes)
          : reject(new Error(`the service did not answer ${coding}`)),
      );
    }).on("error", reject);
  });
}

/** The run whose requests/s is the median of the rounds (its latencies go with it). */
function medianRun(runs: MeasuredRun[]): MeasuredRun {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function measure(targets: Record<Server, Target>): Promise<ScenarioResult[]> {
  const wrk = (server: Server, scenario: Scenario, seconds: number) =>
    runWrkMeasuringCpu(
      {
        url: `${targets[server].url}/lists/${SLUG}.csv`,
        threads: THREADS,
        connections: CONNECTIONS,
        seconds,
        headers: scenario === "304 revalidation" ? { "If-None-Match": targets[server].etag } : {},
      },
      targets[server].pids(),
    );

  console.log(`  warm-up: ${WARM_UP_SECONDS} s of each run`);
  for (const scenario of SCENARIOS)
    for (const server of ["service", "nginx"] as const)
      await wrk(server, scenario, WARM_UP_SECONDS);

  const runs = new Map<string, MeasuredRun[]>();
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const scenario of SCENARIOS) {
      for (const server of ["service", "nginx"] as const) {
        const busy = await waitForQuiet(QUIET_PERCENT, QUIET_WAIT_SECONDS);
        if (busy >= QUIET_PERCENT)
          console.log(
            `  (the machine is busy with other work, ${busy.toFixed(0)} % of a core: running anyway)`,
          );
        const run = await wrk(server, scenario, SECONDS);
        if (run.failures > 0) {
          throw new Error(`${server} ${scenario}: ${run.failures} failed requests under load`);
        }
        const key = `${scenario}/${server}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        console.log(
          `  round ${round} ${scenario.padEnd(16)} ${server.padEnd(7)} ${run.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${run.latencyP50Ms.toFixed(2)} ms  p99 ${run.latencyP99Ms.toFixed(2)} ms  server CPU ${run.serverCpuPercent.toFixed(0)} %  wrk CPU ${run.clientCpuPercent.toFixed(0)} %  rest ${run.otherCpuPercent.toFixed(0)} %  ${(run.bytesRead / run.requests).toFixed(0)} B/response`,
        );
      }
    }
  }
  const scenarios = SCENARIOS.map((scenario) => {
    const service = medianRun(runs.get(`${scenario}/service`)!);
    const nginx = medianRun(runs.get(`${scenario}/nginx`)!);
    const ratio =
      median(runs.get(`${scenario}/service`)!.map((run) => run.requestsPerSecond)) /
      median(runs.get(`${scenario}/nginx`)!.map((run) => run.requestsPerSecond));
    return { scenario, service, nginx, ratio, met: ratio >= BAR };
  });
  return scenarios;
}

async function main(): Promise<number> {
  const missing = ["nginx", "wrk"].filter((tool) => !isInstalled(tool));
  if (missing.length > 0) {
    console.error(
      `exports-vs-nginx: ${missing.join(" and ")} not installed (apt-get install -y nginx wrk)`,
    );
    return 2;
  }
  const tools = [toolVersion("nginx", ["-v"]), toolVersion("wrk", ["-v"])];
  console.log(
    `exports vs nginx benchmark: ${ENTRIES} entries, CSV, wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} rounds`,
  );
  console.log(`  machine: ${describeMachine(tools)}`);

  return withWorkspace("exports", async (workspace) => {
    const file = path.join(workspace.dir, "list.csv");
    writeFileSync(file, realisticBlocklist(ENTRIES, 10_000).text);
    await workspace.cli(["list", "create", SLUG, "--name", "Benchmark export list"]);
    await workspace.cli(["import", file, "--list", SLUG, "--direct"]);

    const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const service = await workspace.serve(
      profileDir ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {},
    );
    const exported = await fetchExport(`${service.url}/lists/${SLUG}.csv`);
    const records = parse(exported.body, { skip_empty_lines: true }) as string[][];
    if (exported.status !== 200 || !exported.etag || records.length !== ENTRIES + 1) {
      throw new Error(
        `the service's export is not right: status ${exported.status}, ETag ${exported.etag}, ${records.length - 1} rows`,
      );
    }

    const nginx = await startNginx({ [`/lists/${SLUG}.csv`]: exported.body }, await freePort());
    workspace.onCleanup(() => nginx.stop());
    const copy = await fetchExport(`${nginx.url}/lists/${SLUG}.csv`);
    if (copy.status !== 200 || !copy.etag || !copy.body.equals(exported.body)) {
      throw new Error(`nginx does not serve the same bytes (status ${copy.status})`);
    }

    const targets: Record<Server, Target> = {
      service: { url: service.url, etag: exported.etag, pids: () => [service.child.pid!] },
      nginx: { url: nginx.url, etag: copy.etag, pids: nginx.pids },
    };
    for (const [server, target] of Object.entries(targets)) {
      const revalidated = await fetchExport(`${target.url}/lists/${SLUG}.csv`, target.etag);
      if (revalidated.status !== 304 || revalidated.body.length !== 0) {
        throw new Error(`${server} answered ${revalidated.status} to If-None-Match, not 304`);
      }
    }
    console.log(
      `  export: ${exported.body.length} bytes, ${ENTRIES} rows; service ETag ${exported.etag}, nginx ETag ${copy.etag}`,
    );
    const compressed = await Promise.all(
      (["gzip", "br"] as const).map((coding) =>
        wireBytes(`${service.url}/lists/${SLUG}.csv`, coding),
      ),
    );
    console.log(
      `  compressed (what Accept-Encoding gets): gzip ${compressed[0]} bytes, br ${compressed[1]} bytes`,
    );

    const scenarios = await measure(targets);
    console.log("");
    console.log("  scenario          server     req/s   p50 ms   p99 ms  server CPU  wrk CPU");
    for (const result of scenarios) {
      for (const server of ["service", "nginx"] as const) {
        const run = result[server];
        console.log(
          `  ${result.scenario.padEnd(17)} ${server.padEnd(7)} ${run.requestsPerSecond.toFixed(0).padStart(8)} ${run.latencyP50Ms.toFixed(2).padStart(8)} ${run.latencyP99Ms.toFixed(2).padStart(8)} ${run.serverCpuPercent.toFixed(0).padStart(9)} % ${run.clientCpuPercent.toFixed(0).padStart(6)} %`,
        );
      }
      console.log(
        `  ${result.scenario}: service at ${(result.ratio * 100).toFixed(0)} % of nginx (bar ≥ ${BAR * 100} %) ${result.met ? "met" : "MISSED"}`,
      );
    }
    const ok = scenarios.every((result) => result.met);
    const busiest = Math.max(
      ...scenarios.flatMap((result) => [
        result.service.otherCpuPercent,
        result.nginx.otherCpuPercent,
      ]),
    );
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
            bench: "exports-vs-nginx",
            ok,
            machine: describeMachine(tools),
            bodyBytes: exported.body.length,
            scenarios,
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
