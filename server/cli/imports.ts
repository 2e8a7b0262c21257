// `fediblock import FILE --list SLUG [--direct] [--dry-run] [--account USER] [--json]`: the
// same report as the API, with a progress line on large files. --account is needed only to
// apply an import as proposals (without --direct and --dry-run).
import { createReadStream, existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform } from "node:stream";
import { actorForSession } from "../accounts/accounts.service.js";
import type { ConfigFlags } from "../config.js";
import { invalid, notFound, tooLarge } from "../errors.js";
import { isCurator, type Actor } from "../accounts/actor.js";
import {
  MAX_MEMBER_PROPOSALS,
  importBlocklist,
  type ImportAnswer,
} from "../imports/import.service.js";
import type { Merge } from "../imports/merge.js";
import { UPLOAD_LIMIT_BYTES } from "../http/mount.js";
import { withDatabase } from "./context.js";

export interface ImportFlags extends ConfigFlags {
  list: string;
  direct?: boolean;
  dryRun?: boolean;
  account?: string;
  json?: boolean;
  columns?: string;
  merge?: Merge;
}

const PROGRESS_FROM_BYTES = 256 * 1024;
const SHOWN_PROBLEMS = 50;

/** Passes the file through, drawing "Reading FILE: 42%" on a terminal. */
function progress(file: string, total: number): Transform {
  let read = 0;
  let shown = -1;
  const draw = process.stderr.isTTY && total >= PROGRESS_FROM_BYTES;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      const percent = Math.floor((read / total) * 100);
      if (draw && percent !== shown) {
        shown = percent;
        const width = 30;
        const filled = Math.round((percent / 100) * width);
        process.stderr.write(
          `\rReading ${basename(file)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}%`,
        );
      }
      done(null, chunk);
    },
    flush(done) {
      if (draw)
        process.stderr.write(
          `\rRead ${basename(file)}; checking it against the list…${" ".repeat(20)}\n`,
        );
      done();
    },
  });
}

/** What the columns of a file without a header hold, and how to name them (--columns). */
function columnsHint(answer: ImportAnswer): string {
  const cells = answer.fileColumns
    .map((column, index) => `${index + 1} "${column.example}" → ${column.readAs ?? "not read"}`)
    .join(", ");
  const now = answer.fileColumns.map((column) => column.readAs ?? "").join(",");
  return `first row: ${cells}. Name every column with --columns (read now as --columns ${now}; an empty name skips a column).`;
}

const blockText = (block: ImportAnswer["report"]["downgrades"][number]["before"]) =>
  [
    block.severity,
    ...(block.rejectMedia ? ["reject_media"] : []),
    ...(block.rejectReports ? ["reject_reports"] : []),
  ].join("+");

/** What a direct import would make less strict or erase, row by row (`--merge max` keeps it). */
function printLosses(answer: ImportAnswer): void {
  const { downgrades, erasedComments } = answer.report;
  const written = answer.dryRun ? "would be" : "was";
  if (downgrades.length > 0) {
    console.log(
      `  downgrades: ${downgrades.length} listed entr${downgrades.length === 1 ? "y" : "ies"} ${written} made less strict:`,
    );
    for (const row of downgrades.slice(0, SHOWN_PROBLEMS))
      console.log(
        `    line ${row.line}  ${row.domain}  ${blockText(row.before)} → ${blockText(row.after)}`,
      );
    if (downgrades.length > SHOWN_PROBLEMS)
      console.log(`    … and ${downgrades.length - SHOWN_PROBLEMS} more (--json lists them all)`);
  }
  if (erasedComments.length > 0) {
    console.log(`  erased comments: ${erasedComments.length} ${written} emptied:`);
    for (const row of erasedComments.slice(0, SHOWN_PROBLEMS))
      console.log(`    line ${row.line}  ${row.domain}  ${row.field} "${row.before}" → ""`);
    if (erasedComments.length > SHOWN_PROBLEMS)
      console.log(
        `    … and ${erasedComments.length - SHOWN_PROBLEMS} more (--json lists them all)`,
      );
  }
  if (
    (downgrades.length > 0 || erasedComments.length > 0) &&
    answer.dryRun &&
    answer.merge !== "max"
  )
    console.log("  (--merge max keeps the stricter severity and flags, and every comment)");
}

/**
 * A dry run that the real run would refuse for its proposal count says so now: a member (or an
 * operator's dry run without --account) may open at most MAX_MEMBER_PROPOSALS per import.
 */
