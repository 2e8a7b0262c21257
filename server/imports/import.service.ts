// Imports (SPEC §5): a report of what a file would do to a list, then, in one transaction,
// either one `add` proposal per new domain (members; at most 100 per import) or a direct write
// of new and changed rows as one revision (curators, for seeding a list).
import type { Actor } from "../accounts/actor.js";
import { isCurator, requireInstance } from "../accounts/actor.js";
import type { AuditActor } from "../audit/audit.service.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AppContext } from "../context.js";
import {
  insertChanges,
  upsertEntries,
  type BulkChange,
  type BulkEntry,
} from "../db/bulk-entries.js";
import type { Tx } from "../db/client.js";
import { AppError, forbidden, tooLarge } from "../errors.js";
import type { EntrySnapshot } from "../lists/entry-fields.js";
import { nextRevision } from "../lists/entry-writes.js";
import { isBroadDomain, ownInstanceIsTarget } from "../lists/domain-rules.js";
import { findVisibleList, refuseArchived, type ListRow } from "../lists/lists.service.js";
import {
  SCALAR_FIELD_SPEC,
  SCALAR_FIELDS,
  SCALAR_DEFAULTS,
  type EntryScalars,
  type ScalarField,
  type Severity,
  type Tag,
} from "../lists/vocabulary.js";
import { createProposal } from "../proposals/proposals.service.js";
import type { ImportAnswer, ImportReport, RowStatus } from "./import.schema.js";
import { readColumnMapping, type ColumnMapping } from "./columns.js";
import { lossesOf, mergeFields, type Downgrade, type ErasedComment, type Merge } from "./merge.js";
import { MAX_IMPORT_ROWS, parseBlocklist, type CsvInput } from "./parse.js";
import type {
  EntryColumn,
  ParsedBlocklist,
  ParsedEntry,
  RowProblem,
  RowWarning,
} from "./report.js";

export const MAX_MEMBER_PROPOSALS = 100;
export const PREVIEW_ROWS = 200;

export type { ImportAnswer, ImportReport, RowStatus };

export interface ImportOptions {
  dryRun: boolean;
  direct: boolean;
  /** The file's name, for the audit log and the proposals' reason. */
  file: string | null;
  /**
   * The columns of a file without a header, as written by the caller (`columns=`,
   * `--columns`): `domain,severity,reject_media`; an empty name skips its column.
   */
  columns?: string;
  /**
   * How a direct import's row meets an entry already listed (server/imports/merge.ts); by
   * default `max` into a list that has entries (ADR 0026).
   */
  merge?: Merge;
}

/** Which entry field each file column sets. */
const FIELD_OF: Partial<Record<EntryColumn, ScalarField>> = Object.fromEntries(
  SCALAR_FIELDS.map((field) => [SCALAR_FIELD_SPEC[field].column, field]),
);

type ComparableFields = EntryScalars;

interface ExistingEntry extends ComparableFields {
  id: number;
  domain: string;
  createdAt: Date;
}

/** The fields a row sets: only the columns the file has (a Mastodon CSV has no private comment). */
function fieldsFromFile(entry: ParsedEntry, columns: EntryColumn[]): Partial<ComparableFields> {
  const fields: Partial<ComparableFields> = {};
  for (const column of columns) {
    const field = FIELD_OF[column];
    if (field) (fields as Record<string, unknown>)[field] = entry[field as keyof ParsedEntry];
  }
  return fields;
}

function differs(existing: ComparableFields, fields: Partial<ComparableFields>): boolean {
  return (Object.keys(fields) as (keyof ComparableFields)[]).some(
    (key) => fields[key] !== existing[key],
  );
}

interface Classified {
  entry: ParsedEntry;
  status: RowStatus;
  fields: Partial<ComparableFields>;
  existing: ExistingEntry | undefined;
}

interface Classification {
  rows: Classified[];
  /** The merge of a direct import (null for proposals). */
  merge: Merge | null;
  downgrades: Downgrade[];
  erasedComments: ErasedComment[];
}

