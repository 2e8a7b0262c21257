// The fixed vocabularies of SPEC §2: Mastodon's severities and the documented tags.
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

/** Mastodon's order: suspend is the strictest, noop the mildest. */
const RANK: Record<Severity, number> = { suspend: 3, silence: 2, noop: 1 };

export const severityRank = (severity: Severity): number => RANK[severity];

/** True when `severity` is at least as strict as `minimum`. */
export const atLeast = (severity: Severity, minimum: Severity): boolean =>
  RANK[severity] >= RANK[minimum];

export interface BlockFields {
  severity: Severity;
  rejectMedia: boolean;
  rejectReports: boolean;
}

/**
 * Compares two blocks the way Mastodon's `stricter_than?` does: severity first, then the
 * reject flags as supersets. Positive when `a` is stricter, negative when `b` is, 0 when equal
 * or incomparable at the same severity.
 */
export function compareStrictness(a: BlockFields, b: BlockFields): number {
  const bySeverity = RANK[a.severity] - RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  const flags = (x: BlockFields) => Number(x.rejectMedia) + Number(x.rejectReports);
  return flags(a) - flags(b);
}
