// How a direct import meets the entries already listed (issue 16 bug 5, ADR 0026): seeding a
// list from several files let the last one win, silently (baraag.net lost "lolicon,
// child-porn" to a later file's empty cell). `merge=max` is the default into a list with entries;
// the report lists downgrades and erased comments before anything is written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readColumnMapping } from "../../server/imports/columns.js";
import { parseBlocklist } from "../../server/imports/parse.js";
import { createList } from "../../server/lists/lists.service.js";
import { atLeastAsStrict, type Severity } from "../../server/lists/vocabulary.js";
import { packageRoot } from "../../server/paths.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";

const FYRFLI_COLUMNS = "domain,severity,reject_media,reject_reports,obfuscate";

/**
 * The local stand-ins of the eight shared fixtures, in the shared directory's (alphabetical)
 * order: fyrfli, gardenfence, iftas, lea-lgbt, mstdn, oliphant's two, takouhai
 * (test/fixtures/blocklists/README.md says which quirks each reproduces).
 */
const SEEDS: { file: string; columns?: string }[] = [
  { file: "headerless-five-columns.csv", columns: FYRFLI_COLUMNS },
  { file: "quoted-comma-tags.csv" },
  { file: "quoted-uppercase-canary.csv" },
  { file: "lea-lgbt__blocklist.csv" },
  { file: "mastodon-admin-export.csv" },
  { file: "oliphant___unified_max_blocklist.csv" },
  { file: "oliphant__mastodon.social.csv" },
  { file: "python-booleans-idn.csv" },
];
const fixture = (name: string) => readFileSync(join(packageRoot, "test/fixtures/blocklists", name));

let app: TestApp;
let curator: Member;
let lists = 0;

beforeAll(async () => {
  app = await startTestApp();
  curator = await addMember(app, "cora", "c.example", "curator");
});
afterAll(() => app.close());

