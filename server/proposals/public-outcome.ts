// What anyone may know of a closed proposal on a public list (SPEC §3: outcomes and counts,
// never who voted, never a private comment): used by the public Atom feed of decisions and by
// service-wide webhooks. Open proposals are members-only and have no public form.
import type { EntryFields } from "../lists/entry-fields.js";
import type { Tally } from "./tally.js";

export interface PublicOutcome {
  kind: string;
  domain: string;
  status: "passed" | "rejected" | "withdrawn";
  openedAt: string;
  closedAt: string;
  decidedBy: "votes" | "curator" | "proposer";
  tally: Tally;
  /**
   * The public reason: a passed removal's reason (the retraction's public comment, SPEC §2), a
   * passed addition's or change's proposed public comment; null for what did not pass (the
   * proposer's argument is members-only).
   */
  publicReason: string | null;
}

export interface ClosedProposal {
  kind: string;
  domain: string;
  status: string;
  reason: string;
  openedAt: Date;
  closedAt: Date | null;
  decidedByAccountId: number | null;
}

export const isClosedStatus = (status: string): status is PublicOutcome["status"] =>
  status === "passed" || status === "rejected" || status === "withdrawn";

/** The public form of a closed proposal, or null for an open one. */
export function publicOutcome(
  proposal: ClosedProposal,
  fields: Partial<EntryFields>,
  tally: Tally,
): PublicOutcome | null {
  if (!isClosedStatus(proposal.status) || !proposal.closedAt) return null;
  const passed = proposal.status === "passed";
  return {
    kind: proposal.kind,
    domain: proposal.domain,
    status: proposal.status,
    openedAt: proposal.openedAt.toISOString(),
    closedAt: proposal.closedAt.toISOString(),
    decidedBy:
      proposal.status === "withdrawn"
        ? "proposer"
        : proposal.decidedByAccountId !== null
          ? "curator"
          : "votes",
    tally,
    publicReason: !passed
      ? null
      : proposal.kind === "remove"
        ? proposal.reason
        : (fields.publicComment ?? null),
  };
}
