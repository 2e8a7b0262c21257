// Member instances: the servers whose admins vote. One instance, one vote.
import type { WithDates } from "../answer.js";
import type { InstanceAnswer } from "./instance.schema.js";
import { recordAudit, type AuditActor } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import type { Actor } from "../accounts/actor.js";
import { conflict, forbidden, invalid, notFound } from "../errors.js";
import { normalizeDomain } from "../domains/normalize.js";

/** An instance as the service returns it (server/instances/instance.schema.ts). */
export type InstanceView = WithDates<InstanceAnswer, "createdAt">;

/** An instance on the public members page: only what it chose to show. */
export interface ListedMember {
  domain: string;
  name: string;
  memberSince: Date;
}

/** Normalizes a domain given as a field, or answers 400 naming the field. */
export function domainField(text: string, field = "domain"): string {
  const result = normalizeDomain(text);
  if (!result.ok) throw invalid(result.message, [{ field, message: result.message }]);
  if (result.warnings.length > 0) {
    const message = "give the domain itself, without wildcards or [.]";
    throw invalid(`"${text}": ${message}.`, [{ field, message }]);
  }
  return result.domain;
}

export async function findInstance(tx: Tx, domainText: string) {
  const result = normalizeDomain(domainText);
  if (!result.ok) return null;
  return tx.instance.findUnique({ where: { domain: result.domain } });
}

export async function createInstance(
  ctx: AppContext,
  who: AuditActor,
  input: { domain: string; name?: string | undefined },
): Promise<InstanceView> {
  const domain = domainField(input.domain);
  return ctx.db.transaction(async (tx) => {
    if (await tx.instance.findUnique({ where: { domain } })) {
      throw conflict(`The instance ${domain} is already a member.`, "instance_exists");
    }
    const instance = await tx.instance.create({
      data: { domain, name: input.name?.trim() || domain, createdAt: ctx.clock.now() },
    });
    await recordAudit(tx, who, {
      at: ctx.clock.now(),
      action: "instance.created",
      subject: domain,
      after: instance,
    });
    return {
      domain,
      name: instance.name,
      accounts: 0,
      listed: false,
      createdAt: instance.createdAt,
    };
  });
}

export async function findOrCreateInstance(
  tx: Tx,
  ctx: AppContext,
  who: AuditActor,
  domainText: string,
) {
  const domain = domainField(domainText, "instance");
  const existing = await tx.instance.findUnique({ where: { domain } });
  if (existing) return existing;
  const instance = await tx.instance.create({
    data: { domain, name: domain, createdAt: ctx.clock.now() },
  });
  await recordAudit(tx, who, {
    at: ctx.clock.now(),
    action: "instance.created",
    subject: domain,
    after: instance,
  });
  return instance;
}

export async function listInstances(ctx: AppContext): Promise<InstanceView[]> {
  const rows = await ctx.db.prisma.instance.findMany({
    orderBy: { domain: "asc" },
    include: { _count: { select: { accounts: true } } },
  });
  return rows.map((row) => ({
    domain: row.domain,
    name: row.name,
    accounts: row._count.accounts,
    listed: row.listedAt !== null,
    createdAt: row.createdAt,
  }));
}

/** The public members page: the instances that opted in, and nothing about the others. */
export async function listedMembers(ctx: AppContext): Promise<ListedMember[]> {
  const rows = await ctx.db.prisma.instance.findMany({
    where: { listedAt: { not: null } },
    orderBy: { domain: "asc" },
  });
  return rows.map((row) => ({ domain: row.domain, name: row.name, memberSince: row.createdAt }));
}

/**
 * Puts an instance on the public members page or takes it off. Its own accounts decide (any
 * role: the instance's people are the ones exposed), and admins for any instance.
 */
export async function setInstanceListed(
  ctx: AppContext,
  actor: Actor,
  domain: string,
  listed: boolean,
): Promise<InstanceView> {
  const own = actor.instance?.domain === domain;
  if (!own && actor.role !== "admin") {
    throw forbidden(
      `Only the accounts of ${domain} (or an admin) may choose whether it is listed publicly.`,
      "not_your_instance",
    );
  }
  await ctx.db.transaction(async (tx) => {
    const before = await tx.instance.findUnique({ where: { domain } });
    if (!before) throw notFound(`Instance ${domain}`);
    if ((before.listedAt !== null) === listed) return;
    const now = ctx.clock.now();
    await tx.instance.update({ where: { id: before.id }, data: { listedAt: listed ? now : null } });
    await recordAudit(tx, actor, {
      at: now,
      action: listed ? "instance.listed" : "instance.unlisted",
      subject: domain,
      before: { listed: !listed },
      after: { listed },
    });
  });
  return (await listInstances(ctx)).find((instance) => instance.domain === domain)!;
}
