// Runs wrk (keep-alive HTTP load) and reads its report, and how much CPU the server under load
// used meanwhile: a server that is not at 100 % of a core was not the bottleneck.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { cpuSeconds, machineBusySeconds } from "./machine.js";

export interface WrkOptions {
  url: string;
  threads: number;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  bytesRead: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses that were not 2xx or 3xx, and socket errors (connect, read, write, timeout). */
  failures: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function duration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`wrk: cannot read the duration ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function parseWrk(output: string): WrkResult {
  const need = (pattern: RegExp, what: string) => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`wrk: no ${what} in its output:\n${output}`);
    return match;
  };
  const totals = need(/(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/, "totals");
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requestsPerSecond: Number(need(/Requests\/sec:\s+([\d.]+)/, "Requests/sec")[1]),
    requests: Number(totals[1]),
    bytesRead: Number(totals[2]) * UNIT_BYTES[totals[3]!]!,
    latencyP50Ms: duration(need(/^\s+50%\s+(\S+)$/m, "50th percentile")[1]!),
    latencyP99Ms: duration(need(/^\s+99%\s+(\S+)$/m, "99th percentile")[1]!),
    failures:
      Number(non2xx?.[1] ?? 0) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

/** Runs wrk; answers its report and the CPU seconds wrk itself used (the client's share). */
export function runWrk(options: WrkOptions): Promise<WrkResult & { clientCpuSeconds: number }> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
      "-H",
      `${name}: ${value}`,
    ]),
    options.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let clientCpuSeconds = 0;
    const sample = setInterval(() => {
      clientCpuSeconds = Math.max(clientCpuSeconds, cpuSeconds(child.pid!));
    }, 100);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => {
      clearInterval(sample);
      reject(error);
    });
    child.on("close", (code) => {
      clearInterval(sample);
      if (code !== 0) return reject(new Error(`wrk exited ${code}:\n${output}`));
      try {
        resolve({ ...parseWrk(output), clientCpuSeconds });
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/** The processes whose parent is `pid` (nginx's workers under its master). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

export type MeasuredRun = WrkResult & {
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** CPU used meanwhile by everything else on the machine (other people's work disturbs). */
  otherCpuPercent: number;
};

/**
 * Runs wrk and reports the share of one core that the server's processes, wrk, and the rest of
 * the machine each used meanwhile: at 100 % a side is the bottleneck.
 */
export async function runWrkMeasuringCpu(
  options: WrkOptions,
  serverPids: number[],
): Promise<MeasuredRun> {
  const before = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const { clientCpuSeconds, ...result } = await runWrk(options);
  const elapsed = (performance.now() - started) / 1000;
  const after = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const busy = machineBusySeconds() - busyBefore;
  const server = after - before;
  return {
    ...result,
    serverCpuPercent: (server / elapsed) * 100,
    clientCpuPercent: (clientCpuSeconds / elapsed) * 100,
    otherCpuPercent: (Math.max(0, busy - server - clientCpuSeconds) / elapsed) * 100,
  };
}
