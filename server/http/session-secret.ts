import { randomBytes } from "node:crypto";
import type { AppContext } from "../context.js";

/** FEDIBLOCK_SESSION_SECRET, or a secret generated on first start and kept in the database. */
export async function sessionSecret(ctx: AppContext): Promise<string> {
  if (ctx.config.sessionSecret) return ctx.config.sessionSecret;
  const key = "session_secret";
  const existing = await ctx.db.prisma.setting.findUnique({ where: { key } });
  if (existing) return existing.value;
  const value = randomBytes(32).toString("hex");
  await ctx.db.prisma.setting.upsert({ where: { key }, create: { key, value }, update: {} });
  return (await ctx.db.prisma.setting.findUniqueOrThrow({ where: { key } })).value;
}
