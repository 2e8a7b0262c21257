// The proposal form (SPEC §3): what a member may send when opening a proposal.
import { z } from "zod";
import { SEVERITIES, TAGS } from "../lists/vocabulary.js";
import { FORMULA_CODE, FORMULA_RULE, startsLikeFormula } from "../text/formula.js";

export const severity = z.enum(SEVERITIES, { error: "expected suspend, silence or noop" });
export const tag = z.enum(TAGS, { error: `expected one of ${TAGS.join(", ")}` });

export const evidenceUrl = z
  .string({ error: "expected an http(s) link" })
  .trim()
  .max(2000, "links are limited to 2000 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "expected an http(s) link such as https://example.org/post/1");

/** Text that reaches a page or an export: never one a spreadsheet runs as a formula. */
export const plainText = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((value) => !startsLikeFormula(value), {
    message: FORMULA_RULE,
    params: { code: FORMULA_CODE },
  });

export const comment = (max: number) =>
  plainText(z.string({ error: "expected text" }).trim().max(max, `at most ${max} characters`));

export const proposalFields = {
  severity: severity.optional(),
  rejectMedia: z.boolean({ error: "expected true or false" }).optional(),
  rejectReports: z.boolean({ error: "expected true or false" }).optional(),
  obfuscate: z.boolean({ error: "expected true or false" }).optional(),
  publicComment: comment(2000).optional(),
  privateComment: comment(5000).optional(),
  tags: z
    .array(tag)
    .max(TAGS.length)
    .transform((tags) => [...new Set(tags)].sort())
    .optional(),
  evidence: z.array(evidenceUrl).max(20, "at most 20 links").optional(),
};

export const proposalInput = z.strictObject({
  kind: z.enum(["add", "change", "remove"], { error: "expected add, change or remove" }),
  domain: z.string({ error: "expected a domain such as example.social" }).max(1000),
  reason: comment(5000).optional(),
  ...proposalFields,
});
export type ProposalInput = z.infer<typeof proposalInput>;

export const voteInput = z.strictObject({
  vote: z.enum(["yes", "no", "abstain"], { error: "expected yes, no or abstain" }),
  severity: severity.optional(),
  comment: comment(5000).optional(),
});
export type VoteInput = z.infer<typeof voteInput>;

export const decisionInput = z.strictObject({
  outcome: z.enum(["passed", "rejected"], { error: "expected passed or rejected" }),
  reason: comment(5000).min(1, "say why"),
});
