// What awaits an instance's vote: open proposals, on every list (all member instances vote on
// all lists, SPEC §2), whose window is still open, that the instance has not voted on and may
// vote on (not its own domain's). Read by the "waiting for your vote" page and count, and by the
// instance's Atom feed.
import type { ActorInstance } from "../accounts/actor.js";
import type { AppContext } from "../context.js";
import { isOwnInstanceDomain } from "../domains/own-instance.js";
import type { AwaitingProposal } from "./awaiting.schema.js";

export async function awaitingVote(
  ctx: AppContext,
  instance: Pick<ActorInstance, "id" | "domain">,
): Promise<AwaitingProposal[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db.prisma.proposal.findMany({
    where: { status: "open", closesAt: { gt: now }, votes: { none: { instanceId: instance.id } } },
    include: { list: { select: { slug: true, name: true } } },
    orderBy: [{ closesAt: "asc" }, { id: "asc" }],
  });
  return rows
    .filter((row) => !isOwnInstanceDomain(instance.domain, row.domain))
    .map((row) => ({
      id: row.id,
      list: row.list.slug,
      listName: row.list.name,
      kind: row.kind,
      domain: row.domain,
      reason: row.reason,
      openedAt: row.openedAt.toISOString(),
      closesAt: row.closesAt.toISOString(),
      secondsLeft: Math.max(0, Math.floor((row.closesAt.getTime() - now.getTime()) / 1000)),
    }));
}
