import { z } from "zod";
import { invalid } from "../../errors.js";
import { importAnswer } from "../../imports/import.schema.js";
import { importBlocklist } from "../../imports/import.service.js";
import { MERGES, type Merge } from "../../imports/merge.js";
import type { UploadedCsv } from "../mount.js";
import { RESPONDED, route } from "../route.js";
import { slug } from "./lists.routes.js";

/** A file name, as most file systems allow it. */
const MAX_FILENAME_CHARS = 255;
/** Far more than seven names and a few skipped columns. */
const MAX_COLUMNS_CHARS = 200;

const MERGE_CHOICES = "merge takes max, replace or min";

function mergeOf(written: string | undefined): Merge | undefined {
  if (written === undefined || (MERGES as readonly string[]).includes(written))
    return written as Merge | undefined;
  throw invalid(`Invalid upload: merge: ${MERGE_CHOICES}.`, [
    { field: "merge", message: MERGE_CHOICES },
  ]);
}

/**
 * A setting sent as a query parameter or as a multipart field (a browser's form sends fields);
 * both at once must agree.
 */
function setting(name: string, query: string | undefined, upload: UploadedCsv) {
  const field = upload.fields[name];
  if (field !== undefined && query !== undefined && field !== query) {
    const message = `${name} is both a query parameter and a form field, with different values: send it once`;
    throw invalid(message, [{ field: name, message }]);
  }
  return field ?? query;
}

const flag = (name: string) =>
  z
    .enum(["true", "false", "1", "0"], { error: `${name} takes true or false` })
    .transform((value) => value === "true" || value === "1")
    .default(false);

export const importRoutes = [
  route({
    method: "post",
    path: "/api/v1/lists/:slug/imports",
    tag: "imports",
    summary:
      "Import a blocklist CSV (text/csv body or multipart `file`, ≤ 10 MB, ≤ 50,000 rows): with dryRun=true, the report only; otherwise one `add` proposal per new domain (members: at most 100), or with direct=true (curators) new and changed rows written as one revision",
    access: "account",
    bodyType: "csv-upload",
    params: z.object({ slug }),
    // Strict: a misspelt `?dryrun=true` or `?dryRun[]=true` must not silently apply the file.
    query: z.strictObject({
      dryRun: flag("dryRun"),
      direct: flag("direct"),
      filename: z
        .string()
        .min(1, { error: "filename must not be empty" })
        .max(MAX_FILENAME_CHARS, {
          error: `filename takes at most ${MAX_FILENAME_CHARS} characters`,
        })
        .regex(/^[^\p{Cc}]+$/u, { error: "filename must not contain control characters" })
        .optional()
        .meta({
          description:
            "The name of the file sent as a text/csv body, for the audit log and the proposals' reason (a multipart upload names its own file)",
        }),
      columns: z
        .string()
        .max(MAX_COLUMNS_CHARS, { error: `columns takes at most ${MAX_COLUMNS_CHARS} characters` })
        .optional()
        .meta({
          description:
            "For a file without a header: the name of each column, comma-separated (domain, severity, reject_media, reject_reports, public_comment, obfuscate, private_comment; an empty name skips the column), e.g. `domain,severity,reject_media,reject_reports,obfuscate`. Also a multipart field",
        }),
      merge: z.enum(MERGES, { error: MERGE_CHOICES }).optional().meta({
        description:
          "A direct import only: how a row meets the entry already listed. `max` (the default into a list that has entries) keeps the stricter severity and flags and a comment the file leaves empty; `replace` writes the file's cells; `min` keeps the milder severity and flags. Also a multipart field",
      }),
    }),
    response: importAnswer,
    async handler({ ctx, actor, params, query, body, res }) {
      const upload = body as unknown as UploadedCsv;
      if (upload.filename !== null && query.filename !== undefined) {
        const message =
          "filename names a text/csv body; a multipart upload's file has its own name";
        throw invalid(message, [{ field: "filename", message }]);
      }
      const answer = await importBlocklist(ctx, actor, params.slug, upload.text, {
        dryRun: query.dryRun,
        direct: query.direct,
        file: upload.filename ?? query.filename ?? null,
        columns: setting("columns", query.columns, upload),
        merge: mergeOf(setting("merge", query.merge, upload)),
      });
      res.status(query.dryRun ? 200 : 201).json(answer);
      return RESPONDED;
    },
  }),
];
