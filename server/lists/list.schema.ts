// What a list, its entries' history and its change feed look like in an answer (SPEC §3), and
// the rules of a list's name and description, defined once: the routes and the command line
// (`fediblock list create|edit`) check input with them, the routes document the answers, the
// route-table test checks real answers against them (test/http/authorization-matrix.test.ts),
// and the web reads their types. Layer-neutral: zod and the vocabularies only.
import { z } from "zod";
import { entryView } from "../entries/entry.schema.js";
import { plainText } from "../proposals/input.js";
import { tallyView } from "../proposals/proposal.schema.js";
import { PROPOSAL_KINDS, PROPOSAL_STATUSES } from "../proposals/vocabulary.js";
import { SEVERITY_RULES } from "./policy.js";

export const VISIBILITIES = ["public", "members"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const visibility = z.enum(VISIBILITIES, { error: "expected public or members" });

const name = plainText(z.string().trim().min(1, "give the list a name").max(200));
const description = plainText(z.string().trim().max(5000));
/** A list's name and description, for the routes and the command line. */
export const listTextFields = { name, description };

export const policyView = z.object({
  quorum: z.number().int(),
  threshold: z.number(),
  votingDays: z.number().int(),
  minOpenHours: z.number().int(),
  severityRule: z.enum(SEVERITY_RULES),
  publicEvidence: z.boolean(),
  allowBroad: z.boolean(),
  reviewMonths: z
    .number()
    .int()
    .nullable()
    .describe("Months after an entry's last change or confirmation at which it is due for review"),
  appealCooldownDays: z
    .number()
    .int()
    .describe("Days after a rejected appeal before the listed domain may appeal again"),
});
export type PolicyView = z.output<typeof policyView>;

export const listView = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  visibility,
  policy: policyView,
  revision: z.number().int(),
  counts: z.object({
    entries: z.number().int(),
    suspend: z.number().int(),
    silence: z.number().int(),
    noop: z.number().int(),
    openProposals: z.number().int(),
  }),
  archivedAt: z.string().nullable().describe("set while archived: read-only, exports frozen"),
  createdAt: z.string(),
  updatedAt: z.string(),
  revisedAt: z.string(),
});
export type ListViewSchema = z.output<typeof listView>;

export const CHANGE_ACTIONS = ["added", "changed", "removed"] as const;

export const entryPage = z.object({ items: z.array(entryView), nextCursor: z.string().nullable() });

/** One entry and its history: outcomes and counts, never who voted. */
export const entryHistoryView = z.object({
  listed: z.boolean(),
  entry: entryView.nullable(),
  reviewAt: z
    .string()
    .nullable()
    .describe("When the entry is due for review (the list's reviewMonths), or null"),
  reviewDue: z.boolean().describe("Whether that date has passed: a member may confirm it"),
  reviewedAt: z.string().nullable().describe("When a member last confirmed it"),
  changes: z.array(
    z.object({ revision: z.number().int(), action: z.enum(CHANGE_ACTIONS), at: z.string() }),
  ),
  proposals: z.array(
    z.object({
      kind: z.enum(PROPOSAL_KINDS),
      status: z.enum(PROPOSAL_STATUSES),
      openedAt: z.string(),
      closedAt: z.string().nullable(),
      decidedBy: z.enum(["votes", "curator", "proposer"]).nullable(),
      tally: tallyView,
      id: z.number().int().optional().describe("members only"),
      reason: z
        .string()
        .optional()
        .describe("members only, except a passed removal's (the retraction's public comment)"),
    }),
  ),
});
export type EntryHistoryView = z.output<typeof entryHistoryView>;

/** The change feed: every change after a revision, removals included. */
export const changeFeedView = z.object({
  revision: z.number().int(),
  changes: z.array(
    z.object({
      revision: z.number().int(),
      action: z.enum(CHANGE_ACTIONS),
      domain: z.string(),
      entry: entryView,
    }),
  ),
});
