// Closing a proposal: applying a passed one to the list in the same transaction as the vote
// (or decision, or timer) that passed it, or recording its rejection.
import type { AuditActor } from "../audit/audit.service.js";
import { recordAudit } from "../audit/audit.service.js";
import { registerProposalChange } from "../db/changes.js";
import type { Tx } from "../db/client.js";
import {
  DEFAULT_FIELDS,
  entryInclude,
  snapshotOf,
  type EntryFields,
} from "../lists/entry-fields.js";
import { nextRevision, removeEntry, writeEntry } from "../lists/entry-writes.js";
import type { SeverityRule } from "../lists/policy.js";
import {
  SCALAR_FIELDS,
  type EntryScalars,
  type ScalarField,
  type Severity,
  type Tag,
} from "../lists/vocabulary.js";
import { chooseSeverity, tallyVotes, verdict, type CastVote } from "./tally.js";

/** A proposal's tags and evidence are read like an entry's. */
export const proposalInclude = entryInclude;

/** A proposal's scalar columns: the field it sets, or null where it sets none. */
type ProposedColumns = {
  [F in ScalarField]: (F extends "severity" ? string : EntryScalars[F]) | null;
};

/** The columns of a proposal that sets `fields`. */
export function proposalColumns(fields: Partial<EntryFields>) {
  const columns = {} as Record<ScalarField, unknown>;
  for (const field of SCALAR_FIELDS) columns[field] = fields[field] ?? null;
  return {
    ...(columns as ProposedColumns),
    setsTags: fields.tags !== undefined,
    setsEvidence: fields.evidence !== undefined,
  };
}

export interface ProposalRow extends ProposedColumns {
  id: number;
  listId: number;
  kind: string;
  domain: string;
  status: string;
  reason: string;
  setsTags: boolean;
  setsEvidence: boolean;
  quorum: number;
  thresholdPercent: number;
  minOpenHours: number;
  severityRule: string;
  openedAt: Date;
  closesAt: Date;
  tags: { tag: string }[];
  evidence: { url: string; position: number }[];
}

/** The fields a proposal sets, and only those. */
export function proposedFields(proposal: ProposalRow): Partial<EntryFields> {
  const fields: Partial<EntryFields> = {};
  for (const field of SCALAR_FIELDS) {
    if (proposal[field] !== null) (fields as Record<string, unknown>)[field] = proposal[field];
  }
  if (proposal.setsTags) fields.tags = proposal.tags.map((t) => t.tag as Tag);
  if (proposal.setsEvidence)
    fields.evidence = [...proposal.evidence]
      .sort((a, b) => a.position - b.position)
      .map((e) => e.url);
  return fields;
}

async function votesOf(tx: Tx, proposalId: number): Promise<CastVote[]> {
  const rows = await tx.vote.findMany({
    where: { proposalId },
    select: { vote: true, severity: true },
  });
  return rows.map((row) => ({
    vote: row.vote as CastVote["vote"],
    severity: row.severity as Severity | null,
  }));
}

/** Applies a passed proposal to its list: a new revision, the entry written or removed. */
async function applyProposal(tx: Tx, proposal: ProposalRow, votes: CastVote[], now: Date) {
  const revision = await nextRevision(tx, proposal.listId, now);
  if (proposal.kind === "remove") {
    const removed = await removeEntry(tx, {
      listId: proposal.listId,
      revision,
      domain: proposal.domain,
      now,
      comment: proposal.reason,
    });
    return { appliedSeverity: null, before: removed, after: null };
  }
  const current = await tx.entry.findUnique({
    where: { listId_domain: { listId: proposal.listId, domain: proposal.domain } },
    include: entryInclude,
  });
  const base: EntryFields = current
    ? snapshotOf(current)
    : { severity: "suspend", ...DEFAULT_FIELDS };
  const fields = { ...base, ...proposedFields(proposal) };
  if (proposal.severity !== null) {
    fields.severity = chooseSeverity(
      proposal.severity as Severity,
      votes,
      proposal.severityRule as SeverityRule,
    );
  }
  const written = await writeEntry(tx, {
    listId: proposal.listId,
    revision,
    domain: proposal.domain,
    fields,
    proposalId: proposal.id,
    now,
  });
  return {
    appliedSeverity: proposal.severity !== null ? fields.severity : null,
    before: written.before,
    after: written.after,
  };
}

export type Outcome = "passed" | "rejected";

/** Closes an open proposal with an outcome; a passed one is applied to the list first. */
export async function closeProposal(
  tx: Tx,
  who: AuditActor,
  proposal: ProposalRow,
  outcome: Outcome,
  now: Date,
  decision?: { accountId: number; reason: string },
): Promise<void> {
  registerProposalChange(tx, proposal.id);
  const votes = await votesOf(tx, proposal.id);
  const applied = outcome === "passed" ? await applyProposal(tx, proposal, votes, now) : null;
  await tx.proposal.update({
    where: { id: proposal.id },
    data: {
      status: outcome,
      openDomain: null,
      closedAt: now,
      appliedSeverity: applied?.appliedSeverity ?? null,
      ...(decision
        ? { decidedByAccountId: decision.accountId, decisionReason: decision.reason }
        : {}),
    },
  });
  await recordAudit(tx, who, {
    at: now,
    action: decision ? `proposal.decided.${outcome}` : `proposal.${outcome}`,
    listId: proposal.listId,
    subject: proposal.domain,
    before: applied?.before ?? undefined,
    after: {
      proposal: proposal.id,
      kind: proposal.kind,
      tally: tallyVotes(votes),
      ...(decision ? { reason: decision.reason } : {}),
      ...(applied?.after ? { entry: applied.after } : {}),
    },
  });
}

/** Passes or rejects an open proposal if its votes and the time say so. */
export async function closeIfDecided(
  tx: Tx,
  who: AuditActor,
  proposal: ProposalRow,
  now: Date,
): Promise<Outcome | "open"> {
  if (proposal.status !== "open") return "open";
  const state = verdict(proposal, tallyVotes(await votesOf(tx, proposal.id)), now);
  if (state === "open") return "open";
  const outcome = state === "passes" ? "passed" : "rejected";
  await closeProposal(tx, who, proposal, outcome, now);
  return outcome;
}
