// How a proposal reads in a list and on its page: its title, its time left, its severity.
import type { ProposalSummary } from "../api/types.js";
import { SeverityBadge } from "./Badges.js";
import { RelativeTime } from "./RelativeTime.js";
import { domainLabel } from "../idn.js";

const VERBS = { add: "Add", change: "Change", remove: "Remove" } as const;

export const proposalTitle = (proposal: Pick<ProposalSummary, "kind" | "domain">) =>
  `${VERBS[proposal.kind]} ${domainLabel(proposal.domain)}`;

export function TimeLeft({ proposal }: { proposal: ProposalSummary }) {
  if (proposal.status !== "open") {
    return proposal.closedAt ? (
      <RelativeTime at={proposal.closedAt} prefix={`${proposal.status}`} />
    ) : (
      <>{proposal.status}</>
    );
  }
  const passable = new Date(proposal.passableAt).getTime() > Date.now();
  return (
    <>
      <RelativeTime at={proposal.closesAt} prefix="closes" />
      {passable && (
        <>
          {" "}
          · cannot pass <RelativeTime at={proposal.passableAt} prefix="before" />
        </>
      )}
    </>
  );
}

export function ProposedSeverity({ proposal }: { proposal: ProposalSummary }) {
  const severity = proposal.appliedSeverity ?? proposal.severity;
  return severity ? <SeverityBadge severity={severity} /> : null;
}

/** Who opened a proposal: the member, or where a proposal no member made came from. */
export function proposedBy(proposal: Pick<ProposalSummary, "origin" | "proposer">): string {
  if (proposal.proposer) return `${proposal.proposer.username} @ ${proposal.proposer.instance}`;
  return proposal.origin === "appeal"
    ? "an appeal by the listed instance"
    : "an upstream source the list follows";
}
