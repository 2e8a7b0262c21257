// What an entry looks like in an answer (SPEC §3), defined once and derived from the entry
// vocabulary: the routes document it, the route-table test checks real answers against it
// (test/http/authorization-matrix.test.ts), and the web reads its type.
import { z } from "zod";
import {
  SCALAR_FIELD_SPEC,
  SCALAR_FIELDS,
  SEVERITIES,
  TAGS,
  type ScalarField,
} from "./vocabulary.js";

const scalarSchema = (field: ScalarField): z.ZodType => {
  if (field === "severity") return z.enum(SEVERITIES);
  if (field === "privateComment") return z.string().optional().describe("members only");
  return SCALAR_FIELD_SPEC[field].kind === "boolean" ? z.boolean() : z.string();
};

type ScalarSchemas = {
  [F in ScalarField]: F extends "severity"
    ? z.ZodEnum<{ [S in (typeof SEVERITIES)[number]]: S }>
    : F extends "privateComment"
      ? z.ZodOptional<z.ZodString>
      : (typeof SCALAR_FIELD_SPEC)[F]["kind"] extends "boolean"
        ? z.ZodBoolean
        : z.ZodString;
};

const scalars = Object.fromEntries(
  SCALAR_FIELDS.map((field) => [field, scalarSchema(field)]),
) as ScalarSchemas;

export const entryView = z.object({
  domain: z.string(),
  ...scalars,
  tags: z.array(z.enum(TAGS)),
  evidence: z
    .array(z.string())
    .optional()
    .describe("members only, unless the list's policy makes evidence public"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EntryViewSchema = z.output<typeof entryView>;
