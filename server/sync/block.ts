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

/**
 * Mastodon's `DomainBlock#stricter_than?`: whether `block` restricts a domain more than `other`
 * does in some way. A suspension always is; otherwise severity decides (suspend > silence > noop),
 * then `reject_media`/`reject_reports` must each be at least as strict. Equal blocks count as
 * stricter, as in Mastodon.
 */
export function stricterThan(block: BlockFields, other: BlockFields): boolean {
  if (block.severity === "suspend") return true;
  if (other.severity === "suspend") return false;
  if (other.severity === "silence" && block.severity === "noop") return false;
  return (
    (block.reject_media || !other.reject_media) && (block.reject_reports || !other.reject_reports)
  );
}

const RANK: Record<BlockFields["severity"], number> = { noop: 0, silence: 1, suspend: 2 };

/**
 * SPEC §7.3's order: whether `parent` restricts at least as much as `child` (suspend > silence >
 * noop, then `reject_media`/`reject_reports` as supersets). Equal blocks qualify.
 */
export function atLeastAsStrict(parent: BlockFields, child: BlockFields): boolean {
  if (parent.severity === "suspend") return true;
  if (RANK[parent.severity] !== RANK[child.severity]) {
    return RANK[parent.severity] > RANK[child.severity];
  }
  return (
    (parent.reject_media || !child.reject_media) && (parent.reject_reports || !child.reject_reports)
  );
}

/**
 * Whether a parent domain's block already covers a subdomain's `child` block, so that the child
 * is not created: when the parent is equally or more strict (SPEC §7.3; a child block would
 * only repeat it), and whenever Mastodon would refuse the child (422 `existing_domain_block`,
 * when it is not `stricterThan` the parent), so that no run POSTs what can never be created.
 */
export function covers(parent: BlockFields, child: BlockFields): boolean {
  return atLeastAsStrict(parent, child) || !stricterThan(child, parent);
}

/** How a block reads in a report: `silence, reject media`. */
export function describeFields(fields: BlockFields): string {
  const parts: string[] = [fields.severity];
  if (fields.reject_media) parts.push("reject media");
  if (fields.reject_reports) parts.push("reject reports");
  if (fields.obfuscate) parts.push("obfuscated");
  return parts.join(", ");
}
