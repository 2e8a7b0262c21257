import { z } from "zod";
// `fediblock account ls|create|reset-password|disable|enable|set-role|set-instance`,
// `fediblock token ls|create|revoke` and `fediblock instance ls|create`.
import { createAccount, listAccounts, updateAccount } from "../accounts/accounts.service.js";
import { issueToken, listTokens, revokeToken } from "../accounts/tokens.service.js";
import { ROLES, SCOPES, type Role, type Scope } from "../accounts/actor.js";
import type { ConfigFlags } from "../config.js";
import { invalid, notFound } from "../errors.js";
import { createInstance, listInstances } from "../instances/instances.service.js";
import { plainText } from "../proposals/input.js";
import { withDatabase } from "./context.js";
import { printTable } from "./lists.js";

function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) {
    throw invalid(`--role ${JSON.stringify(text)} is not one of ${ROLES.join(", ")}`);
  }
  return text as Role;
}

function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw invalid(
      `--scopes ${JSON.stringify(text)}: use a comma-separated list of ${SCOPES.join(", ")}`,
    );
  }
  return [...new Set(scopes)] as Scope[];
}

export function accountCreate(
  username: string,
  options: { instance?: string; role: string } & ConfigFlags,
): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await createAccount(ctx, "system", {
      username: username.trim().toLowerCase(),
      role: parseRole(options.role),
      instance: options.instance ?? null,
      createInstance: true,
    });
    console.log(
      `Created ${account.role} ${account.username}${account.instance ? ` of ${account.instance.domain}` : ""}.`,
    );
    console.log(`One-time password (shown only now; it must be changed at first sign-in):`);
    console.log(account.password);
  });
}

export function accountResetPassword(username: string, options: ConfigFlags): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await updateAccount(ctx, "system", username, { resetPassword: true });
    console.log(`Reset the password of ${account.username}; their sessions were ended.`);
    console.log(`One-time password (shown only now):`);
    console.log(account.password);
  });
}

export function accountDisable(username: string, options: ConfigFlags): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await updateAccount(ctx, "system", username, { disabled: true });
    console.log(`Disabled ${account.username}: its sessions and tokens no longer work.`);
  });
}

export function tokenCreate(
  options: { account: string; scopes: string; name?: string } & ConfigFlags,
): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await ctx.db.prisma.account.findUnique({
      where: { username: options.account.trim().toLowerCase() },
    });
    if (!account) throw notFound(`Account ${options.account}`);
    const token = await issueToken(
      ctx,
      "system",
      { id: account.id, username: account.username, role: account.role as Role },
      { name: options.name ?? "command line", scopes: parseScopes(options.scopes) },
    );
    console.error(
      `Token ${token.id} for ${account.username} with scopes ${token.scopes.join(",")}:`,
    );
    console.log(token.token);
  });
}

type JsonFlag = ConfigFlags & { json?: boolean };

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : "never");

export function accountLs(options: JsonFlag): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const accounts = await listAccounts(ctx);
    if (options.json) {
      console.log(JSON.stringify(accounts, null, 2));
      return;
    }
    printTable(
      ["username", "role", "instance", "state", "created"],
      accounts.map((account) => [
        account.username,
        account.role,
        account.instance?.domain ?? "-",
        account.disabled
          ? "disabled"
          : account.mustChangePassword
            ? "must change password"
            : "active",
        day(account.createdAt),
      ]),
    );
  });
}

export function accountEnable(username: string, options: ConfigFlags): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await updateAccount(ctx, "system", username, { disabled: false });
    console.log(`Enabled ${account.username}: it can sign in again (its old sessions stay ended).`);
  });
}

export function accountSetRole(
  username: string,
  role: string,
  options: ConfigFlags,
): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const account = await updateAccount(ctx, "system", username, { role: parseRole(role) });
    console.log(`${account.username} is now ${account.role}.`);
  });
}

export function accountSetInstance(
  username: string,
  domain: string,
  options: ConfigFlags,
): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const instance = domain === "none" ? null : domain;
    const account = await updateAccount(ctx, "system", username, { instance });
    console.log(
      account.instance
        ? `${account.username} now votes for ${account.instance.domain}.`
        : `${account.username} belongs to no instance now.`,
    );
  });
}

export function tokenLs(options: JsonFlag & { account?: string }): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const tokens = await listTokens(ctx, { account: options.account });
    if (options.json) {
      console.log(JSON.stringify(tokens, null, 2));
      return;
    }
    if (tokens.length === 0) {
      console.log("No live tokens.");
      return;
    }
    printTable(
      ["id", "account", "scopes", "created", "last used", "name"],
      tokens.map((token) => [
        token.id,
        token.account,
        token.scopes.join(","),
        day(token.createdAt),
        day(token.lastUsedAt),
        token.name,
      ]),
    );
  });
}

export function tokenRevoke(id: string, options: ConfigFlags): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const { account } = await revokeToken(ctx, id.trim());
    console.log(`Revoked token ${id.trim()} of ${account}: it no longer works.`);
  });
}

export function instanceLs(options: JsonFlag): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const instances = await listInstances(ctx);
    if (options.json) {
      console.log(JSON.stringify(instances, null, 2));
      return;
    }
    if (instances.length === 0) {
      console.log("No member instances yet: fediblock instance create DOMAIN");
      return;
    }
    printTable(
      ["domain", "accounts", "joined", "name"],
      instances.map((instance) => [
        instance.domain,
        String(instance.accounts),
        day(instance.createdAt),
        instance.name,
      ]),
    );
  });
}

export function instanceCreate(
  domain: string,
  options: ConfigFlags & { name?: string },
): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const name = plainText(z.string().trim().max(200)).optional().safeParse(options.name);
    if (!name.success) throw invalid(`--name: ${name.error.issues[0]?.message ?? "invalid"}`);
    const instance = await createInstance(ctx, "system", { domain, name: name.data });
    console.log(`Added the member instance ${instance.domain} ("${instance.name}").`);
  });
}
