// The shapes of the FIRES documents this service answers (docs/subscribers.md, FIRES section),
// declared once: the routes document them in OpenAPI and test/fires checks real answers
// against them.
import { z } from "zod";
import { FIRES_CONTEXT } from "./jsonld.js";

const context = z.tuple([z.literal(FIRES_CONTEXT[0]), z.literal(FIRES_CONTEXT[1])]);
const url = z.url();
/** `yyyy-MM-ddTHH:mm:ssZ` */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

export const nodeInfoDiscovery = z.object({
  links: z.array(z.object({ rel: z.string(), href: url })),
});

export const nodeInfo = z.object({
  version: z.literal("2.1"),
  software: z.object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string(),
    repository: url.optional(),
    homepage: url.optional(),
  }),
  protocols: z.array(z.string()),
  services: z.object({ inbound: z.array(z.string()), outbound: z.array(z.string()) }),
  openRegistrations: z.boolean(),
  usage: z.object({ users: z.object({}) }),
  metadata: z.object({ fires: z.object({ datasets: url, labels: url }) }),
});

export const label = z.object({
  type: z.literal("fires:Label"),
  id: url,
  context: url,
  name: z.string(),
  summary: z.string(),
  nameMap: z.object({ en: z.string() }),
  summaryMap: z.object({ en: z.string() }),
});

export const labelDocument = label.extend({ "@context": context });

export const labelCollection = z.object({
  "@context": context,
  id: url,
  type: z.literal("Collection"),
  summary: z.string(),
  totalItems: z.number().int(),
  items: z.array(label),
});

export const dataset = z.object({
  type: z.literal("Dataset"),
  id: url,
  url,
  name: z.string(),
  summary: z.string(),
  published: date,
  updated: date,
  endpoints: z.object({ changes: url, snapshot: url }),
});

export const datasetDocument = dataset.extend({ "@context": context });

export const datasetCollection = z.object({
  "@context": context,
  id: url,
  type: z.literal("Collection"),
  totalItems: z.number().int(),
  items: z.array(dataset),
});

const recordBase = {
  id: url,
  published: date,
  entityKind: z.literal("domain"),
  entityKey: z.string(),
  /** The public comment (an entry's, or a removal's reason). */
  comment: z.string(),
};

export const recommendation = z.object({
  ...recordBase,
  type: z.literal("Recommendation"),
  labels: z.array(url),
  recommendedPolicy: z.enum(["accept", "filter", "reject", "drop"]),
  recommendedFilters: z.array(z.string()),
});

export const retraction = z.object({ ...recordBase, type: z.literal("Retraction") });

export const record = z.discriminatedUnion("type", [recommendation, retraction]);
export type FiresRecord = z.infer<typeof record>;

export const recordDocument = z.union([
  recommendation.extend({ "@context": context }),
  retraction.extend({ "@context": context }),
]);

export const changesCollection = z.object({
  "@context": context,
  id: url,
  type: z.literal("OrderedCollection"),
  dataset: url,
  totalItems: z.number().int(),
  first: url.optional(),
  last: url.optional(),
  next: url.optional(),
});

export const changesPage = z.object({
  "@context": context,
  id: url,
  type: z.literal("OrderedCollectionPage"),
  partOf: url,
  dataset: url,
  totalItems: z.number().int(),
  first: url.optional(),
  last: url.optional(),
  next: url.optional(),
  orderedItems: z.array(record),
});

export const snapshot = z.object({
  "@context": context,
  id: url,
  type: z.literal("Collection"),
  summary: z.string(),
  dataset: url,
  totalItems: z.number().int(),
  updated: date.optional(),
  changes: url.optional(),
  orderedItems: z.array(record),
});
