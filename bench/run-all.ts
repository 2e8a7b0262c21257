// Runs every benchmark of SPEC §9 in sequence (`npm run bench`), prints a summary table, and
// exits 1 if any bar is missed. The export benchmark needs nginx and wrk
// (`apt-get install -y nginx wrk`); without them it is skipped, and the summary says so.
//
//   npx tsx bench/run-all.ts [NAME…]     (names: sync-plan sync-startup sync-startup-bundle import-api
//                                          exports-vs-nginx start-to-healthy; all by default)
// BENCH_SKIP_BUILD=1 skips `npm run build` (sync-startup and the service run the compiled code).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, isInstalled, toolVersion } from "./exports/machine.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

type Status = "PASS" | "FAIL" | "SKIPPED";

interface Outcome {
  name: string;
  bar: string;
  status: Status;
  /** What was measured, in a few words. */
  measured: string;
  seconds: number;
}

interface Bench {
  name: string;
  file: string;
  /** Arguments after the file. */
  args?: string[];
  bar: string;
  /** Why it cannot run here, if it cannot. */
  skip?: () => string | null;
  /** The measured figures, from its output or the JSON it wrote. */
  summarize(output: string, json: Record<string, unknown> | null): string;
}

const line = (output: string, pattern: RegExp) => pattern.exec(output)?.[1]?.trim() ?? "?";

interface ScenarioJson {
  scenario: string;
  ratio: number;
  service: { requestsPerSecond: number };
  nginx: { requestsPerSecond: number };
}

const BENCHES: Bench[] = [
  {
    name: "sync-plan",
    file: "bench/sync-plan.ts",
    bar: "plan 20k vs 20k < 1 s CPU; minimum API calls",
    summarize: (output) =>
      `plan ${line(output, /planSync CPU: (\d+ ms) cold/)} + parse ${line(output, /parseFeed CPU[^:]*: (\d+ ms)/)} CPU; calls: ${line(output, /target API calls of a full run: (.*)$/m)}`,
  },
  {
    name: "sync-startup",
    file: "bench/sync-startup.ts",
    bar: "sync --help and no-op sync < 300 ms CPU",
    summarize: (output) =>
      `--help ${line(output, /fediblock sync --help:\s+(\d+ ms)/)}, no-op ${line(output, /no-op sync [^:]*:\s+(\d+ ms)/)}`,
  },
  {
    name: "sync-startup-bundle",
    file: "bench/sync-startup.ts",
    args: ["dist/fediblock-sync.mjs"],
    bar: "the same, for the single-file sync client",
    summarize: (output) =>
      `--help ${line(output, /fediblock sync --help:\s+(\d+ ms)/)}, no-op ${line(output, /no-op sync [^:]*:\s+(\d+ ms)/)}`,
  },
  {
    name: "import-api",
    file: "bench/import-api.ts",
    bar: "50k-row direct import via API ≤ 5× better-sqlite3",
    summarize: (_output, json) =>
      json
        ? `API ${(json.apiMedianMs as number).toFixed(0)} ms vs baseline ${(json.baselineMedianMs as number).toFixed(0)} ms = ${(json.ratio as number).toFixed(2)}×`
        : "no result",
  },
  {
    name: "exports-vs-nginx",
    file: "bench/exports-vs-nginx.ts",
    bar: "10k CSV, GET and 304: service ≥ 50 % of nginx req/s",
    skip: () => {
      const missing = ["nginx", "wrk"].filter((tool) => !isInstalled(tool));
      return missing.length > 0
        ? `${missing.join(" and ")} not installed (apt-get install -y nginx wrk)`
        : null;
    },
    summarize: (_output, json) =>
      json
        ? (json.scenarios as ScenarioJson[])
            .map(
              (s) =>
                `${s.scenario} ${s.service.requestsPerSecond.toFixed(0)}/${s.nginx.requestsPerSecond.toFixed(0)} req/s = ${(s.ratio * 100).toFixed(0)} %`,
            )
            .join("; ")
        : "no result",
  },
  {
    name: "start-to-healthy",
    file: "bench/start-to-healthy.ts",
    bar: "npm start → /healthz ≤ direct start + 1 s, no rebuild",
    summarize: (_output, json) =>
      json
        ? `restart: npm start ${(json.medians as Record<string, number>)["npm start, restart"]!.toFixed(0)} ms, direct ${(json.medians as Record<string, number>)["node bin/fediblock.js serve, restart"]!.toFixed(0)} ms; first start ${(json.medians as Record<string, number>)["npm start, first start"]!.toFixed(0)} ms`
        : "no result",
  },
];

/** Runs a command, its output passed through and also kept; answers the exit code and output. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

async function runBench(bench: Bench, scratch: string): Promise<Outcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const reason = bench.skip?.() ?? null;
  if (reason) {
    console.log(`\n== ${bench.name}: SKIPPED: ${reason}`);
    return { name: bench.name, bar: bench.bar, status: "SKIPPED", measured: reason, seconds: 0 };
  }
  console.log(`\n== ${bench.name} (${bench.file})`);
  const jsonFile = path.join(scratch, `${bench.name}.json`);
  const { code, output } = await run(TSX, [bench.file, ...(bench.args ?? [])], {
    ...process.env,
    BENCH_JSON: jsonFile,
  });
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(readFileSync(jsonFile, "utf8")) as Record<string, unknown>;
  } catch {
    // This benchmark reports on its output only, or it failed before writing.
  }
  return {
    name: bench.name,
    bar: bench.bar,
    status: code === 0 ? "PASS" : "FAIL",
    measured: code === 0 || json ? bench.summarize(output, json) : `exited ${code}`,
    seconds: seconds(),
  };
}

function printSummary(outcomes: Outcome[]): void {
  const rows = [
    ["benchmark", "bar", "result", "measured", "time"],
    ...outcomes.map((o) => [o.name, o.bar, o.status, o.measured, `${o.seconds.toFixed(0)} s`]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log("\n== summary");
  console.log(
    `machine: ${describeMachine([toolVersion("nginx", ["-v"]), toolVersion("wrk", ["-v"])])}`,
  );
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark ${unknown.join(", ")}: choose among ${BENCHES.map((b) => b.name).join(", ")}`,
    );
    return 2;
  }
  const chosen = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;

  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log("== npm run build");
    const build = await run("npm", ["run", "build"]);
    if (build.code !== 0) {
      console.error("the build failed: no benchmark was run");
      return 1;
    }
  }
  const scratch = mkdtempSync(path.join(tmpdir(), "fediblock-bench-all-"));
  const outcomes: Outcome[] = [];
  // Ctrl-C reaches the benchmark being run too, which cleans up after itself.
  const interrupted = () => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    for (const bench of chosen) outcomes.push(await runBench(bench, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  printSummary(outcomes);
  const failed = outcomes.filter((o) => o.status === "FAIL");
  const skipped = outcomes.filter((o) => o.status === "SKIPPED");
  if (skipped.length > 0)
    console.log(`\nnot measured here: ${skipped.map((o) => o.name).join(", ")} (see above)`);
  console.log(
    failed.length > 0
      ? `\nbars missed: ${failed.map((o) => o.name).join(", ")}`
      : "\nevery bar measured here is met",
  );
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