async function newList(): Promise<string> {
  const slug = `merge-${++lists}`;
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

const entriesOf = async (slug: string) =>
  new Map(
    (await app.ctx.db.prisma.entry.findMany({ where: { list: { slug } } })).map((entry) => [
      entry.domain,
      { ...entry, severity: entry.severity as Severity },
    ]),
  );

async function seed(slug: string, merge?: string) {
  const answers = [];
  for (const { file, columns } of SEEDS) {
    const query = new URLSearchParams({ direct: "true" });
    if (columns) query.set("columns", columns);
    if (merge) query.set("merge", merge);
    const response = await upload(slug, `?${query}`, fixture(file));
    expect(response.status, `${file}: ${JSON.stringify(response.body)}`).toBe(201);
    answers.push(response.body);
  }
  return answers;
}

describe("seeding a list from the eight fixtures, one after another", () => {
  test("with the default (max), no entry is less strict than its strictest source row, and no comment is lost", async () => {
    const slug = await newList();
    const answers = await seed(slug);
    expect(answers.map((answer) => answer.merge)).toEqual([
      "replace",
      ...Array(SEEDS.length - 1).fill("max"),
    ]);
    for (const answer of answers) {
      expect(answer.report.downgrades).toEqual([]);
      expect(answer.report.erasedComments).toEqual([]);
    }

    const entries = await entriesOf(slug);
    expect(entries.size).toBeGreaterThan(3000);
    let compared = 0;
    for (const { file, columns } of SEEDS) {
      const mapping = columns ? readColumnMapping(columns) : null;
      const parsed = await parseBlocklist(fixture(file), {
        columns: mapping?.ok ? mapping.mapping : undefined,
      });
      if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
      for (const row of parsed.entries) {
        const entry = entries.get(row.domain);
        if (!entry) continue; // refused by the list's domain rules (a public suffix)
        compared += 1;
        expect(atLeastAsStrict(entry, row), `${row.domain} (${file} line ${row.line})`).toBe(true);
        if (row.publicComment !== "")
          expect(entry.publicComment, `${row.domain} (${file})`).not.toBe("");
      }
    }
    expect(compared).toBeGreaterThan(3500);
    expect(entries.get("baraag.net")?.publicComment).toBe("lolicon, child-porn");
  });

  test("with merge=replace, the last file wins as before, and each report says what it cost", async () => {
    const slug = await newList();
    const answers = await seed(slug, "replace");
    const erased = answers.flatMap((answer) => answer.report.erasedComments);
    expect(erased).toContainEqual({
      line: expect.any(Number),
      domain: "baraag.net",
      field: "public_comment",
      before: "lolicon, child-porn",
      after: "",
    });
    expect(answers.flatMap((answer) => answer.report.downgrades).length).toBeGreaterThan(0);
    expect((await entriesOf(slug)).get("baraag.net")?.publicComment).toBe("");
  });
});

describe("the report of a direct import into a list with entries", () => {
  const csv =
    "#domain,#severity,#reject_media,#reject_reports,#public_comment\n" +
    "kept.example,silence,false,false,\n" +
    "same.example,suspend,false,false,spam\n" +
    "worse.example,suspend,true,false,\n" +
    "fresh.example,noop,false,false,\n";
  const listed = async () => {
    const slug = await newList();
    await seedEntries(app.ctx, slug, [
      { domain: "kept.example", severity: "suspend", rejectMedia: true, publicComment: "CSAM" },
      { domain: "same.example", severity: "suspend", publicComment: "spam" },
      { domain: "worse.example", severity: "silence", publicComment: "harassment" },
    ]);
    return slug;
  };

  test("a dry run with merge=replace lists the downgrades and erased comments, and writes nothing", async () => {
    const slug = await listed();
    const response = await upload(slug, "?direct=true&dryRun=true&merge=replace", csv);
    expect(response.status).toBe(200);
    expect(response.body.merge).toBe("replace");
    expect(response.body.report).toMatchObject({ new: 1, changed: 2, alreadyListed: 1 });
    expect(response.body.report.downgrades).toEqual([
      {
        line: 2,
        domain: "kept.example",
        before: { severity: "suspend", rejectMedia: true, rejectReports: false },
        after: { severity: "silence", rejectMedia: false, rejectReports: false },
      },
    ]);
    expect(response.body.report.erasedComments).toEqual([
      { line: 2, domain: "kept.example", field: "public_comment", before: "CSAM", after: "" },
      {
        line: 4,
        domain: "worse.example",
        field: "public_comment",
        before: "harassment",
        after: "",
      },
    ]);
    expect((await entriesOf(slug)).get("kept.example")?.severity).toBe("suspend");
  });

  test("by default (max) a milder row is held back as already listed; a stricter one keeps the comment", async () => {
    const slug = await listed();
    const response = await upload(slug, "?direct=true", csv);
    expect(response.status).toBe(201);
    expect(response.body.merge).toBe("max");
    expect(response.body.report).toMatchObject({
      new: 1,
      changed: 1,
      alreadyListed: 2,
      downgrades: [],
      erasedComments: [],
    });
    const entries = await entriesOf(slug);
    expect(entries.get("kept.example")).toMatchObject({
      severity: "suspend",
      rejectMedia: true,
      publicComment: "CSAM",
    });
    expect(entries.get("worse.example")).toMatchObject({
      severity: "suspend",
      rejectMedia: true,
      publicComment: "harassment",
    });
  });

  test("merge=min (a multipart field) keeps the milder severity and flags, and reports the downgrade", async () => {
    const slug = await listed();
    const response = await upload(slug, "?direct=true", csv, { merge: "min" });
    expect(response.status).toBe(201);
    expect(response.body.report.downgrades.map((row: { domain: string }) => row.domain)).toEqual([
      "kept.example",
    ]);
    const entries = await entriesOf(slug);
    expect(entries.get("kept.example")).toMatchObject({ severity: "silence", rejectMedia: false });
    expect(entries.get("worse.example")).toMatchObject({ severity: "silence", rejectMedia: false });
  });

  test("merge is a 400 without direct, or when it is not max, replace or min", async () => {
    const slug = await listed();
    const proposals = await upload(slug, "?dryRun=true&merge=max", csv);
    expect(proposals.status).toBe(400);
    expect(proposals.body.errors[0].field).toBe("merge");
    const query = await upload(slug, "?direct=true&merge=strictest", csv);
    expect(query.status).toBe(400);
    expect(query.body.errors[0].field).toBe("query.merge");
    const field = await upload(slug, "?direct=true", csv, { merge: "strictest" });
    expect(field.status).toBe(400);
    expect(field.body.errors[0]).toEqual({
      field: "merge",
      message: "merge takes max, replace or min",
    });
    expect((await entriesOf(slug)).has("fresh.example")).toBe(false);
  });
});