const SCALAR_SELECT = Object.fromEntries(SCALAR_FIELDS.map((field) => [field, true])) as Record<
  ScalarField,
  true
>;

async function classify(
  tx: Tx,
  list: ListRow,
  parsed: ParsedBlocklist,
  options: ImportOptions,
): Promise<Classification> {
  const [existing, open] = await Promise.all([
    tx.entry.findMany({
      where: { listId: list.id },
      select: { id: true, domain: true, createdAt: true, ...SCALAR_SELECT },
    }),
    tx.proposal.findMany({ where: { listId: list.id, status: "open" }, select: { domain: true } }),
  ]);
  const byDomain = new Map(
    existing.map((row) => [row.domain, { ...row, severity: row.severity as Severity }]),
  );
  const proposed = new Set(open.map((row) => row.domain));
  // Proposals add new domains only: a listed domain's row is compared as written.
  const merge = options.direct
    ? (options.merge ?? (existing.length > 0 ? "max" : "replace"))
    : null;
  const downgrades: Downgrade[] = [];
  const erasedComments: ErasedComment[] = [];
  const rows = parsed.entries.map((entry): Classified => {
    const written = fieldsFromFile(entry, parsed.columns);
    const current = byDomain.get(entry.domain);
    const fields = current && merge ? mergeFields(current, written, merge) : written;
    const status: RowStatus = proposed.has(entry.domain)
      ? "alreadyProposed"
      : !current
        ? "new"
        : differs(current, fields)
          ? "changed"
          : "alreadyListed";
    if (status === "changed" && merge) {
      const losses = lossesOf(entry.line, entry.domain, current!, { ...current!, ...fields });
      if (losses.downgrade) downgrades.push(losses.downgrade);
      erasedComments.push(...losses.erased);
    }
    return { entry, status, fields, existing: current };
  });
  return { rows, merge, downgrades, erasedComments };
}

function reportOf(
  parsed: ParsedBlocklist,
  { rows, downgrades, erasedComments }: Classification,
): ImportReport {
  const count = (status: RowStatus) => rows.filter((row) => row.status === status).length;
  return {
    rows: parsed.rows,
    valid: parsed.entries.length,
    new: count("new"),
    alreadyListed: count("alreadyListed"),
    alreadyProposed: count("alreadyProposed"),
    changed: count("changed"),
    problems: parsed.problems,
    warnings: parsed.warnings,
    downgrades,
    erasedComments,
  };
}

function columnMapping(written: string | undefined): ColumnMapping | undefined {
  if (written === undefined) return undefined;
  const reading = readColumnMapping(written);
  if (reading.ok) return reading.mapping;
  throw new AppError(400, "invalid_columns", `columns: ${reading.message}.`, {
    errors: [{ field: "columns", message: reading.message }],
  });
}

async function parseUpload(input: CsvInput, columns?: ColumnMapping): Promise<ParsedBlocklist> {
  const parsed = await parseBlocklist(input, { maxRows: MAX_IMPORT_ROWS, columns });
  if (parsed.ok) return parsed;
  if (parsed.code === "too_many_rows") {
    throw tooLarge(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows: split it into files of at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows.`,
    );
  }
  throw new AppError(
    400,
    parsed.code,
    `The file cannot be read: line ${parsed.line}: ${parsed.message}`,
    {
      errors: [{ line: parsed.line, message: parsed.message }],
    },
  );
}

/**
 * The rules on which domains the caller may list (server/lists/domain-rules.ts), row by row:
 * the caller's own instance's domain is the problem `own_instance`; a public suffix is the
 * problem `broad_domain` unless the list's policy sets `allowBroad`, and then the warning `broad`.
 */
function applyDomainRules(
  parsed: ParsedBlocklist,
  actor: Actor | "system",
  list: ListRow,
): ParsedBlocklist {
  const problems: RowProblem[] = [];
  const warnings: RowWarning[] = [];
  const entries = parsed.entries.filter(({ line, domain }) => {
    if (ownInstanceIsTarget(actor, domain)) {
      const message = `${domain} is your own instance's domain (or its parent or subdomain): another instance must list it`;
      problems.push({ line, domain, code: "own_instance", message });
      return false;
    }
    if (!isBroadDomain(domain)) return true;
    if (!list.allowBroad) {
      const message = `${domain} is a public suffix: blocking it blocks every unrelated server under it, and this list's policy does not allow such entries (allowBroad)`;
      problems.push({ line, domain, code: "broad_domain", message });
      return false;
    }
    const message = `${domain} is a public suffix: blocking it blocks every unrelated server under it`;
    warnings.push({ line, domain, code: "broad", message });
    return true;
  });
  if (problems.length === 0 && warnings.length === 0) return parsed;
  const byLine = (a: { line: number }, b: { line: number }) => a.line - b.line;
  return {
    ...parsed,
    entries,
    problems: [...parsed.problems, ...problems].sort(byLine),
    warnings: [...parsed.warnings, ...warnings].sort(byLine),
  };
}

