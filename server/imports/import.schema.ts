// The answer of an import (SPEC §5), defined once: the route documents and the matrix test
// checks it (test/http/authorization-matrix.test.ts), the service returns `ImportAnswer`, and
// the web reads the same type. Layer-neutral: zod and the entry vocabulary only.
import { z } from "zod";
import { SEVERITIES } from "../lists/vocabulary.js";
import { MERGES } from "./merge.js";

export const ROW_STATUSES = ["new", "alreadyListed", "alreadyProposed", "changed"] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const importIssue = z.object({
  line: z.number().int(),
  domain: z.string(),
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type ImportIssue = z.output<typeof importIssue>;

const block = z.object({
  severity: z.enum(SEVERITIES),
  rejectMedia: z.boolean(),
  rejectReports: z.boolean(),
});

export const importReport = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  new: z.number().int(),
  alreadyListed: z.number().int(),
  alreadyProposed: z.number().int(),
  changed: z.number().int(),
  problems: z.array(importIssue),
  warnings: z.array(importIssue),
  /** Rows of a direct import that would leave a listed entry less strict (server/imports/merge.ts). */
  downgrades: z.array(
    z.object({ line: z.number().int(), domain: z.string(), before: block, after: block }),
  ),
  /** Rows of a direct import that would empty a listed entry's comment. */
  erasedComments: z.array(
    z.object({
      line: z.number().int(),
      domain: z.string(),
      field: z.enum(["public_comment", "private_comment"]),
      before: z.string(),
      after: z.string(),
    }),
  ),
});
export type ImportReport = z.output<typeof importReport>;

export const importAnswer = z.object({
  dryRun: z.boolean(),
  mode: z.enum(["proposals", "direct"]),
  /** How a direct import's rows meet listed entries (null for proposals): ADR 0026. */
  merge: z.enum(MERGES).nullable(),
  file: z.string().nullable(),
  /** Columns of the file that were read, and those that were not. */
  columns: z.array(z.string()),
  ignoredColumns: z.array(z.string()),
  /** False when the first row was already data: then `columns=` may name the columns. */
  hasHeader: z.boolean(),
  /** Every column of the file, what it is read as (null: not read), and the first row's cell. */
  fileColumns: z.array(
    z.object({
      name: z.string().nullable(),
      readAs: z.string().nullable(),
      example: z.string(),
    }),
  ),
  report: importReport,
  /** The first valid rows, with what the import does with each. */
  preview: z.array(
    z.object({
      line: z.number().int(),
      domain: z.string(),
      severity: z.enum(SEVERITIES),
      status: z.enum(ROW_STATUSES),
    }),
  ),
  result: z.union([
    z.null(),
    z.object({ proposals: z.array(z.number().int()) }),
    z.object({ revision: z.number().int(), added: z.number().int(), changed: z.number().int() }),
  ]),
});
export type ImportAnswer = z.output<typeof importAnswer>;
