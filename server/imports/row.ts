// One data record of a blocklist file becomes an entry (with warnings) or exactly one problem.
import { normalizeDomain, type DomainWarningCode } from "../domains/normalize.js";
import { FORMULA_RULE, startsLikeFormula } from "../text/formula.js";
import type { ColumnLayout } from "./columns.js";
import type { CsvRecord } from "./records.js";
import type { EntryColumn, ParsedEntry, RowProblem, RowProblemCode, RowWarning } from "./report.js";
import {
  DEFAULT_SEVERITY,
  readBoolean,
  readComment,
  readSeverity,
  type SeverityReading,
} from "./values.js";

export type RowReading =
  { ok: true; entry: ParsedEntry; warnings: RowWarning[] } | { ok: false; problem: RowProblem };

function domainWarning(code: DomainWarningCode, written: string, domain: string): string {
  return code === "wildcard"
    ? `"${written}" is read as ${domain}: blocking a domain blocks its subdomains`
    : `"${written}" is defanged: read as ${domain}`;
}

function cellOf(fields: string[], layout: ColumnLayout, column: EntryColumn): string | undefined {
  const index = layout.positions[column];
  return index === undefined ? undefined : fields[index];
}

/**
 * The severity of a row. Under a header the severity column is named, so a word that is not a
 * severity is a problem. Without a header the second column is a severity only when it is one
 * (SPEC §5): anything else (a comment, a date, a typo such as `silense`) leaves the row at the
 * default severity, with a `not_severity` warning, because an admin would want to know: the
 * default is the strictest severity, so a typo for `silence` would otherwise become a silent
 * suspension.
 */
function severityOf(
  record: CsvRecord,
  layout: ColumnLayout,
  domain: string,
  warnings: RowWarning[],
): SeverityReading {
  const reading = readSeverity(cellOf(record.fields, layout, "severity"));
  if (reading.ok || layout.hasHeader || layout.mapped) return reading;
  // The cell is often a comment: quote only its start.
  const cell = reading.written.length > 40 ? `${reading.written.slice(0, 40)}…` : reading.written;
  const message = `column 2 "${cell}" is not a severity (the file has no header): read as ${DEFAULT_SEVERITY}, the default`;
  warnings.push({ line: record.line, domain, code: "not_severity", message });
  return { ok: true, severity: DEFAULT_SEVERITY, alias: null };
}

function refuse(line: number, domain: string, code: RowProblemCode, message: string): RowReading {
  return { ok: false, problem: { line, domain, code, message } };
}

/** Reads a boolean column, adding a `boolean` warning to `warnings` when the value is not one. */
function readFlag(
  record: CsvRecord,
  layout: ColumnLayout,
  column: EntryColumn,
  domain: string,
  warnings: RowWarning[],
): boolean {
  const cell = cellOf(record.fields, layout, column);
  const reading = readBoolean(cell);
  if (!reading.understood) {
    const message = `${column} "${cell!.trim()}" is not true or false: read as false`;
    warnings.push({ line: record.line, domain, code: "boolean", message });
  }
  return reading.value;
}

function fieldCountWarning(fields: string[], layout: ColumnLayout): string {
  const missing = layout.headerCells.slice(fields.length).map((name) => name.trim());
  const takes = missing.length === 1 ? "takes its default" : "take their defaults";
  return `${fields.length} fields where the header has ${layout.headerCells.length}: ${missing.join(", ")} ${takes}`;
}

export function readRow(record: CsvRecord, layout: ColumnLayout): RowReading {
  const { line, fields } = record;
  const written = (cellOf(fields, layout, "domain") ?? "").trim();
  const normalized = normalizeDomain(written);
  const domain = normalized.ok ? normalized.domain : written;

  const headerWidth = layout.headerCells.length;
  if (layout.hasHeader && fields.length > headerWidth) {
    const message = `${fields.length} fields where the header has ${headerWidth}: quote a comment that contains a comma`;
    return refuse(line, domain, "field_count", message);
  }
  if (!normalized.ok) return refuse(line, domain, normalized.code, normalized.message);

  const warnings: RowWarning[] = [];
  for (const code of normalized.warnings) {
    warnings.push({ line, domain, code, message: domainWarning(code, written, domain) });
  }
  const severity = severityOf(record, layout, domain, warnings);
  if (!severity.ok) {
    const message = `severity "${severity.written}" is not suspend, silence or noop`;
    return refuse(line, domain, "unknown_severity", message);
  }
  if (severity.alias !== null) {
    const message = `severity "${severity.alias}" is Mastodon's name for silence`;
    warnings.push({ line, domain, code: "severity_alias", message });
  }
  const entry: ParsedEntry = {
    line,
    domain,
    severity: severity.severity,
    rejectMedia: readFlag(record, layout, "reject_media", domain, warnings),
    rejectReports: readFlag(record, layout, "reject_reports", domain, warnings),
    obfuscate: readFlag(record, layout, "obfuscate", domain, warnings),
    publicComment: readComment(cellOf(fields, layout, "public_comment")),
    privateComment: readComment(cellOf(fields, layout, "private_comment")),
  };
  for (const column of ["public_comment", "private_comment"] as const) {
    const text = entry[column === "public_comment" ? "publicComment" : "privateComment"];
    if (startsLikeFormula(text)) {
      const message = `${column} ${FORMULA_RULE}`;
      return { ok: false, problem: { line, domain, code: "formula", message, field: column } };
    }
  }
  if (layout.hasHeader && fields.length < headerWidth) {
    const message = fieldCountWarning(fields, layout);
    warnings.push({ line, domain, code: "field_count", message });
  }
  return { ok: true, entry, warnings };
}
