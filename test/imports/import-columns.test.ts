// Naming the columns of a file without a header (`columns=`, issue 16 bug 4): fyrfli's rows
// `domain,suspend,true,true,true` lost their flags because nothing said what columns 3-5 mean.
// The report shows every column of the file; `columns=` (query or multipart field) names them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { packageRoot } from "../../server/paths.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";

const fyrfli = readFileSync(
  join(packageRoot, "test/fixtures/blocklists/headerless-five-columns.csv"),
);
const FIVE = "domain,severity,reject_media,reject_reports,obfuscate";

let app: TestApp;
let curator: Member;
let lists = 0;

beforeAll(async () => {
  app = await startTestApp();
  curator = await addMember(app, "cora", "c.example", "curator");
});
afterAll(() => app.close());

async function newList(): Promise<string> {
  const slug = `columns-${++lists}`;
  await createList(app.ctx, "system", { slug, name: slug, visibility: "public", policy: {} });
  return slug;
}

const upload = (slug: string, query: string, body: Buffer | string, fields = {}) => {
  const post = request(app.url)
    .post(`/api/v1/lists/${slug}/imports${query}`)
    .set("Authorization", `Bearer ${curator.token}`);
  for (const [name, value] of Object.entries(fields)) void post.field(name, value as string);
  return post.attach("file", Buffer.isBuffer(body) ? body : Buffer.from(body), {
    filename: "blocklist.csv",
    contentType: "text/csv",
  });
};

const entryCount = async (slug: string) =>
  app.ctx.db.prisma.entry.count({ where: { list: { slug } } });

describe("a file without a header", () => {
  test("the report shows every column, what it is read as and the first row's cell", async () => {
    const slug = await newList();
    const response = await upload(slug, "?dryRun=true&direct=true", fyrfli);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      hasHeader: false,
      columns: ["domain", "severity"],
      ignoredColumns: ["columns 3-5"],
    });
    expect(response.body.fileColumns).toEqual([
      { name: null, readAs: "domain", example: "*.wildcard-one.example" },
      { name: null, readAs: "severity", example: "suspend" },
      { name: null, readAs: null, example: "true" },
      { name: null, readAs: null, example: "true" },
      { name: null, readAs: null, example: "true" },
    ]);
  });

  test("columns= as a query parameter reads the flags: a direct import keeps them", async () => {
    const slug = await newList();
    const response = await upload(slug, `?direct=true&columns=${encodeURIComponent(FIVE)}`, fyrfli);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      columns: ["domain", "severity", "reject_media", "reject_reports", "obfuscate"],
      ignoredColumns: [],
      report: { rows: 12, valid: 7 },
      result: { added: 7 },
    });
    const entries = await app.ctx.db.prisma.entry.findMany({
      where: { list: { slug } },
      orderBy: { domain: "asc" },
    });
    expect(entries).toHaveLength(7);
    for (const entry of entries) {
      expect(entry).toMatchObject({ rejectMedia: true, rejectReports: true, obfuscate: true });
    }
    expect(entries.find((entry) => entry.domain === "pizza.example.org")?.severity).toBe("silence");
  });

  test("columns= as a multipart field works the same; an empty name skips a column", async () => {
    const slug = await newList();
    const response = await upload(slug, "?dryRun=true&direct=true", fyrfli, {
      columns: "domain,severity,,reject_reports,",
    });
    expect(response.status).toBe(200);
    expect(response.body.columns).toEqual(["domain", "severity", "reject_reports"]);
    expect(response.body.ignoredColumns).toEqual(["column 3", "column 5"]);
    expect(response.body.fileColumns.map((c: { readAs: string | null }) => c.readAs)).toEqual([
      "domain",
      "severity",
      null,
      "reject_reports",
      null,
    ]);
  });

  test("a named severity column is read as under a header: a word that is none is a problem", async () => {
    const slug = await newList();
    const csv = "a.example,silense,true\nb.example,silence,false\n";
    const plain = await upload(slug, "?dryRun=true&direct=true", csv);
    expect(plain.body.report.problems).toEqual([]);
    expect(plain.body.report.warnings.map((w: { code: string }) => w.code)).toEqual([
      "not_severity",
    ]);
    const named = await upload(slug, "?dryRun=true&direct=true", csv, {
      columns: "domain,severity,reject_media",
    });
    expect(named.body.report.problems).toMatchObject([
      { line: 1, domain: "a.example", code: "unknown_severity" },
    ]);
  });
});

describe("bad columns are a 400 that says what to fix, and write nothing", () => {
  test("an unknown name, a name twice, no domain", async () => {
    const slug = await newList();
    const cases: [string, RegExp][] = [
      ["domain,severity,reject_medai,reject_reports,obfuscate", /"reject_medai" \(column 3\)/],
      ["domain,severity,obfuscate,reject_reports,obfuscate", /obfuscate is named twice/],
      ["severity,,reject_media,reject_reports,obfuscate", /no column is named domain/],
    ];
    for (const [columns, message] of cases) {
      const response = await upload(slug, `?direct=true&columns=${columns}`, fyrfli);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe("invalid_columns");
      expect(response.body.detail).toMatch(message);
      expect(response.body.errors[0].field).toBe("columns");
    }
    expect(await entryCount(slug)).toBe(0);
  });

  test("a count that is not the file's number of columns names both", async () => {
    const slug = await newList();
    const response = await upload(slug, "?direct=true&columns=domain,severity", fyrfli);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("column_count");
    expect(response.body.detail).toMatch(
      /names 2 columns but the file's widest row \(line 1\) has 5 fields/,
    );
    expect(await entryCount(slug)).toBe(0);
  });

  test("a file with a header names its own columns", async () => {
    const slug = await newList();
    const response = await upload(
      slug,
      "?direct=true&columns=domain,severity",
      "domain,severity\na.example,silence\n",
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("columns_with_header");
    expect(await entryCount(slug)).toBe(0);
  });

  test("a query parameter and a form field that disagree", async () => {
    const slug = await newList();
    const response = await upload(slug, `?direct=true&columns=${FIVE}`, fyrfli, {
      columns: "domain,severity,,,",
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe("columns");
    expect(await entryCount(slug)).toBe(0);
  });
});
