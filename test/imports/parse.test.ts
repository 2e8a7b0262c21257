import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseBlocklist } from "../../server/imports/parse.js";
import type { ParsedBlocklist, RowIssue } from "../../server/imports/report.js";
import { FIXTURE_EXPECTATIONS } from "./fixture-expectations.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/blocklists/", import.meta.url));

function countByCode(issues: RowIssue<string>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { code } of issues) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

async function parseFixture(file: string): Promise<ParsedBlocklist> {
  const result = await parseBlocklist(readFileSync(`${FIXTURES}${file}`));
  if (!result.ok) throw new Error(`${file} was not read: ${result.message}`);
  return result;
}

test("every fixture file has expectations, and every expectation a file", () => {
  const files = readdirSync(FIXTURES).filter((file) => file.endsWith(".csv"));
  expect(files.sort()).toEqual(Object.keys(FIXTURE_EXPECTATIONS).sort());
});

describe("fixtures parse to their documented counts", () => {
  test.each(Object.entries(FIXTURE_EXPECTATIONS))("%s", async (file, expected) => {
    const parsed = await parseFixture(file);
    expect({
      rows: parsed.rows,
      valid: parsed.entries.length,
      problems: countByCode(parsed.problems),
      warnings: countByCode(parsed.warnings),
    }).toEqual(expected);
    expect(parsed.entries.length + parsed.problems.length).toBe(parsed.rows);
  });
});

