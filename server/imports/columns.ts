// Which column holds which field: from the header by name, or, in a file without a header, the
// domain first and the severity second (when it is one: see row.ts).
import { normalizeDomain } from "../domains/normalize.js";
import type { EntryColumn } from "./report.js";

/**
 * Header names, compared after trimming, dropping one leading `#` (Mastodon writes `#domain`),
 * lowercasing, and reading spaces and hyphens as `_`: the names Mastodon, GoToSocial and
 * FediBlockHole write.
 */
const COLUMN_NAMES: ReadonlyMap<string, EntryColumn> = new Map(
  (
    [
      "domain",
      "severity",
      "reject_media",
      "reject_reports",
      "obfuscate",
      "public_comment",
      "private_comment",
    ] as const
  ).map((column) => [column, column]),
);

/**
 * Names hand-made lists use. `comment` is what Mastodon's public API
 * (`/api/v1/instance/domain_blocks`) calls the public reason. A column with the exact name wins
 * over an alias wherever it stands, so `host,domain` reads `domain`.
 */
const COLUMN_ALIASES: ReadonlyMap<string, EntryColumn> = new Map([
  ["host", "domain"],
  ["hostname", "domain"],
  ["comment", "public_comment"],
  ["reason", "public_comment"],
]);

export interface ColumnLayout {
  hasHeader: boolean;
  /**
   * The caller named the columns of a file without a header (`columns=`): each named column is
   * read as under a header (a severity cell that is not one is a problem, not a warning).
   */
  mapped?: boolean;
  /** Index of each column that is read. */
  positions: Partial<Record<EntryColumn, number>>;
  /** The header's cells, as written; empty without a header. */
  headerCells: string[];
  ignoredColumns: string[];
}

export type HeaderReading =
  | { kind: "header"; layout: ColumnLayout }
  | { kind: "data" }
  | { kind: "no_domain_column"; message: string };

function headerKey(cell: string): string {
  return cell
    .trim()
    .replace(/^#/, "")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export function columnNamed(cell: string): EntryColumn | undefined {
  const key = headerKey(cell);
  return COLUMN_NAMES.get(key) ?? COLUMN_ALIASES.get(key);
}

function layoutFromHeader(cells: string[]): ColumnLayout {
  const positions: Partial<Record<EntryColumn, number>> = {};
  for (const names of [COLUMN_NAMES, COLUMN_ALIASES]) {
    cells.forEach((cell, index) => {
      const column = names.get(headerKey(cell));
      if (column !== undefined && positions[column] === undefined) positions[column] = index;
    });
  }
  const read = new Map(Object.entries(positions).map(([column, index]) => [index, column]));
  const ignoredColumns = cells.flatMap((cell, index) => {
    if (read.has(index)) return [];
    const column = columnNamed(cell);
    if (cell.trim() === "") return [`column ${index + 1} (no name)`];
    if (column === undefined) return [cell.trim()];
    return [
      `${cell.trim()} (column ${index + 1}; ${column} is read from column ${positions[column]! + 1})`,
    ];
  });
  return { hasHeader: true, positions, headerCells: cells, ignoredColumns };
}

/**
 * The first record is a header when one of its cells names the domain column. A first record
 * whose first cell is not a domain and which starts with `#` or names other known columns is a
 * header without a domain column: refused, rather than read as data that would import nothing
 * but problems, or a row blocking the TLD `host`.
 */
export function readHeader(cells: string[]): HeaderReading {
  if (cells.some((cell) => columnNamed(cell) === "domain")) {
    return { kind: "header", layout: layoutFromHeader(cells) };
  }
  const first = cells[0] ?? "";
  const looksLikeHeader =
    !normalizeDomain(first).ok &&
    (first.trim().startsWith("#") || cells.some((cell) => columnNamed(cell) !== undefined));
  if (looksLikeHeader) {
    return {
      kind: "no_domain_column",
      message: `line 1 looks like a header (${cells.map((cell) => cell.trim()).join(",")}) but has no domain column: name it "#domain" or "domain"`,
    };
  }
  return { kind: "data" };
}

/**
 * A file without a header: the first column is the domain and the second the severity when the
 * cell is a severity word (otherwise the row takes the default severity, with a warning). Other
 * columns are ignored, because nothing says what they mean (fyrfli's `domain,suspend,true,true,true`
 * could be reject_media, reject_reports and obfuscate, or something else); a header names them.
 */
export const HEADERLESS_LAYOUT: ColumnLayout = {
  hasHeader: false,
  positions: { domain: 0, severity: 1 },
  headerCells: [],
  ignoredColumns: [],
};

export function ignoredHeaderlessColumns(widestRecord: number): string[] {
  if (widestRecord <= 2) return [];
  if (widestRecord === 3) return ["column 3"];
  return [`columns 3-${widestRecord}`];
}

/**
 * The columns a caller may name for a file without a header (`columns=`, `--columns`): the
 * header names, in the order of Mastodon's export. An empty name skips its column.
 */
export const MAPPABLE_COLUMNS: readonly EntryColumn[] = [
  "domain",
  "severity",
  "reject_media",
  "reject_reports",
  "public_comment",
  "obfuscate",
  "private_comment",
];

/** One name per file column, `null` for a column left unread. */
export type ColumnMapping = (EntryColumn | null)[];

export type MappingReading = { ok: true; mapping: ColumnMapping } | { ok: false; message: string };

/**
 * Reads `domain,severity,,reject_media` (names compared as header names are, without aliases):
 * every name known, none twice, the domain named.
 */
export function readColumnMapping(written: string): MappingReading {
  const names = written.split(",").map((name) => headerKey(name));
  const mapping: ColumnMapping = [];
  const seen = new Map<EntryColumn, number>();
  for (const [index, name] of names.entries()) {
    if (name === "") {
      mapping.push(null);
      continue;
    }
    const column = MAPPABLE_COLUMNS.find((known) => known === name);
    if (column === undefined) {
      return {
        ok: false,
        message: `"${name}" (column ${index + 1}) is not a column name: use ${MAPPABLE_COLUMNS.join(", ")}, or leave it empty to skip the column`,
      };
    }
    const earlier = seen.get(column);
    if (earlier !== undefined) {
      return {
        ok: false,
        message: `${column} is named twice (columns ${earlier + 1} and ${index + 1})`,
      };
    }
    seen.set(column, index);
    mapping.push(column);
  }
  if (!seen.has("domain")) {
    return { ok: false, message: "no column is named domain" };
  }
  return { ok: true, mapping };
}

/** The layout of a file without a header whose columns the caller named. */
export function mappedLayout(mapping: ColumnMapping): ColumnLayout {
  const positions: Partial<Record<EntryColumn, number>> = {};
  mapping.forEach((column, index) => {
    if (column !== null) positions[column] = index;
  });
  const ignoredColumns = mapping.flatMap((column, index) =>
    column === null ? [`column ${index + 1}`] : [],
  );
  return { hasHeader: false, mapped: true, positions, headerCells: [], ignoredColumns };
}

/** The columns read, in file order. */
export function columnsRead(layout: ColumnLayout): EntryColumn[] {
  return (Object.entries(layout.positions) as [EntryColumn, number][])
    .sort(([, a], [, b]) => a - b)
    .map(([column]) => column);
}
