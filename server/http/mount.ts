// Mounts the route table on an Express router: authenticate, authorize, parse the input with
// the route's zod schemas (unknown body fields are a 400), call the handler, send the answer.
import express, { type Request, type RequestHandler, type Router } from "express";
import busboy, { type Busboy } from "busboy";
import type { z } from "zod";
import { AppError, invalid, tooLarge } from "../errors.js";
import type { Actor } from "../accounts/actor.js";
import { authorize, resolveActor, type PassportInstance } from "./auth.js";
import { FORMULA_CODE } from "../text/formula.js";
import { fieldErrors } from "./problem.js";
import { RESPONDED, type AnyRoute, type RouteContext } from "./route.js";

export const JSON_BODY_LIMIT = "256kb";
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return {} as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, where === "body" ? "" : where);
  const message = `Invalid ${where}: ${describe(result.error)}`;
  // Text a spreadsheet would run as a formula has its own code, so that a client can say so.
  if (result.error.issues.every(isFormulaIssue)) {
    throw new AppError(400, FORMULA_CODE, message, { errors });
  }
  throw invalid(message, errors);
}

const isFormulaIssue = (issue: z.core.$ZodIssue) =>
  issue.code === "custom" && (issue.params as { code?: string } | undefined)?.code === FORMULA_CODE;

function describe(error: z.ZodError): string {
  return fieldErrors(error)
    .map((e) => `${e.field}: ${e.message}`)
    .join("; ");
}

/** Why a string is not storable text (a lone UTF-16 surrogate, a NUL character), or null. */
function textProblem(text: string): string | null {
  if (/\p{Cs}/u.test(text))
    return "holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text";
  if (text.includes("\0")) return "holds a NUL character (\\u0000), which is not text";
  return null;
}

/**
 * JSON strings must be text that the databases can store: `"\ud800"` or `"\u0000"` are valid
 * JSON syntax, but SQLite refuses the first and PostgreSQL the second (a 500 otherwise).
 * Refused as malformed JSON.
 */
function rejectNonText(key: string, value: unknown): unknown {
  const problem = textProblem(key) ?? (typeof value === "string" ? textProblem(value) : null);
  if (problem) throw new SyntaxError(`a string ${problem}`);
  return value;
}

/** The same rule for path and query values, naming the parameter. */
function assertTextValues(values: Record<string, unknown>, where: "path" | "query"): void {
  for (const [name, value] of Object.entries(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      const problem = typeof text === "string" ? textProblem(text) : null;
      if (problem) {
        throw invalid(`The ${where} parameter ${name} ${problem}.`, [
          { field: `${where}.${name}`, message: problem },
        ]);
      }
    }
  }
}

const json = express.json({
  limit: JSON_BODY_LIMIT,
  strict: true,
  type: ["application/json", "application/*+json"],
  reviver: rejectNonText,
});

/** An uploaded CSV as text: either the raw body (`text/csv`) or a multipart `file` field. */
export interface UploadedCsv {
  text: string;
  filename: string | null;
  /** The multipart upload's small form fields (`columns`, `merge`), by name; none for text/csv. */
  fields: Record<string, string>;
}

const csvText = express.text({
  type: ["text/csv", "text/plain", "application/csv"],
  limit: UPLOAD_LIMIT_BYTES,
});
/**
 * A multipart upload carries one file and nothing else worth reading: at most a few small form
 * fields (browsers add none; curl's `-F` may), so that a flood of fields or parts is refused at
 * the first one past the limit, never buffered (busboy stops, the rest is drained unread).
 */
export const MULTIPART_LIMITS = {
  /** The whole request (the file plus the multipart framing), checked on Content-Length. */
  requestBytes: UPLOAD_LIMIT_BYTES + 64 * 1024,
  parts: 5,
  fields: 4,
  fieldBytes: 1024,
  fieldNameBytes: 100,
} as const;

const tooLargeUpload = () =>
  tooLarge(
    `The file is larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB; split it (a list may be imported in parts).`,
  );

const ONLY_THE_FILE = "send the file alone, as the field `file`";
const tooManyParts = () =>
  tooLarge(`The upload has more than ${MULTIPART_LIMITS.parts} parts: ${ONLY_THE_FILE}.`);
const tooManyFields = () =>
  tooLarge(`The upload has more than ${MULTIPART_LIMITS.fields} form fields: ${ONLY_THE_FILE}.`);
const fieldTooLong = () =>
  tooLarge(
    `A form field of the upload is longer than ${MULTIPART_LIMITS.fieldBytes} bytes: only the file, as the field \`file\`, may be large.`,
  );
const fieldNameTooLong = () =>
  tooLarge(`A form field's name is longer than ${MULTIPART_LIMITS.fieldNameBytes} bytes.`);
const tooLargeRequest = () =>
  tooLarge(
    `The request is larger than ${MULTIPART_LIMITS.requestBytes} bytes (a ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB file and its multipart framing); split the file.`,
  );

const uploadedFiles = new WeakMap<Request, UploadedCsv>();

/**
 * Reads a multipart upload with busboy. At the first limit passed the request is answered at
 * once (413 naming the limit) and the rest of the body is drained unread, never buffered nor
 * waited for.
 */
