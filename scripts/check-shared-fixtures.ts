// Imports (dry run) every real-world blocklist in DIR (default ../shared/fixtures/blocklists)
// through the service layer, as POST /api/v1/lists/:slug/imports?dryRun=true does, and checks
// that the report accounts for every record.
//
//   npx tsx scripts/check-shared-fixtures.ts [DIR]
//
// Each file is dry-run into a fresh list, created the normal way, on a throwaway SQLite database
// in a temporary directory (removed at the end). Fails (exit 1) unless, for every file, the
// import is answered with a report, valid + problems == rows, new + alreadyListed +
// alreadyProposed + changed == valid, rows equals the number of data records counted by
// csv-parse in its plainest configuration (below), and rows equals the count stated in
// DIR/README.md when the README's table states one.
//
// A missing DIR, or one without a CSV file, fails under CI (CI=true: .ci/run must check the real
// files) and is skipped with a message otherwise (a clone without ../shared has nothing to check).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { loadConfig } from "../server/config.js";
import { createContext, type AppContext } from "../server/context.js";
import { openDatabase } from "../server/db/client.js";
import { migrate } from "../server/db/migrate.js";
import { AppError } from "../server/errors.js";
import { importBlocklist, type ImportReport } from "../server/imports/import.service.js";
import type { RowIssue } from "../server/imports/report.js";
import { createList } from "../server/lists/lists.service.js";

const HEADER_FIRST_CELL = "domain";

/**
 * The independent count: csv-parse with only `bom` and `relax_column_count` (no record-delimiter,
 * quote-relaxing, column or blank-line options: the importer's own reader sets all of these),
 * minus records that are one empty or whitespace-only field (blank lines), minus the first
 * record when its first cell is `domain` or `#domain`.
 */
function countDataRecords(bytes: Buffer): number {
  const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
  const nonBlank = records.filter((fields) => !(fields.length === 1 && fields[0]!.trim() === ""));
  const first = nonBlank[0]?.[0]?.trim().replace(/^#/, "").toLowerCase();
  return nonBlank.length - (first === HEADER_FIRST_CELL ? 1 : 0);
}

/** Row counts from the README's table (`| file | … | rows | … |`), when there is one. */
function statedRowCounts(dir: string): Map<string, number> {
  const stated = new Map<string, number>();
  const readme = path.join(dir, "README.md");
  if (!existsSync(readme)) return stated;
  let rowsColumn = -1;
  for (const line of readFileSync(readme, "utf8").split("\n")) {
    if (!line.startsWith("|")) continue;
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells[1] === "file") rowsColumn = cells.indexOf("rows");
    const count = Number(cells[rowsColumn]?.replaceAll(",", ""));
    if (rowsColumn > 0 && cells[1]?.endsWith(".csv") && Number.isInteger(count)) {
      stated.set(cells[1], count);
    }
  }
  return stated;
}

function countByCode(issues: RowIssue<string>[]): string {
  const counts = new Map<string, number>();
  for (const { code } of issues) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, count]) => `${code} ${count}`).join(", ");
}

/** The route's dry run: a list of its own, the body as text, the file's name. */
async function dryRun(ctx: AppContext, slug: string, file: string, bytes: Buffer) {
  // allowBroad: real lists carry TLD entries (`cf`); they are valid rows, with the warning `broad`.
  await createList(ctx, "system", { slug, name: file, policy: { allowBroad: true } });
  return importBlocklist(ctx, "system", slug, bytes.toString("utf8"), {
    dryRun: true,
    direct: false,
    file,
  });
}

function bookkeepingFailures(report: ImportReport, records: number | string, stated?: number) {
  const classified = report.new + report.alreadyListed + report.alreadyProposed + report.changed;
  return [
    report.valid + report.problems.length !== report.rows && "valid + problems != rows",
    classified !== report.valid &&
      `new + alreadyListed + alreadyProposed + changed (${classified}) != valid`,
    records !== report.rows && `rows != csv records (${records})`,
    stated !== undefined && stated !== report.rows && `rows != README (${stated})`,
  ].filter((failure): failure is string => typeof failure === "string");
}

async function checkFile(
  ctx: AppContext,
  slug: string,
  dir: string,
  file: string,
  stated: number | undefined,
): Promise<{ ok: boolean; line: string }> {
  const bytes = readFileSync(path.join(dir, file));
  let records: number | string;
  try {
    records = countDataRecords(bytes);
  } catch (error) {
    records = `uncountable (${(error as Error).message})`;
  }
  let answer;
  try {
    answer = await dryRun(ctx, slug, file, bytes);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      ok: false,
      line: `${file}: not imported: ${error.status} ${error.code}: ${error.message} — FAIL`,
    };
  }
  const { report, ignoredColumns } = answer;
  const failures = bookkeepingFailures(report, records, stated);
  const readme = stated === undefined ? "" : `, README ${stated}`;
  return {
    ok: failures.length === 0,
    line:
      `${file}: rows ${report.rows} (csv records ${records}${readme}), valid ${report.valid} ` +
      `(new ${report.new}, already listed ${report.alreadyListed}, already proposed ${report.alreadyProposed}, changed ${report.changed}), ` +
      `problems ${report.problems.length} {${countByCode(report.problems)}}, ` +
      `warnings ${report.warnings.length} {${countByCode(report.warnings)}}` +
      (ignoredColumns.length > 0 ? `, ignored columns ${ignoredColumns.join(" ")}` : "") +
      ` — ${failures.length === 0 ? "ok" : `FAIL: ${failures.join("; ")}`}`,
  };
}

/** A migrated SQLite database in a temporary directory, removed by `close`. */
async function throwawayContext(): Promise<{ ctx: AppContext; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "fediblock-fixtures-"));
  const databaseUrl = `file:${path.join(dir, "check.db")}`;
  try {
    await migrate(databaseUrl);
    const db = await openDatabase(databaseUrl);
    const config = loadConfig({ DATABASE_URL: databaseUrl, FEDIBLOCK_LOG_LEVEL: "silent" });
    return {
      ctx: createContext(db, config),
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Nothing to check: a failure under CI, which must check the real files; a skip otherwise. */
function nothingToCheck(reason: string): number {
  if (process.env.CI === "true") {
    console.error(
      `check-shared-fixtures: FAIL: ${reason}. CI must import every real blocklist: is shared/ laid beside the checkout?`,
    );
    return 1;
  }
  console.log(`check-shared-fixtures: skipped: ${reason} (under CI=true this fails)`);
  return 0;
}

async function main(): Promise<number> {
  const dir = path.resolve(process.argv[2] ?? "../shared/fixtures/blocklists");
  if (!existsSync(dir)) return nothingToCheck(`${dir} not found`);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".csv"))
    .sort();
  if (files.length === 0) return nothingToCheck(`${dir} holds no .csv file`);
  const stated = statedRowCounts(dir);
  const { ctx, close } = await throwawayContext();
  let failed = 0;
  try {
    for (const [index, file] of files.entries()) {
      const { ok, line } = await checkFile(
        ctx,
        `fixture-${index + 1}`,
        dir,
        file,
        stated.get(file),
      );
      console.log(line);
      if (!ok) failed += 1;
    }
  } finally {
    await close();
  }
  console.log(`${files.length} files imported (dry run), ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
