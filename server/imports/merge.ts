// How a direct import's row meets the entry already listed for its domain (issue 16 bug 5,
// docs/decisions/0026-import-merge-default.md): `replace` writes the file's cells, `max` keeps
// the stricter severity and flags, `min` the milder; both keep a comment the file leaves empty.
// Strictness is the entry vocabulary's (server/lists/vocabulary.ts), never compared here.
import { atLeast, atLeastAsStrict, type EntryScalars } from "../lists/vocabulary.js";

export const MERGES = ["max", "replace", "min"] as const;
export type Merge = (typeof MERGES)[number];

type Fields = Partial<EntryScalars>;

const FLAGS = ["rejectMedia", "rejectReports", "obfuscate"] as const;
const COMMENTS = ["publicComment", "privateComment"] as const;

/**
 * The fields a row writes onto `existing` (only those the file has): under `max` and `min` a
 * row may write nothing new, and then counts as already listed.
 */
export function mergeFields(existing: EntryScalars, file: Fields, merge: Merge): Fields {
  if (merge === "replace") return file;
  const merged: Fields = { ...file };
  if (file.severity !== undefined) {
    const fileWins = atLeast(file.severity, existing.severity) === (merge === "max");
    merged.severity = fileWins ? file.severity : existing.severity;
  }
  for (const flag of FLAGS) {
    const cell = file[flag];
    if (cell !== undefined)
      merged[flag] = merge === "max" ? cell || existing[flag] : cell && existing[flag];
  }
  for (const comment of COMMENTS) {
    if (file[comment] === "") merged[comment] = existing[comment];
  }
  return merged;
}

export interface Block {
  severity: EntryScalars["severity"];
  rejectMedia: boolean;
  rejectReports: boolean;
}

export interface Downgrade {
  line: number;
  domain: string;
  before: Block;
  after: Block;
}

export interface ErasedComment {
  line: number;
  domain: string;
  field: "public_comment" | "private_comment";
  before: string;
  after: string;
}

const blockOf = (fields: EntryScalars): Block => ({
  severity: fields.severity,
  rejectMedia: fields.rejectMedia,
  rejectReports: fields.rejectReports,
});

/** What writing `after` over `before` loses: a milder block, or a comment emptied. */
export function lossesOf(
  line: number,
  domain: string,
  before: EntryScalars,
  after: EntryScalars,
): { downgrade: Downgrade | null; erased: ErasedComment[] } {
  const downgrade = atLeastAsStrict(after, before)
    ? null
    : { line, domain, before: blockOf(before), after: blockOf(after) };
  const erased = COMMENTS.flatMap((comment): ErasedComment[] =>
    before[comment] !== "" && after[comment] === ""
      ? [
          {
            line,
            domain,
            field: comment === "publicComment" ? "public_comment" : "private_comment",
            before: before[comment],
            after: after[comment],
          },
        ]
      : [],
  );
  return { downgrade, erased };
}
