// nginx serving files as static files, the reference of SPEC §9's export bar: one worker,
// sendfile, keep-alive, ETag. Everything it reads and writes (files, config, pid, logs, temp
// files) is in a temp directory of its own, removed when it stops, so it runs as root or not and
// leaves nothing behind.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childPids } from "./wrk.js";

export interface Nginx {
  url: string;
  /** The master's pid and its worker's: the processes whose CPU time counts. */
  pids(): number[];
  stop(): Promise<void>;
}

export function nginxConfig(prefix: string, root: string, port: number): string {
  const temp = (name: string) => path.join(prefix, "temp", name);
  return `# Written by bench/exports-vs-nginx.ts
worker_processes 1;
daemon off;
pid ${path.join(prefix, "nginx.pid")};
error_log ${path.join(prefix, "error.log")} warn;
events {
  worker_connections 1024;
}
http {
  access_log off;
  client_body_temp_path ${temp("body")};
  proxy_temp_path ${temp("proxy")};
  fastcgi_temp_path ${temp("fastcgi")};
  uwsgi_temp_path ${temp("uwsgi")};
  scgi_temp_path ${temp("scgi")};
  types {
    text/csv csv;
  }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  # As many requests per connection as the service allows (no limit), not nginx's default 1000.
  keepalive_requests 1000000;
  etag on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`;
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not start within 10 s:\n${log()}`);
}

/**
 * Starts nginx on 127.0.0.1:`port` serving `files` (URL path → bytes). Started as root, nginx
 * runs its worker as `nobody`, so its directory is readable by everyone (it holds only copies of
 * public exports).
 */
export async function startNginx(files: Record<string, Buffer>, port: number): Promise<Nginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), "fediblock-bench-nginx-"));
  chmodSync(prefix, 0o755);
  const root = path.join(prefix, "www");
  for (const [urlPath, bytes] of Object.entries(files)) {
    const file = path.join(root, ...urlPath.split("/").filter(Boolean));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  for (const name of ["body", "proxy", "fastcgi", "uwsgi", "scgi"])
    mkdirSync(path.join(prefix, "temp", name), { recursive: true });
  const config = path.join(prefix, "nginx.conf");
  writeFileSync(config, nginxConfig(prefix, root, port));
  const child = spawn("nginx", ["-p", prefix, "-c", config, "-e", path.join(prefix, "error.log")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", () => {}); // reported by waitUntilServing as an exit
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`http://127.0.0.1:${port}/`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pids: () => [child.pid!, ...childPids(child.pid!)],
    stop,
  };
}
