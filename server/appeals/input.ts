// What an appellant may send (issue 18): no account, so no private comment and no evidence
// fields of the entry; the links are the appeal's own.
import { z } from "zod";
import { comment, evidenceUrl, proposalFields } from "../proposals/input.js";
import { APPEAL_KINDS } from "./appeal.schema.js";

export const appealFieldsInput = z.strictObject({
  severity: proposalFields.severity,
  rejectMedia: proposalFields.rejectMedia,
  rejectReports: proposalFields.rejectReports,
  obfuscate: proposalFields.obfuscate,
  publicComment: proposalFields.publicComment,
  tags: proposalFields.tags,
});

export const appealInput = z.strictObject({
  kind: z.enum(APPEAL_KINDS, { error: "expected remove or change" }).default("remove"),
  rebuttal: comment(5000).min(1, "say why the entry is wrong"),
  links: z.array(evidenceUrl).max(20, "at most 20 links").default([]),
  fields: appealFieldsInput.optional(),
});
export type AppealInput = z.infer<typeof appealInput>;

export const appealCommentInput = z.strictObject({
  appealToken: z
    .string({ error: "expected the appeal token given when the appeal was made" })
    .max(200),
  body: comment(5000).min(1, "write something"),
});
