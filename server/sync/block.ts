// The fields of a domain block as Mastodon names them, shared by the feed, the plan and the
// targets. Their order of strictness is the entry vocabulary's (server/entries/vocabulary.ts).
import {
  atLeastAsStrict as restrictsAtLeastAsMuch,
  isSeverity,
  mastodonStricterThan,
  SEVERITIES,
  type BlockFields as Restriction,
  type Severity,
} from "../entries/vocabulary.js";

export { isSeverity, SEVERITIES, type Severity };

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

const restriction = (block: BlockFields): Restriction => ({
  severity: block.severity,
  rejectMedia: block.reject_media,
  rejectReports: block.reject_reports,
});

/** Mastodon's `DomainBlock#stricter_than?` (see `mastodonStricterThan`). */
export const stricterThan = (block: BlockFields, other: BlockFields): boolean =>
  mastodonStricterThan(restriction(block), restriction(other));

/** SPEC §7.3's order (see the vocabulary's `atLeastAsStrict`). */
export const atLeastAsStrict = (parent: BlockFields, child: BlockFields): boolean =>
  restrictsAtLeastAsMuch(restriction(parent), restriction(child));

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
