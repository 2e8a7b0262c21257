// A proposal's fixed words (SPEC §2), plain constants free of zod and database code, so that
// the web's forms and filters offer exactly what the API answers and accepts.
export const PROPOSAL_KINDS = ["add", "change", "remove"] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROPOSAL_STATUSES = ["open", "passed", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const VOTE_VALUES = ["yes", "no", "abstain"] as const;
export type VoteValue = (typeof VOTE_VALUES)[number];

/** The steps of a proposal's history (from its audit events). */
export const HISTORY_STEPS = [
  "opened",
  "voteCast",
  "voteChanged",
  "voteRetracted",
  "withdrawn",
  "passed",
  "rejected",
  "decided",
] as const;
export type HistoryAction = (typeof HISTORY_STEPS)[number];
