// Small labels: severities (with what they do), proposal statuses, votes, tags.
import type { ProposalStatus, Severity, Tag, VoteValue } from "../api/types.js";

export const SEVERITY_HELP: Record<Severity, { label: string; effect: string }> = {
  suspend: { label: "Suspend", effect: "defederate: no contact with the domain at all" },
  silence: { label: "Silence", effect: "limit: its posts are hidden unless followed" },
  noop: { label: "No-op", effect: "no limit; only reject media or reports, as flagged" },
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`badge badge--${severity}`} title={SEVERITY_HELP[severity].effect}>
      {severity}
    </span>
  );
}

export function StatusBadge({ status }: { status: ProposalStatus }) {
  return <span className={`badge badge--${status}`}>{status}</span>;
}

export function VoteBadge({ vote }: { vote: VoteValue }) {
  return <span className={`badge badge--${vote}`}>{vote}</span>;
}

export function Tags({ tags, label = "Tags" }: { tags: Tag[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag} className="tag">
          {tag}
        </li>
      ))}
    </ul>
  );
}

/** The reject flags of an entry as words ("rejects media, reports"). */
export function flagsText(entry: {
  rejectMedia?: boolean | undefined;
  rejectReports?: boolean | undefined;
  obfuscate?: boolean | undefined;
}): string {
  const flags = [
    entry.rejectMedia ? "rejects media" : null,
    entry.rejectReports ? "rejects reports" : null,
    entry.obfuscate ? "obfuscated in public" : null,
  ].filter(Boolean);
  return flags.join(", ");
}
