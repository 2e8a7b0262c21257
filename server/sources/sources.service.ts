// A list's upstream sources (docs/decisions/0029): curators add, change and remove them; members
// see each source's state and the proposals it opened.
import type { Actor } from "../accounts/actor.js";
import { isCurator } from "../accounts/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import { AppError, conflict, forbidden, invalid, notFound } from "../errors.js";
import { findVisibleList } from "../lists/lists.service.js";
import { isUniqueViolation } from "../proposals/proposals.service.js";
import { pollSource } from "./poll.js";
import type {
  PollReport,
  SourceInput,
  SourceKind,
  SourceUpdate,
  SourceView,
} from "./source.schema.js";

/** The proposals a source's view shows, newest first. */
const PROPOSALS_SHOWN = 100;

const include = {
  tags: { orderBy: { tag: "asc" } },
  list: { select: { slug: true } },
  proposals: {
    orderBy: { proposalId: "desc" },
    take: PROPOSALS_SHOWN,
    include: {
      proposal: { select: { id: true, kind: true, domain: true, status: true, openedAt: true } },
    },
  },
} as const;

type Loaded = NonNullable<Awaited<ReturnType<typeof loadSourceRow>>>;

const loadSourceRow = (ctx: AppContext, where: { id: number; listId: number }) =>
  ctx.db.prisma.listSource.findFirst({ where, include });

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function view(row: Loaded): SourceView {
  const base = row.lastPolledAt ?? row.createdAt;
  return {
    id: row.id,
    list: row.list.slug,
    kind: row.kind as SourceKind,
    url: row.url,
    maxSeverity: row.maxSeverity as SourceView["maxSeverity"],
    tags: row.tags.map((t) => t.tag),
    maxProposalsPerPoll: row.maxProposalsPerPoll,
    pollMinutes: row.pollMinutes,
    lastPolledAt: iso(row.lastPolledAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    lastErrorAt: iso(row.lastErrorAt),
    lastError: row.lastError,
    lastReport: row.lastReport ? (JSON.parse(row.lastReport) as PollReport) : null,
    nextPollAt: (row.lastPolledAt
      ? new Date(base.getTime() + row.pollMinutes * 60_000)
      : row.createdAt
    ).toISOString(),
    proposals: row.proposals.map(({ proposal }) => ({
      id: proposal.id,
      kind: proposal.kind,
      domain: proposal.domain,
      status: proposal.status,
      openedAt: proposal.openedAt.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
  };
}

function requireCurator(actor: Actor, doing: string) {
  if (!isCurator(actor)) throw forbidden(`Only curators and admins may ${doing}.`);
}

/** The URL rules of the outbound policy that can be checked before any fetch. */
function checkSourceUrl(ctx: AppContext, url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && !ctx.config.outbound.allowPrivate) {
    throw invalid("A source is fetched over https only.", [
      { field: "url", message: "use an https:// URL" },
    ]);
  }
  if (parsed.username || parsed.password) {
    throw invalid("A source URL carries no user or password: the server forwards no credentials.", [
      { field: "url", message: "remove the user and password" },
    ]);
  }
}

export async function listSources(
  ctx: AppContext,
  actor: Actor,
  slug: string,
): Promise<SourceView[]> {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const rows = await ctx.db.prisma.listSource.findMany({
    where: { listId: list.id },
    include,
    orderBy: { id: "asc" },
  });
  return rows.map(view);
}

export async function getSource(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  id: number,
): Promise<SourceView> {
  const list = await findVisibleList(ctx.db.prisma, actor, slug);
  const row = await loadSourceRow(ctx, { id, listId: list.id });
  if (!row) throw notFound(`Source ${id} of ${slug}`);
  return view(row);
}

export async function addSource(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  input: SourceInput,
): Promise<SourceView> {
  requireCurator(actor, "add sources to a list");
  checkSourceUrl(ctx, input.url);
  const id = await ctx.db
    .transaction(async (tx) => {
      const list = await findVisibleList(tx, actor, slug);
      const now = ctx.clock.now();
      const created = await tx.listSource.create({
        data: {
          listId: list.id,
          kind: input.kind,
          url: input.url,
          maxSeverity: input.maxSeverity,
          maxProposalsPerPoll: input.maxProposalsPerPoll,
          pollMinutes: input.pollMinutes,
          createdAt: now,
          tags: { create: input.tags.map((tag) => ({ tag })) },
        },
      });
      await recordAudit(tx, actor, {
        at: now,
        action: "source.added",
        listId: list.id,
        subject: input.url,
        after: { source: created.id, ...input },
      });
      return created.id;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw conflict(`${slug} already follows ${input.url}.`, "source_exists");
      }
      throw error;
    });
  return getSource(ctx, actor, slug, id);
}

export async function updateSource(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  id: number,
  update: SourceUpdate,
): Promise<SourceView> {
  requireCurator(actor, "change a list's sources");
  await ctx.db.transaction(async (tx) => {
    const list = await findVisibleList(tx, actor, slug);
    const before = await tx.listSource.findFirst({ where: { id, listId: list.id } });
    if (!before) throw notFound(`Source ${id} of ${slug}`);
    const { tags, ...scalars } = update;
    await tx.listSource.update({
      where: { id },
      data: {
        ...scalars,
        ...(tags ? { tags: { deleteMany: {}, create: tags.map((tag) => ({ tag })) } } : {}),
      },
    });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "source.updated",
      listId: list.id,
      subject: before.url,
      after: { source: id, ...update },
    });
  });
  return getSource(ctx, actor, slug, id);
}

export async function removeSource(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  id: number,
): Promise<void> {
  requireCurator(actor, "remove a list's sources");
  await ctx.db.transaction(async (tx) => {
    const list = await findVisibleList(tx, actor, slug);
    const source = await tx.listSource.findFirst({ where: { id, listId: list.id } });
    if (!source) throw notFound(`Source ${id} of ${slug}`);
    // Its open proposals stay: the members decide them like any other.
    await tx.listSource.delete({ where: { id } });
    await recordAudit(tx, actor, {
      at: ctx.clock.now(),
      action: "source.removed",
      listId: list.id,
      subject: source.url,
      before: { source: id, kind: source.kind, url: source.url },
    });
  });
}

/** A curator's "poll now": the source's state after the poll. */
export async function pollSourceNow(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  id: number,
): Promise<SourceView> {
  requireCurator(actor, "poll a list's sources");
  await getSource(ctx, actor, slug, id);
  const report = await pollSource(ctx, id);
  if (report === "busy") {
    throw new AppError(409, "poll_running", `Source ${id} is being polled right now: try again.`);
  }
  return getSource(ctx, actor, slug, id);
}
