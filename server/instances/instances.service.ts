// Member instances: the servers whose admins vote. One instance, one vote.
import type { WithDates } from "../answer.js";
import type { InstanceAnswer } from "./instance.schema.js";
import { recordAudit, type AuditActor } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { conflict, invalid } from "../errors.js";
import { normalizeDomain } from "../domains/normalize.js";

/** An instance as the service returns it (server/instances/instance.schema.ts). */
export type InstanceView = WithDates<InstanceAnswer, "createdAt">;

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
    return { domain, name: instance.name, accounts: 0, createdAt: instance.createdAt };
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
    createdAt: row.createdAt,
  }));
}
