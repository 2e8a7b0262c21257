import { z } from "zod";
import { invalid } from "../../errors.js";
import { importAnswer } from "../../imports/import.schema.js";
import { importBlocklist } from "../../imports/import.service.js";
import type { UploadedCsv } from "../mount.js";
import { RESPONDED, route } from "../route.js";
import { slug } from "./lists.routes.js";

/** A file name, as most file systems allow it. */
const MAX_FILENAME_CHARS = 255;

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
      });
      res.status(query.dryRun ? 200 : 201).json(answer);
      return RESPONDED;
    },
  }),
];
