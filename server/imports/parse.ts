// The one blocklist parser (SPEC §5): Mastodon exports, FediBlockHole output, partial headers
// and files without a header, read by header name, streaming, and stopped at the row limit.
import {
  HEADERLESS_LAYOUT,
  columnsRead,
  ignoredHeaderlessColumns,
  readHeader,
  type ColumnLayout,
} from "./columns.js";
import { MalformedCsvError, readCsvRecords, type CsvInput } from "./records.js";
import type {
  BlocklistFileFailure,
  BlocklistParseResult,
  ParsedEntry,
  RowProblem,
  RowWarning,
} from "./report.js";
import { readRow } from "./row.js";

export type { CsvInput } from "./records.js";

/** SPEC §5: larger files are answered 413. */
export const MAX_IMPORT_ROWS = 50_000;

export interface ParseBlocklistOptions {
  /** Data rows allowed; the parser stops reading at the first row over it. */
  maxRows?: number;
}

function failure(
  code: BlocklistFileFailure["code"],
  line: number,
  message: string,
): BlocklistFileFailure {
  return { ok: false, code, line, message };
}

/**
 * Reads a blocklist file. A Readable is consumed, and destroyed when reading ends (early at the
 * row limit or at malformed CSV).
 * Resolves to the report, or to a failure for a file that cannot be read as a whole; rejects
 * only when the input stream itself fails.
 */
export async function parseBlocklist(
  input: CsvInput,
  { maxRows = MAX_IMPORT_ROWS }: ParseBlocklistOptions = {},
): Promise<BlocklistParseResult> {
  let layout: ColumnLayout | undefined;
  let rows = 0;
  let widestRecord = 0;
  const entries: ParsedEntry[] = [];
  const problems: RowProblem[] = [];
  const warnings: RowWarning[] = [];
  const lineOfDomain = new Map<string, number>();

  try {
    for await (const record of readCsvRecords(input)) {
      if (layout === undefined) {
        const header = readHeader(record.fields);
        if (header.kind === "no_domain_column") {
          return failure("no_domain_column", record.line, header.message);
        }
        layout = header.kind === "header" ? header.layout : HEADERLESS_LAYOUT;
        if (header.kind === "header") continue;
      }

      rows += 1;
      if (rows > maxRows) {
        return failure(
          "too_many_rows",
          record.line,
          `the file has more than ${maxRows.toLocaleString("en")} rows: split it into smaller files`,
        );
      }
      widestRecord = Math.max(widestRecord, record.fields.length);

      const reading = readRow(record, layout);
      if (!reading.ok) {
        problems.push(reading.problem);
        continue;
      }
      const { entry } = reading;
      const earlierLine = lineOfDomain.get(entry.domain);
      if (earlierLine !== undefined) {
        problems.push({
          line: entry.line,
          domain: entry.domain,
          code: "duplicate",
          message: `${entry.domain} is already on line ${earlierLine}`,
        });
        continue;
      }
      lineOfDomain.set(entry.domain, entry.line);
      entries.push(entry);
      warnings.push(...reading.warnings);
    }
  } catch (error) {
    if (error instanceof MalformedCsvError)
      return failure("malformed_csv", error.line, error.message);
    throw error;
  }

  const read = layout ?? HEADERLESS_LAYOUT;
  return {
    ok: true,
    hasHeader: read.hasHeader,
    columns: columnsRead(read),
    ignoredColumns: read.hasHeader ? read.ignoredColumns : ignoredHeaderlessColumns(widestRecord),
    rows,
    entries,
    problems,
    warnings,
  };
}
