// Benchmark (issue 10): `npm start` → first 200 from /healthz, wall-clock, on a built checkout,
// beside `node bin/fediblock.js serve` (the same service without npm). `npm start` must not
// rebuild: its time must stay within 1 s of the direct start, and it must never print
// "fediblock: building". Each run starts on a new SQLite file (first start: migrations, the
// first admin) and then once more on the same file (a restart).
//
//   npx tsx bench/start-to-healthy.ts [--runs N]       (needs `npm run build` first)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag === -1 ? 5 : Number(process.argv[runsFlag + 1]);
const ALLOWED_OVERHEAD_MS = 1000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the command, answers the milliseconds until /healthz answers 200 and the output. */
async function timeToHealthy(
  command: string,
  args: string[],
  databaseUrl: string,
): Promise<{ ms: number; output: string }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      FEDIBLOCK_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${command} exited ${child.exitCode}:\n${output}`);
      if (performance.now() - started > 120_000)
        throw new Error(`no /healthz in 120 s:\n${output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.status === 200) return { ms: performance.now() - started, output };
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const scratch = mkdtempSync(path.join(tmpdir(), "fediblock-bench-start-"));
try {
  const results: Record<string, number[]> = {};
  let rebuilt = false;
  const variants = [
    ["npm start", "npm", ["start"]],
    ["node bin/fediblock.js serve", process.execPath, ["bin/fediblock.js", "serve"]],
  ] as const;
  for (let run = 0; run < RUNS; run++) {
    for (const [name, command, args] of variants) {
      const url = `file:${path.join(scratch, `${run}-${name.split(" ")[0]}.db`)}`;
      for (const start of ["first start", "restart"]) {
        const { ms, output } = await timeToHealthy(command, [...args], url);
        if (/fediblock: building/.test(output)) rebuilt = true;
        (results[`${name}, ${start}`] ??= []).push(ms);
      }
    }
  }
  console.log(`npm start → /healthz, median of ${RUNS} runs (wall-clock):`);
  for (const [name, values] of Object.entries(results)) {
    console.log(`  ${name.padEnd(42)} ${median(values).toFixed(0).padStart(6)} ms`);
  }
  const overhead =
    median(results["npm start, restart"]!) -
    median(results["node bin/fediblock.js serve, restart"]!);
  console.log(
    `npm's overhead on a restart: ${overhead.toFixed(0)} ms (bar: ≤ ${ALLOWED_OVERHEAD_MS} ms, no rebuild)`,
  );
  if (process.env.BENCH_JSON) {
    const medians = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
    writeFileSync(process.env.BENCH_JSON, JSON.stringify({ medians, overhead, rebuilt }));
  }
  if (rebuilt) console.log("FAIL: npm start rebuilt a built checkout");
  process.exitCode = rebuilt || overhead > ALLOWED_OVERHEAD_MS ? 1 : 0;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
