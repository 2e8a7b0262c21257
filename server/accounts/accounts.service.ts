// Accounts: creation with a one-time password, sign-in, password changes, roles, disabling.
import type { WithDates } from "../answer.js";
import type { AccountAnswer } from "./account.schema.js";
import { recordAudit, type AuditActor } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { AppError, conflict, forbidden, invalid, notFound } from "../errors.js";
import { findInstance, findOrCreateInstance } from "../instances/instances.service.js";
import { storedSessionId } from "./session-id.js";
import {
  SCOPES,
  USERNAME_PATTERN,
  USERNAME_RULE,
  type Actor,
  type Role,
  type Scope,
} from "./actor.js";
import { MIN_PASSWORD_LENGTH, generatePassword } from "./password.js";

interface AccountRow {
  id: number;
  username: string;
  role: string;
  disabledAt: Date | null;
  mustChangePassword: boolean;
  createdAt: Date;
  instance: { id: number; domain: string; name: string } | null;
}

/** An account as the service returns it (server/accounts/account.schema.ts). */
export type AccountView = WithDates<AccountAnswer, "createdAt">;

export const accountView = (row: AccountRow): AccountView => ({
  username: row.username,
  role: row.role as Role,
  instance: row.instance ? { domain: row.instance.domain, name: row.instance.name } : null,
  disabled: row.disabledAt !== null,
  mustChangePassword: row.mustChangePassword,
  createdAt: row.createdAt,
});

export function toActor(
  row: Pick<AccountRow, "id" | "username" | "role" | "instance" | "mustChangePassword">,
  via: Actor["via"],
  scopes: ReadonlySet<Scope> = new Set(SCOPES),
  tokenId?: string,
): Actor {
  return {
    accountId: row.id,
    username: row.username,
    role: row.role as Role,
    instance: row.instance
      ? { id: row.instance.id, domain: row.instance.domain, name: row.instance.name }
      : null,
    via,
    scopes,
    ...(tokenId ? { tokenId } : {}),
    mustChangePassword: row.mustChangePassword,
  };
}

