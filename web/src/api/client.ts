// The one way the UI talks to the service: same-origin fetch with the session cookie, the CSRF
// token on every unsafe request, and problem+json errors turned into ApiError.

export interface FieldProblem {
  field?: string;
  line?: number;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldProblem[];
  /** `proposal_open`: the proposal already open for the domain. */
  readonly proposalId: number | undefined;

  constructor(
    status: number,
    code: string,
    title: string,
    detail: string,
    errors: FieldProblem[],
    proposalId?: number,
  ) {
    super(detail);
    this.proposalId = proposalId;
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
  }

  /** Messages per field path (`severity`, `tags.0`, `policy.quorum`). */
  fieldMessages(): Record<string, string[]> {
    const byField: Record<string, string[]> = {};
    for (const error of this.errors) {
      if (!error.field) continue;
      (byField[error.field] ??= []).push(error.message);
    }
    return byField;
  }
}

let csrfToken: string | null = null;
let unauthorizedListener: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401: the session has ended (signed out elsewhere, expired). */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

const writeListeners = new Set<() => void>();

/** Called after every write that succeeded (a vote changes what awaits the instance's vote). */
export function onWrite(listener: () => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
  /** Do not report a 401 as the end of the session (sign-in, the first /me). */
  quiet401?: boolean;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await response.json()) as {
        title?: string;
        detail?: string;
        code?: string;
        errors?: FieldProblem[];
        proposalId?: number;
      };
      return new ApiError(
        response.status,
        body.code ?? "error",
        body.title ?? response.statusText,
        body.detail ?? `The server answered ${response.status}.`,
        Array.isArray(body.errors) ? body.errors : [],
        typeof body.proposalId === "number" ? body.proposalId : undefined,
      );
    } catch {
      // fall through to the generic message
    }
  }
  return new ApiError(
    response.status,
    "http_error",
    response.statusText || "Error",
    response.status === 413
      ? "The request is too large for the server."
      : `The server answered ${response.status} ${response.statusText}.`,
    [],
  );
}

export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  if (UNSAFE.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: body ?? null,
      credentials: "same-origin",
      signal: options.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(
      0,
      "network",
      "Network error",
      "The server could not be reached. Check your connection and try again.",
      [],
    );
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !options.quiet401) unauthorizedListener?.();
    throw problem;
  }
  if (UNSAFE.has(method)) for (const listener of writeListeners) listener();
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>("GET", path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, json?: unknown, query?: Query) =>
    request<T>("POST", path, { json: json ?? {}, ...(query ? { query } : {}) }),
  upload: <T>(path: string, form: FormData, query?: Query) =>
    request<T>("POST", path, { form, ...(query ? { query } : {}) }),
  put: <T>(path: string, json: unknown) => request<T>("PUT", path, { json }),
  patch: <T>(path: string, json: unknown) => request<T>("PATCH", path, { json }),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};

/** A message for anything thrown by a request. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