describe("fixtures read field by field", () => {
  test("a Mastodon admin export keeps flags and comments, trimmed", async () => {
    const { entries, warnings } = await parseFixture("mastodon-admin-export.csv");
    expect(entries.map(({ line, domain, severity }) => [line, domain, severity])).toEqual([
      [2, "hub.example", "suspend"],
      [3, "media-only.example", "noop"],
      [4, "apostrophe.example", "suspend"],
      [5, "trailing.example", "suspend"],
      [6, "commas.example", "silence"],
      [7, "xn--e1afmkfd.example", "suspend"],
      [8, "plain.example", "suspend"],
    ]);
    expect(entries[1]).toMatchObject({ rejectMedia: true, rejectReports: false, obfuscate: true });
    expect(entries[2]!.publicComment).toBe("Admin says they don’t moderate");
    expect(entries[3]!.publicComment).toBe("Trailing spaces here");
    expect(entries[4]!.publicComment).toBe("Racist admin, yikes");
    expect(entries[6]).toMatchObject({ obfuscate: false, publicComment: "" });
    expect(warnings).toEqual([
      {
        line: 2,
        domain: "hub.example",
        code: "wildcard",
        message: expect.stringContaining("*.hub.example"),
      },
    ]);
  });

  test("FediBlockHole's private_comment is read by name", async () => {
    const { entries, columns } = await parseFixture("fediblockhole-export.csv");
    expect(columns).toEqual([
      "domain",
      "severity",
      "reject_media",
      "reject_reports",
      "private_comment",
      "public_comment",
      "obfuscate",
    ]);
    expect(entries[0]).toMatchObject({
      privateComment: "private note",
      publicComment: "public reason",
    });
    expect(entries[2]).toMatchObject({
      severity: "noop",
      rejectMedia: true,
      rejectReports: true,
      obfuscate: true,
      privateComment: "private, with a comma",
      publicComment: "public, with a comma",
    });
  });

  test("a partial header leaves the other fields at their defaults, and `null` is no comment", async () => {
    const { entries, columns } = await parseFixture("partial-header-null.csv");
    expect(columns).toEqual(["domain", "severity", "reject_media", "public_comment"]);
    expect(entries[0]).toEqual({
      line: 2,
      domain: "partial-one.example",
      severity: "suspend",
      rejectMedia: true,
      rejectReports: false,
      obfuscate: false,
      publicComment: "",
      privateComment: "",
    });
    expect(entries.map((entry) => entry.publicComment)).toEqual(["", "Spam", "", ""]);
  });

  test("IDN domains become punycode, and their punycode twins are duplicates", async () => {
    const { entries, problems } = await parseFixture("python-booleans-idn.csv");
    expect(entries.map((entry) => entry.domain)).toContain("xn--fsqu00a.xn--0zwm56d.example");
    expect(problems).toEqual([
      {
        line: 10,
        domain: "xn--trt-tna.example",
        code: "duplicate",
        message: "xn--trt-tna.example is already on line 3",
      },
      {
        line: 11,
        domain: "xn--e1afmkfd.example",
        code: "duplicate",
        message: "xn--e1afmkfd.example is already on line 5",
      },
    ]);
  });

  test("Unicode TLDs become punycode, and each name's other form is a duplicate", async () => {
    const { entries, problems } = await parseFixture("unicode-tlds.csv");
    // Expected punycode from the README's python3 `idna` one-liner, not from the parser.
    expect(entries.map(({ line, domain }) => [line, domain])).toEqual([
      [2, "xn--e1afmkfd.xn--80asehdb"],
      [3, "xn--zckzah.xn--q9jyb4c"],
      [4, "xn--fsqu00a.xn--g6w83yh7l.xn--kpry57d"],
      [5, "xn--y9atn0a2c3a.xn--y9a3aq"],
      [6, "xn--y9a.xn--y9abk1il.xn--y9a3aq"],
      [7, "xn--e1aybc.xn--80asehdb"],
      [8, "xn--y9a3aq"],
      [13, "xn--vck8cuc4a.xn--q9jyb4c"],
    ]);
    expect(entries[4]!.severity).toBe("silence");
    expect(entries[5]).toMatchObject({ obfuscate: true, publicComment: "Invented admin" });
    expect(problems.map(({ line, code, message }) => [line, code, message])).toEqual([
      [9, "duplicate", "xn--e1afmkfd.xn--80asehdb is already on line 2"],
      [10, "duplicate", "xn--zckzah.xn--q9jyb4c is already on line 3"],
      [11, "duplicate", "xn--fsqu00a.xn--g6w83yh7l.xn--kpry57d is already on line 4"],
      [12, "duplicate", "xn--y9a.xn--y9abk1il.xn--y9a3aq is already on line 6"],
      [14, "duplicate", "xn--vck8cuc4a.xn--q9jyb4c is already on line 13"],
      [15, "duplicate", "xn--e1aybc.xn--80asehdb is already on line 7"],
      [16, "duplicate", "xn--y9a3aq is already on line 8"],
    ]);
  });

  test("a header-less file's second column is a severity only when it is one", async () => {
    const { entries, warnings } = await parseFixture("headerless-severity.csv");
    expect(entries.map(({ line, domain, severity }) => [line, domain, severity])).toEqual([
      [1, "hl-one.example", "silence"],
      [2, "hl-two.example", "silence"],
      [3, "hl-three.example", "suspend"],
      [4, "hl-four.example", "suspend"],
      [5, "hl-five.example", "noop"],
      [6, "hl-six.example", "suspend"],
      [7, "hl-seven.example", "suspend"],
    ]);
    expect(warnings.map(({ line, code }) => [line, code])).toEqual([
      [2, "severity_alias"],
      [3, "not_severity"],
      [7, "not_severity"],
    ]);
    expect(warnings[2]!.message).toContain('"silense" is not a severity');
  });

  test("a header-less file reads the domain and severity and says it ignored the rest", async () => {
    const parsed = await parseFixture("headerless-five-columns.csv");
    expect(parsed).toMatchObject({
      hasHeader: false,
      columns: ["domain", "severity"],
      ignoredColumns: ["columns 3-5"],
    });
    expect(parsed.entries[0]).toMatchObject({
      line: 1,
      domain: "wildcard-one.example",
      rejectMedia: false,
      rejectReports: false,
      obfuscate: false,
    });
    // Column 2 is a severity on every row, so it is read as one: no not_severity warning.
    expect(parsed.entries.map(({ line, severity }) => [line, severity])).toEqual([
      [1, "suspend"],
      [2, "suspend"],
      [5, "suspend"],
      [7, "suspend"],
      [8, "silence"],
      [9, "suspend"],
      [12, "suspend"],
    ]);
    expect(parsed.warnings.map((warning) => warning.code).sort()).toEqual([
      "defanged",
      "wildcard",
      "wildcard",
    ]);
    expect(parsed.problems.map(({ line, code }) => [line, code])).toEqual([
      [3, "obfuscated"],
      [4, "obfuscated"],
      [6, "invalid_domain"],
      [10, "duplicate"],
      [11, "duplicate"],
    ]);
  });
});
