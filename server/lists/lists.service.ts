// Lists: creation and settings (admins), and what each caller may see of them.
import type { Actor } from "../accounts/actor.js";
import { recordAudit, type AuditActor } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { registerChangedList } from "../db/changes.js";
import { nextRevision } from "./entry-writes.js";
import type { Tx } from "../db/client.js";
import { conflict, invalid, notFound } from "../errors.js";
import {
  DEFAULT_POLICY,
  fromThresholdPercent,
  policyProblem,
  toThresholdPercent,
  type Policy,
  type PolicyInput,
  type SeverityRule,
} from "./policy.js";

import type { Visibility } from "./list.schema.js";

export interface ListRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  visibility: string;
  quorum: number;
  thresholdPercent: number;
  votingDays: number;
  minOpenHours: number;
  severityRule: string;
  publicEvidence: boolean;
  allowBroad: boolean;
  reviewMonths: number | null;
  appealCooldownDays: number;
  revision: number;
  revisedAt: Date;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const policyOf = (list: ListRow): Policy => ({
  quorum: list.quorum,
  threshold: fromThresholdPercent(list.thresholdPercent),
  votingDays: list.votingDays,
  minOpenHours: list.minOpenHours,
  severityRule: list.severityRule as SeverityRule,
  publicEvidence: list.publicEvidence,
  allowBroad: list.allowBroad,
  reviewMonths: list.reviewMonths,
  appealCooldownDays: list.appealCooldownDays,
});

const policyColumns = (policy: Policy) => ({
  quorum: policy.quorum,
  thresholdPercent: toThresholdPercent(policy.threshold),
  votingDays: policy.votingDays,
  minOpenHours: policy.minOpenHours,
  severityRule: policy.severityRule,
  publicEvidence: policy.publicEvidence,
  allowBroad: policy.allowBroad,
  reviewMonths: policy.reviewMonths,
  appealCooldownDays: policy.appealCooldownDays,
});

export interface ListCounts {
  entries: number;
  suspend: number;
  silence: number;
  noop: number;
  openProposals: number;
}

export interface ListView {
  slug: string;
  name: string;
  description: string;
  visibility: Visibility;
  policy: Policy;
  revision: number;
  counts: ListCounts;
  /** When the list was archived (read-only, exports keep its last revision), or null. */
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  revisedAt: Date;
}

/** Who reads: a signed-in account, the operator's command line ("system"), or anyone (null). */
export type Viewer = Actor | "system" | null;

/** Members-only lists exist only for signed-in callers: anyone else gets 404 (SPEC §3). */
export const canSee = (list: Pick<ListRow, "visibility">, viewer: Viewer): boolean =>
  list.visibility === "public" || viewer !== null;

export async function findVisibleList(
  tx: Tx | AppContext["db"]["prisma"],
  actor: Viewer,
  slug: string,
): Promise<ListRow> {
  const list = await tx.list.findUnique({ where: { slug } });
  if (!list || !canSee(list, actor)) throw notFound(`List ${slug}`);
  return list;
}

/**
 * An archived list is read-only: no proposal, import or entry edit reaches it (409
 * `list_archived`). `what` names what was refused, e.g. "proposals".
 */
export function refuseArchived(list: Pick<ListRow, "slug" | "archivedAt">, what: string): void {
  if (list.archivedAt === null) return;
  throw conflict(
    `The list ${list.slug} is archived (since ${list.archivedAt.toISOString().slice(0, 10)}): it takes no ${what}. Its exports keep serving its last revision; an admin can unarchive it.`,
    "list_archived",
  );
}

async function countsOf(ctx: AppContext, listIds: number[]): Promise<Map<number, ListCounts>> {
  const [bySeverity, open] = await Promise.all([
    ctx.db.prisma.entry.groupBy({
      by: ["listId", "severity"],
      where: { listId: { in: listIds } },
      _count: { _all: true },
    }),
    ctx.db.prisma.proposal.groupBy({
      by: ["listId"],
      where: { listId: { in: listIds }, status: "open" },
      _count: { _all: true },
    }),
  ]);
  const counts = new Map<number, ListCounts>(
    listIds.map((id) => [id, { entries: 0, suspend: 0, silence: 0, noop: 0, openProposals: 0 }]),
  );
  for (const row of bySeverity) {
    const count = counts.get(row.listId)!;
    count.entries += row._count._all;
    if (row.severity === "suspend" || row.severity === "silence" || row.severity === "noop") {
      count[row.severity] += row._count._all;
    }
  }
  for (const row of open) counts.get(row.listId)!.openProposals = row._count._all;
  return counts;
}

const view = (list: ListRow, counts: ListCounts): ListView => ({
  slug: list.slug,
  name: list.name,
  description: list.description,
  visibility: list.visibility as Visibility,
  policy: policyOf(list),
  revision: list.revision,
  counts,
  archivedAt: list.archivedAt,
  createdAt: list.createdAt,
  updatedAt: list.updatedAt,
  revisedAt: list.revisedAt,
});

