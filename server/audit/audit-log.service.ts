// Reading the audit log (members): filters by list, actor and time, newest first, paged.
import type { AppContext } from "../context.js";
import { idCursor } from "../paging.js";

export interface AuditQuery {
  list?: string | undefined;
  actor?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

const parse = (value: string | null) => (value === null ? null : (JSON.parse(value) as unknown));

export async function listAuditEvents(ctx: AppContext, query: AuditQuery) {
  const before = idCursor(query.cursor);
  let listId: number | undefined;
  if (query.list) {
    const list = await ctx.db.prisma.list.findUnique({
      where: { slug: query.list },
      select: { id: true },
    });
    if (!list) return { items: [], nextCursor: null };
    listId = list.id;
  }
  const rows = await ctx.db.prisma.auditEvent.findMany({
    where: {
      ...(listId !== undefined ? { listId } : {}),
      ...(query.actor ? { actorUsername: query.actor.toLowerCase() } : {}),
      ...(query.since || query.until
        ? {
            at: {
              ...(query.since ? { gte: query.since } : {}),
              ...(query.until ? { lt: query.until } : {}),
            },
          }
        : {}),
      ...(before !== undefined ? { id: { lt: before } } : {}),
    },
    include: { list: { select: { slug: true } } },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actorUsername
        ? { username: row.actorUsername, instance: row.actorInstance }
        : null,
      action: row.action,
      list: row.list?.slug ?? null,
      subject: row.subject,
      before: parse(row.before),
      after: parse(row.after),
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}