function reasonFor(options: ImportOptions, entry: ParsedEntry): string {
  return `Imported from ${options.file ?? "an uploaded file"} (line ${entry.line}).`;
}

async function openProposals(
  tx: Tx,
  ctx: AppContext,
  actor: Actor,
  list: ListRow,
  rows: Classified[],
  options: ImportOptions,
) {
  const fresh = rows.filter((row) => row.status === "new");
  if (fresh.length > MAX_MEMBER_PROPOSALS && !isCurator(actor)) {
    throw forbidden(
      `This import would open ${fresh.length} proposals; members may open at most ${MAX_MEMBER_PROPOSALS} per import. Split the file, or ask a curator to import it.`,
      "proposal_limit",
    );
  }
  const ids: number[] = [];
  for (const { entry, fields } of fresh) {
    const opened = await createProposal(tx, ctx, actor, list, {
      kind: "add",
      domain: entry.domain,
      reason: reasonFor(options, entry),
      ...fields,
      severity: entry.severity,
    });
    ids.push(opened.id);
  }
  return ids;
}

/** Existing tags and evidence of a list's entries, for the change feed's snapshots. */
async function relatedOf(tx: Tx, listId: number) {
  const [tags, evidence] = await Promise.all([
    tx.entryTag.findMany({
      where: { entry: { listId } },
      select: { entryId: true, tag: true },
      orderBy: { tag: "asc" },
    }),
    tx.entryEvidence.findMany({
      where: { entry: { listId } },
      select: { entryId: true, url: true },
      orderBy: { position: "asc" },
    }),
  ]);
  const group = <T>(rows: { entryId: number }[], value: (row: never) => T) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const list = map.get(row.entryId) ?? [];
      list.push(value(row as never));
      map.set(row.entryId, list);
    }
    return map;
  };
  return {
    tags: group<Tag>(tags, (row: { tag: Tag }) => row.tag),
    evidence: group<string>(evidence, (row: { url: string }) => row.url),
  };
}

