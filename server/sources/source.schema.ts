// The shapes of a list's upstream sources (docs/decisions/0029): what a curator sends to add or
// change one, and what the API answers, shared by the routes, the service and the web UI.
import { z } from "zod";
import { SEVERITIES, TAGS } from "../lists/vocabulary.js";

export const SOURCE_KINDS = ["fires", "blocklist"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Defaults of a new source. */
export const SOURCE_DEFAULTS = { maxProposalsPerPoll: 50, pollMinutes: 60 } as const;

const severity = z.enum(SEVERITIES, { error: "expected suspend, silence or noop" });
const tag = z.enum(TAGS, { error: `expected one of ${TAGS.join(", ")}` });

const sourceUrl = z
  .string({ error: "expected the URL of a FIRES dataset or of a blocklist file" })
  .trim()
  .max(2000, "at most 2000 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "expected an https URL such as https://example.org/blocklist.csv");

export const sourceSettings = {
  maxSeverity: severity.describe(
    "the strictest severity this source may propose; stricter upstream entries are proposed at this one",
  ),
  tags: z
    .array(tag)
    .max(TAGS.length)
    .transform((tags) => [...new Set(tags)].sort())
    .describe("tags every proposal of this source carries"),
  maxProposalsPerPoll: z
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(1, "must be at least 1")
    .max(5000, "must be at most 5000")
    .describe("above this many proposals in one poll the source opens none and reports it"),
  pollMinutes: z
    .number({ error: "expected a whole number of minutes" })
    .int("expected a whole number of minutes")
    .min(5, "poll at most every 5 minutes")
    .max(10_080, "poll at least once a week (10080 minutes)")
    .describe("how often the source is polled"),
};

export const sourceInput = z.strictObject({
  kind: z.enum(SOURCE_KINDS, {
    error: "expected fires (a FIRES dataset URL) or blocklist (a CSV or TXT file)",
  }),
  url: sourceUrl,
  maxSeverity: sourceSettings.maxSeverity.default("suspend"),
  tags: sourceSettings.tags.default([]),
  maxProposalsPerPoll: sourceSettings.maxProposalsPerPoll.default(
    SOURCE_DEFAULTS.maxProposalsPerPoll,
  ),
  pollMinutes: sourceSettings.pollMinutes.default(SOURCE_DEFAULTS.pollMinutes),
});
export type SourceInput = z.infer<typeof sourceInput>;

export const sourceUpdate = z.strictObject({
  maxSeverity: sourceSettings.maxSeverity.optional(),
  tags: sourceSettings.tags.optional(),
  maxProposalsPerPoll: sourceSettings.maxProposalsPerPoll.optional(),
  pollMinutes: sourceSettings.pollMinutes.optional(),
});
export type SourceUpdate = z.infer<typeof sourceUpdate>;

/** Why a poll changed nothing, or why one domain of it was passed over. */
export const POLL_FAILURES = [
  "upstream_unreachable",
  "upstream_status",
  "upstream_empty",
  "upstream_unparseable",
  "too_many_proposals",
] as const;
export type PollFailureCode = (typeof POLL_FAILURES)[number];

export const pollReport = z.object({
  at: z.string(),
  outcome: z.enum(["changed", "unchanged", "failed"]),
  /** Set when the outcome is `failed`. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Records or rows read upstream. */
  read: z.number().int(),
  opened: z.array(
    z.object({
      proposalId: z.number().int(),
      kind: z.enum(["add", "change", "remove"]),
      domain: z.string(),
    }),
  ),
  skipped: z.array(z.object({ domain: z.string(), code: z.string(), message: z.string() })),
  /** Upstream rows the importer refused, and FIRES records that are not a domain's recommendation. */
  ignored: z.number().int(),
});
export type PollReport = z.infer<typeof pollReport>;

export const sourceProposalView = z.object({
  id: z.number().int(),
  kind: z.string(),
  domain: z.string(),
  status: z.string(),
  openedAt: z.string(),
});

export const sourceView = z.object({
  id: z.number().int(),
  list: z.string(),
  kind: z.enum(SOURCE_KINDS),
  url: z.string(),
  maxSeverity: severity,
  tags: z.array(z.string()),
  maxProposalsPerPoll: z.number().int(),
  pollMinutes: z.number().int(),
  lastPolledAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastReport: pollReport.nullable(),
  nextPollAt: z.string(),
  /** The proposals this source opened, newest first (at most 100). */
  proposals: z.array(sourceProposalView),
  createdAt: z.string(),
});
export type SourceView = z.infer<typeof sourceView>;
