// The one way a write fails because another process holds SQLite's write lock past the busy
// timeout (docs/decisions/0011-sqlite-one-service-per-file.md): 503 with Retry-After, nothing
// written, never a 500.
import { AppError } from "../errors.js";

/** Thrown when the write lock could not be taken within the busy timeout. */
export class DatabaseBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`the database stayed locked by another process for ${waitedMs} ms`);
    this.name = "DatabaseBusyError";
  }
}

/** Seconds a client should wait before trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** Whether `error` (or an error it wraps) says the database was busy past the timeout. */
export function isDatabaseBusy(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof DatabaseBusyError) return true;
    const { name, code, message, cause } = current as {
      name?: string;
      code?: string;
      message?: string;
      cause?: unknown;
    };
    if (name === "DatabaseBusyError" || code === "SQLITE_BUSY") return true;
    if (
      typeof message === "string" &&
      /DatabaseBusyError|SQLITE_BUSY|database is locked/.test(message)
    )
      return true;
    current = cause;
  }
  return false;
}

export function databaseBusy(cause?: unknown): AppError {
  return new AppError(
    503,
    "database_busy",
    "The database is busy with another process's write; nothing was written. Try again shortly.",
    { cause, headers: { "Retry-After": String(BUSY_RETRY_AFTER_SECONDS) } },
  );
}
