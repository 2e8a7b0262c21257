// Runs the real `fediblock` executable (bin/fediblock.js → dist/, built by `npm test`'s pretest).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { packageRoot } from "../../server/paths.js";

export const fediblockBin = join(packageRoot, "bin/fediblock.js");

export function assertBuilt(): void {
  if (!existsSync(join(packageRoot, "dist/server/cli/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fediblock ARGS` to completion. The environment is the given one only (plus PATH). */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [fediblockBin, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? "", ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `fediblock serve` and waits until it says where it listens. */
export async function startServe(options: {
  cwd: string;
  env?: Record<string, string>;
  args?: string[];
}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [fediblockBin, "serve", "--port", String(port), ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", FEDIBLOCK_LOG_LEVEL: "warn", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
    const check = () => {
      if (/listening on http/.test(output)) {
        // The first-start banner follows the listening line; give it a moment to arrive.
        setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, 200);
        return true;
      }
      return false;
    };
    child.stdout!.on("data", () => check());
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}
