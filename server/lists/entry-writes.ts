// Writing one entry at a time (direct imports write in bulk: server/db/bulk-entries.ts). Each
// call runs inside the caller's transaction; the caller first takes a new revision with
// `nextRevision`, so that the entries, the list's revision and the change feed move together
// (SPEC §2), and the transaction knows the list changed (server/db/changes.ts).
import { registerChangedList, registerRevision } from "../db/changes.js";
import type { Tx } from "../db/client.js";
import { takeRecordIds } from "../fires/record-ids.js";
import {
  entryInclude,
  scalarColumns,
  snapshotOf,
  type EntryFields,
  type EntrySnapshot,
} from "./entry-fields.js";

export type ChangeAction = "added" | "changed" | "removed";

/**
 * Increments the list's revision (which also serializes concurrent writers on the list), and
 * registers the list's change on the transaction: every change of entries takes a revision.
 */
export async function nextRevision(tx: Tx, listId: number, now: Date): Promise<number> {
  registerChangedList(tx, listId);
  const list = await tx.list.update({
    where: { id: listId },
    data: { revision: { increment: 1 }, revisedAt: now },
    select: { revision: true },
  });
  registerRevision(tx, listId, list.revision);
  return list.revision;
}

async function recordChange(
  tx: Tx,
  listId: number,
  revision: number,
  action: ChangeAction,
  snapshot: EntrySnapshot,
  now: Date,
  comment: string | null = null,
): Promise<void> {
  const [firesId] = await takeRecordIds(tx, listId, 1, now);
  await tx.listChange.create({
    data: {
      listId,
      revision,
      action,
      domain: snapshot.domain,
      entry: JSON.stringify(snapshot),
      at: now,
      firesId: firesId!,
      comment,
    },
  });
}

export interface WrittenEntry {
  action: "added" | "changed";
  before: EntrySnapshot | null;
  after: EntrySnapshot;
}

/** Creates or replaces the entry for `domain` with `fields`. */
export async function writeEntry(
  tx: Tx,
  write: {
    listId: number;
    revision: number;
    domain: string;
    fields: EntryFields;
    proposalId: number | null;
    now: Date;
  },
): Promise<WrittenEntry> {
  const { listId, domain, fields, now } = write;
  const existing = await tx.entry.findUnique({
    where: { listId_domain: { listId, domain } },
    include: entryInclude,
  });
  const columns = {
    ...scalarColumns(fields),
    proposalId: write.proposalId,
    updatedAt: now,
  };
  const tags = { create: [...new Set(fields.tags)].map((tag) => ({ tag })) };
  const evidence = { create: fields.evidence.map((url, position) => ({ url, position })) };
  let saved;
  if (existing) {
    await tx.entryTag.deleteMany({ where: { entryId: existing.id } });
    await tx.entryEvidence.deleteMany({ where: { entryId: existing.id } });
    saved = await tx.entry.update({
      where: { id: existing.id },
      data: { ...columns, tags, evidence },
      include: entryInclude,
    });
  } else {
    saved = await tx.entry.create({
      data: { listId, domain, ...columns, createdAt: now, tags, evidence },
      include: entryInclude,
    });
  }
  const action = existing ? "changed" : "added";
  const after = snapshotOf(saved);
  await recordChange(tx, listId, write.revision, action, after, now);
  return { action, before: existing ? snapshotOf(existing) : null, after };
}

/**
 * Removes the entry for `domain`; answers what was removed, or null when it was not listed.
 * `comment` is the removal's public comment (a remove proposal's reason), if it has one.
 */
export async function removeEntry(
  tx: Tx,
  write: { listId: number; revision: number; domain: string; now: Date; comment?: string },
): Promise<EntrySnapshot | null> {
  const existing = await tx.entry.findUnique({
    where: { listId_domain: { listId: write.listId, domain: write.domain } },
    include: entryInclude,
  });
  if (!existing) return null;
  await tx.entry.delete({ where: { id: existing.id } });
  const before = snapshotOf(existing);
  await recordChange(
    tx,
    write.listId,
    write.revision,
    "removed",
    before,
    write.now,
    write.comment || null,
  );
  return before;
}
