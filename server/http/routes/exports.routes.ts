// The list exports (SPEC §4). The same URLs are usually answered by the fast path in
// server/http/fast-exports.ts before Express runs; these routes answer what it passes on
// (cookie-authenticated downloads of members-only lists) and document the exports.
import type { Response } from "express";
import { z } from "zod";
import { exportQuery } from "../../exports/export-query.js";
import type { ExportAnswer } from "../../exports/list-exports.js";
import { FORMATS, type ExportFormat } from "../../exports/render.js";
import { exportHeaders } from "../export-headers.js";
import { RESPONDED, route, type AnyRoute } from "../route.js";
import { slug } from "./lists.routes.js";

export function writeExport(res: Response, answer: ExportAnswer, head: boolean): void {
  res.status(answer.status);
  for (const [name, value] of Object.entries(exportHeaders(answer))) res.setHeader(name, value);
  if (answer.status === 304 || !answer.body) {
    res.end();
    return;
  }
  res.setHeader("Content-Length", answer.body.length);
  res.end(head ? undefined : answer.body);
}

const describe: Record<ExportFormat, string> = {
  csv: "Mastodon-compatible CSV (admin import; GoToSocial subscription)",
  json: "JSON array of entries (GoToSocial's JSON subscription format)",
  txt: "one domain per line",
};

const exportRoute = (path: string, format: ExportFormat): AnyRoute =>
  route({
    method: "get",
    path,
    tag: "exports",
    summary: `A list's export: ${describe[format]}. Strong ETag, 304 on If-None-Match/If-Modified-Since; members-only lists also accept HTTP Basic with the token as password`,
    access: "public",
    basicAuth: true,
    params: z.object({ slug }),
    query: exportQuery,
    produces: [
      format === "csv" ? "text/csv" : format === "json" ? "application/json" : "text/plain",
    ],
    async handler({ ctx, actor, params, query, req, res }) {
      const answer = await ctx.exports.answer(params.slug, format, query, actor !== null, {
        ifNoneMatch: req.get("if-none-match"),
        ifModifiedSince: req.get("if-modified-since"),
        acceptEncoding: req.get("accept-encoding"),
      });
      writeExport(res, answer, req.method === "HEAD");
      return RESPONDED;
    },
  });

export const exportRoutes = FORMATS.flatMap((format) => [
  exportRoute(`/lists/:slug.${format}`, format),
  exportRoute(`/api/v1/lists/:slug/export.${format}`, format),
]);
