// An entry as a FIRES recommendation, after fires-server's own importer
// (components/fires-server/app/services/import_file_service.ts, calculatePolicy): suspend →
// `drop`; silence → `filter`; noop → `accept`, or `filter` when it rejects media or reports.
// Where the reference leaves `recommendedFilters` empty, this service names the filters FIRES
// defines for what the entry does (docs/concepts/filters.md): docs/decisions/0022-fires-mapping.md.
import type { BlockFields } from "../entries/vocabulary.js";

export type RecommendedPolicy = "accept" | "filter" | "reject" | "drop";

/** Mastodon's silence ("limit") decomposed into FIRES filters. */
export const SILENCE_FILTERS = ["auto-unlisted", "prevent-trending", "prevent-recommendations"];

export function recommendationOf(entry: BlockFields): {
  recommendedPolicy: RecommendedPolicy;
  recommendedFilters: string[];
} {
  if (entry.severity === "suspend") return { recommendedPolicy: "drop", recommendedFilters: [] };
  const filters = entry.severity === "silence" ? [...SILENCE_FILTERS] : [];
  if (entry.rejectMedia) filters.push("reject-media");
  if (entry.rejectReports) filters.push("reject-reports");
  return filters.length === 0
    ? { recommendedPolicy: "accept", recommendedFilters: [] }
    : { recommendedPolicy: "filter", recommendedFilters: filters };
}