export async function listLists(ctx: AppContext, actor: Viewer): Promise<ListView[]> {
  const lists = await ctx.db.prisma.list.findMany({
    where: actor ? {} : { visibility: "public" },
    orderBy: { slug: "asc" },
  });
  const counts = await countsOf(
    ctx,
    lists.map((list) => list.id),
  );
  return lists.map((list) => view(list, counts.get(list.id)!));
}

export async function getList(ctx: AppContext, actor: Viewer, slug: string): Promise<ListView> {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  return view(list, (await countsOf(ctx, [list.id])).get(list.id)!);
}

export interface NewList {
  slug: string;
  name: string;
  description?: string | undefined;
  visibility?: Visibility | undefined;
  policy?: PolicyInput | undefined;
}

function checkedPolicy(policy: Policy): Policy {
  const problem = policyProblem(policy);
  if (problem) throw invalid(`Invalid policy: ${problem.field} ${problem.message}.`, [problem]);
  return policy;
}

export async function createList(
  ctx: AppContext,
  who: AuditActor,
  input: NewList,
): Promise<ListView> {
  const policy = checkedPolicy({ ...DEFAULT_POLICY, ...stripUndefined(input.policy ?? {}) });
  const list = await ctx.db.transaction(async (tx) => {
    if (await tx.list.findUnique({ where: { slug: input.slug } })) {
      throw conflict(`A list with the slug ${input.slug} exists.`, "slug_taken");
    }
    const now = ctx.clock.now();
    const created = await tx.list.create({
      data: {
        slug: input.slug,
        name: input.name,
        description: input.description ?? "",
        visibility: input.visibility ?? "public",
        ...policyColumns(policy),
        revisedAt: now,
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordAudit(tx, who, {
      at: ctx.clock.now(),
      action: "list.created",
      listId: created.id,
      subject: created.slug,
      after: settingsOf(created),
    });
    return created;
  });
  return view(list, emptyCounts());
}

export interface ListSettingsEdit {
  name?: string | undefined;
  description?: string | undefined;
  visibility?: Visibility | undefined;
  policy?: PolicyInput | undefined;
  /** true archives the list (refused while proposals are open), false unarchives it. */
  archived?: boolean | undefined;
}

/**
 * Edits a list's settings. Open proposals keep the policy they were opened under. Archiving is
 * refused while proposals are open (decide or withdraw them first): an archived list takes no
 * vote, so they could never close by vote.
 */
export async function updateList(
  ctx: AppContext,
  actor: Actor | "system",
  slug: string,
  change: ListSettingsEdit,
): Promise<ListView> {
  await ctx.db.transaction(async (tx) => {
    const before = await findVisibleList(tx, actor, slug);
    const policy = checkedPolicy({ ...policyOf(before), ...stripUndefined(change.policy ?? {}) });
    const archiving = change.archived === true && before.archivedAt === null;
    if (archiving) {
      const open = await tx.proposal.count({ where: { listId: before.id, status: "open" } });
      if (open > 0) {
        throw conflict(
          `The list ${slug} has ${open} open proposal${open === 1 ? "" : "s"}: decide or withdraw ${open === 1 ? "it" : "them"} before archiving the list.`,
          "list_has_open_proposals",
        );
      }
    }
    const archivedAt =
      change.archived === undefined
        ? before.archivedAt
        : change.archived
          ? (before.archivedAt ?? ctx.clock.now())
          : null;
    const after = await tx.list.update({
      where: { id: before.id },
      data: {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.visibility !== undefined ? { visibility: change.visibility } : {}),
        ...policyColumns(policy),
        archivedAt,
        updatedAt: ctx.clock.now(),
      },
    });
    registerChangedList(tx, before.id);
    // Exports carry each entry's review date: a new reviewMonths is a new revision (and ETag).
    if (after.reviewMonths !== before.reviewMonths)
      await nextRevision(tx, before.id, ctx.clock.now());
    const archiveChanged = (before.archivedAt === null) !== (archivedAt === null);
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: archiveChanged ? (archivedAt ? "list.archived" : "list.unarchived") : "list.updated",
      listId: before.id,
      subject: slug,
      before: settingsOf(before),
      after: settingsOf(after),
    });
  });
  return getList(ctx, actor, slug);
}

const emptyCounts = (): ListCounts => ({
  entries: 0,
  suspend: 0,
  silence: 0,
  noop: 0,
  openProposals: 0,
});

/** A list's settings, as the audit log records them. */
const settingsOf = (list: ListRow) => ({
  slug: list.slug,
  name: list.name,
  description: list.description,
  visibility: list.visibility,
  policy: policyOf(list),
});

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
