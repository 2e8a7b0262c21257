// A failure that ends the sync: the exit code it maps to, a stable code for `--json` readers and
// a message for the admin reading the cron mail.
import { EXIT, type ExitCode, type SignalExitCode } from "./exit-codes.js";

export class SyncFailure extends Error {
  readonly exitCode: ExitCode | SignalExitCode;
  readonly code: string;

  constructor(
    exitCode: ExitCode | SignalExitCode,
    code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "SyncFailure";
    this.exitCode = exitCode;
    this.code = code;
  }
}

export const configFailure = (message: string) => new SyncFailure(EXIT.config, "config", message);
export const authFailure = (message: string, cause?: unknown) =>
  new SyncFailure(EXIT.config, "auth", message, { cause });
export const feedFailure = (message: string, cause?: unknown) =>
  new SyncFailure(EXIT.feed, "feed", message, { cause });
export const targetFailure = (message: string, cause?: unknown) =>
  new SyncFailure(EXIT.partial, "target", message, { cause });
