// The three export formats of SPEC §4, byte for byte:
// - CSV exactly as Mastodon's admin import reads it (and GoToSocial's subscription parser:
//   always six fields), UTF-8 without BOM, LF, RFC 4180 quoting;
// - JSON with the same fields plus tags and updated_at (GoToSocial's JSON subscription format),
//   and review_at where the list sets review dates;
// - TXT, one domain per line.
import type { Severity } from "../lists/vocabulary.js";

export interface ExportRow {
  domain: string;
  severity: Severity;
  rejectMedia: boolean;
  rejectReports: boolean;
  publicComment: string;
  obfuscate: boolean;
  tags: string[];
  updatedAt: Date;
  /** When the entry is due for review under its list's policy, or null (docs/decisions/0032). */
  reviewAt: Date | null;
}

export const FORMATS = ["csv", "json", "txt"] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

export const CSV_HEADER =
  "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Punycode domains compared byte by byte (they are ASCII), not by locale. */
export const byDomain = (a: { domain: string }, b: { domain: string }) =>
  a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;

export function renderCsv(rows: ExportRow[]): string {
  const lines = [CSV_HEADER];
  for (const row of rows) {
    lines.push(
      [
        row.domain,
        row.severity,
        String(row.rejectMedia),
        String(row.rejectReports),
        csvField(row.publicComment),
        String(row.obfuscate),
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

export function renderJson(rows: ExportRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      domain: row.domain,
      severity: row.severity,
      reject_media: row.rejectMedia,
      reject_reports: row.rejectReports,
      public_comment: row.publicComment,
      obfuscate: row.obfuscate,
      tags: row.tags,
      updated_at: row.updatedAt.toISOString(),
      // The date itself, never "due": the bytes change only with a revision. Absent without one.
      ...(row.reviewAt ? { review_at: row.reviewAt.toISOString() } : {}),
    })),
  );
}

export function renderTxt(rows: ExportRow[]): string {
  return rows.map((row) => row.domain).join("\n") + (rows.length > 0 ? "\n" : "");
}

export function render(format: ExportFormat, rows: ExportRow[]): Buffer {
  const text =
    format === "csv" ? renderCsv(rows) : format === "json" ? renderJson(rows) : renderTxt(rows);
  return Buffer.from(text, "utf8");
}
