// Rows stored before the formula rule (server/text/formula.ts) whose text a spreadsheet would
// run: found and reported in the log at every start (`fediblock serve`), never changed — a
// curator edits them. Exports still quote them; the report says where they are.
import type { PrismaClient } from "../db/client.js";
import type { Logger } from "../log.js";

const STARTS = ["=", "+", "-", "@", "\t", "\r"];
const startsWithAny = (field: string) => ({
  OR: STARTS.map((start) => ({ [field]: { startsWith: start } })),
});

export interface FormulaFinding {
  /** `Entry.publicComment`, `Proposal.reason`, … */
  field: string;
  count: number;
  /** Up to 5 rows, named so that an operator finds them (`list/domain`, `proposal 12`). */
  examples: string[];
}

type Finder = (db: PrismaClient) => Promise<{ count: number; examples: string[] }>;

const EXAMPLES = 5;

function entryField(field: "publicComment" | "privateComment"): Finder {
  return async (db) => {
    const where = startsWithAny(field);
    const [count, rows] = await Promise.all([
      db.entry.count({ where }),
      db.entry.findMany({
        where,
        take: EXAMPLES,
        orderBy: { id: "asc" },
        select: { domain: true, list: { select: { slug: true } } },
      }),
    ]);
    return { count, examples: rows.map((row) => `${row.list.slug}/${row.domain}`) };
  };
}

function proposalField(
  field: "reason" | "publicComment" | "privateComment" | "decisionReason",
): Finder {
  return async (db) => {
    const where = startsWithAny(field);
    const [count, rows] = await Promise.all([
      db.proposal.count({ where }),
      db.proposal.findMany({ where, take: EXAMPLES, orderBy: { id: "asc" }, select: { id: true } }),
    ]);
    return { count, examples: rows.map((row) => `proposal ${row.id}`) };
  };
}

const FINDERS: Record<string, Finder> = {
  "Entry.publicComment": entryField("publicComment"),
  "Entry.privateComment": entryField("privateComment"),
  "Proposal.reason": proposalField("reason"),
  "Proposal.publicComment": proposalField("publicComment"),
  "Proposal.privateComment": proposalField("privateComment"),
  "Proposal.decisionReason": proposalField("decisionReason"),
  "Vote.comment": async (db) => {
    const where = startsWithAny("comment");
    const [count, rows] = await Promise.all([
      db.vote.count({ where }),
      db.vote.findMany({
        where,
        take: EXAMPLES,
        orderBy: { id: "asc" },
        select: { proposalId: true },
      }),
    ]);
    return { count, examples: rows.map((row) => `vote on proposal ${row.proposalId}`) };
  },
  "ProposalComment.body": async (db) => {
    const where = startsWithAny("body");
    const [count, rows] = await Promise.all([
      db.proposalComment.count({ where }),
      db.proposalComment.findMany({
        where,
        take: EXAMPLES,
        orderBy: { id: "asc" },
        select: { proposalId: true },
      }),
    ]);
    return { count, examples: rows.map((row) => `comment on proposal ${row.proposalId}`) };
  },
  "List.name": async (db) => listField(db, "name"),
  "List.description": async (db) => listField(db, "description"),
};

async function listField(db: PrismaClient, field: "name" | "description") {
  const rows = await db.list.findMany({ where: startsWithAny(field), select: { slug: true } });
  return { count: rows.length, examples: rows.slice(0, EXAMPLES).map((row) => `list ${row.slug}`) };
}

/** Every field that holds text stored before the rule, with counts and examples. */
export async function findFormulaText(db: PrismaClient): Promise<FormulaFinding[]> {
  const findings: FormulaFinding[] = [];
  for (const [field, find] of Object.entries(FINDERS)) {
    const { count, examples } = await find(db);
    if (count > 0) findings.push({ field, count, examples });
  }
  return findings;
}

export function describeFinding(finding: FormulaFinding): string {
  const more = finding.count > finding.examples.length ? ", …" : "";
  return `${finding.field}: ${finding.count} row(s) begin with =, +, -, @, a tab or a carriage return (${finding.examples.join(", ")}${more})`;
}

/** Logs, at start, what `findFormulaText` finds: a warning per field, nothing when clean. */
export async function logFormulaText(db: PrismaClient, log: Logger): Promise<FormulaFinding[]> {
  const findings = await findFormulaText(db);
  for (const finding of findings) {
    log.warn(
      `stored text a spreadsheet would run as a formula (exported as is; edit it): ${describeFinding(finding)}`,
    );
  }
  return findings;
}
