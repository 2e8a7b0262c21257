// The one vocabulary of an entry (SPEC §2), free of database code so that the sync may load it:
// Mastodon's severities and their order of strictness, the documented tags, and the entry's
// scalar fields with their kinds, their column names in files and their defaults. The bulk SQL,
// the import's comparison, `writeEntry`, the proposal columns and the web's types derive from it.
export const SEVERITIES = ["suspend", "silence", "noop"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TAGS = [
  "hate-speech",
  "harassment",
  "spam",
  "csam",
  "disinformation",
  "no-moderation",
  "corporate",
  "other",
] as const;
export type Tag = (typeof TAGS)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * The fields of an entry that are single values (tags and evidence are lists), in the order
 * forms and proposals show them, with their kind (the SQL column type) and their name as a file
 * column (Mastodon's CSV, FediBlockHole) and on a target (Mastodon's API).
 */
export const SCALAR_FIELD_SPEC = {
  severity: { kind: "text", column: "severity" },
  rejectMedia: { kind: "boolean", column: "reject_media" },
  rejectReports: { kind: "boolean", column: "reject_reports" },
  obfuscate: { kind: "boolean", column: "obfuscate" },
  publicComment: { kind: "text", column: "public_comment" },
  privateComment: { kind: "text", column: "private_comment" },
} as const;

export type ScalarField = keyof typeof SCALAR_FIELD_SPEC;
export const SCALAR_FIELDS = Object.keys(SCALAR_FIELD_SPEC) as ScalarField[];

/** The scalar fields' values: the severity, booleans for the flags, text for the comments. */
export type EntryScalars = {
  [F in ScalarField]: F extends "severity"
    ? Severity
    : (typeof SCALAR_FIELD_SPEC)[F]["kind"] extends "boolean"
      ? boolean
      : string;
};

/** What a new entry has where nothing sets a field (its severity is always given). */
export const SCALAR_DEFAULTS: Omit<EntryScalars, "severity"> = {
  rejectMedia: false,
  rejectReports: false,
  obfuscate: false,
  publicComment: "",
  privateComment: "",
};

// --- Strictness -------------------------------------------------------------------------------

/** Mastodon's order: suspend is the strictest, noop the mildest. */
const RANK: Record<Severity, number> = { suspend: 3, silence: 2, noop: 1 };

export const severityRank = (severity: Severity): number => RANK[severity];

/** True when `severity` is at least as strict as `minimum`. */
export const atLeast = (severity: Severity, minimum: Severity): boolean =>
  RANK[severity] >= RANK[minimum];

/** What strictness is about: the severity and the two reject flags. */
export interface BlockFields {
  severity: Severity;
  rejectMedia: boolean;
  rejectReports: boolean;
}

/** Whether `a` rejects media and reports wherever `b` does. */
const flagsCover = (a: BlockFields, b: BlockFields): boolean =>
  (a.rejectMedia || !b.rejectMedia) && (a.rejectReports || !b.rejectReports);

/**
 * Compares two blocks for the merged feed: severity first, then the number of reject flags.
 * Positive when `a` is stricter, negative when `b` is, 0 when equal or incomparable at the same
 * severity.
 */
export function compareStrictness(a: BlockFields, b: BlockFields): number {
  const bySeverity = RANK[a.severity] - RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  const flags = (x: BlockFields) => Number(x.rejectMedia) + Number(x.rejectReports);
  return flags(a) - flags(b);
}

/**
 * SPEC §7.3's order: whether `a` restricts at least as much as `b` (suspend > silence > noop,
 * then the reject flags as supersets). Equal blocks qualify.
 */
export function atLeastAsStrict(a: BlockFields, b: BlockFields): boolean {
  if (a.severity === "suspend") return true;
  if (a.severity !== b.severity) return RANK[a.severity] > RANK[b.severity];
  return flagsCover(a, b);
}

/**
 * Mastodon's `DomainBlock#stricter_than?`: whether `a` restricts a domain more than `b` does in
 * some way. A suspension always is; otherwise a milder severity never is, and at a stricter or
 * equal one the reject flags must each be at least as strict. Equal blocks count as stricter,
 * as in Mastodon.
 */
export function mastodonStricterThan(a: BlockFields, b: BlockFields): boolean {
  if (a.severity === "suspend") return true;
  if (RANK[a.severity] < RANK[b.severity]) return false;
  return flagsCover(a, b);
}