export function assertPasswordAcceptable(password: string, field = "password"): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(`The password is too short.`, [
      { field, message: `use at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
}

async function findAccount(tx: Tx, username: string) {
  const account = await tx.account.findUnique({
    where: { username: username.toLowerCase() },
    include: { instance: true },
  });
  if (!account) throw notFound(`Account ${username}`);
  return account;
}

export interface NewAccount {
  username: string;
  role: Role;
  /** Domain of the account's instance; null for an operator admin with no instance. */
  instance: string | null;
  /** Create the instance when it does not exist (the CLI does; the API refuses). */
  createInstance?: boolean;
  /** A chosen password; otherwise a one-time password is generated and must be changed. */
  password?: string;
}

export async function createAccount(
  ctx: AppContext,
  who: AuditActor,
  input: NewAccount,
): Promise<AccountView & { password: string }> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw invalid(
      `The user name ${JSON.stringify(input.username)} is not allowed: ${USERNAME_RULE}.`,
      [{ field: "username", message: USERNAME_RULE }],
    );
  }
  if (input.instance === null && input.role !== "admin") assertInstanceFor(input.role);
  const password = input.password ?? generatePassword();
  if (input.password !== undefined) assertPasswordAcceptable(input.password);
  const passwordHash = await ctx.passwords.hash(password);
  const account = await ctx.db.transaction(async (tx) => {
    if (await tx.account.findUnique({ where: { username: input.username } })) {
      throw conflict(`The user name ${input.username} is taken.`, "username_taken");
    }
    let instanceId: number | null = null;
    if (input.instance !== null) {
      const instance = input.createInstance
        ? await findOrCreateInstance(tx, ctx, who, input.instance)
        : await findInstance(tx, input.instance);
      if (!instance) {
        throw invalid(`Unknown instance ${input.instance}.`, [
          {
            field: "instance",
            message: "no member instance has this domain: create it first (POST /api/v1/instances)",
          },
        ]);
      }
      instanceId = instance.id;
    }
    const created = await tx.account.create({
      data: {
        username: input.username,
        passwordHash,
        role: input.role,
        instanceId,
        mustChangePassword: input.password === undefined,
        createdAt: ctx.clock.now(),
      },
      include: { instance: true },
    });
    await recordAudit(tx, who, {
      at: ctx.clock.now(),
      action: "account.created",
      subject: created.username,
      after: accountView(created),
    });
    return created;
  });
  return { ...accountView(account), password };
}

export async function listAccounts(ctx: AppContext): Promise<AccountView[]> {
  const rows = await ctx.db.prisma.account.findMany({
    include: { instance: true },
    orderBy: { username: "asc" },
  });
  return rows.map(accountView);
}

export interface AccountChange {
  role?: Role;
  disabled?: boolean;
  resetPassword?: boolean;
  /** The domain of an existing member instance, or null for none (an admin only). */
  instance?: string | null;
}

/** An admin's changes to an account; answers the new one-time password when it was reset. */
/** Votes are per instance (SPEC §2): only an admin, who runs the service, may have none. */
function assertInstanceFor(role: Role): never {
  throw invalid(
    `A ${role} belongs to a member instance: name its domain. Only an admin may have no instance.`,
    [{ field: "instance", message: `a ${role} needs an instance` }],
  );
}

/** The id of the member instance a change names, or 400 naming the field when there is none. */
async function instanceIdOf(tx: Tx, domain: string | null): Promise<number | null> {
  if (domain === null) return null;
  const instance = await findInstance(tx, domain);
  if (!instance) {
    throw invalid(`Unknown instance ${domain}.`, [
      {
        field: "instance",
        message:
          "no member instance has this domain: create it first (POST /api/v1/instances, or fediblock instance create)",
      },
    ]);
  }
  return instance.id;
}

export async function updateAccount(
  ctx: AppContext,
  who: Actor | "system",
  username: string,
  change: AccountChange,
): Promise<AccountView & { password?: string }> {
  const password = change.resetPassword ? generatePassword() : undefined;
  const passwordHash = password ? await ctx.passwords.hash(password) : undefined;
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await findAccount(tx, username);
    if (who !== "system" && before.id === who.accountId && (change.disabled || change.role)) {
      throw forbidden(
        "You cannot change your own role or disable your own account.",
        "self_change",
      );
    }
    const instanceId =
      change.instance === undefined ? before.instanceId : await instanceIdOf(tx, change.instance);
    const role = change.role ?? (before.role as Role);
    if (role !== "admin" && instanceId === null) assertInstanceFor(role);
    const now = ctx.clock.now();
    const after = await tx.account.update({
      where: { id: before.id },
      data: {
        ...(change.role ? { role: change.role } : {}),
        ...(change.instance !== undefined ? { instanceId } : {}),
        ...(change.disabled === undefined
          ? {}
          : { disabledAt: change.disabled ? (before.disabledAt ?? now) : null }),
        ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}),
      },
      include: { instance: true },
    });
    if (change.disabled || passwordHash) {
      await tx.session.deleteMany({ where: { accountId: before.id } });
    }
    const action = passwordHash
      ? "account.password_reset"
      : change.disabled === true
        ? "account.disabled"
        : "account.updated";
    await recordAudit(tx, who, {
      at: ctx.clock.now(),
      action,
      subject: after.username,
      before: accountView(before),
      after: accountView(after),
    });
    return after;
  });
  return { ...accountView(updated), ...(password ? { password } : {}) };
}

export async function changeOwnPassword(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSessionId?: string,
): Promise<void> {
  assertPasswordAcceptable(input.newPassword, "newPassword");
  const account = await ctx.db.prisma.account.findUniqueOrThrow({ where: { id: actor.accountId } });
  if (!(await ctx.passwords.verify(input.currentPassword, account.passwordHash))) {
    throw new AppError(403, "wrong_password", "The current password is wrong.", {
      errors: [{ field: "currentPassword", message: "does not match" }],
    });
  }
  if (input.currentPassword === input.newPassword) {
    throw invalid("The new password is the same as the current one.", [
      { field: "newPassword", message: "choose a different password" },
    ]);
  }
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.account.update({
      where: { id: actor.accountId },
      data: { passwordHash, mustChangePassword: false },
    });
    // Other browsers signed in as this account are signed out.
    await tx.session.deleteMany({
      where: {
        accountId: actor.accountId,
        ...(keepSessionId ? { NOT: { id: storedSessionId(keepSessionId) } } : {}),
      },
    });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "account.password_changed",
      subject: actor.username,
    });
  });
}

/** Checks a user name and password; null when they do not match an enabled account. */
export async function verifyLogin(
  ctx: AppContext,
  username: string,
  password: string,
): Promise<Actor | null> {
  const account = await ctx.db.prisma.account.findUnique({
    where: { username: username.trim().toLowerCase() },
    include: { instance: true },
  });
  // Spend the same time whether or not the account exists.
  const matches = await ctx.passwords.verify(
    password,
    account?.passwordHash ?? (await ctx.passwords.decoy()),
  );
  if (!account || !matches || account.disabledAt) return null;
  await claimFirstAdmin(ctx, account.id);
  return toActor(account, "session");
}

export async function actorForSession(ctx: AppContext, accountId: number): Promise<Actor | null> {
  const account = await ctx.db.prisma.account.findUnique({
    where: { id: accountId },
    include: { instance: true },
  });
  if (!account || account.disabledAt) return null;
  return toActor(account, "session");
}

export async function describeActor(ctx: AppContext, actor: Actor) {
  const account = await ctx.db.prisma.account.findUniqueOrThrow({
    where: { id: actor.accountId },
    include: { instance: true },
  });
  const view = accountView(account);
  return {
    account: {
      username: view.username,
      role: view.role,
      mustChangePassword: view.mustChangePassword,
    },
    instance: view.instance,
  };
}

/** The Setting naming the first admin while it has never signed in (its account id). */
export const FIRST_ADMIN_UNCLAIMED = "first-admin.never-signed-in";

/**
 * On first start with no accounts, creates `admin` (with the instance named by
 * FEDIBLOCK_ADMIN_INSTANCE, if set). `serve` calls it only once it listens, so a start that
 * cannot bind its port creates nothing. Answers the one-time password (null when it came from
 * FEDIBLOCK_ADMIN_PASSWORD or accounts already exist), and `unclaimed`: the first admin has
 * never signed in, so every start says how to get a new password.
 */
export async function ensureFirstAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; password: string | null; unclaimed: string | null }> {
  if ((await ctx.db.prisma.account.count()) > 0) {
    return { created: false, password: null, unclaimed: await unclaimedFirstAdmin(ctx) };
  }
  const chosen = ctx.config.adminPassword;
  let created;
  try {
    created = await createAccount(ctx, "system", {
      username: "admin",
      role: "admin",
      instance: ctx.config.adminInstance ?? null,
      createInstance: true,
      ...(chosen ? { password: chosen } : {}),
    });
  } catch (error) {
    // Several processes started at once on a new PostgreSQL database: another one created it
    // (and prints its password); this one says what every later start says.
    // Either our own check saw it, or the database's unique index did (P2002) when both
    // processes checked before either committed.
    const taken =
      (error instanceof AppError && error.code === "username_taken") ||
      (error as { code?: unknown }).code === "P2002";
    if (!taken) throw error;
    return { created: false, password: null, unclaimed: await unclaimedFirstAdmin(ctx) };
  }
  const account = await ctx.db.prisma.account.findUniqueOrThrow({ where: { username: "admin" } });
  await ctx.db.prisma.setting.create({
    data: { key: FIRST_ADMIN_UNCLAIMED, value: String(account.id) },
  });
  return { created: true, password: chosen ? null : created.password, unclaimed: "admin" };
}

/** The user name of the first admin while it has never signed in, else null. */
async function unclaimedFirstAdmin(ctx: AppContext): Promise<string | null> {
  const setting = await ctx.db.prisma.setting.findUnique({ where: { key: FIRST_ADMIN_UNCLAIMED } });
  if (!setting) return null;
  const account = await ctx.db.prisma.account.findUnique({ where: { id: Number(setting.value) } });
  return account?.username ?? null;
}

/** A successful sign-in claims the first admin: starts stop showing the hint. */
async function claimFirstAdmin(ctx: AppContext, accountId: number): Promise<void> {
  const setting = await ctx.db.prisma.setting.findUnique({ where: { key: FIRST_ADMIN_UNCLAIMED } });
  if (setting?.value === String(accountId)) {
    await ctx.db.prisma.setting.deleteMany({
      where: { key: FIRST_ADMIN_UNCLAIMED, value: String(accountId) },
    });
  }
}
