// The shapes the service answers (server/http/routes/*.routes.ts; live at /api/openapi.json).

// The fixed vocabularies are the server's own (plain constants, no server code in the bundle), so
// the forms offer exactly what the API accepts.
import type { Role, Scope } from "../../../server/accounts/actor.js";
import type { EntryScalars, Severity, Tag } from "../../../server/lists/vocabulary.js";

export { ROLES, SCOPES, type Role, type Scope } from "../../../server/accounts/actor.js";
export { SEVERITIES, TAGS, type Severity, type Tag } from "../../../server/lists/vocabulary.js";

export type VoteValue = "yes" | "no" | "abstain";
export type ProposalKind = "add" | "change" | "remove";
export const PROPOSAL_STATUSES = ["open", "passed", "rejected", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface InstanceRef {
  domain: string;
  name: string;
}

export interface Me {
  account: { username: string; role: Role; mustChangePassword: boolean };
  instance: InstanceRef | null;
  csrfToken?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Policy {
  quorum: number;
  threshold: number;
  votingDays: number;
  minOpenHours: number;
  severityRule: "majority" | "strictest";
  publicEvidence: boolean;
  allowBroad: boolean;
}

export interface BlockList {
  slug: string;
  name: string;
  description: string;
  visibility: "public" | "members";
  policy: Policy;
  revision: number;
  counts: {
    entries: number;
    suspend: number;
    silence: number;
    noop: number;
    openProposals: number;
  };
  /** Set while the list is archived: read-only, its exports keep its last revision. */
  archivedAt: string | null;
  revisedAt?: string;
}

/** An entry as the API answers it: the server's schema (server/entries/entry.schema.ts). */
import type { EntryViewSchema } from "../../../server/entries/entry.schema.js";
export type Entry = EntryViewSchema;

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
}

export interface EntryHistory {
  listed: boolean;
  entry: Entry | null;
  changes: { revision: number; action: "added" | "changed" | "removed"; at: string }[];
  proposals: {
    kind: ProposalKind;
    status: ProposalStatus;
    openedAt: string;
    closedAt: string | null;
    decidedBy: "votes" | "curator" | "proposer" | null;
    tally: Tally;
    id?: number;
    reason?: string;
  }[];
}

/** The entry fields a proposal may set (only those it sets are present). */
export interface ProposedFields extends Partial<EntryScalars> {
  tags?: Tag[];
  evidence?: string[];
}

export interface MyVote {
  vote: VoteValue;
  severity: Severity | null;
  comment: string;
  by: string;
}

export interface ProposalSummary extends ProposedFields {
  id: number;
  list: string;
  kind: ProposalKind;
  domain: string;
  status: ProposalStatus;
  reason: string;
  proposer: { username: string; instance: string };
  openedAt: string;
  passableAt: string;
  closesAt: string;
  closedAt: string | null;
  decision: { by: string; reason: string } | null;
  appliedSeverity: Severity | null;
  /** Under `majority`, the severities tied for most yes votes (least strict first), or null. */
  severityTie: Severity[] | null;
  policy: { quorum: number; threshold: number; minOpenHours: number; severityRule: string };
  tally: Tally;
  myVote: MyVote | null;
  canVote: boolean;
  canWithdraw: boolean;
}

export interface ProposalDetail extends ProposalSummary {
  current: (Omit<Entry, "createdAt" | "updatedAt"> & Partial<Entry>) | null;
  votes: {
    instance: string;
    username: string;
    vote: VoteValue;
    severity: Severity | null;
    comment: string;
    at: string;
  }[];
  comments: { id: number; username: string; instance: string | null; body: string; at: string }[];
  history: ProposalHistoryItem[];
}

/** One step of a proposal's history, oldest first; no actor: the service closed it on time. */
export interface ProposalHistoryItem {
  id: number;
  at: string;
  action:
    | "opened"
    | "voteCast"
    | "voteChanged"
    | "voteRetracted"
    | "withdrawn"
    | "passed"
    | "rejected"
    | "decided";
  actor?: string;
  instance?: string;
  vote?: VoteValue;
  previousVote?: VoteValue;
  severity?: Severity;
  comment?: string;
  outcome?: "passed" | "rejected";
  reason?: string;
  tally?: Tally;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: { username: string; instance: string | null } | null;
  action: string;
  list: string | null;
  subject: string;
  before: unknown;
  after: unknown;
}

export interface Instance {
  domain: string;
  name: string;
  accounts: number;
  /** On the public members page (the instance opted in). */
  listed: boolean;
  createdAt: string;
}

/** An instance on the public members page. */
export interface ListedMember {
  domain: string;
  name: string;
  memberSince: string;
}

export interface Account {
  username: string;
  role: Role;
  instance: InstanceRef | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/** The import's answer is the server's schema (server/imports/import.schema.ts). */
export type { ImportAnswer, ImportIssue } from "../../../server/imports/import.schema.js";

export interface Subscription {
  id: number | string;
  list: string;
  listName: string;
  minSeverity: Severity | null;
  tags: Tag[];
  exclude: string[];
  createdAt: string;
}
