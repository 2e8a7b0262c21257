// A small leveled logger writing one line per event to stderr (stdout is for what the user
// asked for: the CLI's answers, the one-time password).
/**
 * Hides the password of every URL in `text` (`postgresql://fediblock:secret@db/x` →
 * `postgresql://fediblock:***@db/x`): database URLs carry one, and logs and error messages
 * must not.
 */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, "$1:***@");
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel = "info",
  write = (line: string) => process.stderr.write(line),
): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, "silent">) =>
    (message: string, fields?: Record<string, unknown>) => {
      if (order[lineLevel] < order[level]) return;
      const extra = fields ? " " + JSON.stringify(fields, errorReplacer) : "";
      write(redactUrl(`${new Date().toISOString()} ${lineLevel.padEnd(5)} ${message}${extra}\n`));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
