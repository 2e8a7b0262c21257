// Proposals (SPEC §2): opening one (a member's: its instance votes yes at once; a source's or
// an appeal's: no proposer, no vote), reading them, withdrawing, a curator's decision, and the
// discussion.
import type { Actor, ActorInstance } from "../accounts/actor.js";
import { isCurator, requireInstance } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { Clock } from "../clock.js";
import type { AppContext } from "../context.js";
import { registerProposalChange } from "../db/changes.js";
import type { Tx } from "../db/client.js";
import { AppError, conflict, forbidden, invalid, notFound } from "../errors.js";
import { domainField } from "../instances/instances.service.js";
import {
  changedFields,
  ENTRY_FIELDS,
  entryInclude,
  snapshotOf,
  type EntryFields,
} from "../lists/entry-fields.js";
import {
  broadForbidden,
  broadOnlyByVote,
  isBroadDomain,
  refuseOwnInstance,
} from "../lists/domain-rules.js";
import { findVisibleList, refuseArchived, type ListRow } from "../lists/lists.service.js";
import { idCursor } from "../paging.js";
import type { ProposalInput } from "./input.js";
import type { ProposalOrigin } from "./vocabulary.js";
import type { ProposalStatus } from "./vocabulary.js";
import { closeOverdueProposal } from "./scheduler.js";
import {
  closeProposal,
  proposalColumns,
  proposalInclude,
  closeIfDecided,
  type ProposalRow,
} from "./settle.js";
import { loadProposalDetail, loadProposalSummaries } from "./views.js";

/** Proposing and voting need an instance: votes are per instance. */
export const voterInstance = (actor: Actor, doing: string) =>
  requireInstance(actor, `, so it cannot ${doing}: votes are per instance.`);

/** The fields the proposal will set, checked against its kind and the current entry. */
function proposalFieldsFor(
  input: ProposalInput,
  current: EntryFields | null,
): Partial<EntryFields> {
  const given: Partial<EntryFields> = {};
  for (const key of ENTRY_FIELDS) {
    if (input[key] !== undefined) (given as Record<string, unknown>)[key] = input[key];
  }
  if (input.kind === "remove") {
    const extra = Object.keys(given);
    if (extra.length > 0) {
      throw invalid(
        "A remove proposal takes only the domain and a reason (the retraction's public comment).",
        extra.map((field) => ({ field, message: "not allowed on a remove proposal" })),
      );
    }
    return {};
  }
  if (input.kind === "add") {
    if (!given.severity) {
      throw invalid("An add proposal needs a severity.", [
        { field: "severity", message: "choose suspend, silence or noop" },
      ]);
    }
    return given;
  }
  const diff = changedFields(current!, given);
  if (Object.keys(diff).length === 0) {
    throw invalid("This change proposal changes nothing: every field it gives equals the entry.", [
      { field: "(body)", message: "give at least one field with a new value" },
    ]);
  }
  return diff;
}

async function findOpenProposal(tx: Tx, listId: number, domain: string) {
  return tx.proposal.findUnique({
    where: { listId_openDomain: { listId, openDomain: domain } },
    select: { id: true },
  });
}

export interface OpenedProposal {
  id: number;
  listId: number;
  outcome: "passed" | "rejected" | "open";
}

/** Who opens a proposal: a member instance (with its automatic yes), or no one. */
type Opener =
  | { origin: "member"; actor: Actor; instance: ActorInstance }
  | { origin: Exclude<ProposalOrigin, "member"> };

/**
 * Opens a member's proposal inside the caller's transaction: checks its kind against the list,
 * records it with the proposer's automatic yes vote, and settles it (a quorum of one passes at
 * once).
 */
export async function createProposal(
  tx: Tx,
  ctx: AppContext,
  actor: Actor,
  list: ListRow,
  input: ProposalInput,
): Promise<OpenedProposal> {
  const instance = voterInstance(actor, "propose");
  refuseOwnInstance(actor, domainField(input.domain), "propose");
  return insertProposal(tx, ctx, list, input, { origin: "member", actor, instance });
}

/**
 * Opens a proposal that no member made, inside the caller's transaction: from an upstream
 * source the list follows, or from the listed domain's verified appeal. It has no proposer
 * and so no automatic yes: the members vote under the list's rules like on any other, and a
 * curator may decide it. The same checks as a member's proposal apply (the kind against the
 * entry, one open proposal per domain, broad domains).
 */
export async function createProposalWithoutProposer(
  tx: Tx,
  ctx: AppContext,
  list: ListRow,
  input: ProposalInput,
  origin: Exclude<ProposalOrigin, "member">,
): Promise<OpenedProposal> {
  return insertProposal(tx, ctx, list, input, { origin });
}

