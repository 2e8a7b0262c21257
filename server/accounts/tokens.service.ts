// API tokens (SPEC §2): `fbk_<id>_<secret>`, looked up by id, the secret stored as SHA-256 and
// compared in constant time, shown once, revocable, last use recorded.
import type { WithDates } from "../answer.js";
import type { TokenAnswer } from "./account.schema.js";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { forbidden, notFound } from "../errors.js";
import type { Actor, Role, Scope } from "./actor.js";
import { toActor } from "./accounts.service.js";

const TOKEN_SHAPE = /^fbk_([a-z2-7]{16})_([0-9a-f]{64})$/;
/** `lastUsedAt` is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
function tokenId(): string {
  return Array.from(randomBytes(16), (byte) => BASE32[byte % 32]).join("");
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** A token as the service returns it (server/accounts/account.schema.ts). */
export type TokenView = WithDates<TokenAnswer, "createdAt" | "lastUsedAt">;

interface TokenRow {
  id: string;
  name: string;
  scopeRead: boolean;
  scopeWrite: boolean;
  scopeAdmin: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export function scopesOf(row: Pick<TokenRow, "scopeRead" | "scopeWrite" | "scopeAdmin">): Scope[] {
  const scopes: Scope[] = [];
  if (row.scopeRead) scopes.push("read");
  if (row.scopeWrite) scopes.push("write");
  if (row.scopeAdmin) scopes.push("admin");
  return scopes;
}

const view = (row: TokenRow): TokenView => ({
  id: row.id,
  name: row.name,
  scopes: scopesOf(row),
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
});

export function assertScopesAllowed(role: Role, scopes: Scope[]): void {
  if (scopes.includes("admin") && role !== "admin") {
    throw forbidden(
      "Only admin accounts can hold tokens with the admin scope.",
      "scope_not_allowed",
    );
  }
}

/** Makes a token for an account. The secret is in the answer and nowhere else. */
export async function issueToken(
  ctx: AppContext,
  who: Actor | "system",
  account: { id: number; username: string; role: Role },
  input: { name: string; scopes: Scope[] },
): Promise<TokenView & { token: string }> {
  assertScopesAllowed(account.role, input.scopes);
  const id = tokenId();
  const secret = randomBytes(32).toString("hex");
  const row = await ctx.db.transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        id,
        accountId: account.id,
        name: input.name,
        secretHash: sha256(secret).toString("hex"),
        scopeRead: input.scopes.includes("read"),
        scopeWrite: input.scopes.includes("write"),
        scopeAdmin: input.scopes.includes("admin"),
        createdAt: ctx.clock.now(),
      },
    });
    await recordAudit(tx, who, {
      at: ctx.clock.now(),
      action: "token.created",
      subject: `${account.username}/${id}`,
      after: { id, name: input.name, scopes: input.scopes },
    });
    return created;
  });
  return { ...view(row), token: `fbk_${id}_${secret}` };
}

/** A token may only make tokens with scopes it has itself. */
export async function createOwnToken(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; scopes: Scope[] },
): Promise<TokenView & { token: string }> {
  const beyond = input.scopes.filter((scope) => !actor.scopes.has(scope));
  if (beyond.length > 0) {
    throw forbidden(
      `This token cannot grant scopes it does not have: ${beyond.join(", ")}.`,
      "insufficient_scope",
    );
  }
  return issueToken(
    ctx,
    actor,
    { id: actor.accountId, username: actor.username, role: actor.role },
    input,
  );
}

export async function listOwnTokens(ctx: AppContext, actor: Actor): Promise<TokenView[]> {
  const rows = await ctx.db.prisma.apiToken.findMany({
    where: { accountId: actor.accountId, revokedAt: null },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(view);
}

export async function revokeOwnToken(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id, accountId: actor.accountId, revokedAt: null },
    });
    if (!token) throw notFound("Token");
    await tx.apiToken.update({ where: { id }, data: { revokedAt: ctx.clock.now() } });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "token.revoked",
      subject: `${actor.username}/${id}`,
    });
  });
}

/** The operator's view (CLI): every live token, or one account's, with the account named. */
export async function listTokens(
  ctx: AppContext,
  filter: { account?: string | undefined } = {},
): Promise<(TokenView & { account: string })[]> {
  const username = filter.account?.trim().toLowerCase();
  if (username && !(await ctx.db.prisma.account.findUnique({ where: { username } }))) {
    throw notFound(`Account ${filter.account}`);
  }
  const rows = await ctx.db.prisma.apiToken.findMany({
    where: { revokedAt: null, ...(username ? { account: { username } } : {}) },
    include: { account: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((row) => ({ ...view(row), account: row.account.username }));
}

/** The operator revokes any account's token (CLI); audited as the system. */
export async function revokeToken(ctx: AppContext, id: string): Promise<{ account: string }> {
  return ctx.db.transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id, revokedAt: null },
      include: { account: { select: { username: true } } },
    });
    if (!token) throw notFound("Token");
    await tx.apiToken.update({ where: { id }, data: { revokedAt: ctx.clock.now() } });
    await recordAudit(tx, "system", {
      at: ctx.clock.now(),
      action: "token.revoked",
      subject: `${token.account.username}/${id}`,
    });
    return { account: token.account.username };
  });
}

/** The actor a presented token stands for, or null when it is malformed, unknown or revoked. */
export async function authenticateToken(ctx: AppContext, presented: string): Promise<Actor | null> {
  const match = TOKEN_SHAPE.exec(presented.trim());
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const token = await ctx.db.prisma.apiToken.findUnique({
    where: { id },
    include: { account: { include: { instance: true } } },
  });
  if (!token || token.revokedAt || token.account.disabledAt) return null;
  if (!timingSafeEqual(sha256(secret), Buffer.from(token.secretHash, "hex"))) return null;

  const now = ctx.clock.now();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ctx.db.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: now } });
  }
  return toActor(token.account, "token", new Set(scopesOf(token)), id);
}
