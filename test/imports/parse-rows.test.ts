// Row by row: each outcome of SPEC §5's table, on small inline files.
import { describe, expect, test } from "vitest";
import { parseBlocklist } from "../../server/imports/parse.js";
import type { ParsedBlocklist } from "../../server/imports/report.js";

const HEADER = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

async function parsed(text: string): Promise<ParsedBlocklist> {
  const result = await parseBlocklist(text);
  if (!result.ok) throw new Error(`not read: ${result.message}`);
  expect(result.entries.length + result.problems.length).toBe(result.rows);
  return result;
}

describe("problems", () => {
  test("a duplicate names the line of the first occurrence", async () => {
    const { problems, entries } = await parsed(
      `${HEADER}\nfirst.example,suspend,false,false,,false\nother.example,suspend,false,false,,false\n*.FIRST.example.,silence,false,false,,false\n`,
    );
    expect(entries.map((entry) => entry.domain)).toEqual(["first.example", "other.example"]);
    expect(problems).toEqual([
      {
        line: 4,
        domain: "first.example",
        code: "duplicate",
        message: "first.example is already on line 2",
      },
    ]);
  });

  test("a row refused for another reason does not count as the first occurrence", async () => {
    const { problems, entries } = await parsed(
      `${HEADER}\nsame.example,blocked,false,false,,false\nsame.example,suspend,false,false,,false\n`,
    );
    expect(problems.map((problem) => problem.code)).toEqual(["unknown_severity"]);
    expect(entries.map((entry) => entry.line)).toEqual([3]);
  });

  test("more fields than the header is a problem, even when the domain is fine", async () => {
    const { problems } = await parsed(
      `${HEADER}\nseven.example,suspend,false,false,unquoted, comma,false\n`,
    );
    expect(problems).toEqual([
      {
        line: 2,
        domain: "seven.example",
        code: "field_count",
        message: "7 fields where the header has 6: quote a comment that contains a comma",
      },
    ]);
  });

  test.each([
    ["https://url.example/", "invalid_domain", /URL/],
    ["host.example:8080", "invalid_domain", /port/],
    ["ap.***.st", "obfuscated", /obfuscated/],
    ["", "empty_domain", /empty/],
  ])("domain %j is refused as %s", async (domain, code, message) => {
    const { problems } = await parsed(`${HEADER}\n${domain},suspend,false,false,,false\n`);
    expect(problems).toEqual([{ line: 2, domain, code, message: expect.stringMatching(message) }]);
  });

  test("an unknown severity names the value", async () => {
    const { problems } = await parsed(`${HEADER}\nx.example,Ban,false,false,,false\n`);
    expect(problems).toEqual([
      {
        line: 2,
        domain: "x.example",
        code: "unknown_severity",
        message: 'severity "Ban" is not suspend, silence or noop',
      },
    ]);
  });
});

describe("warnings", () => {
  test("`fale` is read as false with a boolean warning", async () => {
    const { entries, warnings } = await parsed(
      `${HEADER}\ntypo.example,suspend,true,fale,,false\n`,
    );
    expect(entries[0]).toMatchObject({ rejectMedia: true, rejectReports: false });
    expect(warnings).toEqual([
      {
        line: 2,
        domain: "typo.example",
        code: "boolean",
        message: 'reject_reports "fale" is not true or false: read as false',
      },
    ]);
  });

  test.each([
    ["true", true],
    [" TRUE ", true],
    ["T", true],
    ["1", true],
    ["Yes", true],
    ["on", true],
    ["False", false],
    ["f", false],
    ["0", false],
    ["NO", false],
    ["off", false],
    ["", false],
  ])("boolean %j is %s without a warning", async (cell, value) => {
    const { entries, warnings } = await parsed(`${HEADER}\nb.example,suspend,${cell},,,\n`);
    expect(entries[0]!.rejectMedia).toBe(value);
    expect(warnings).toEqual([]);
  });

  test("5 fields under a 6-column header: a field_count warning, the rest defaults", async () => {
    const { entries, warnings } = await parsed(
      `${HEADER}\nfive.example,silence,true,true,"racism, spam"\n`,
    );
    expect(entries[0]).toMatchObject({
      severity: "silence",
      rejectMedia: true,
      rejectReports: true,
      publicComment: "racism, spam",
      obfuscate: false,
    });
    expect(warnings).toEqual([
      {
        line: 2,
        domain: "five.example",
        code: "field_count",
        message: "5 fields where the header has 6: #obfuscate takes its default",
      },
    ]);
  });

  test("`limit` is silence with a severity_alias warning", async () => {
    const { entries, warnings } = await parsed(`${HEADER}\nl.example, Limit ,false,false,,false\n`);
    expect(entries[0]!.severity).toBe("silence");
    expect(warnings).toEqual([
      {
        line: 2,
        domain: "l.example",
        code: "severity_alias",
        message: `severity "Limit" is Mastodon's name for silence`,
      },
    ]);
  });

  test("wildcard and defanged together give both warnings on the normalized domain", async () => {
    const { entries, warnings } = await parsed(`${HEADER}\n*.evil[.]example,,,,,\n`);
    expect(entries[0]!.domain).toBe("evil.example");
    expect(warnings.map(({ code, domain }) => [code, domain])).toEqual([
      ["defanged", "evil.example"],
      ["wildcard", "evil.example"],
    ]);
  });

  test("a refused row carries no warnings", async () => {
    const { warnings, problems } = await parsed(
      `${HEADER}\n*.dup.example,limit,fale,,,\ndup.example,limit,fale,,,\n`,
    );
    expect(problems.map((problem) => problem.code)).toEqual(["duplicate"]);
    expect(warnings.map((warning) => warning.line)).toEqual([2, 2, 2]);
  });
});