function readMultipart(req: Request, next: (error?: unknown) => void): void {
  let parser: Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        fileSize: UPLOAD_LIMIT_BYTES,
        files: 1,
        parts: MULTIPART_LIMITS.parts,
        fields: MULTIPART_LIMITS.fields,
        fieldSize: MULTIPART_LIMITS.fieldBytes,
        fieldNameSize: MULTIPART_LIMITS.fieldNameBytes,
      },
    });
  } catch (error) {
    return next(
      invalid(`Bad upload: the multipart body cannot be read (${(error as Error).message}).`),
    );
  }
  let finished = false;
  const fail = (error: AppError) => {
    if (finished) return;
    finished = true;
    req.unpipe(parser);
    parser.removeAllListeners();
    parser.on("error", () => {});
    req.resume();
    next(error);
  };
  let file: { chunks: Buffer[]; filename: string; done: boolean } | null = null;
  parser.on("file", (name, stream, info) => {
    if (name !== "file" || file) {
      stream.resume();
      return fail(invalid(`Bad upload: unexpected file field \`${name}\`: ${ONLY_THE_FILE}.`));
    }
    const current = { chunks: [] as Buffer[], filename: info.filename, done: false };
    file = current;
    stream.on("data", (chunk: Buffer) => current.chunks.push(chunk));
    stream.on("limit", () => fail(tooLargeUpload()));
    // A body cut short destroys the file's stream with busboy's error: a malformed body.
    stream.on("error", (error: Error) =>
      fail(invalid(`Bad upload: the multipart body cannot be read (${error.message}).`)),
    );
    stream.on("end", () => (current.done = true));
  });
  const fields = Object.create(null) as Record<string, string>;
  parser.on("field", (name, value, info) => {
    if (info.nameTruncated) fail(fieldNameTooLong());
    else if (info.valueTruncated) fail(fieldTooLong());
    else if (Object.hasOwn(fields, name)) fail(invalid(`Bad upload: the field \`${name}\` twice.`));
    else fields[name] = value;
  });
  parser.on("partsLimit", () => fail(tooManyParts()));
  parser.on("filesLimit", () => fail(invalid(`Bad upload: more than one file: ${ONLY_THE_FILE}.`)));
  parser.on("fieldsLimit", () => fail(tooManyFields()));
  parser.on("error", (error: Error) =>
    fail(invalid(`Bad upload: the multipart body cannot be read (${error.message}).`)),
  );
  parser.on("close", () => {
    if (finished) return;
    finished = true;
    if (file?.done) {
      uploadedFiles.set(req, {
        text: Buffer.concat(file.chunks).toString("utf8"),
        filename: file.filename,
        fields,
      });
    }
    next();
  });
  req.on("error", (error) => fail(invalid(`Bad upload: ${error.message}`)));
  req.pipe(parser);
}

const csvUpload: RequestHandler = (req, res, next) => {
  if (req.is("multipart/form-data")) {
    if (Number(req.headers["content-length"] ?? 0) > MULTIPART_LIMITS.requestBytes) {
      return next(tooLargeRequest());
    }
    return readMultipart(req, next);
  }
  csvText(req, res, (error: unknown) => {
    if ((error as { type?: string } | undefined)?.type === "entity.too.large")
      return next(tooLargeUpload());
    next(error);
  });
};

function uploadedCsv(req: Request): UploadedCsv {
  const file = uploadedFiles.get(req);
  if (file) return file;
  if (typeof req.body === "string") return { text: req.body, filename: null, fields: {} };
  throw new AppError(
    415,
    "unsupported_media_type",
    "Send the CSV as the body with Content-Type: text/csv, or as a multipart/form-data field named `file`.",
  );
}

function hasBody(req: Request): boolean {
  return (
    Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined
  );
}

/** A route without a body schema takes no body: `{}` (or nothing) is fine, anything else is
 * as much an unknown field as an extra key on a route that has a schema. */
const NO_BODY = "This request takes no body: send none, or `{}`.";

function refuseBody(req: Request): undefined {
  const body: unknown = req.body;
  if (body === undefined) {
    if (hasBody(req)) throw invalid(NO_BODY);
    return undefined;
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length === 0) return undefined;
    throw invalid(
      `This request takes no body: unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `\`${k}\``).join(", ")}.`,
      keys.map((field) => ({ field, message: "Unrecognized key: this request takes no body" })),
    );
  }
  throw invalid(NO_BODY);
}

function readBody(route: AnyRoute, req: Request): unknown {
  if (route.bodyType === "csv-upload") return uploadedCsv(req);
  if (!route.body) return refuseBody(req);
  if (req.body === undefined) {
    if (hasBody(req)) {
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
  ctx: RouteContext,
  passport: PassportInstance,
  routes: AnyRoute[],
): void {
  for (const route of routes) {
    // Who is calling, and may they, is settled before any body is read: an anonymous or
    // unauthorized caller cannot make the service buffer a 10 MB upload.
    const authenticate: RequestHandler = (req, res, next) => {
      resolveActor(ctx, passport, route, req, res)
        .catch((error: unknown) => {
          if (route.ownSecret && error instanceof AppError && error.status === 401) return null;
          throw error;
        })
        .then((actor) => {
          authorize(ctx, route, actor, req);
          res.locals.actor = actor;
          next();
        })
        .catch(next);
    };
    const bodyParser = route.bodyType === "csv-upload" ? csvUpload : json;
    router[route.method](route.path, authenticate, bodyParser, async (req, res, next) => {
      try {
        const actor = res.locals.actor as Actor | null;
        assertTextValues(req.params, "path");
        assertTextValues(req.query as Record<string, unknown>, "query");
        const params = parseWith(route.params, req.params, "path");
        const query = parseWith(route.query, req.query, "query");
        const body = readBody(route, req);
        const result = await route.handler({
          ctx,
          actor: actor!,
          params,
          query,
          body,
          req,
          res,
          passport,
        });
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
