// What reading a blocklist file produces (SPEC §5): the valid entries, one problem per refused
// row, warnings on accepted rows, or — when the file as a whole cannot be read — one failure.

import type {
  EntryScalars,
  SCALAR_FIELD_SPEC,
  ScalarField,
  Severity,
} from "../lists/vocabulary.js";

export type { Severity };

/** A column of a blocklist file that becomes a field of an entry (the vocabulary names them). */
export type EntryColumn = "domain" | (typeof SCALAR_FIELD_SPEC)[ScalarField]["column"];

export interface ParsedEntry extends EntryScalars {
  /** Physical line of the file where the row starts (the header is line 1). */
  line: number;
  /** Normalized: lowercase punycode, see server/domains/normalize.ts. */
  domain: string;
}

export type RowProblemCode =
  | "invalid_domain"
  | "obfuscated"
  | "empty_domain"
  | "unknown_severity"
  | "field_count"
  | "duplicate"
  | "formula"
  | "own_instance"
  | "broad_domain";

export type RowWarningCode =
  "wildcard" | "defanged" | "severity_alias" | "not_severity" | "boolean" | "field_count" | "broad";

export interface RowIssue<Code extends string> {
  line: number;
  /** The normalized domain when the cell could be normalized, otherwise the cell as written. */
  domain: string;
  code: Code;
  message: string;
  /** The file column at fault, when the issue is one cell's (e.g. `formula`). */
  field?: string;
}

export type RowProblem = RowIssue<RowProblemCode>;
export type RowWarning = RowIssue<RowWarningCode>;

export interface FileColumn {
  /** The header's cell, or null without a header. */
  name: string | null;
  readAs: EntryColumn | null;
  /** The first data row's cell, as written ("" when the row is shorter). */
  example: string;
}

export interface ParsedBlocklist {
  /** False when the first record was already data (first column domain, second severity when it is one). */
  hasHeader: boolean;
  /** The columns that were read, in file order. */
  columns: EntryColumn[];
  /** Columns present in the file but not read (unknown names, repeats, or, without a header, columns 3 and up). */
  ignoredColumns: string[];
  /**
   * Every column of the file (the header's cells, or without a header the widest row's
   * fields), with what it is read as (`null`: not read) and the first data row's cell.
   */
  fileColumns: FileColumn[];
  /** Every data record; blank lines are not records. `entries.length + problems.length == rows`. */
  rows: number;
  entries: ParsedEntry[];
  problems: RowProblem[];
  warnings: RowWarning[];
}

/**
 * The file as a whole cannot be read. `too_many_rows` is answered 413 by the caller, the others
 * 400; the parser stops at the first one, so the rest of the file is not read.
 */
export type BlocklistFileFailureCode =
  "too_many_rows" | "malformed_csv" | "no_domain_column" | "columns_with_header" | "column_count";

export interface BlocklistFileFailure {
  ok: false;
  code: BlocklistFileFailureCode;
  /** Physical line where reading stopped. */
  line: number;
  message: string;
}

export type BlocklistParseResult = ({ ok: true } & ParsedBlocklist) | BlocklistFileFailure;
