// The export filters of SPEC §4: ?min_severity=, ?tag= (repeatable, or comma-separated: any of
// them), and ?part=N for lists larger than Mastodon's 20,000-row import limit.
import { z } from "zod";
import { SEVERITIES, TAGS, type Severity, type Tag } from "../lists/vocabulary.js";

export const PART_ROWS = 20_000;

export interface ExportQuery {
  minSeverity: Severity | null;
  tags: Tag[];
  part: number | null;
}

const oneOrMany = z.union([z.string(), z.array(z.string())]);

export const exportQuery = z
  .object({
    min_severity: z
      .string()
      .transform((text) => text.trim().toLowerCase())
      .pipe(z.enum(SEVERITIES, { error: "expected suspend, silence or noop" }))
      .optional(),
    tag: oneOrMany
      .transform((value) =>
        [
          ...new Set(
            (Array.isArray(value) ? value : [value])
              .flatMap((text) => text.split(","))
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ].sort(),
      )
      .pipe(z.array(z.enum(TAGS, { error: `expected tags among ${TAGS.join(", ")}` })))
      .optional()
      .describe("any of these tags (repeat the parameter or separate with commas)"),
    part: z.coerce
      .number({ error: "expected a part number: 1, 2, …" })
      .int("expected a part number: 1, 2, …")
      .min(1, "expected a part number: 1, 2, …")
      .optional()
      .describe(`part N of the export, ${PART_ROWS} rows each (Mastodon refuses larger files)`),
  })
  .transform((query): ExportQuery => ({
    minSeverity: query.min_severity ?? null,
    tags: (query.tag ?? []) as Tag[],
    part: query.part ?? null,
  }));

/** URLSearchParams → the shape Express's simple query parser gives (repeated keys as arrays). */
export function queryObject(search: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = result[key];
    result[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return result;
}
