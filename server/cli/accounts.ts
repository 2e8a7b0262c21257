// `fediblock account create|reset-password|disable` and `fediblock token create`.
import { createAccount, updateAccount } from "../accounts/accounts.service.js";
import { issueToken } from "../accounts/tokens.service.js";
import { ROLES, SCOPES, type Role, type Scope } from "../accounts/actor.js";
import type { ConfigFlags } from "../config.js";
import { invalid, notFound } from "../errors.js";
import { withDatabase } from "./context.js";

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
