// What a benchmark ran on, for docs/benchmarks.md (numbers mean little without the machine),
// and how busy the machine is: on a shared machine other work skews the figures.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem } from "node:os";

/** The first line a program prints about its version (on stdout or stderr), or "not installed". */
export function toolVersion(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) return "not installed";
  const line = `${result.stdout ?? ""}\n${result.stderr ?? ""}`
    .split("\n")
    .map((text) => text.trim())
    .find(Boolean);
  return line?.replace(/\s*Copyright.*$/, "") ?? "unknown";
}

export function isInstalled(command: string): boolean {
  return !spawnSync(command, ["-v"], { stdio: "ignore" }).error;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export function machine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `${process.platform} ${release()}`,
    node: process.version,
  };
}

export function describeMachine(extra: string[] = []): string {
  const m = machine();
  return [
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.kernel}, node ${m.node}`,
    ...extra,
  ].join("; ");
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far (Linux /proc; 0 elsewhere). */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine has been busy (all cores; Linux /proc/stat; 0 elsewhere). */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1);
    const ticks = fields.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
    const idle = ticks[3]! + ticks[4]!;
    return (ticks.reduce((sum, n) => sum + n, 0) - idle) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Waits (up to `maxSeconds`) for a second in which the machine is busy less than `percent` of
 * one core, so that other people's work on a shared machine does not skew a run; answers the
 * busy share of the last second.
 */
export async function waitForQuiet(percent: number, maxSeconds: number): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = (machineBusySeconds() - before) * 100;
    if (busy < percent || Date.now() >= deadline) return busy;
  }
}
