// Feed tokens (docs/decisions/0025-feed-tokens.md): feed readers send no headers, so an
// instance's "awaiting your vote" feed is read with a token in its URL. One per instance; it can
// only read that feed; stored as SHA-256 and looked up by its hash; replaced (the old one stops
// working) or revoked by any account of the instance, and audited.
import { createHash, randomBytes } from "node:crypto";
import { requireInstance, type Actor, type ActorInstance } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { notFound, unauthenticated } from "../errors.js";

const PREFIX = "fbf_";
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

const feedInstance = (actor: Actor) =>
  requireInstance(actor, ": the awaiting-vote feed is an instance's.");

export const awaitingFeedUrl = (ctx: AppContext, token: string) =>
  `${ctx.config.publicUrl}/api/v1/instances/me/awaiting.atom?token=${token}`;

/** Issues the instance's feed token, replacing the one it had; answers it once, with the URL. */
export async function issueFeedToken(ctx: AppContext, actor: Actor) {
  const instance = feedInstance(actor);
  const token = `${PREFIX}${randomBytes(24).toString("base64url")}`;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.feedToken.deleteMany({ where: { instanceId: instance.id } });
    await tx.feedToken.create({
      data: { instanceId: instance.id, tokenHash: hashOf(token), createdAt: now },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: "feed_token.issued",
      subject: instance.domain,
    });
  });
  return { token, url: awaitingFeedUrl(ctx, token), createdAt: now.toISOString() };
}

export async function feedTokenStatus(ctx: AppContext, actor: Actor) {
  const instance = feedInstance(actor);
  const row = await ctx.db.prisma.feedToken.findUnique({ where: { instanceId: instance.id } });
  return { active: row !== null, createdAt: row?.createdAt.toISOString() ?? null };
}

export async function revokeFeedToken(ctx: AppContext, actor: Actor): Promise<void> {
  const instance = feedInstance(actor);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx.feedToken.deleteMany({ where: { instanceId: instance.id } });
    if (removed.count === 0) throw notFound("Feed token");
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "feed_token.revoked",
      subject: instance.domain,
    });
  });
}

/** The instance a feed token reads for; a 401 for a missing, unknown or revoked token. */
export async function instanceOfFeedToken(
  ctx: AppContext,
  token: string | undefined,
): Promise<ActorInstance> {
  if (!token?.startsWith(PREFIX)) {
    throw unauthenticated(
      "Add ?token= with your instance's feed token (POST /api/v1/instances/me/feed-token issues one).",
    );
  }
  const row = await ctx.db.prisma.feedToken.findUnique({ where: { tokenHash: hashOf(token) } });
  const instance = row
    ? await ctx.db.prisma.instance.findUnique({ where: { id: row.instanceId } })
    : null;
  if (!instance) {
    throw unauthenticated("This feed token is unknown or was revoked: issue a new one.");
  }
  return { id: instance.id, domain: instance.domain, name: instance.name };
}
