// The shapes the service answers (server/http/routes/*.routes.ts; live at /api/openapi.json).

// The fixed vocabularies are the server's own (plain constants, no server code in the bundle), so
// the forms offer exactly what the API accepts.
import type { Role, Scope } from "../../../server/accounts/actor.js";
import type { Severity, Tag } from "../../../server/lists/vocabulary.js";
import type { TallyView as Tally } from "../../../server/proposals/proposal.schema.js";
import type { ProposalKind, ProposalStatus } from "../../../server/proposals/vocabulary.js";

export { ROLES, SCOPES, type Role, type Scope } from "../../../server/accounts/actor.js";
export { SEVERITIES, TAGS, type Severity, type Tag } from "../../../server/lists/vocabulary.js";

export {
  PROPOSAL_STATUSES,
  type ProposalKind,
  type ProposalStatus,
  type VoteValue,
} from "../../../server/proposals/vocabulary.js";

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
  revisedAt?: string;
}

/** An entry as the API answers it: the server's schema (server/entries/entry.schema.ts). */
import type { EntryViewSchema } from "../../../server/entries/entry.schema.js";
export type Entry = EntryViewSchema;

export type { TallyView as Tally } from "../../../server/proposals/proposal.schema.js";

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

/** A proposal as the API answers it: the server's schema (server/proposals/proposal.schema.ts). */
export type {
  ProposedFieldsView as ProposedFields,
  MyVoteView as MyVote,
  ProposalSummaryView as ProposalSummary,
  ProposalDetailView as ProposalDetail,
  ProposalHistoryItemView as ProposalHistoryItem,
} from "../../../server/proposals/proposal.schema.js";

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
  createdAt: string;
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
