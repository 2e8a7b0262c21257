// The fast path for exports (SPEC §4, §9): list exports fetched by servers and scripts are
// answered before Express, sessions and helmet run. What it cannot answer alone (a cookie-
// authenticated download of a members-only list) goes on to the Express routes.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Request, Response } from "express";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { exportQuery, queryObject } from "../exports/export-query.js";
import type { ExportAnswer, ListExports } from "../exports/list-exports.js";
import { exportHeaders } from "./export-headers.js";
import type { ExportFormat } from "../exports/render.js";
import { authorize, resolveActor, type createPassport } from "./auth.js";
import type { HttpMetrics } from "./metrics.js";
import { fieldErrors, problemBody } from "./problem.js";
import { exportRoutes } from "./routes/exports.routes.js";

const EXPORT_PATH =
  /^\/(?:lists\/([a-z0-9][a-z0-9-]{0,62})\.(csv|json|txt)|api\/v1\/lists\/([a-z0-9][a-z0-9-]{0,62})\/export\.(csv|json|txt))$/;

const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "SAMEORIGIN",
  "Referrer-Policy": "no-referrer",
};

/**
 * An export (CSV, JSON, TXT) is data, never rendered as a page: CSP and frame headers mean
 * nothing for it and cost the 304 path time. It carries what protects it — no sniffing into
 * HTML, HSTS on https, CORS and caching (headersOf) — while its problems, which are API
 * answers, keep the full set (docs/security.md).
 */
const EXPORT_HEADERS: Record<string, string> = { "X-Content-Type-Options": "nosniff" };

/** The metrics' route label of each export URL, by way (page or API) and format. */
const ROUTE_PATHS = [false, true].map(
  (viaApi) =>
    Object.fromEntries(
      (["csv", "json", "txt"] as const).map((format) => [
        format,
        viaApi ? `/api/v1/lists/:slug/export.${format}` : `/lists/:slug.${format}`,
      ]),
    ) as Record<ExportFormat, string>,
);

function sendProblemRaw(res: ServerResponse, error: AppError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.writeHead(error.status, { "Content-Type": "application/problem+json", ...SECURITY_HEADERS });
  res.end(problemBody(error));
}

export function createRequestHandler(
  ctx: AppContext,
  app: RequestListener,
  exports: ListExports,
  passport: ReturnType<typeof createPassport>,
  metrics: HttpMetrics,
): RequestListener<typeof IncomingMessage, typeof ServerResponse> {
  const secure = ctx.config.publicUrl.startsWith("https:");
  const routeFor = new Map(exportRoutes.map((route) => [route.path, route]));

  function headersOf(answer: ExportAnswer): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      ...EXPORT_HEADERS,
      ...exportHeaders(answer),
    };
    if (secure) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
    if (!answer.isPrivate) headers["Access-Control-Allow-Origin"] = "*";
    if (answer.status === 200 && answer.body) headers["Content-Length"] = answer.body.length;
    return headers;
  }

  function send(req: IncomingMessage, res: ServerResponse, answer: ExportAnswer, headers: object) {
    res.writeHead(answer.status, headers as Record<string, string | number>);
    res.end(answer.status === 200 && req.method === "GET" ? answer.body : undefined);
  }

  // Answers from memory come back as the same objects until the list changes: their headers
  // are built once. Handing writeHead the same object every time halves the cost of a 304.
  const readyHeaders = new WeakMap<ExportAnswer, Record<string, string | number>>();

  /** An anonymous, unfiltered export of a public list, answered synchronously from memory. */
  function serveFromMemory(
    req: IncomingMessage,
    res: ServerResponse,
    slug: string,
    format: ExportFormat,
    routePath: string,
  ): boolean {
    const started = performance.now();
    const answer = exports.answerFromMemory(slug, format, {
      ifNoneMatch: req.headers["if-none-match"],
      ifModifiedSince: req.headers["if-modified-since"],
      acceptEncoding: req.headers["accept-encoding"],
    });
    if (!answer) return false;
    let headers = readyHeaders.get(answer);
    if (!headers) readyHeaders.set(answer, (headers = headersOf(answer)));
    send(req, res, answer, headers);
    metrics.observe(
      req.method ?? "GET",
      routePath,
      res.statusCode,
      (performance.now() - started) / 1000,
    );
    return true;
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    slug: string,
    format: ExportFormat,
    search: string,
    routePath: string,
  ) {
    const started = process.hrtime.bigint();
    try {
      const hasCredentials = req.headers.authorization !== undefined;
      if (
        !hasCredentials &&
        (await exports.isMembersOnly(slug)) &&
        req.headers.cookie !== undefined
      ) {
        return false;
      }
      const parsed = exportQuery.safeParse(queryObject(search));
      if (!parsed.success) {
        throw new AppError(400, "invalid_request", "Invalid export filters.", {
          errors: fieldErrors(parsed.error, "query"),
        });
      }
      const route = routeFor.get(routePath)!;
      const actor = hasCredentials
        ? await resolveActor(ctx, passport, route, req as Request, res as unknown as Response)
        : null;
      authorize(ctx, route, actor, req as Request);
      const answer = await exports.answer(slug, format, parsed.data, actor !== null, {
        ifNoneMatch: req.headers["if-none-match"],
        ifModifiedSince: req.headers["if-modified-since"],
        acceptEncoding: req.headers["accept-encoding"],
      });
      send(req, res, answer, headersOf(answer));
    } catch (error) {
      if (error instanceof AppError) sendProblemRaw(res, error);
      else {
        ctx.log.error("export failed", { path: req.url, error });
        sendProblemRaw(
          res,
          new AppError(500, "internal", "Something went wrong on the server; it was logged."),
        );
      }
    }
    metrics.observe(
      req.method ?? "GET",
      routePath,
      res.statusCode,
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    return true;
  }

  return (req, res) => {
    if ((req.method === "GET" || req.method === "HEAD") && req.url) {
      const queryStart = req.url.indexOf("?");
      const path = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
      const match = EXPORT_PATH.exec(path);
      if (match) {
        const viaApi = match[3] !== undefined;
        const slug = (match[1] ?? match[3])!;
        const format = (match[2] ?? match[4]) as ExportFormat;
        const search = queryStart === -1 ? "" : req.url.slice(queryStart + 1);
        const routePath = ROUTE_PATHS[viaApi ? 1 : 0]![format];
        if (
          search === "" &&
          req.headers.authorization === undefined &&
          serveFromMemory(req, res, slug, format, routePath)
        )
          return;
        void serve(req, res, slug, format, search, routePath).then((handled) => {
          if (!handled) app(req, res);
        });
        return;
      }
    }
    app(req, res);
  };
}
