// The fields of an entry, their snapshot (change feed, audit), and what anonymous callers may
// see of them (SPEC §3: never private comments, evidence only with `publicEvidence`).
import type { Severity, Tag } from "./vocabulary.js";

export interface EntryFields {
  severity: Severity;
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
  privateComment: string;
  tags: Tag[];
  evidence: string[];
}

/** The fields of an entry that are single values (tags and evidence are lists). */
export const SCALAR_FIELDS = [
  "severity",
  "rejectMedia",
  "rejectReports",
  "obfuscate",
  "publicComment",
  "privateComment",
] as const satisfies readonly (keyof EntryFields)[];

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
  rejectMedia: false,
  rejectReports: false,
  obfuscate: false,
  publicComment: "",
  privateComment: "",
  tags: [],
  evidence: [],
};

interface EntryRow {
  domain: string;
  severity: string;
  rejectMedia: boolean;
  rejectReports: boolean;
  obfuscate: boolean;
  publicComment: string;
  privateComment: string;
  createdAt: Date;
  updatedAt: Date;
  tags: { tag: string }[];
  evidence: { url: string; position: number }[];
}

export const entryInclude = {
  tags: { orderBy: { tag: "asc" } },
  evidence: { orderBy: { position: "asc" } },
} as const;

export function snapshotOf(row: EntryRow): EntrySnapshot {
  return {
    domain: row.domain,
    severity: row.severity as Severity,
    rejectMedia: row.rejectMedia,
    rejectReports: row.rejectReports,
    obfuscate: row.obfuscate,
    publicComment: row.publicComment,
    privateComment: row.privateComment,
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
