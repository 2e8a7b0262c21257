// The fields of a domain block as Mastodon names them, shared by the feed, the plan and the
// targets, and Mastodon's order of strictness between two blocks.

export const SEVERITIES = ["suspend", "silence", "noop"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the sync writes to a block, and what its marker hash covers. */
export interface BlockFields {
  severity: Severity;
  reject_media: boolean;
  reject_reports: boolean;
  public_comment: string;
  obfuscate: boolean;
}

/** A block the list wants on the target. */
export interface DesiredBlock extends BlockFields {
  domain: string;
}

/** A block as the target holds it. */
export interface TargetBlock extends BlockFields {
  id: string;
  domain: string;
  private_comment: string;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

export function blockFields(block: BlockFields): BlockFields {
  return {
    severity: block.severity,
    reject_media: block.reject_media,
    reject_reports: block.reject_reports,
    public_comment: block.public_comment,
    obfuscate: block.obfuscate,
  };
}

export function sameFields(a: BlockFields, b: BlockFields): boolean {
  return (
    a.severity === b.severity &&
    a.reject_media === b.reject_media &&
    a.reject_reports === b.reject_reports &&
    a.public_comment === b.public_comment &&
    a.obfuscate === b.obfuscate
  );
}

const RANK: Record<Severity, number> = { noop: 0, silence: 1, suspend: 2 };

/**
 * Whether a parent domain's block already restricts a subdomain at least as much as `child`
 * would: Mastodon's order (suspend > silence > noop), then `reject_media`/`reject_reports` as
 * supersets. This is Mastodon's `DomainBlock#stricter_than?` negated, except that a suspension
 * under a suspended parent counts as covered (Mastodon would accept it, but it changes nothing).
 */
export function covers(parent: BlockFields, child: BlockFields): boolean {
  if (RANK[parent.severity] !== RANK[child.severity]) {
    return RANK[parent.severity] > RANK[child.severity];
  }
  if (parent.severity === "suspend") return true;
  return (
    (parent.reject_media || !child.reject_media) && (parent.reject_reports || !child.reject_reports)
  );
}

/** How a block reads in a report: `silence, reject media`. */
export function describeFields(fields: BlockFields): string {
  const parts: string[] = [fields.severity];
  if (fields.reject_media) parts.push("reject media");
  if (fields.reject_reports) parts.push("reject reports");
  if (fields.obfuscate) parts.push("obfuscated");
  return parts.join(", ");
}
