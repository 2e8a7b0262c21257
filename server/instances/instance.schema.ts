// What a member instance looks like in an answer (SPEC §3), defined once: the routes document
// it, the route-table test checks real answers against it, the service's return type and the
// web's type are inferred from it. Layer-neutral.
import { z } from "zod";

export const instanceView = z.object({
  domain: z.string(),
  name: z.string(),
  accounts: z.number().int(),
  createdAt: z.string(),
});
export type InstanceAnswer = z.output<typeof instanceView>;