describe("headers", () => {
  test.each([
    ["#domain,#severity", ["domain", "severity"]],
    ["domain,severity", ["domain", "severity"]],
    [" #Domain , Severity ", ["domain", "severity"]],
    ["Host,Severity,Comment", ["domain", "severity", "public_comment"]],
    [
      "hostname,reason,Reject-Media,reject reports",
      ["domain", "public_comment", "reject_media", "reject_reports"],
    ],
    ["severity,host", ["severity", "domain"]],
  ])("%j is a header read by name", async (header, columns) => {
    const result = await parsed(`${header}\n`);
    expect(result).toMatchObject({ hasHeader: true, columns, rows: 0 });
  });

  test("an exact column name wins over an alias, wherever it stands", async () => {
    const result = await parsed(
      "host,reason,domain,public_comment\nsource.example,x,real.example,why\n",
    );
    expect(result.entries[0]).toMatchObject({ domain: "real.example", publicComment: "why" });
    expect(result.ignoredColumns).toEqual([
      "host (column 1; domain is read from column 3)",
      "reason (column 2; public_comment is read from column 4)",
    ]);
  });

  test("columns are read by name wherever they are", async () => {
    const { entries } = await parsed(
      'public_comment,obfuscate,severity,domain\n"why, oh why",true,noop,moved.example\n',
    );
    expect(entries[0]).toMatchObject({
      domain: "moved.example",
      severity: "noop",
      obfuscate: true,
      publicComment: "why, oh why",
    });
  });

  test("unknown and repeated columns are ignored and listed once", async () => {
    const result = await parsed(
      "domain,severity,added_at,,severity\na.example,silence,2024-01-01,x,suspend\nb.example,noop,,,\n",
    );
    expect(result.ignoredColumns).toEqual([
      "added_at",
      "column 4 (no name)",
      "severity (column 5; severity is read from column 2)",
    ]);
    expect(result.entries.map((entry) => entry.severity)).toEqual(["silence", "noop"]);
    expect(result.warnings).toEqual([]);
  });

  test("a header without a domain column refuses the file", async () => {
    expect(await parseBlocklist("#host_name,#severity\na.example,suspend\n")).toEqual({
      ok: false,
      code: "no_domain_column",
      line: 1,
      message: expect.stringContaining("no domain column"),
    });
    expect(await parseBlocklist("domain name,severity\na.example,suspend\n")).toMatchObject({
      ok: false,
      code: "no_domain_column",
    });
  });

  test("a first row that starts with a domain is data, even if a cell reads like a column name", async () => {
    const result = await parsed("first.example,suspend,reason,severity\n");
    expect(result).toMatchObject({ hasHeader: false, rows: 1 });
    expect(result.entries[0]!.domain).toBe("first.example");
  });

  test("without a header, the second column is the severity only when it is one", async () => {
    const { entries, problems, warnings } = await parsed(
      "a.example,silence\nb.example\nc.example,limit\nd.example,bots from here\ne.example, Noop \n",
    );
    expect(entries.map(({ domain, severity }) => [domain, severity])).toEqual([
      ["a.example", "silence"],
      ["b.example", "suspend"],
      ["c.example", "silence"],
      ["d.example", "suspend"],
      ["e.example", "noop"],
    ]);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      {
        line: 3,
        domain: "c.example",
        code: "severity_alias",
        message: expect.stringContaining("limit"),
      },
      {
        line: 4,
        domain: "d.example",
        code: "not_severity",
        message:
          'column 2 "bots from here" is not a severity (the file has no header): read as suspend, the default',
      },
    ]);
  });

  test("without a header, a long second cell is quoted only in part", async () => {
    const { warnings } = await parsed(`long.example,${"a".repeat(100)}\n`);
    expect(warnings[0]!.message).toContain(`"${"a".repeat(40)}…"`);
  });

  test("with a header, a severity column that holds no severity is still a problem", async () => {
    const { entries, problems } = await parsed("domain,severity\nbad.example,bots\n");
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      {
        line: 2,
        domain: "bad.example",
        code: "unknown_severity",
        message: 'severity "bots" is not suspend, silence or noop',
      },
    ]);
  });
});

test("a Readable, a Buffer and a string give the same result", async () => {
  const { Readable } = await import("node:stream");
  const text = `${HEADER}\ntröt.example,silence,true,false,"a, b",false\n`;
  const fromString = await parseBlocklist(text);
  expect(await parseBlocklist(Buffer.from(text))).toEqual(fromString);
  expect(await parseBlocklist(Readable.from([Buffer.from(text)]))).toEqual(fromString);
  expect(fromString).toMatchObject({ ok: true, rows: 1 });
});
