// Votes (SPEC §2): one per instance, whichever of its accounts casts it; changeable and
// retractable while the proposal is open, refused once its window has closed. Each vote is
// settled in its own transaction, with the proposal locked, so concurrent votes are all counted
// and a proposal passes exactly once.
import type { Actor } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { notFound } from "../errors.js";
import type { VoteInput } from "./input.js";
import {
  getProposal,
  inOpenProposal,
  lockOpenProposal,
  voterInstance,
} from "./proposals.service.js";
import { closeIfDecided } from "./settle.js";
import { refuseOwnInstance } from "../lists/domain-rules.js";

function instanceVotingOn(actor: Actor, domain: string) {
  const instance = voterInstance(actor, "vote");
  refuseOwnInstance(actor, domain, "vote on");
  return instance;
}

export async function castVote(ctx: AppContext, actor: Actor, id: number, input: VoteInput) {
  await inOpenProposal(ctx, async (tx) => {
    const { proposal, now } = await lockOpenProposal(tx, ctx.clock, id);
    const instance = instanceVotingOn(actor, proposal.domain);
    // A severity counts only on a yes vote for a proposal that sets one.
    const severity =
      input.vote === "yes" && proposal.severity !== null ? (input.severity ?? null) : null;
    const key = { proposalId_instanceId: { proposalId: id, instanceId: instance.id } };
    const before = await tx.vote.findUnique({
      where: key,
      select: { vote: true, severity: true, comment: true },
    });
    const fields = {
      accountId: actor.accountId,
      vote: input.vote,
      severity,
      comment: input.comment ?? "",
      updatedAt: now,
    };
    await tx.vote.upsert({
      where: key,
      create: { proposalId: id, instanceId: instance.id, createdAt: now, ...fields },
      update: fields,
    });
    await recordAudit(tx, actor, {
      at: now,
      action: before ? "vote.changed" : "vote.cast",
      listId: proposal.listId,
      subject: proposal.domain,
      before: before ?? undefined,
      after: { proposal: id, vote: input.vote, severity, comment: fields.comment },
    });
    await closeIfDecided(tx, actor, proposal, now);
  });
  return getProposal(ctx, actor, id);
}

export async function retractVote(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  await inOpenProposal(ctx, async (tx) => {
    const { proposal, now } = await lockOpenProposal(tx, ctx.clock, id);
    const instance = instanceVotingOn(actor, proposal.domain);
    const key = { proposalId_instanceId: { proposalId: id, instanceId: instance.id } };
    const before = await tx.vote.findUnique({
      where: key,
      select: { vote: true, severity: true, comment: true },
    });
    if (!before) throw notFound(`A vote of ${instance.domain} on proposal ${id}`);
    await tx.vote.delete({ where: key });
    await recordAudit(tx, actor, {
      at: now,
      action: "vote.retracted",
      listId: proposal.listId,
      subject: proposal.domain,
      before,
      after: { proposal: id },
    });
    await closeIfDecided(tx, actor, proposal, now);
  });
}
