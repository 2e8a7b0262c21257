// What a start must never do to a newcomer (issue 10): lose the first admin when it fails, print
// a database password, share a SQLite file with a second service, or leave data world-readable.
import { execFile } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, fediblockBin, freePort, runCli, startServe } from "../support/cli.js";

const tmp = temporaryDirectory("fediblock-serve-start-");
beforeAll(() => assertBuilt());
afterAll(() => tmp.remove());

const fresh = (name: string) => {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  return dir;
};

describe("the first admin cannot be lost", () => {
  test("a first start that cannot listen creates nobody; the next start prints the one-time password", async () => {
    const cwd = fresh("port-taken");
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    try {
      const failed = await runCli(["serve", "--port", String(port)], { cwd });
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/port \d+ is already in use/);
      expect(failed.stdout).not.toMatch(/one-time password/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    const db = new Sqlite(join(cwd, "data/fediblock.db"), { readonly: true });
    const accounts = db.prepare('SELECT COUNT(*) AS n FROM "Account"').get();
    db.close();
    expect(accounts).toEqual({ n: 0 });

    const serve = await startServe({ cwd });
    try {
      expect(serve.output()).toMatch(/one-time password/);
      expect(serve.output()).toMatch(/^ {4}\w{5}-\w{5}-\w{5}-\w{5}$/m);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  test("while admin has never signed in, every start says so and shows reset-password, never the password; a sign-in ends it", async () => {
    const cwd = fresh("unclaimed");
    const first = await startServe({ cwd });
    const password = /^ {4}(\S+)$/m.exec(first.output())?.[1];
    await first.stop();
    expect(password).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);

    for (let start = 0; start < 2; start++) {
      const again = await startServe({ cwd });
      try {
        expect(again.output()).toMatch(/`admin` created on first start has never signed in/);
        expect(again.output()).toMatch(/^ {4}fediblock account reset-password admin$/m);
        expect(again.output()).not.toContain(password!);
        if (start === 1) {
          const login = await request(again.url)
            .post("/auth/login")
            .send({ username: "admin", password });
          expect(login.status).toBe(200);
        }
      } finally {
        await again.stop();
      }
    }
    const claimed = await startServe({ cwd });
    try {
      expect(claimed.output()).not.toMatch(/never signed in|reset-password/);
    } finally {
      await claimed.stop();
    }
  });

  test("the password of a database URL is never printed", async () => {
    const url = "postgresql://fediblock:hunter2-secret@127.0.0.1:9/fediblock";
    const result = await runCli(["serve"], { cwd: tmp.dir, env: { DATABASE_URL: url } });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).not.toContain("hunter2-secret");
    expect(result.stderr).toMatch(
      /cannot connect to the database postgresql:\/\/fediblock:\*\*\*@127\.0\.0\.1:9\/fediblock/,
    );
    const bad = await runCli(["migrate"], {
      cwd: tmp.dir,
      env: { DATABASE_URL: "postgresql://fediblock:hunter2-secret@127.0.0.1:9/x?sslmode=nope" },
    });
    expect(bad.stdout + bad.stderr).not.toContain("hunter2-secret");
    expect(bad.stderr).toMatch(/fediblock:/);
  });
});

describe("one service per SQLite file", () => {
  test("a second serve on the same file refuses and says why; the CLI keeps working beside the first", async () => {
    const cwd = fresh("second-serve");
    const first = await startServe({
      cwd,
      env: { FEDIBLOCK_ADMIN_PASSWORD: "a-chosen-password-1" },
    });
    try {
      const second = await runCli(["serve", "--port", String(await freePort())], { cwd });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        /another `fediblock serve` is already running on .*fediblock\.db: one service per SQLite file/,
      );
      expect(second.stderr).toMatch(/use PostgreSQL/);

      const created = await runCli(
        ["account", "create", "carol", "--instance", "carol.example", "--role", "curator"],
        { cwd },
      );
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/Created curator carol/);
      expect((await request(first.url).get("/healthz")).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // Once the first has stopped, the file is free again.
    const after = await startServe({ cwd });
    expect(after.output()).toMatch(/listening on/);
    await after.stop();
  });
});

/** Runs `fediblock ARGS` under a permissive umask, as a careless service manager would. */
const underUmask000 = (args: string[], cwd: string) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      "/bin/sh",
      ["-c", `umask 000; exec "${process.execPath}" "${fediblockBin}" "$@"`, "sh", ...args],
      { cwd, env: { PATH: process.env.PATH ?? "" } },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr }),
    );
  });

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("files are private whatever the umask", () => {
  test("the data directory is 0700; the database, its -wal and -shm and a backup are 0600; a new database is announced", async () => {
    const cwd = fresh("private");
    const created = await underUmask000(["list", "create", "private", "--name", "Private"], cwd);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(
      /created a new empty database at .*private\/data\/fediblock\.db \(set DATABASE_URL/,
    );
    // Open it the way the service does, so that SQLite creates its -wal and -shm files.
    const db = new Sqlite(join(cwd, "data/fediblock.db"));
    try {
      db.pragma("journal_mode = WAL");
      db.prepare('SELECT COUNT(*) FROM "List"').get();
      expect(mode(join(cwd, "data"))).toBe("700");
      expect(mode(join(cwd, "data/fediblock.db"))).toBe("600");
      expect(mode(join(cwd, "data/fediblock.db-wal"))).toBe("600");
      expect(mode(join(cwd, "data/fediblock.db-shm"))).toBe("600");
    } finally {
      db.close();
    }
    const backup = await underUmask000(["backup", "copy.db"], cwd);
    expect(backup.code).toBe(0);
    expect(mode(join(cwd, "copy.db"))).toBe("600");

    const again = await underUmask000(["list", "create", "second", "--name", "Second"], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/created a new empty database/);
  });
});

describe("start-up warnings", () => {
  test("FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true is logged at start; off, nothing is said", async () => {
    const cwd = fresh("outbound");
    const allowed = await startServe({
      cwd,
      env: {
        FEDIBLOCK_ADMIN_PASSWORD: "a-chosen-password-1",
        FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true",
      },
    });
    expect(await allowed.stop()).toBe(0);
    expect(allowed.output()).toMatch(
      /warn +FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE=true: the server may fetch http:\/\/ and private/,
    );
    const strict = await startServe({ cwd });
    expect(await strict.stop()).toBe(0);
    expect(strict.output()).not.toMatch(/FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE/);
  });
});
