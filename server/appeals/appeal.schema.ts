// What an appeal looks like in an answer, defined once: the routes document it, the route-table
// test checks real answers against it, and the web reads its type. Public: never a voter's name.
import { z } from "zod";
import { SEVERITIES, TAGS } from "../lists/vocabulary.js";

export const APPEAL_KINDS = ["remove", "change"] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];
export const APPEAL_STATUSES = ["unverified", "open", "passed", "rejected"] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

const tally = z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() });

/** The proposal a verified appeal opened, as anyone may see it: counts, never names. */
export const appealProposalView = z.object({
  id: z.number().int(),
  kind: z.enum(APPEAL_KINDS),
  status: z.enum(["open", "passed", "rejected", "withdrawn"]),
  openedAt: z.string(),
  closesAt: z.string(),
  closedAt: z.string().nullable(),
  tally,
  decidedBy: z
    .enum(["votes", "curator"])
    .nullable()
    .describe("How it closed: by the members' votes (or its window ending), or a curator"),
  decisionReason: z
    .string()
    .nullable()
    .describe("A curator's decision: the reason given, public on the appeal"),
});

export const appealFields = z
  .object({
    severity: z.enum(SEVERITIES).optional(),
    rejectMedia: z.boolean().optional(),
    rejectReports: z.boolean().optional(),
    obfuscate: z.boolean().optional(),
    publicComment: z.string().optional(),
    tags: z.array(z.enum(TAGS)).optional(),
  })
  .describe("The fields a change appeal asks for");

export const appealView = z.object({
  id: z.number().int(),
  list: z.string(),
  domain: z.string(),
  kind: z.enum(APPEAL_KINDS),
  status: z
    .enum(APPEAL_STATUSES)
    .describe("unverified until the domain serves the token; then its proposal's status"),
  rebuttal: z.string(),
  links: z.array(z.string()),
  fields: appealFields.nullable(),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  verification: z
    .object({ url: z.string(), token: z.string() })
    .nullable()
    .describe("While unverified: where the domain must serve which token"),
  proposal: appealProposalView.nullable(),
  listedReason: z
    .string()
    .nullable()
    .describe("The entry's public comment (the list's public reason), while it is listed"),
  comments: z.array(z.object({ id: z.number().int(), body: z.string(), at: z.string() })),
});
export type AppealView = z.output<typeof appealView>;

export const createdAppealView = z.object({
  id: z.number().int(),
  status: z.literal("unverified"),
  verification: z.object({
    url: z.string().describe("Serve the token here, as a plain text file"),
    token: z.string(),
  }),
  appealToken: z
    .string()
    .describe("Shown once: lets the appellant comment on the appeal. Keep it; it is not stored"),
});

export type CreatedAppealView = z.output<typeof createdAppealView>;

export const verifiedAppealView = z.object({
  status: z.literal("open"),
  proposal: appealProposalView,
});

/** What members see of an appeal on its proposal's page. */
export const proposalAppealView = z
  .object({
    id: z.number().int(),
    rebuttal: z.string(),
    links: z.array(z.string()),
    comments: z.array(z.object({ id: z.number().int(), body: z.string(), at: z.string() })),
  })
  .nullable()
  .describe("The listed domain's appeal that opened this proposal (origin appeal), else null");
