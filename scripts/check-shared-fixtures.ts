// Dry-runs the import parser over every real-world blocklist in DIR (default
// ../shared/fixtures/blocklists) and checks its bookkeeping against an independent count.
//
//   npx tsx scripts/check-shared-fixtures.ts [DIR]
//
// Fails (exit 1) unless, for every file, valid + problems == rows, rows equals the number of
// data records counted by csv-parse in its plainest configuration (below), and rows equals the
// count stated in DIR/README.md when the README's table states one. Exits 0 when DIR does not
// exist: a clone without ../shared has nothing to check.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { parseBlocklist } from "../server/imports/parse.js";
import type { RowIssue } from "../server/imports/report.js";

const HEADER_FIRST_CELL = "domain";

/**
 * The independent count: csv-parse with only `bom` and `relax_column_count` (no record-delimiter,
 * quote or blank-line options), minus records that are one empty or whitespace-only field (blank
 * lines), minus the first record when its first cell is `domain` or `#domain`.
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

async function checkFile(dir: string, file: string, statedRows: number | undefined) {
  const bytes = readFileSync(path.join(dir, file));
  const result = await parseBlocklist(bytes);
  if (!result.ok)
    return { ok: false, line: `${file}: not read: ${result.code}: ${result.message}` };

  const { rows, entries, problems, warnings } = result;
  let recordCount: number | string;
  try {
    recordCount = countDataRecords(bytes);
  } catch (error) {
    recordCount = `uncountable (${(error as Error).message})`;
  }
  const failures = [
    entries.length + problems.length !== rows && `valid + problems != rows`,
    recordCount !== rows && `rows != csv records (${recordCount})`,
    statedRows !== undefined && statedRows !== rows && `rows != README (${statedRows})`,
  ].filter(Boolean);
  const readme = statedRows === undefined ? "" : `, README ${statedRows}`;
  return {
    ok: failures.length === 0,
    line:
      `${file}: rows ${rows} (csv records ${recordCount}${readme}), valid ${entries.length}, ` +
      `problems ${problems.length} {${countByCode(problems)}}, ` +
      `warnings ${warnings.length} {${countByCode(warnings)}}` +
      (result.ignoredColumns.length > 0
        ? `, ignored columns ${result.ignoredColumns.join(" ")}`
        : "") +
      ` — ${failures.length === 0 ? "ok" : `FAIL: ${failures.join("; ")}`}`,
  };
}

async function main(): Promise<number> {
  const dir = path.resolve(process.argv[2] ?? "../shared/fixtures/blocklists");
  if (!existsSync(dir)) {
    console.log(`skipped: ${dir} not found`);
    return 0;
  }
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".csv"))
    .sort();
  const stated = statedRowCounts(dir);
  let failed = 0;
  for (const file of files) {
    const { ok, line } = await checkFile(dir, file, stated.get(file));
    console.log(line);
    if (!ok) failed += 1;
  }
  console.log(`${files.length} files checked, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
