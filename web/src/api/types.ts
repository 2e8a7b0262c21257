// The shapes the service answers, inferred from the server's answer schemas (server/<domain>/*.schema.ts;
// live at /api/openapi.json) through type-only imports: no zod reaches the bundle.

// The fixed vocabularies are the server's own (plain constants, no server code in the bundle), so
// the forms offer exactly what the API accepts.

export { ROLES, SCOPES, type Role, type Scope } from "../../../server/accounts/actor.js";
export { SEVERITIES, TAGS, type Severity, type Tag } from "../../../server/lists/vocabulary.js";

export {
  PROPOSAL_STATUSES,
  type ProposalKind,
  type ProposalStatus,
  type VoteValue,
} from "../../../server/proposals/vocabulary.js";

/** The caller, an account and a token as the API answers them: the server's schemas. */
export type {
  InstanceRef,
  MeAnswer as Me,
  AccountAnswer as Account,
  TokenAnswer as ApiToken,
} from "../../../server/accounts/account.schema.js";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A list as the API answers it: the server's schema (server/lists/list.schema.ts). */
export type {
  PolicyView as Policy,
  ListViewSchema as BlockList,
  EntryHistoryView as EntryHistory,
} from "../../../server/lists/list.schema.js";

/** An entry as the API answers it: the server's schema (server/entries/entry.schema.ts). */
import type { EntryViewSchema } from "../../../server/entries/entry.schema.js";
export type Entry = EntryViewSchema;

export type { TallyView as Tally } from "../../../server/proposals/proposal.schema.js";

/** A proposal as the API answers it: the server's schema (server/proposals/proposal.schema.ts). */
export type {
  ProposedFieldsView as ProposedFields,
  MyVoteView as MyVote,
  ProposalSummaryView as ProposalSummary,
  ProposalDetailView as ProposalDetail,
  ProposalHistoryItemView as ProposalHistoryItem,
} from "../../../server/proposals/proposal.schema.js";

/** An audit event and a member instance as the API answers them: the server's schemas. */
export type { AuditEventAnswer as AuditEvent } from "../../../server/audit/audit.schema.js";
export type {
  InstanceAnswer as Instance,
  ListedMemberAnswer as ListedMember,
} from "../../../server/instances/instance.schema.js";

/** The import's answer is the server's schema (server/imports/import.schema.ts). */
export type { ImportAnswer, ImportIssue } from "../../../server/imports/import.schema.js";

/** A subscription as the API answers it: the server's schema. */
export type { SubscriptionAnswer as Subscription } from "../../../server/subscriptions/subscription.schema.js";

/** "Waiting for your vote" is the server's schema (server/proposals/awaiting.schema.ts). */
export type { AwaitingProposal, AwaitingView } from "../../../server/proposals/awaiting.schema.js";
export interface FeedTokenStatus {
  active: boolean;
  createdAt: string | null;
}
export interface IssuedFeedToken {
  token: string;
  url: string;
  createdAt: string;
}

/** Appeals' answers are the server's schemas (server/appeals/appeal.schema.ts). */
export type {
  AppealView,
  CreatedAppealView as CreatedAppeal,
} from "../../../server/appeals/appeal.schema.js";
/** The listed domain's appeal behind an appeal's proposal, as members see it. */
export type ProposalAppeal = NonNullable<
  import("../../../server/proposals/proposal.schema.js").ProposalDetailView["appeal"]
>;
