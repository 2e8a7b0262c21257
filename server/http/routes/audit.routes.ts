import { z } from "zod";
import { auditPage } from "../../audit/audit.schema.js";
import { listAuditEvents } from "../../audit/audit-log.service.js";
import { route } from "../route.js";
import { pageQuery } from "../schemas.js";

const instant = z.iso
  .datetime({ offset: true, error: "expected an ISO 8601 time such as 2026-01-31T00:00:00Z" })
  .transform((value) => new Date(value));

export const auditRoutes = [
  route({
    method: "get",
    path: "/api/v1/audit",
    tag: "audit",
    summary: "The audit log, newest first; filter by list, actor and time",
    access: "account",
    query: z.object({
      list: z.string().max(63).optional(),
      actor: z.string().max(100).optional(),
      since: instant.optional(),
      until: instant.optional(),
      ...pageQuery,
    }),
    response: auditPage,
    async handler({ ctx, query }) {
      return listAuditEvents(ctx, query);
    },
  }),
];
