// The cells other than the domain: severity, booleans and comments, as real files write them.
import type { Severity } from "./report.js";

const SEVERITIES: readonly string[] = ["suspend", "silence", "noop"] satisfies Severity[];

/** Mastodon's admin UI calls silence "Limit", so people write `limit`. */
const SEVERITY_ALIASES: ReadonlyMap<string, Severity> = new Map([["limit", "silence"]]);

/** Mastodon's importer: a missing severity is a suspension (`row.fetch('#severity', :suspend)`). */
export const DEFAULT_SEVERITY: Severity = "suspend";

export type SeverityReading =
  { ok: true; severity: Severity; alias: string | null } | { ok: false; written: string };

/** An empty or absent cell is the default severity. */
export function readSeverity(cell: string | undefined): SeverityReading {
  const written = (cell ?? "").trim();
  const key = written.toLowerCase();
  if (key === "") return { ok: true, severity: DEFAULT_SEVERITY, alias: null };
  if (SEVERITIES.includes(key)) return { ok: true, severity: key as Severity, alias: null };
  const aliased = SEVERITY_ALIASES.get(key);
  if (aliased) return { ok: true, severity: aliased, alias: written };
  return { ok: false, written };
}

const TRUE_WORDS = new Set(["true", "t", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "f", "0", "no", "off"]);

export type BooleanReading = { value: boolean; understood: boolean };

/** Any case, trimmed (Python writes `False`, spreadsheets `TRUE`); empty or absent is false. */
export function readBoolean(cell: string | undefined): BooleanReading {
  const key = (cell ?? "").trim().toLowerCase();
  if (key === "" || FALSE_WORDS.has(key)) return { value: false, understood: true };
  if (TRUE_WORDS.has(key)) return { value: true, understood: true };
  return { value: false, understood: false };
}

/** Trimmed; the literal `null` some exporters write for no comment is an empty comment. */
export function readComment(cell: string | undefined): string {
  const text = (cell ?? "").trim();
  return text.toLowerCase() === "null" ? "" : text;
}
