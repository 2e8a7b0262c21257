// What an operator does without a browser: `ls` (alias `list`) for accounts, tokens, instances
// and lists, and the edits behind them, through the real executable on a real database file.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { temporaryDirectory } from "../support/app.js";
import { assertBuilt, runCli } from "../support/cli.js";

const tmp = temporaryDirectory("fediblock-operator-");
const env = () => ({ DATABASE_URL: `file:${join(tmp.dir, "operator.db")}` });
const fediblock = (...args: string[]) => runCli(args, { cwd: tmp.dir, env: env() });
const json = async (...args: string[]) => {
  const result = await fediblock(...args, "--json");
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

beforeAll(async () => {
  assertBuilt();
  expect((await fediblock("instance", "create", "alpha.example", "--name", "Alpha")).code).toBe(0);
  expect((await fediblock("instance", "create", "beta.example")).code).toBe(0);
  const alice = await fediblock(
    "account",
    "create",
    "alice",
    "--instance",
    "alpha.example",
    "--role",
    "member",
  );
  expect(alice.code).toBe(0);
});
afterAll(() => tmp.remove());

describe("instances", () => {
  test("instance ls and instance list show the members with their accounts", async () => {
    const table = await fediblock("instance", "ls");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^domain\s+accounts\s+joined\s+name$/m);
    expect(table.stdout).toMatch(/^alpha\.example\s+1\s+\d{4}-\d\d-\d\d\s+Alpha$/m);
    expect(await json("instance", "list")).toEqual([
      expect.objectContaining({ domain: "alpha.example", name: "Alpha", accounts: 1 }),
      expect.objectContaining({ domain: "beta.example", name: "beta.example", accounts: 0 }),
    ]);
  });

  test("a second create of the same instance exits 1 and says so", async () => {
    const again = await fediblock("instance", "create", "ALPHA.example");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("The instance alpha.example is already a member.");
  });
});

describe("accounts", () => {
  test("set-instance moves an account; an unknown instance is refused and nothing changes", async () => {
    const moved = await fediblock("account", "set-instance", "alice", "beta.example");
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain("alice now votes for beta.example.");
    const unknown = await fediblock("account", "set-instance", "alice", "nowhere.example");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("fediblock instance create");
    const none = await fediblock("account", "set-instance", "alice", "none");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("Only an admin may have no instance.");
    const [alice] = await json("account", "ls");
    expect(alice).toMatchObject({ username: "alice", instance: { domain: "beta.example" } });
  });

  test("set-role, disable and enable, shown by account ls", async () => {
    expect((await fediblock("account", "set-role", "alice", "curator")).code).toBe(0);
    expect((await fediblock("account", "disable", "alice")).code).toBe(0);
    const disabled = await fediblock("account", "list");
    expect(disabled.stdout).toMatch(/^alice\s+curator\s+beta\.example\s+disabled\s/m);
    expect((await fediblock("account", "enable", "alice")).code).toBe(0);
    const [alice] = await json("account", "ls");
    expect(alice).toMatchObject({ role: "curator", disabled: false });
    const bad = await fediblock("account", "set-role", "alice", "owner");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--role "owner" is not one of admin, curator, member');
  });
});

describe("tokens", () => {
  test("token ls shows live tokens without their secrets; token revoke ends one", async () => {
    const created = await fediblock(
      "token",
      "create",
      "--account",
      "alice",
      "--scopes",
      "read",
      "--name",
      "cron",
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    const tokens = await json("token", "ls", "--account", "alice");
    expect(tokens).toEqual([
      expect.objectContaining({
        account: "alice",
        name: "cron",
        scopes: ["read"],
        lastUsedAt: null,
      }),
    ]);
    const table = await fediblock("token", "list");
    expect(table.stdout).toContain(tokens[0].id);
    expect(table.stdout).not.toContain(secret);

    const revoked = await fediblock("token", "revoke", tokens[0].id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked token ${tokens[0].id} of alice`);
    expect(await json("token", "ls")).toEqual([]);
    const again = await fediblock("token", "revoke", tokens[0].id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Token not found");
    const nobody = await fediblock("token", "ls", "--account", "nobody");
    expect(nobody.code).toBe(1);
  });
});

describe("lists", () => {
  test("list ls, show and edit: name, description, visibility and policy", async () => {
    expect((await fediblock("list", "create", "fedipact", "--name", "FediPact")).code).toBe(0);
    const edited = await fediblock(
      "list",
      "edit",
      "fedipact",
      "--description",
      "No Meta",
      "--visibility",
      "members",
      "--quorum",
      "5",
      "--threshold",
      "0.75",
      "--allow-broad",
    );
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain("Policy: quorum 5, threshold 0.75");
    const shown = await json("list", "show", "fedipact");
    expect(shown).toMatchObject({
      slug: "fedipact",
      description: "No Meta",
      visibility: "members",
      policy: { quorum: 5, threshold: 0.75, allowBroad: true, publicEvidence: false },
    });
    // A negatable flag changes only when typed; the rest of the policy stays.
    expect((await fediblock("list", "edit", "fedipact", "--no-allow-broad")).code).toBe(0);
    expect((await json("list", "show", "fedipact")).policy).toMatchObject({
      quorum: 5,
      allowBroad: false,
    });

    const table = await fediblock("list", "ls");
    expect(table.stdout).toMatch(/^fedipact\s+members\s+0\s+0\s+0\s+FediPact$/m);
    const text = await fediblock("list", "show", "fedipact");
    expect(text.stdout).toContain("quorum 5, threshold 0.75, 14 days to vote");
  });

  test("bad edits are refused with what to fix, and nothing changes", async () => {
    const nothing = await fediblock("list", "edit", "fedipact");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Nothing to change");
    const formula = await fediblock("list", "edit", "fedipact", "--name", "=HYPERLINK(1)");
    expect(formula.code).toBe(1);
    expect(formula.stderr).toMatch(/name: must not begin with =/);
    const quorum = await fediblock("list", "edit", "fedipact", "--quorum", "0");
    expect(quorum.code).toBe(1);
    expect(quorum.stderr).toContain("quorum");
    const missing = await fediblock("list", "show", "nope");
    expect(missing.code).toBe(1);
    expect((await json("list", "show", "fedipact")).name).toBe("FediPact");
  });
});
