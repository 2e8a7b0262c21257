// RFC 9457 problem details: the one shape of every error answer (SPEC §3).
import type { ErrorRequestHandler, Response } from "express";
import { z } from "zod";
import { databaseBusy, isDatabaseBusy } from "../db/busy.js";
import { AppError, type FieldError } from "../errors.js";
import type { Logger } from "../log.js";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z
    .array(
      z.object({
        field: z.string().optional(),
        line: z.number().int().optional(),
        message: z.string(),
      }),
    )
    .optional(),
  /** `proposal_open`: the id of the proposal already open for the domain. */
  proposalId: z.number().int().optional(),
});

/** The problem+json document for an error. */
export function problemBody(error: AppError): string {
  return JSON.stringify({
    ...error.extensions,
    type: `urn:fediblock:problem:${error.code}`,
    title: TITLES[error.status] ?? "Error",
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
  });
}

export function sendProblem(res: Response, error: AppError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).type("application/problem+json").send(problemBody(error));
}

/** zod issues → per-field messages (`policy.quorum: expected a number`). */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: [path, key].filter(Boolean).join("."),
        message: "unknown field",
      }));
    }
    return [{ field: path || "(body)", message: issue.message }];
  });
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Turns anything thrown into problem+json; internal errors are logged, never sent. */
export function problemMiddleware(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof AppError) return sendProblem(res, error);
    if (isDatabaseBusy(error)) {
      log.warn("database busy: answered 503", { method: req.method, path: req.path });
      return sendProblem(res, databaseBusy(error));
    }
    const parser = error as BodyParserError;
    switch (parser.type) {
      case "entity.parse.failed":
        return sendProblem(
          res,
          new AppError(400, "malformed_json", `The body is not valid JSON: ${parser.message}`),
        );
      case "entity.too.large":
        return sendProblem(
          res,
          new AppError(
            413,
            "too_large",
            `The body is larger than the limit of ${parser.limit} bytes.`,
          ),
        );
      case "encoding.unsupported":
      case "charset.unsupported":
        return sendProblem(res, new AppError(415, "unsupported_encoding", parser.message));
      case "request.aborted":
        return;
    }
    if (parser.status && parser.status >= 400 && parser.status < 500) {
      return sendProblem(res, new AppError(parser.status, "bad_request", parser.message));
    }
    log.error("unhandled error", { method: req.method, path: req.path, error });
    sendProblem(
      res,
      new AppError(500, "internal", "Something went wrong on the server; it was logged."),
    );
  };
}
