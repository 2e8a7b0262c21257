// Mounts the route table on an Express router: authenticate, authorize, parse the input with
// the route's zod schemas (unknown body fields are a 400), call the handler, send the answer.
import express, { type Request, type RequestHandler, type Router } from "express";
import multer from "multer";
import type { z } from "zod";
import type { AppContext } from "../context.js";
import { AppError, invalid, tooLarge } from "../errors.js";
import { authorize, resolveActor, type createPassport } from "./auth.js";
import { fieldErrors } from "./problem.js";
import { RESPONDED, type AnyRoute } from "./route.js";

export const JSON_BODY_LIMIT = "256kb";
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return {} as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(
    `Invalid ${where}: ${describe(result.error)}`,
    fieldErrors(result.error, where === "body" ? "" : where),
  );
}

function describe(error: z.ZodError): string {
  return fieldErrors(error)
    .map((e) => `${e.field}: ${e.message}`)
    .join("; ");
}

/**
 * JSON strings must be Unicode text: a lone UTF-16 surrogate (`"\ud800"`) is valid JSON syntax
 * but not text, and the database refuses it (a 500 otherwise). Refused as malformed JSON.
 */
function rejectLoneSurrogates(key: string, value: unknown): unknown {
  if (/\p{Cs}/u.test(key) || (typeof value === "string" && /\p{Cs}/u.test(value))) {
    throw new SyntaxError(
      "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text",
    );
  }
  return value;
}

const json = express.json({
  limit: JSON_BODY_LIMIT,
  strict: true,
  type: ["application/json", "application/*+json"],
  reviver: rejectLoneSurrogates,
});

/** An uploaded CSV as text: either the raw body (`text/csv`) or a multipart `file` field. */
export interface UploadedCsv {
  text: string;
  filename: string | null;
}

const csvText = express.text({
  type: ["text/csv", "text/plain", "application/csv"],
  limit: UPLOAD_LIMIT_BYTES,
});
const multipart = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1 },
}).single("file");

const tooLargeUpload = () =>
  tooLarge(
    `The file is larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB; split it (a list may be imported in parts).`,
  );

const csvUpload: RequestHandler = (req, res, next) => {
  if (req.is("multipart/form-data")) {
    multipart(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        return next(
          error.code === "LIMIT_FILE_SIZE"
            ? tooLargeUpload()
            : invalid(`Bad upload: ${error.message}`),
        );
      }
      // busboy's own errors (no boundary, a part cut short) are a malformed body, not a 500.
      if (error instanceof Error && !(error instanceof AppError)) {
        return next(invalid(`Bad upload: the multipart body cannot be read (${error.message}).`));
      }
      next(error);
    });
    return;
  }
  csvText(req, res, (error: unknown) => {
    if ((error as { type?: string } | undefined)?.type === "entity.too.large")
      return next(tooLargeUpload());
    next(error);
  });
};

function uploadedCsv(req: Request): UploadedCsv {
  if (req.file) return { text: req.file.buffer.toString("utf8"), filename: req.file.originalname };
  if (typeof req.body === "string") return { text: req.body, filename: null };
  throw new AppError(
    415,
    "unsupported_media_type",
    "Send the CSV as the body with Content-Type: text/csv, or as a multipart/form-data field named `file`.",
  );
}

function readBody(route: AnyRoute, req: Request): unknown {
  if (route.bodyType === "csv-upload") return uploadedCsv(req);
  if (!route.body) return undefined;
  if (req.body === undefined) {
    const hasBody =
      Number(req.headers["content-length"] ?? 0) > 0 ||
      req.headers["transfer-encoding"] !== undefined;
    if (hasBody) {
      throw new AppError(
        415,
        "unsupported_media_type",
        "Send the body as JSON (Content-Type: application/json).",
      );
    }
    return parseWith(route.body, {}, "body");
  }
  return parseWith(route.body, req.body, "body");
}

export function mountRoutes(
  router: Router,
  ctx: AppContext,
  passport: ReturnType<typeof createPassport>,
  routes: AnyRoute[],
): void {
  for (const route of routes) {
    const bodyParser = route.bodyType === "csv-upload" ? csvUpload : json;
    router[route.method](route.path, bodyParser, async (req, res, next) => {
      try {
        const actor = await resolveActor(ctx, passport, route, req, res).catch((error: unknown) => {
          if (route.ownSecret && error instanceof AppError && error.status === 401) return null;
          throw error;
        });
        authorize(ctx, route, actor, req);
        const params = parseWith(route.params, req.params, "path");
        const query = parseWith(route.query, req.query, "query");
        const body = readBody(route, req);
        const result = await route.handler({ ctx, actor: actor!, params, query, body, req, res });
        if (result === RESPONDED) return;
        if (route.status === 204) {
          res.status(204).end();
          return;
        }
        res.status(route.status ?? 200).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
}
