// The newcomer's path, through the real executable: `fediblock serve` on an empty directory
// creates the SQLite database, migrates it, creates `admin` with a one-time password printed
// once, and that password signs in.
import { existsSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, runCli, startServe } from "../support/cli.js";

const tmp = temporaryDirectory("fediblock-cli-");
beforeAll(() => assertBuilt());
afterAll(() => tmp.remove());

describe("fediblock serve on an empty directory", () => {
  const cwd = join(tmp.dir, "fresh");

  test("first start: creates data/fediblock.db, prints the URL and a one-time admin password that signs in", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(cwd);
    const serve = await startServe({ cwd });
    try {
      const output = serve.output();
      expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(existsSync(join(cwd, "data/fediblock.db"))).toBe(true);
      const password = /^ {4}(\S+)$/m.exec(output)?.[1];
      expect(password).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);

      expect((await request(serve.url).get("/healthz")).status).toBe(200);
      const login = await request(serve.url)
        .post("/auth/login")
        .send({ username: "admin", password });
      expect(login.status).toBe(200);
      expect(login.body.account).toEqual({
        username: "admin",
        role: "admin",
        mustChangePassword: true,
      });
      expect(login.body.instance).toBeNull();
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  test("second start: the same database, no new password", async () => {
    const serve = await startServe({ cwd });
    try {
      expect(serve.output()).not.toMatch(/one-time password/);
    } finally {
      await serve.stop();
    }
  });

  test("FEDIBLOCK_ADMIN_PASSWORD and FEDIBLOCK_ADMIN_INSTANCE are used on first start", async () => {
    const { mkdirSync } = await import("node:fs");
    const dir = join(tmp.dir, "chosen");
    mkdirSync(dir);
    const serve = await startServe({
      cwd: dir,
      env: {
        FEDIBLOCK_ADMIN_PASSWORD: "a-chosen-admin-password",
        FEDIBLOCK_ADMIN_INSTANCE: "Home.Example",
      },
    });
    try {
      expect(serve.output()).not.toMatch(/one-time password/);
      const login = await request(serve.url)
        .post("/auth/login")
        .send({ username: "admin", password: "a-chosen-admin-password" });
      expect(login.status).toBe(200);
      expect(login.body.instance).toEqual({ domain: "home.example", name: "home.example" });
      expect(login.body.account.mustChangePassword).toBe(false);
    } finally {
      await serve.stop();
    }
  });
});

describe("configuration errors name the bad value and exit 2", () => {
  test.each([
    [{ PORT: "abc" }, /PORT="abc" is not valid: expected a whole number from 1 to 65535/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL="mysql:\/\/x" is not valid: expected file:PATH/],
    [
      { FEDIBLOCK_PUBLIC_URL: "blocklists.example" },
      /FEDIBLOCK_PUBLIC_URL="blocklists.example" is not valid/,
    ],
    [
      { FEDIBLOCK_ADMIN_PASSWORD: "short" },
      /FEDIBLOCK_ADMIN_PASSWORD="short" is not valid: expected at least 12/,
    ],
    [{ FEDIBLOCK_LOG_LEVEL: "loud" }, /FEDIBLOCK_LOG_LEVEL="loud" is not valid/],
  ])("%o", async (env, message) => {
    const result = await runCli(["serve"], { cwd: tmp.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test("every invalid setting is reported at once, not only the first", async () => {
    const env = { PORT: "abc", FEDIBLOCK_LOG_LEVEL: "loud", FEDIBLOCK_SESSION_SECRET: "short" };
    const result = await runCli(["serve"], { cwd: tmp.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("fediblock: bad configuration:");
    expect(result.stderr).toMatch(/^ {2}PORT="abc" is not valid/m);
    expect(result.stderr).toMatch(/^ {2}FEDIBLOCK_LOG_LEVEL="loud" is not valid/m);
    expect(result.stderr).toMatch(/^ {2}FEDIBLOCK_SESSION_SECRET="short" is not valid/m);
  });

  test.each([
    [["account", "create", "alice"], "required option '--role <role>' not specified"],
    [["list", "create", "fedipact"], "required option '--name <name>' not specified"],
    [["import", "blocks.csv"], "required option '--list <slug>' not specified"],
    [["acount", "ls"], "unknown command 'acount'"],
  ])("a usage error exits 2 (configuration), not 1: %o", async (args, message) => {
    const result = await runCli(args, { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test("--help and --version still exit 0", async () => {
    expect((await runCli(["--version"], { cwd: tmp.dir })).code).toBe(0);
    const help = await runCli(["account", "create", "--help"], { cwd: tmp.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--role <role>");
  });

  test("a bad --port flag is named as the flag", async () => {
    const result = await runCli(["serve", "--port", "99999"], { cwd: tmp.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port="99999" is not valid/);
  });
});

describe("account, token and backup commands", () => {
  const cwd = tmp.dir;
  const env = () => ({ DATABASE_URL: `file:${join(tmp.dir, "cli.db")}` });

  test("account create makes the instance and prints a one-time password; token create prints a working token", async () => {
    const created = await runCli(
      ["account", "create", "Bob", "--instance", "bob.example", "--role", "curator"],
      { cwd, env: env() },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created curator bob of bob\.example/);
    expect(created.stdout).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/m);

    const token = await runCli(["token", "create", "--account", "bob", "--scopes", "read,write"], {
      cwd,
      env: env(),
    });
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^fbk_[a-z2-7]{16}_[0-9a-f]{64}$/);

    const db = new Sqlite(join(tmp.dir, "cli.db"), { readonly: true });
    const row = db.prepare('SELECT scopeRead, scopeWrite, scopeAdmin FROM "ApiToken"').get();
    db.close();
    expect(row).toEqual({ scopeRead: 1, scopeWrite: 1, scopeAdmin: 0 });
  });

  test("account create refuses a user name nobody could type at sign-in, and a member with no instance", async () => {
    const badName = await runCli(
      ["account", "create", "Bad Name!", "--role", "member", "--instance", "x.example"],
      {
        cwd,
        env: env(),
      },
    );
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/"bad name!" is not allowed: use 1 to 30 letters/);
    const noInstance = await runCli(["account", "create", "carol", "--role", "member"], {
      cwd,
      env: env(),
    });
    expect(noInstance.code).toBe(1);
    expect(noInstance.stderr).toMatch(/A member belongs to a member instance/);

    const db = new Sqlite(join(tmp.dir, "cli.db"), { readonly: true });
    const names = db.prepare('SELECT username FROM "Account"').all();
    db.close();
    expect(names).not.toContainEqual({ username: "bad name!" });
    expect(names).not.toContainEqual({ username: "carol" });
  });

  test("a curator cannot get an admin-scoped token", async () => {
    const result = await runCli(["token", "create", "--account", "bob", "--scopes", "admin"], {
      cwd,
      env: env(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Only admin accounts can hold tokens with the admin scope/);
  });

  test("bad arguments say what to fix", async () => {
    const role = await runCli(["account", "create", "eve", "--role", "king"], { cwd, env: env() });
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/--role "king" is not one of admin, curator, member/);
    const scopes = await runCli(["token", "create", "--account", "bob", "--scopes", "read,fly"], {
      cwd,
      env: env(),
    });
    expect(scopes.stderr).toMatch(/--scopes "read,fly"/);
    const missing = await runCli(["token", "create", "--account", "nobody"], { cwd, env: env() });
    expect(missing.stderr).toMatch(/Account nobody not found/);
  });

  test("reset-password prints a new password; disable disables", async () => {
    const reset = await runCli(["account", "reset-password", "bob"], { cwd, env: env() });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/m);
    const disabled = await runCli(["account", "disable", "bob"], { cwd, env: env() });
    expect(disabled.code).toBe(0);
    const db = new Sqlite(join(tmp.dir, "cli.db"), { readonly: true });
    const row = db.prepare('SELECT disabledAt FROM "Account" WHERE username = ?').get("bob") as {
      disabledAt: unknown;
    };
    db.close();
    expect(row.disabledAt).not.toBeNull();
  });

  test("backup writes a consistent copy and refuses to overwrite", async () => {
    const target = join(tmp.dir, "backup.db");
    const result = await runCli(["backup", target], { cwd, env: env() });
    expect(result.code).toBe(0);
    const copy = new Sqlite(target, { readonly: true });
    expect(copy.prepare('SELECT username FROM "Account"').all()).toEqual([{ username: "bob" }]);
    copy.close();
    const again = await runCli(["backup", target], { cwd, env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
  });

  test("migrate reports an up-to-date database", async () => {
    const result = await runCli(["migrate"], { cwd, env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/up to date/);
  });

  test.each([
    [[]],
    [["serve"]],
    [["account", "create"]],
    [["token", "create"]],
    [["backup"]],
    [["migrate"]],
  ])("fediblock %j --help", async (args) => {
    const result = await runCli([...args, "--help"], { cwd, env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: fediblock/);
  });
});
