// The one blocklist parser (SPEC §5): Mastodon exports, FediBlockHole output, partial headers
// and files without a header, read by header name, streaming, and stopped at the row limit.
import {
  HEADERLESS_LAYOUT,
  columnsRead,
  ignoredHeaderlessColumns,
  mappedLayout,
  readHeader,
  type ColumnLayout,
  type ColumnMapping,
} from "./columns.js";
import { MalformedCsvError, readCsvRecords, type CsvInput } from "./records.js";
import type {
  BlocklistFileFailure,
  BlocklistParseResult,
  EntryColumn,
  FileColumn,
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
  /**
   * The columns of a file without a header, one per column (`null` skips one): refused with
   * `columns_with_header` when the file has a header, and with `column_count` unless the widest
   * row has exactly as many fields.
   */
  columns?: ColumnMapping;
}

function failure(
  code: BlocklistFileFailure["code"],
  line: number,
  message: string,
): BlocklistFileFailure {
  return { ok: false, code, line, message };
}

const EXAMPLE_CHARS = 60;

const shortened = (cell: string) =>
  cell.length > EXAMPLE_CHARS ? `${cell.slice(0, EXAMPLE_CHARS)}…` : cell;

function fileColumnsOf(layout: ColumnLayout, widest: number, firstRow: string[]): FileColumn[] {
  const readAt = new Map(Object.entries(layout.positions).map(([column, at]) => [at, column]));
  const width = layout.hasHeader ? layout.headerCells.length : widest;
  return Array.from({ length: width }, (_, index) => ({
    name: layout.hasHeader ? layout.headerCells[index]!.trim() : null,
    readAs: (readAt.get(index) as EntryColumn | undefined) ?? null,
    example: shortened(firstRow[index] ?? ""),
  }));
}

/**
 * Reads a blocklist file. A Readable is consumed, and destroyed when reading ends (early at the
 * row limit or at malformed CSV).
 * Resolves to the report, or to a failure for a file that cannot be read as a whole; rejects
 * only when the input stream itself fails.
 */
export async function parseBlocklist(
  input: CsvInput,
  { maxRows = MAX_IMPORT_ROWS, columns }: ParseBlocklistOptions = {},
): Promise<BlocklistParseResult> {
  let layout: ColumnLayout | undefined;
  let rows = 0;
  let widestRecord = 0;
  let widestLine = 1;
  let firstRow: string[] = [];
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
        if (header.kind === "header" && columns !== undefined) {
          return failure(
            "columns_with_header",
            record.line,
            "the file has a header, which names its columns: columns= is for a file without a header",
          );
        }
        layout =
          header.kind === "header"
            ? header.layout
            : columns !== undefined
              ? mappedLayout(columns)
              : HEADERLESS_LAYOUT;
        if (header.kind === "header") continue;
      }

      rows += 1;
      if (rows === 1) firstRow = record.fields;
      if (rows > maxRows) {
        return failure(
          "too_many_rows",
          record.line,
          `the file has more than ${maxRows.toLocaleString("en")} rows: split it into smaller files`,
        );
      }
      if (record.fields.length > widestRecord) {
        widestRecord = record.fields.length;
        widestLine = record.line;
      }

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

  if (columns !== undefined && rows > 0 && widestRecord !== columns.length) {
    const named = columns.length === 1 ? "1 column" : `${columns.length} columns`;
    return failure(
      "column_count",
      widestLine,
      `columns= names ${named} but the file's widest row (line ${widestLine}) has ${widestRecord} field${widestRecord === 1 ? "" : "s"}: name each column once (leave a name empty to skip its column)`,
    );
  }
  const read = layout ?? HEADERLESS_LAYOUT;
  return {
    ok: true,
    hasHeader: read.hasHeader,
    columns: columnsRead(read),
    ignoredColumns:
      read.hasHeader || read.mapped ? read.ignoredColumns : ignoredHeaderlessColumns(widestRecord),
    fileColumns: fileColumnsOf(read, widestRecord, firstRow),
    rows,
    entries,
    problems,
    warnings,
  };
}
