// The rules of a vote (SPEC §2), as pure functions of the votes, the policy the proposal was
// opened under, and the time.
import { meetsThreshold, type SeverityRule } from "../lists/policy.js";
import { severityRank, type Severity } from "../lists/vocabulary.js";

import type { VoteValue } from "./vocabulary.js";

export type { VoteValue };

export interface CastVote {
  vote: VoteValue;
  severity: Severity | null;
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
}

export function tallyVotes(votes: Pick<CastVote, "vote">[]): Tally {
  const tally: Tally = { yes: 0, no: 0, abstain: 0 };
  for (const { vote } of votes) tally[vote] += 1;
  return tally;
}

export interface VotingTerms {
  quorum: number;
  thresholdPercent: number;
  minOpenHours: number;
  openedAt: Date;
  closesAt: Date;
}

export const passableAt = (terms: Pick<VotingTerms, "openedAt" | "minOpenHours">): Date =>
  new Date(terms.openedAt.getTime() + terms.minOpenHours * 3_600_000);

/**
 * A proposal passes as soon as it has been open `minOpenHours`, yes + no reaches the quorum and
 * the threshold holds; it is rejected when its window closes without passing.
 *
 * At or after `closesAt`, `tally` must be the votes cast before the window closed (later ones
 * are refused), and the verdict is the one the window's end gave: it passes only if it was
 * passable by then. A proposal whose `minOpenHours` equals its window is decided at its end.
 */
export function verdict(
  terms: VotingTerms,
  tally: Tally,
  now: Date,
): "passes" | "rejected" | "open" {
  const decisive = tally.yes + tally.no;
  const carried =
    decisive >= terms.quorum && meetsThreshold(tally.yes, tally.no, terms.thresholdPercent);
  const windowClosed = now >= terms.closesAt;
  const at = windowClosed ? terms.closesAt : now;
  if (carried && at >= passableAt(terms)) return "passes";
  if (windowClosed) return "rejected";
  return "open";
}

/** The severity the yes votes choose, and under `majority` the severities that tied for most. */
export interface SeverityChoice {
  severity: Severity;
  /** Two or more severities with the most yes votes (least strict first): the stricter won. */
  tiedWith: Severity[] | null;
}

/**
 * The severity a passing proposal applies: among the yes votes (a yes without a severity counts
 * for the proposed one), the most common (ties to the stricter) under `majority`, or the
 * strictest under `strictest`.
 */
export function severityChoice(
  proposed: Severity,
  votes: CastVote[],
  rule: SeverityRule,
): SeverityChoice {
  const chosen = votes.filter((v) => v.vote === "yes").map((v) => v.severity ?? proposed);
  if (chosen.length === 0) return { severity: proposed, tiedWith: null };
  const stricter = (a: Severity, b: Severity) => (severityRank(a) >= severityRank(b) ? a : b);
  if (rule === "strictest") return { severity: chosen.reduce(stricter), tiedWith: null };
  const counts = new Map<Severity, number>();
  for (const severity of chosen) counts.set(severity, (counts.get(severity) ?? 0) + 1);
  let best: Severity = chosen[0]!;
  for (const [severity, count] of counts) {
    const bestCount = counts.get(best)!;
    if (count > bestCount || (count === bestCount && severityRank(severity) > severityRank(best))) {
      best = severity;
    }
  }
  const tied = [...counts]
    .filter(([, count]) => count === counts.get(best))
    .map(([severity]) => severity)
    .sort((a, b) => severityRank(a) - severityRank(b));
  return { severity: best, tiedWith: tied.length > 1 ? tied : null };
}

export const chooseSeverity = (proposed: Severity, votes: CastVote[], rule: SeverityRule) =>
  severityChoice(proposed, votes, rule).severity;
