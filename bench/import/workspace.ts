// A benchmark's scratch space: a temp directory with its own SQLite database, the real
// `fediblock` executable run against it (commands, and `serve` as a child process), and the
// clean-up of both, also when the benchmark fails or is interrupted.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { assertBuilt, fediblockBin, freePort, runCli } from "../../test/support/cli.js";

export interface Service {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Options for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export interface Workspace {
  dir: string;
  databaseUrl: string;
  /** Runs `fediblock ARGS` against the workspace's database; answers its standard output. */
  cli(args: string[]): Promise<string>;
  /** Starts `fediblock serve` against the workspace's database; stopped by the clean-up. */
  serve(options?: ServeOptions): Promise<Service>;
  /** Runs `stop` at clean-up time (last registered, first run). */
  onCleanup(stop: () => Promise<unknown> | void): void;
}

/** Runs `work` in a fresh workspace, then stops what it started and removes the directory. */
export async function withWorkspace<T>(
  name: string,
  work: (workspace: Workspace) => Promise<T>,
): Promise<T> {
  assertBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), `fediblock-bench-${name}-`));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  const cleanups: (() => Promise<unknown> | void)[] = [];
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const stop of cleanups.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`clean-up failed: ${String(error)}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const interrupted = (signal: NodeJS.Signals) => {
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const env = { DATABASE_URL: databaseUrl, FEDIBLOCK_LOG_LEVEL: "warn" };
  const workspace: Workspace = {
    dir,
    databaseUrl,
    async cli(args) {
      const result = await runCli(args, { cwd: dir, env });
      if (result.code !== 0) {
        throw new Error(`fediblock ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      }
      return result.stdout;
    },
    async serve(options = {}) {
      const service = await startService(dir, { ...options, env: { ...env, ...options.env } });
      cleanups.push(() => service.stop());
      return service;
    },
    onCleanup(stop) {
      cleanups.push(stop);
    },
  };
  try {
    return await work(workspace);
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await cleanUp();
  }
}

/** Starts `node [nodeArgs] bin/fediblock.js serve` on a free port; waits until it listens. */
async function startService(cwd: string, options: ServeOptions): Promise<Service> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), fediblockBin, "serve", "--port", String(port)],
    {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
      child.stdout!.on("data", () => {
        if (!/listening on http/.test(output)) return;
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url: `http://127.0.0.1:${port}`, stop };
}

/** Creates an admin account and an API token with every scope; answers the token. */
export async function adminToken(workspace: Workspace, username = "bencher"): Promise<string> {
  await workspace.cli(["account", "create", username, "--role", "admin"]);
  const out = await workspace.cli([
    "token",
    "create",
    "--account",
    username,
    "--scopes",
    "read,write,admin",
    "--name",
    "benchmark",
  ]);
  return out.trim();
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
