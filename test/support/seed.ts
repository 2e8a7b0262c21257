// Writes entries straight through the service layer (one revision), for tests about reading.
import type { AppContext } from "../../server/context.js";
import { DEFAULT_FIELDS, type EntryFields } from "../../server/lists/entry-fields.js";
import { nextRevision, writeEntry } from "../../server/lists/entry-writes.js";

export async function seedEntries(
  ctx: AppContext,
  slug: string,
  entries: ({ domain: string } & Partial<EntryFields>)[],
): Promise<number> {
  const revision = await ctx.db.transaction(async (tx) => {
    const list = await tx.list.findUniqueOrThrow({ where: { slug } });
    const now = ctx.clock.now();
    const revision = await nextRevision(tx, list.id, now);
    for (const { domain, ...fields } of entries) {
      await writeEntry(tx, {
        listId: list.id,
        revision,
        domain,
        fields: { severity: "suspend", ...DEFAULT_FIELDS, ...fields },
        proposalId: null,
        now,
      });
    }
    return { revision };
  });
  return revision.revision;
}

/** Many plain entries at once (createMany), for size tests. */
export async function seedManyEntries(ctx: AppContext, slug: string, count: number): Promise<void> {
  const list = await ctx.db.prisma.list.findUniqueOrThrow({ where: { slug } });
  await ctx.db.transaction(
    async (tx) => {
      const now = ctx.clock.now();
      await nextRevision(tx, list.id, now);
      await tx.entry.createMany({
        data: Array.from({ length: count }, (_, index) => ({
          listId: list.id,
          domain: `host${String(index).padStart(6, "0")}.example`,
          severity: index % 3 === 0 ? "silence" : "suspend",
          createdAt: now,
          updatedAt: now,
        })),
      });
    },
    { timeoutMs: 120_000 },
  );
}
