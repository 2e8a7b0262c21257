// What an audit event looks like in an answer (SPEC §3), defined once: the route documents it,
// the route-table test checks real answers against it, and the web reads its type. Layer-neutral.
import { z } from "zod";

export const auditEventView = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ username: z.string(), instance: z.string().nullable() }).nullable(),
  action: z.string(),
  list: z.string().nullable(),
  subject: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEventAnswer = z.output<typeof auditEventView>;

export const auditPage = z.object({
  items: z.array(auditEventView),
  nextCursor: z.string().nullable(),
});