async function writeDirectly(
  tx: Tx,
  ctx: AppContext,
  actor: AuditActor,
  list: ListRow,
  parsed: ParsedBlocklist,
  { rows, merge }: Classification,
  options: ImportOptions,
) {
  const writes = rows.filter((row) => row.status === "new" || row.status === "changed");
  if (writes.length === 0) return { revision: list.revision, added: 0, changed: 0 };
  const now = ctx.clock.now();
  const revision = await nextRevision(tx, list.id, now);
  const related = writes.some((row) => row.existing) ? await relatedOf(tx, list.id) : null;
  const entries: BulkEntry[] = [];
  const changes: BulkChange[] = [];
  const updatedAt = now.toISOString();
  for (const { entry, fields, existing } of writes) {
    // Field by field rather than spreading `existing`, whose id and createdAt must not reach
    // the snapshot (and spreads cost more than the SQL on a 50,000-row import).
    const next = {} as Record<ScalarField, unknown>;
    for (const field of SCALAR_FIELDS) {
      next[field] =
        fields[field] ??
        existing?.[field] ??
        (field === "severity" ? entry.severity : SCALAR_DEFAULTS[field]);
    }
    const scalars = next as ComparableFields;
    entries.push({ domain: entry.domain, ...scalars });
    const snapshot: EntrySnapshot = {
      domain: entry.domain,
      ...scalars,
      tags: existing ? (related?.tags.get(existing.id) ?? []) : [],
      evidence: existing ? (related?.evidence.get(existing.id) ?? []) : [],
      createdAt: existing ? existing.createdAt.toISOString() : updatedAt,
      updatedAt,
    };
    changes.push({
      action: existing ? "changed" : "added",
      domain: entry.domain,
      entry: JSON.stringify(snapshot),
    });
  }
  await upsertEntries(tx, ctx.db, list.id, entries, now);
  await insertChanges(tx, ctx.db, list.id, revision, changes, now);
  const added = changes.filter((change) => change.action === "added").length;
  const result = { revision, added, changed: changes.length - added };
  await recordAudit(tx, actor, {
    at: ctx.clock.now(),
    action: "import.direct",
    listId: list.id,
    subject: options.file ?? "uploaded file",
    // `rows` is the file's data rows, as in the report; `valid` those that became entries.
    after: {
      file: options.file,
      rows: parsed.rows,
      valid: parsed.entries.length,
      merge,
      ...result,
    },
  });
  return result;
}

/**
 * Imports a file into a list. `actor` is the account importing, or "system" for the operator's
 * command line, which may only apply an import directly (proposals are opened in an instance's
 * name). A dry run opens nothing, and needs no instance; its report is the same whoever
 * asks (`alreadyProposed` counts every instance's open proposals) except for the rows of the
 * caller's own instance's domain (`own_instance`).
 */
export async function importBlocklist(
  ctx: AppContext,
  actor: Actor | "system",
  slug: string,
  input: CsvInput,
  options: ImportOptions,
): Promise<ImportAnswer> {
  if (options.direct && actor !== "system" && !isCurator(actor)) {
    throw forbidden(
      "Only curators and admins may import directly; without direct=true the import opens proposals.",
    );
  }
  if (options.merge !== undefined && !options.direct) {
    const message =
      "merge is for a direct import (direct=true): proposals add new domains only, and leave listed ones as they are";
    throw new AppError(400, "invalid_request", `${message}.`, {
      errors: [{ field: "merge", message }],
    });
  }
  if (!options.direct && !options.dryRun) {
    requireInstance(
      actor,
      ", so its imports cannot open proposals: import with direct=true (curators) or from an instance's account.",
    );
  }
  const mapping = columnMapping(options.columns);
  const visible = await findVisibleList(ctx.db.prisma, actor, slug);
  refuseArchived(visible, "imports");
  const parsed = applyDomainRules(await parseUpload(input, mapping), actor, visible);
  const mode = options.direct ? "direct" : "proposals";

  const work = async (tx: Tx) => {
    const list = await findVisibleList(tx, actor, slug);
    refuseArchived(list, "imports");
    const classified = await classify(tx, list, parsed, options);
    const result = options.dryRun
      ? null
      : options.direct
        ? await writeDirectly(tx, ctx, actor, list, parsed, classified, options)
        : {
            proposals: await openProposals(tx, ctx, actor as Actor, list, classified.rows, options),
          };
    return { classified, result };
  };
  const { classified, result } = options.dryRun
    ? await ctx.db.snapshot(work)
    : await ctx.db.transaction(work, { timeoutMs: 300_000 });

  return {
    dryRun: options.dryRun,
    mode,
    file: options.file,
    columns: parsed.columns,
    ignoredColumns: parsed.ignoredColumns,
    hasHeader: parsed.hasHeader,
    fileColumns: parsed.fileColumns,
    merge: classified.merge,
    report: reportOf(parsed, classified),
    preview: classified.rows.slice(0, PREVIEW_ROWS).map(({ entry, status }) => ({
      line: entry.line,
      domain: entry.domain,
      severity: entry.severity,
      status,
    })),
    result,
  };
}
