// The one error type of the service (STYLE §2): an HTTP status, a stable machine-readable
// `code`, a message that is safe to show to the client, and optionally per-field details and
// the internal cause (logged, never sent).

export interface FieldError {
  field?: string;
  line?: number;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  /** RFC 9457 extension members sent beside `code` (`proposalId` of the open proposal, say). */
  readonly extensions: Record<string, string | number>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      errors?: FieldError[];
      cause?: unknown;
      headers?: Record<string, string>;
      extensions?: Record<string, string | number>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export const invalid = (message: string, errors?: FieldError[]) =>
  new AppError(400, "invalid_request", message, errors ? { errors } : {});
export const unauthenticated = (message = "Sign in or send a valid API token.") =>
  new AppError(401, "unauthenticated", message);
export const forbidden = (message: string, code = "forbidden") => new AppError(403, code, message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found.`);
export const conflict = (message: string, code = "conflict") => new AppError(409, code, message);
export const tooLarge = (message: string) => new AppError(413, "too_large", message);
export const throttled = (message: string, retryAfterSeconds: number) =>
  new AppError(429, "throttled", message, {
    headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
