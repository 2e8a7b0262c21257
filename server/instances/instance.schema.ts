// What a member instance looks like in an answer (SPEC §3), defined once: the routes document
// it, the route-table test checks real answers against it, the service's return type and the
// web's type are inferred from it. Layer-neutral.
import { z } from "zod";

export const instanceView = z.object({
  domain: z.string(),
  name: z.string(),
  accounts: z.number().int(),
  listed: z.boolean().describe("on the public members page (the instance opted in)"),
  createdAt: z.string(),
});
export type InstanceAnswer = z.output<typeof instanceView>;

/** An instance on the public members page (GET /api/v1/members). */
export const listedMemberView = z.object({
  domain: z.string(),
  name: z.string(),
  memberSince: z.string(),
});
export type ListedMemberAnswer = z.output<typeof listedMemberView>;
