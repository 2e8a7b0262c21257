// A proposal's fixed words (SPEC §2), plain constants free of zod and database code, so that
// the web's forms and filters offer exactly what the API answers and accepts.
export const PROPOSAL_KINDS = ["add", "change", "remove"] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROPOSAL_STATUSES = ["open", "passed", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** member: opened by a member instance, which votes yes at once; source: from an upstream
 *  source the list follows; appeal: from the listed domain's verified appeal (ADR 0021). */
export const PROPOSAL_ORIGINS = ["member", "source", "appeal"] as const;
export type ProposalOrigin = (typeof PROPOSAL_ORIGINS)[number];

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
