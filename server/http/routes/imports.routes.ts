import { z } from "zod";
import { importBlocklist } from "../../imports/import.service.js";
import type { UploadedCsv } from "../mount.js";
import { RESPONDED, route } from "../route.js";
import { slug } from "./lists.routes.js";

const flag = (name: string) =>
  z
    .enum(["true", "false", "1", "0"], { error: `${name} takes true or false` })
    .transform((value) => value === "true" || value === "1")
    .default(false);

const issue = z.object({
  line: z.number().int(),
  domain: z.string(),
  code: z.string(),
  message: z.string(),
});

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
    query: z.strictObject({ dryRun: flag("dryRun"), direct: flag("direct") }),
    response: z.object({
      dryRun: z.boolean(),
      mode: z.enum(["proposals", "direct"]),
      file: z.string().nullable(),
      report: z.object({
        rows: z.number().int(),
        valid: z.number().int(),
        new: z.number().int(),
        alreadyListed: z.number().int(),
        alreadyProposed: z.number().int(),
        changed: z.number().int(),
        problems: z.array(issue),
        warnings: z.array(issue),
      }),
      preview: z.array(
        z.object({
          line: z.number().int(),
          domain: z.string(),
          severity: z.string(),
          status: z.string(),
        }),
      ),
      result: z.unknown(),
    }),
    async handler({ ctx, actor, params, query, body, res }) {
      const upload = body as unknown as UploadedCsv;
      const answer = await importBlocklist(ctx, actor, params.slug, upload.text, {
        dryRun: query.dryRun,
        direct: query.direct,
        file: upload.filename,
      });
      res.status(query.dryRun ? 200 : 201).json(answer);
      return RESPONDED;
    },
  }),
];