function proposalLimitNote(answer: ImportAnswer, actor: Actor | "system"): string | null {
  if (!answer.dryRun || answer.mode !== "proposals") return null;
  if (answer.report.new <= MAX_MEMBER_PROPOSALS) return null;
  if (actor !== "system" && isCurator(actor)) return null;
  const who = actor === "system" ? "a member's --account" : `--account ${actor.username}`;
  return `This import would open ${answer.report.new} proposals: applied with ${who} it would be refused (members may open at most ${MAX_MEMBER_PROPOSALS} per import). Split the file, or ask a curator to import it.`;
}

function printReport(answer: ImportAnswer, slug: string, actor: Actor | "system"): void {
  const { report } = answer;
  const mode = answer.mode === "direct" ? `direct, merge ${answer.merge}` : "as proposals";
  console.log(`${answer.file ?? "file"} → ${slug} (${answer.dryRun ? "dry run, " : ""}${mode})`);
  console.log(
    `  rows ${report.rows}: valid ${report.valid} (new ${report.new}, already listed ${report.alreadyListed}, already proposed ${report.alreadyProposed}, changed ${report.changed}), problems ${report.problems.length}`,
  );
  if (answer.ignoredColumns.length > 0) {
    console.log(`  columns not read: ${answer.ignoredColumns.join(", ")}`);
    if (!answer.hasHeader) console.log(`  ${columnsHint(answer)}`);
  }
  if (report.problems.length > 0) {
    console.log("  problems:");
    for (const problem of report.problems.slice(0, SHOWN_PROBLEMS)) {
      console.log(
        `    line ${problem.line}  ${problem.domain || "(empty)"}  ${problem.code}: ${problem.message}`,
      );
    }
    if (report.problems.length > SHOWN_PROBLEMS) {
      console.log(
        `    … and ${report.problems.length - SHOWN_PROBLEMS} more (--json lists them all)`,
      );
    }
  }
  if (report.warnings.length > 0) {
    const byCode = new Map<string, number>();
    for (const warning of report.warnings)
      byCode.set(warning.code, (byCode.get(warning.code) ?? 0) + 1);
    console.log(
      `  warnings: ${[...byCode].map(([code, count]) => `${code} ${count}`).join(", ")} (--json lists them)`,
    );
  }
  printLosses(answer);
  const result = answer.result;
  const limit = proposalLimitNote(answer, actor);
  if (limit) console.log(limit);
  if (!result) console.log("Nothing was written (dry run).");
  else if ("revision" in result) {
    console.log(
      result.added + result.changed > 0
        ? `Wrote revision ${result.revision}: ${result.added} added, ${result.changed} changed.`
        : "Nothing to write: the list already has every row.",
    );
  } else {
    console.log(
      result.proposals.length > 0
        ? `Opened ${result.proposals.length} proposal(s): ${result.proposals.map((id) => `#${id}`).join(", ")}.`
        : "No new domains: no proposal opened.",
    );
  }
}

export function importCommand(file: string, flags: ImportFlags): Promise<void> {
  return withDatabase(flags, async (ctx) => {
    if (!existsSync(file)) throw invalid(`There is no file ${file}.`);
    const size = statSync(file).size;
    if (size > UPLOAD_LIMIT_BYTES) {
      throw tooLarge(
        `${file} is larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB: split it into smaller files.`,
      );
    }
    let actor: Awaited<ReturnType<typeof actorForSession>> | "system" = "system";
    if (flags.account) {
      const account = await ctx.db.prisma.account.findUnique({
        where: { username: flags.account.toLowerCase() },
      });
      actor = account ? await actorForSession(ctx, account.id) : null;
      if (!actor) throw notFound(`Enabled account ${flags.account}`);
    } else if (!flags.direct && !flags.dryRun) {
      // A dry run writes nothing, and its report does not depend on who asks: no account needed.
      throw invalid(
        "Without --direct an import opens proposals in an instance's name: add --account USER, or --direct to write the entries (--dry-run needs neither).",
      );
    }
    const input = createReadStream(file).pipe(progress(file, size));
    const answer = await importBlocklist(ctx, actor, flags.list, input, {
      dryRun: flags.dryRun ?? false,
      direct: flags.direct ?? false,
      file: basename(file),
      columns: flags.columns,
      merge: flags.merge,
    });
    if (flags.json) console.log(JSON.stringify(answer, null, 2));
    else printReport(answer, flags.list, actor);
  });
}