async function insertProposal(
  tx: Tx,
  ctx: AppContext,
  list: ListRow,
  input: ProposalInput,
  opener: Opener,
): Promise<OpenedProposal> {
  // An archived list takes no proposal: a member's, a source's or an appeal's.
  refuseArchived(list, "proposals");
  const domain = domainField(input.domain);
  const slug = list.slug;
  // Removing a broad entry only narrows the list; adding or changing one needs the policy.
  if (input.kind !== "remove" && !list.allowBroad && isBroadDomain(domain)) {
    throw broadForbidden(domain, slug);
  }
  const entry = await tx.entry.findUnique({
    where: { listId_domain: { listId: list.id, domain } },
    include: entryInclude,
  });
  if (input.kind === "add" && entry) {
    throw conflict(
      `${domain} is already on ${slug}: propose a change or a removal instead.`,
      "already_listed",
    );
  }
  if (input.kind !== "add" && !entry) throw notFound(`Entry ${domain} on ${slug}`);
  const open = await findOpenProposal(tx, list.id, domain);
  if (open)
    throw new AppError(
      409,
      "proposal_open",
      `Proposal ${open.id} for ${domain} on ${slug} is still open: vote on it instead.`,
      { extensions: { proposalId: open.id } },
    );

  const fields = proposalFieldsFor(input, entry ? snapshotOf(entry) : null);
  const now = ctx.clock.now();
  const proposer =
    opener.origin === "member"
      ? { proposerAccountId: opener.actor.accountId, proposerInstanceId: opener.instance.id }
      : { proposerAccountId: null, proposerInstanceId: null };
  const created = await tx.proposal.create({
    data: {
      listId: list.id,
      kind: input.kind,
      domain,
      openDomain: domain,
      status: "open",
      reason: input.reason ?? "",
      ...proposalColumns(fields),
      tags: { create: (fields.tags ?? []).map((tag) => ({ tag })) },
      evidence: { create: (fields.evidence ?? []).map((url, position) => ({ url, position })) },
      quorum: list.quorum,
      thresholdPercent: list.thresholdPercent,
      minOpenHours: list.minOpenHours,
      severityRule: list.severityRule,
      openedAt: now,
      closesAt: new Date(now.getTime() + list.votingDays * 86_400_000),
      origin: opener.origin,
      ...proposer,
    },
    include: proposalInclude,
  });
  registerProposalChange(tx, created.id, true);
  if (opener.origin === "member") {
    await tx.vote.create({
      data: {
        proposalId: created.id,
        instanceId: opener.instance.id,
        accountId: opener.actor.accountId,
        vote: "yes",
        severity: fields.severity ?? null,
        comment: "",
        createdAt: now,
        updatedAt: now,
      },
    });
  }
  const auditActor = opener.origin === "member" ? opener.actor : "system";
  await recordAudit(tx, auditActor, {
    at: now,
    action: "proposal.opened",
    listId: list.id,
    subject: domain,
    after: {
      proposal: created.id,
      kind: input.kind,
      reason: created.reason,
      fields,
      ...(opener.origin === "member" ? {} : { origin: opener.origin }),
    },
  });
  const outcome = await closeIfDecided(tx, auditActor, created as ProposalRow, now);
  return { id: created.id, listId: list.id, outcome };
}

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

export async function openProposal(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  input: ProposalInput,
) {
  const result = await ctx.db
    .transaction(async (tx) => {
      const list = await findVisibleList(tx, actor, slug);
      return createProposal(tx, ctx, actor, list, input);
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw conflict(
          `Another proposal for ${input.domain} on ${slug} was opened at the same moment: vote on it instead.`,
          "proposal_open",
        );
      }
      throw error;
    });
  return (await loadProposalDetail(ctx.db.prisma, actor, result.id))!;
}

/**
 * Settles, as the scheduler would, those of `proposals` still open past their window (the timer
 * has not run yet: the service was down, or another process holds the timer). Answers whether
 * any was, so that the caller reads them again and nobody is shown one as open for voting.
 */
async function closeAnyOverdue(
  ctx: AppContext,
  proposals: { id: number; status: string; closesAt: Date }[],
): Promise<boolean> {
  const now = ctx.clock.now();
  const overdue = proposals.filter((p) => p.status === "open" && now >= p.closesAt);
  for (const { id } of overdue) await closeOverdueProposal(ctx, id);
  return overdue.length > 0;
}

export async function getProposal(ctx: AppContext, actor: Actor, id: number) {
  const detail = await loadProposalDetail(ctx.db.prisma, actor, id);
  if (!detail) throw notFound(`Proposal ${id}`);
  if (!(await closeAnyOverdue(ctx, [detail]))) return detail;
  return (await loadProposalDetail(ctx.db.prisma, actor, id)) ?? detail;
}

export async function listProposals(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  query: { status?: ProposalStatus | undefined; cursor?: string | undefined; limit: number },
) {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const before = idCursor(query.cursor);
  const load = () =>
    loadProposalSummaries(
      ctx.db.prisma,
      actor,
      {
        listId: list.id,
        ...(query.status ? { status: query.status } : {}),
        ...(before ? { id: { lt: before } } : {}),
      },
      query.limit + 1,
    );
  let items = await load();
  if (await closeAnyOverdue(ctx, items)) items = await load();
  const page = items.slice(0, query.limit);
  return { items: page, nextCursor: items.length > query.limit ? String(page.at(-1)!.id) : null };
}

