// The fields of an entry, their snapshot (change feed, audit), and what anonymous callers may
// see of them (SPEC §3: never private comments, evidence only with `publicEvidence`).
import { SCALAR_DEFAULTS, SCALAR_FIELDS, type EntryScalars, type Tag } from "./vocabulary.js";

export { SCALAR_FIELDS };

export interface EntryFields extends EntryScalars {
  tags: Tag[];
  evidence: string[];
}

/** Every field an entry has, in the order forms and proposals show them. */
export const ENTRY_FIELDS = [
  ...SCALAR_FIELDS,
  "tags",
  "evidence",
] as const satisfies readonly (keyof EntryFields)[];

export interface EntrySnapshot extends EntryFields {
  domain: string;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_FIELDS: Omit<EntryFields, "severity"> = {
  ...SCALAR_DEFAULTS,
  tags: [],
  evidence: [],
};

/** An entry as Prisma reads it with `entryInclude`. */
interface EntryRow extends Omit<EntryScalars, "severity"> {
  domain: string;
  severity: string;
  createdAt: Date;
  updatedAt: Date;
  tags: { tag: string }[];
  evidence: { url: string; position: number }[];
}

/** The related rows of an entry, and of a proposal (which sets the same tags and evidence). */
export const entryInclude = {
  tags: { orderBy: { tag: "asc" } },
  evidence: { orderBy: { position: "asc" } },
} as const;

/** The scalar fields of a row that has them as columns (an entry, a bulk row). */
export function scalarColumns(
  row: Omit<EntryScalars, "severity"> & { severity: string },
): EntryScalars {
  const out = {} as Record<string, unknown>;
  for (const field of SCALAR_FIELDS) out[field] = row[field];
  return out as unknown as EntryScalars;
}

export function snapshotOf(row: EntryRow): EntrySnapshot {
  return {
    domain: row.domain,
    ...scalarColumns(row),
    tags: row.tags.map((t) => t.tag as Tag).sort(),
    evidence: [...row.evidence].sort((a, b) => a.position - b.position).map((e) => e.url),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface Audience {
  /** Signed in (members see private comments and evidence). */
  member: boolean;
  /** The list shows evidence publicly. */
  publicEvidence: boolean;
}

export type EntryView = Omit<EntrySnapshot, "privateComment" | "evidence"> & {
  privateComment?: string;
  evidence?: string[];
};

/** What this audience may see of an entry. */
export function entryFor(snapshot: EntrySnapshot, audience: Audience): EntryView {
  const { privateComment, evidence, ...publicFields } = snapshot;
  return {
    ...publicFields,
    ...(audience.member ? { privateComment } : {}),
    ...(audience.member || audience.publicEvidence ? { evidence } : {}),
  };
}

/** The fields of `next` that differ from `current`. */
export function changedFields(
  current: EntryFields,
  next: Partial<EntryFields>,
): Partial<EntryFields> {
  const diff: Partial<EntryFields> = {};
  for (const key of SCALAR_FIELDS) {
    if (next[key] !== undefined && next[key] !== current[key]) {
      (diff as Record<string, unknown>)[key] = next[key];
    }
  }
  if (next.tags !== undefined && [...next.tags].sort().join() !== [...current.tags].sort().join()) {
    diff.tags = next.tags;
  }
  if (next.evidence !== undefined && next.evidence.join("\n") !== current.evidence.join("\n")) {
    diff.evidence = next.evidence;
  }
  return diff;
}
