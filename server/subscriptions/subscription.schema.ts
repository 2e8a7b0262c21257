// What a subscription looks like in an answer (SPEC §3), defined once: the routes document it,
// the route-table test checks real answers against it (test/http/authorization-matrix.test.ts),
// the service's return type and the web's type are inferred from it. Layer-neutral.
import { z } from "zod";
import { SEVERITIES, TAGS } from "../lists/vocabulary.js";

export const subscriptionView = z.object({
  id: z.number().int(),
  list: z.string(),
  listName: z.string(),
  minSeverity: z.enum(SEVERITIES).nullable(),
  tags: z.array(z.enum(TAGS)),
  exclude: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SubscriptionAnswer = z.output<typeof subscriptionView>;
