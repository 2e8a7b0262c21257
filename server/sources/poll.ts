// One poll of one source (docs/decisions/0029): read what the source says now, compare it with
// what it said last time, and open a proposal for each difference the source may propose, all in
// one transaction with the source's new state. Nothing upstream reaches the list's entries: each
// proposal is voted on under the list's rules (ADR 0021).
//
// The error contract: `pollSource` answers a report. An upstream that fails, answers an empty or
// unparseable body, or would open more proposals than the source's cap changes nothing but the
// source's last error (`outcome: "failed"`). A domain that cannot be proposed now (an open
// proposal for it, a broad domain, a comment the list refuses) is skipped and named in the
// report, not an error. Faults of this service (the database) are thrown.
import type { AppContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { withTryLock } from "../db/try-lock.js";
import { AppError } from "../errors.js";
import { findVisibleList } from "../lists/lists.service.js";
import { severityRank, type Severity, type Tag } from "../lists/vocabulary.js";
import { proposalInput, type ProposalInput } from "../proposals/input.js";
import { createProposalWithoutProposer } from "../proposals/proposals.service.js";
import type { PollFailureCode, PollReport } from "./source.schema.js";
import { readBlocklist, readFires, type UpstreamFailure, type UpstreamFields } from "./upstream.js";

/** At most this many skipped domains are kept in a report (the count is the report's). */
const MAX_SKIPPED_IN_REPORT = 200;

const SCALARS = ["severity", "rejectMedia", "rejectReports", "obfuscate", "publicComment"] as const;

/** One domain whose upstream state differs from what the source said last time. */
interface Delta {
  domain: string;
  /** Null: no longer listed upstream (gone from the file, or a FIRES retraction). */
  fields: UpstreamFields | null;
  evidence: string;
  /** A retraction's comment. */
  note: string;
}

type SourceRow = NonNullable<Awaited<ReturnType<typeof loadSource>>>;

const loadSource = (ctx: AppContext, id: number) =>
  ctx.db.prisma.listSource.findUnique({
    where: { id },
    include: { tags: true, list: { select: { slug: true } } },
  });

const sameFields = (a: UpstreamFields, b: UpstreamFields) =>
  SCALARS.every((field) => a[field] === b[field]);

class TooManyProposals extends Error {
  constructor(readonly count: number) {
    super(`would open ${count} proposals`);
  }
}

/** A poll that changed nothing, recorded as the source's last error. */
async function recordFailure(
  ctx: AppContext,
  source: SourceRow,
  error: { code: PollFailureCode; message: string },
  read = 0,
): Promise<PollReport> {
  const now = ctx.clock.now();
  const report: PollReport = {
    at: now.toISOString(),
    outcome: "failed",
    error: { code: error.code, message: error.message },
    read,
    opened: [],
    skipped: [],
    ignored: 0,
  };
  await ctx.db.prisma.listSource.update({
    where: { id: source.id },
    data: {
      lastPolledAt: now,
      lastErrorAt: now,
      lastError: error.message,
      lastReport: JSON.stringify(report),
    },
  });
  return report;
}

/** Sources being polled by this process (another process is kept out by the advisory lock). */
const polling = new Set<number>();

/**
 * Polls one source now, unless it is being polled already (by this process, or on PostgreSQL by
 * another): then answers `busy`. Answers null when the source no longer exists.
 */
export async function pollSource(
  ctx: AppContext,
  sourceId: number,
): Promise<PollReport | "busy" | null> {
  if (polling.has(sourceId)) return "busy";
  polling.add(sourceId);
  try {
    if (ctx.db.dialect !== "postgres") return await pollNow(ctx, sourceId);
    const run = await withTryLock(ctx.db.url, `fediblock-source-${sourceId}`, () =>
      pollNow(ctx, sourceId),
    );
    return run.taken ? "busy" : run.value;
  } finally {
    polling.delete(sourceId);
  }
}

async function pollNow(ctx: AppContext, sourceId: number): Promise<PollReport | null> {
  const source = await loadSource(ctx, sourceId);
  if (!source) return null;
  const policy = ctx.config.outbound;

  let deltasOf: (tx: Tx) => Promise<Delta[]>;
  let state: { etag?: string | null; lastModified?: string | null; cursor?: string | null };
  let read: number;
  let ignored: number;
  if (source.kind === "fires") {
    const answer = await readFires(source.url, policy, source.cursor);
    if (!answer.ok) return recordFailure(ctx, source, answer as UpstreamFailure);
    read = answer.read;
    ignored = answer.ignored;
    state = { cursor: answer.cursor };
    deltasOf = async (tx) => {
      const before = await snapshotOf(tx, source.id, [...answer.changes.keys()]);
      const deltas: Delta[] = [];
      for (const [domain, change] of answer.changes) {
        const was = before.get(domain);
        if (change.fields === null ? !was : was && sameFields(was, change.fields)) continue;
        deltas.push({
          domain,
          fields: change.fields,
          evidence: change.evidence ?? source.url,
          note: change.retractionComment,
        });
      }
      return deltas;
    };
  } else {
    const answer = await readBlocklist(source.url, policy, source);
    if (!answer.ok) return recordFailure(ctx, source, answer as UpstreamFailure);
    if (answer.unchanged) return recordSuccess(ctx, source, { outcome: "unchanged" });
    read = answer.read;
    ignored = answer.ignored;
    state = { etag: answer.etag, lastModified: answer.lastModified };
    deltasOf = async (tx) => {
      const before = await snapshotOf(tx, source.id, null);
      const deltas: Delta[] = [];
      for (const [domain, fields] of answer.entries) {
        const was = before.get(domain);
        if (!was || !sameFields(was, fields)) {
          deltas.push({ domain, fields, evidence: source.url, note: "" });
        }
      }
      for (const domain of before.keys()) {
        if (!answer.entries.has(domain)) {
          deltas.push({ domain, fields: null, evidence: source.url, note: "" });
        }
      }
      return deltas;
    };
  }

  try {
    const outcome = await ctx.db.transaction(async (tx) => {
      const deltas = await deltasOf(tx);
      const result = await proposeDeltas(tx, ctx, source, deltas);
      await saveSnapshot(tx, source.id, deltas, result.keepOld);
      return result;
    });
    return await recordSuccess(ctx, source, {
      outcome: outcome.opened.length > 0 ? "changed" : "unchanged",
      state,
      read,
      ignored,
      opened: outcome.opened,
      skipped: outcome.skipped,
    });
  } catch (error) {
    if (!(error instanceof TooManyProposals)) throw error;
    return recordFailure(
      ctx,
      source,
      {
        code: "too_many_proposals",
        message: `${source.url} would open ${error.count} proposals in one poll, more than this source's cap of ${source.maxProposalsPerPoll}: none was opened. Check the upstream list, then raise the cap if the change is real.`,
      },
      read,
    );
  }
}

async function recordSuccess(
  ctx: AppContext,
  source: SourceRow,
  outcome: Partial<Omit<PollReport, "at" | "error">> & {
    outcome: "changed" | "unchanged";
    state?: { etag?: string | null; lastModified?: string | null; cursor?: string | null };
  },
): Promise<PollReport> {
  const now = ctx.clock.now();
  const report: PollReport = {
    at: now.toISOString(),
    outcome: outcome.outcome,
    error: null,
    read: outcome.read ?? 0,
    opened: outcome.opened ?? [],
    skipped: (outcome.skipped ?? []).slice(0, MAX_SKIPPED_IN_REPORT),
    ignored: outcome.ignored ?? 0,
  };
  await ctx.db.prisma.listSource.update({
    where: { id: source.id },
    data: {
      ...outcome.state,
      lastPolledAt: now,
      lastSuccessAt: now,
      lastReport: JSON.stringify(report),
    },
  });
  return report;
}

async function snapshotOf(
  tx: Tx,
  sourceId: number,
  domains: string[] | null,
): Promise<Map<string, UpstreamFields>> {
  const rows = await tx.sourceEntry.findMany({
    where: { sourceId, ...(domains ? { domain: { in: domains } } : {}) },
  });
  return new Map(
    rows.map((row) => [
      row.domain,
      {
        severity: row.severity as Severity,
        rejectMedia: row.rejectMedia,
        rejectReports: row.rejectReports,
        obfuscate: row.obfuscate,
        publicComment: row.publicComment,
      },
    ]),
  );
}

/** Records what the source now says about each domain, except those passed over this time. */
async function saveSnapshot(
  tx: Tx,
  sourceId: number,
  deltas: Delta[],
  keepOld: Set<string>,
): Promise<void> {
  const saved = deltas.filter((delta) => !keepOld.has(delta.domain));
  const gone = saved.filter((delta) => delta.fields === null).map((delta) => delta.domain);
  if (gone.length > 0)
    await tx.sourceEntry.deleteMany({ where: { sourceId, domain: { in: gone } } });
  for (const { domain, fields } of saved) {
    if (!fields) continue;
    await tx.sourceEntry.upsert({
      where: { sourceId_domain: { sourceId, domain } },
      create: { sourceId, domain, ...fields },
      update: fields,
    });
  }
}

interface Planned {
  delta: Delta;
  input: ProposalInput;
}

/** The severity the source may propose: the upstream one, lowered to the source's maximum. */
function capped(severity: Severity, max: Severity): Severity {
  return severityRank(severity) > severityRank(max) ? max : severity;
}

function quoted(comment: string): string {
  return comment ? `: "${comment}"` : ".";
}

async function proposeDeltas(
  tx: Tx,
  ctx: AppContext,
  source: SourceRow,
  deltas: Delta[],
): Promise<{
  opened: PollReport["opened"];
  skipped: PollReport["skipped"];
  keepOld: Set<string>;
}> {
  const list = await findVisibleList(tx, "system", source.list.slug);
  const domains = deltas.map((delta) => delta.domain);
  const entries = await tx.entry.findMany({
    where: { listId: list.id, domain: { in: domains } },
    select: {
      domain: true,
      proposalId: true,
      severity: true,
      rejectMedia: true,
      rejectReports: true,
      obfuscate: true,
      publicComment: true,
    },
  });
  const entryOf = new Map(entries.map((entry) => [entry.domain, entry]));
  const proposalIds = entries.flatMap((entry) => (entry.proposalId ? [entry.proposalId] : []));
  const ours = new Set(
    (
      await tx.sourceProposal.findMany({
        where: { sourceId: source.id, proposalId: { in: proposalIds } },
        select: { proposalId: true },
      })
    ).map((row) => row.proposalId),
  );
  const tags = source.tags.map((row) => row.tag as Tag).sort();
  const max = source.maxSeverity as Severity;

  const planned: Planned[] = [];
  const skipped: PollReport["skipped"] = [];
  const keepOld = new Set<string>();
  for (const delta of deltas) {
    const entry = entryOf.get(delta.domain);
    const fromThisSource = entry?.proposalId != null && ours.has(entry.proposalId);
    if (delta.fields === null) {
      if (!entry || !fromThisSource) continue;
      planned.push({
        delta,
        input: {
          kind: "remove",
          domain: delta.domain,
          reason: `No longer listed upstream by ${source.url}${quoted(delta.note)}`,
        },
      });
      continue;
    }
    const severity = capped(delta.fields.severity, max);
    const lowered =
      severity !== delta.fields.severity
        ? ` (upstream: ${delta.fields.severity}; this source may propose at most ${max})`
        : "";
    const fields = { ...delta.fields, severity };
    if (!entry) {
      planned.push({
        delta,
        input: {
          kind: "add",
          domain: delta.domain,
          reason: `Listed upstream by ${source.url} as ${severity}${lowered}${quoted(fields.publicComment)}`,
          ...fields,
          tags,
          evidence: [delta.evidence],
        },
      });
      continue;
    }
    if (!fromThisSource) {
      skipped.push({
        domain: delta.domain,
        code: "listed_otherwise",
        message: `${delta.domain} is on the list but did not come from this source: the source proposes no change to it`,
      });
      continue;
    }
    const diff: Partial<UpstreamFields> = {};
    for (const field of SCALARS) {
      if (fields[field] !== entry[field]) (diff as Record<string, unknown>)[field] = fields[field];
    }
    if (Object.keys(diff).length === 0) continue;
    planned.push({
      delta,
      input: {
        kind: "change",
        domain: delta.domain,
        reason: `Changed upstream by ${source.url}: now ${severity}${lowered}${quoted(fields.publicComment)}`,
        ...diff,
      },
    });
  }

  if (planned.length > source.maxProposalsPerPoll) throw new TooManyProposals(planned.length);

  const opened: PollReport["opened"] = [];
  for (const { delta, input } of planned) {
    const checked = proposalInput.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      keepOld.add(delta.domain);
      skipped.push({
        domain: delta.domain,
        code: "invalid",
        message: `${issue?.path.join(".") || "proposal"}: ${issue?.message ?? "refused"}`,
      });
      continue;
    }
    try {
      const proposal = await createProposalWithoutProposer(tx, ctx, list, checked.data, "source");
      await tx.sourceProposal.create({ data: { proposalId: proposal.id, sourceId: source.id } });
      opened.push({ proposalId: proposal.id, kind: input.kind, domain: delta.domain });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      keepOld.add(delta.domain);
      skipped.push({ domain: delta.domain, code: error.code, message: error.message });
    }
  }
  return { opened, skipped, keepOld };
}
