// The CPU time (user + system) a child process used, measured by bash's `time` (getrusage of the
// child), so the figure covers Node's own start-up and not only our code.
import { spawn } from "node:child_process";

export interface ProcessTime {
  cpuMs: number;
  exitCode: number;
}

export function processTime(
  command: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessTime> {
  const script = 'TIMEFORMAT="%3U %3S"; { time "$@" >/dev/null 2>&1; } 2>&1; echo "exit $?"';
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script, "_", ...command], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => {
      const times = /^(\d+\.\d+) (\d+\.\d+)$/m.exec(output);
      const exit = /^exit (\d+)$/m.exec(output);
      if (!times || !exit) return reject(new Error(`cannot read the timing: ${output}`));
      resolve({ cpuMs: (Number(times[1]) + Number(times[2])) * 1000, exitCode: Number(exit[1]) });
    });
  });
}

export async function medianProcessTime(
  command: string[],
  runs: number,
  env?: NodeJS.ProcessEnv,
): Promise<{ medianMs: number; minMs: number; exitCodes: number[] }> {
  const results: ProcessTime[] = [];
  for (let i = 0; i < runs; i++) results.push(await processTime(command, env));
  const sorted = results.map((result) => result.cpuMs).sort((a, b) => a - b);
  return {
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    exitCodes: [...new Set(results.map((result) => result.exitCode))],
  };
}