/** A proposal found open past its window: see `inOpenProposal`. */
class VotingWindowClosed extends Error {
  constructor(
    readonly proposalId: number,
    readonly closesAt: Date,
  ) {
    super(`The voting window of proposal ${proposalId} has closed.`);
  }
}

/**
 * Locks an open proposal for this transaction (bumping its version) and answers it with the
 * time, read once the lock is held. A proposal past its window is refused like a closed one,
 * even while nothing has settled it yet; run the transaction with `inOpenProposal`.
 */
export async function lockOpenProposal(
  tx: Tx,
  clock: Clock,
  id: number,
): Promise<{
  proposal: ProposalRow & { proposerInstanceId: number | null; origin: string };
  now: Date;
}> {
  const bumped = await tx.proposal.updateMany({
    where: { id },
    data: { version: { increment: 1 } },
  });
  if (bumped.count === 0) throw notFound(`Proposal ${id}`);
  const proposal = await tx.proposal.findUniqueOrThrow({ where: { id }, include: proposalInclude });
  if (proposal.status !== "open") {
    throw conflict(`Proposal ${id} is closed (${proposal.status}).`, "proposal_closed");
  }
  const now = clock.now();
  if (now >= proposal.closesAt) throw new VotingWindowClosed(id, proposal.closesAt);
  return { proposal, now };
}

/**
 * Runs `work`, which locks its proposal with `lockOpenProposal`, in one transaction. When the
 * proposal's window has closed but nothing has settled it yet (the service was down or not yet
 * started, or another process holds the timer), it is settled first, as the scheduler would, in
 * its own transaction that stays committed; then the request is refused with a 409.
 */
export async function inOpenProposal<T>(ctx: AppContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(work);
  } catch (error) {
    if (!(error instanceof VotingWindowClosed)) throw error;
    const status = await closeOverdueProposal(ctx, error.proposalId);
    throw conflict(
      `Proposal ${error.proposalId} is closed (${status}): its voting window closed on ${error.closesAt.toISOString()}.`,
      "proposal_closed",
    );
  }
}

export async function withdrawProposal(ctx: AppContext, actor: Actor, id: number) {
  await inOpenProposal(ctx, async (tx) => {
    const { proposal, now } = await lockOpenProposal(tx, ctx.clock, id);
    if (proposal.proposerInstanceId === null) {
      throw forbidden(
        `Proposal ${id} came from ${proposal.origin === "appeal" ? "an appeal" : "an upstream source"} and has no proposer to withdraw it: a curator may decide it.`,
      );
    }
    if (actor.instance?.id !== proposal.proposerInstanceId) {
      throw forbidden("Only the proposer's instance may withdraw a proposal.");
    }
    await tx.proposal.update({
      where: { id },
      data: { status: "withdrawn", openDomain: null, closedAt: now },
    });
    registerProposalChange(tx, id);
    await recordAudit(tx, actor, {
      at: now,
      action: "proposal.withdrawn",
      listId: proposal.listId,
      subject: proposal.domain,
      after: { proposal: id },
    });
  });
  return getProposal(ctx, actor, id);
}

/**
 * A curator's decision, at any time while the proposal is open; once its window has closed it
 * has been decided by the votes (passed or rejected), so deciding it is a 409 like any other.
 */
export async function decideProposal(
  ctx: AppContext,
  actor: Actor,
  id: number,
  decision: { outcome: "passed" | "rejected"; reason: string },
) {
  if (!isCurator(actor)) throw forbidden("Only curators and admins may decide proposals.");
  await inOpenProposal(ctx, async (tx) => {
    const { proposal, now } = await lockOpenProposal(tx, ctx.clock, id);
    refuseOwnInstance(actor, proposal.domain, "decide on");
    if (
      decision.outcome === "passed" &&
      proposal.kind !== "remove" &&
      isBroadDomain(proposal.domain)
    ) {
      throw broadOnlyByVote(proposal.domain);
    }
    await closeProposal(tx, actor, proposal, decision.outcome, now, {
      accountId: actor.accountId,
      reason: decision.reason,
    });
  });
  return getProposal(ctx, actor, id);
}

export async function commentOnProposal(ctx: AppContext, actor: Actor, id: number, body: string) {
  await ctx.db.transaction(async (tx) => {
    const proposal = await tx.proposal.findUnique({
      where: { id },
      select: { listId: true, domain: true },
    });
    if (!proposal) throw notFound(`Proposal ${id}`);
    const now = ctx.clock.now();
    const comment = await tx.proposalComment.create({
      data: {
        proposalId: id,
        accountId: actor.accountId,
        instanceId: actor.instance?.id ?? null,
        body,
        createdAt: now,
      },
    });
    await recordAudit(tx, actor, {
      at: now,
      action: "proposal.commented",
      listId: proposal.listId,
      subject: proposal.domain,
      after: { proposal: id, comment: comment.id, body },
    });
  });
  return getProposal(ctx, actor, id);
}
