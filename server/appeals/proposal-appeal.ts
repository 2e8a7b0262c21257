// The appeal behind an appeal's proposal, as members see it on the proposal's page: the
// rebuttal, the appellant's links and comments (server/proposals/views.ts reads it).
import type { PrismaClient, Tx } from "../db/client.js";

/** What members see of the appeal behind an appeal's proposal (its page), or null. */
export async function appealOfProposal(db: Tx | PrismaClient, proposalId: number) {
  const appeal = await db.appeal.findUnique({
    where: { proposalId },
    include: { links: { orderBy: { position: "asc" } }, comments: { orderBy: { id: "asc" } } },
  });
  if (!appeal) return null;
  return {
    id: appeal.id,
    rebuttal: appeal.rebuttal,
    links: appeal.links.map((link) => link.url),
    comments: appeal.comments.map((c) => ({
      id: c.id,
      body: c.body,
      at: c.createdAt.toISOString(),
    })),
  };
}
