// Imports through HTTP (SPEC §5): the report, then proposals or a direct write, in one
// transaction; the limits; and the round trip of every fixture through export.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList, findVisibleList } from "../../server/lists/lists.service.js";
import { parseBlocklist } from "../../server/imports/parse.js";
import { packageRoot } from "../../server/paths.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { generatedBlocklistText } from "../support/blocklist-generator.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries } from "../support/seed.js";
import { testDialect } from "../support/database.js";
import { FIXTURE_EXPECTATIONS } from "./fixture-expectations.js";

const fixtures = join(packageRoot, "test/fixtures/blocklists");
const fixture = (name: string) => readFileSync(join(fixtures, name));

let app: TestApp;
let member: Member, curator: Member;
let lists = 0;

beforeAll(async () => {
  app = await startTestApp();
  member = await addMember(app, "mia", "m.example");
  curator = await addMember(app, "cora", "c.example", "curator");
});
afterAll(() => app.close());

async function newList(
  policy: Record<string, unknown> = {},
  visibility: "public" | "members" = "public",
): Promise<string> {
  const slug = `import-${++lists}`;
  await createList(app.ctx, "system", {
    slug,
    name: slug,
    visibility,
    policy: { quorum: 3, minOpenHours: 0, ...policy },
  });
  return slug;
}

const state = async (slug: string) => {
  const list = await app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug } });
  return {
    revision: list.revision,
    entries: await app.ctx.db.prisma.entry.count({ where: { listId: list.id } }),
    proposals: await app.ctx.db.prisma.proposal.count({ where: { listId: list.id } }),
    changes: await app.ctx.db.prisma.listChange.count({ where: { listId: list.id } }),
  };
};

const post = (who: Member, path: string) =>
  request(app.url).post(path).set("Authorization", `Bearer ${who.token}`);
const upload = (
  who: Member,
  slug: string,
  query: string,
  body: Buffer | string,
  name = "list.csv",
) =>
  post(who, `/api/v1/lists/${slug}/imports${query}`).attach(
    "file",
    Buffer.isBuffer(body) ? body : Buffer.from(body),
    { filename: name, contentType: "text/csv" },
  );

describe("the report", () => {
  test("a dry run of a real messy list accounts for every row and writes nothing", async () => {
    const slug = await newList();
    const before = await state(slug);
    const response = await upload(
      member,
      slug,
      "?dryRun=true",
      fixture("lea-lgbt__blocklist.csv"),
      "lea.csv",
    );
    expect(response.status).toBe(200);
    const { report } = response.body;
    expect(report).toMatchObject({
      rows: 238,
      valid: 228,
      new: 228,
      alreadyListed: 0,
      alreadyProposed: 0,
      changed: 0,
    });
    expect(report.valid + report.problems.length).toBe(report.rows);
    expect(report.problems.every((p: { code: string }) => p.code === "duplicate")).toBe(true);
    expect(report.problems[0]).toEqual({
      line: expect.any(Number),
      domain: expect.any(String),
      code: "duplicate",
      message: expect.stringMatching(/already on line \d+/),
    });
    expect(report.warnings.filter((w: { code: string }) => w.code === "boolean")).toHaveLength(11);
    expect(response.body).toMatchObject({
      dryRun: true,
      mode: "proposals",
      file: "lea.csv",
      result: null,
    });
    expect(response.body.preview).toHaveLength(200);
    expect(await state(slug)).toEqual(before);
  });

  test("rows are classified new, already listed, already proposed or changed", async () => {
    const slug = await newList();
    await seedEntries(app.ctx, slug, [
      { domain: "same.example", severity: "suspend" },
      { domain: "differs.example", severity: "silence" },
    ]);
    await member.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "pending.example",
      severity: "suspend",
    });
    const csv =
      "#domain,#severity\nsame.example,suspend\ndiffers.example,suspend\npending.example,suspend\nfresh.example,noop\n";
    const response = await upload(member, slug, "?dryRun=true", csv);
    expect(response.body.report).toMatchObject({
      rows: 4,
      valid: 4,
      new: 1,
      alreadyListed: 1,
      alreadyProposed: 1,
      changed: 1,
    });
    expect(
      response.body.preview.map((row: { domain: string; status: string }) => [
        row.domain,
        row.status,
      ]),
    ).toEqual([
      ["same.example", "alreadyListed"],
      ["differs.example", "changed"],
      ["pending.example", "alreadyProposed"],
      ["fresh.example", "new"],
    ]);
  });

  test("a text/csv body works like a multipart upload", async () => {
    const slug = await newList();
    const response = await post(member, `/api/v1/lists/${slug}/imports?dryRun=true`)
      .set("Content-Type", "text/csv")
      .send("domain,severity\nx.example,silence\n");
    expect(response.status).toBe(200);
    expect(response.body.report).toMatchObject({ rows: 1, valid: 1, new: 1 });
    expect(response.body.file).toBeNull();
  });
});

describe("applying as a member: proposals", () => {
  test("opens one add proposal per new domain, with the file's fields, in one go", async () => {
    const slug = await newList();
    const csv =
      '#domain,#severity,#reject_media,#public_comment\none.example,suspend,false,"Spam, lots"\ntwo.example,silence,true,\n';
    const response = await upload(member, slug, "", csv, "mine.csv");
    expect(response.status).toBe(201);
    expect(response.body.result.proposals).toHaveLength(2);
    const [first] = response.body.result.proposals as number[];
    const proposal = await member.api.get(`/api/v1/proposals/${first}`);
    expect(proposal.body).toMatchObject({
      kind: "add",
      domain: "one.example",
      severity: "suspend",
      publicComment: "Spam, lots",
      status: "open",
      reason: "Imported from mine.csv (line 2).",
    });
    const again = await upload(member, slug, "?dryRun=true", csv);
    expect(again.body.report).toMatchObject({ new: 0, alreadyProposed: 2 });
  });

  test("more than 100 new domains need a curator: 403, nothing opened", async () => {
    const slug = await newList();
    const response = await upload(member, slug, "", generatedBlocklistText(101));
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("proposal_limit");
    expect(response.body.detail).toMatch(/101 proposals/);
    expect((await state(slug)).proposals).toBe(0);
  });

  test("an account of no instance may dry-run an import, but not open its proposals", async () => {
    const slug = await newList();
    const account = await addAccount(app.ctx, "nobody-admin", "admin", null);
    const token = await tokenFor(app.ctx, account.username);
    const csv = "domain\nlonely.example\n";
    const send = (query: string) =>
      request(app.url)
        .post(`/api/v1/lists/${slug}/imports${query}`)
        .set("Authorization", `Bearer ${token}`)
        .set("Content-Type", "text/csv")
        .send(csv);
    const dry = await send("?dryRun=true");
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ mode: "proposals", report: { rows: 1, new: 1 } });
    const applied = await send("");
    expect(applied.status).toBe(403);
    expect(applied.body.code).toBe("no_instance");
    expect((await state(slug)).proposals).toBe(0);
  });

  test("a member may not import directly", async () => {
    const slug = await newList();
    const response = await upload(member, slug, "?direct=true", "domain\nx.example\n");
    expect(response.status).toBe(403);
    expect((await state(slug)).entries).toBe(0);
  });
});

describe("applying as a curator: direct", () => {
  test("writes new and changed rows as one revision, with the change feed and one audit event naming the file", async () => {
    const slug = await newList();
    await seedEntries(app.ctx, slug, [
      { domain: "old.example", severity: "silence", privateComment: "keep me", tags: ["spam"] },
    ]);
    const csv =
      "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nold.example,suspend,false,false,Now worse,false\nnew.example,noop,true,true,,true\n";
    const response = await upload(curator, slug, "?direct=true", csv, "seed.csv");
    expect(response.status).toBe(201);
    expect(response.body.result).toEqual({ revision: 2, added: 1, changed: 1 });

    const old = await curator.api.get(`/api/v1/lists/${slug}/entries/old.example`);
    expect(old.body.entry).toMatchObject({
      severity: "suspend",
      publicComment: "Now worse",
      privateComment: "keep me",
      tags: ["spam"],
    });
    const feed = await request(app.url).get(`/api/v1/lists/${slug}/changes?since=1`);
    expect(
      feed.body.changes.map((c: { revision: number; action: string; domain: string }) => [
        c.revision,
        c.action,
        c.domain,
      ]),
    ).toEqual([
      [2, "changed", "old.example"],
      [2, "added", "new.example"],
    ]);
    expect(feed.body.changes[0].entry).not.toHaveProperty("privateComment");
    // The snapshot of a changed entry is exactly an entry, without internal columns.
    expect(Object.keys(feed.body.changes[0].entry).sort()).toEqual([
      "createdAt",
      "domain",
      "obfuscate",
      "publicComment",
      "rejectMedia",
      "rejectReports",
      "severity",
      "tags",
      "updatedAt",
    ]);
    const audit = await curator.api.get(`/api/v1/audit?list=${slug}&limit=5`);
    expect(audit.body.items[0]).toMatchObject({
      action: "import.direct",
      subject: "seed.csv",
      actor: { username: "cora" },
      after: { added: 1, changed: 1, revision: 2 },
    });

    const again = await upload(curator, slug, "?direct=true", csv, "seed.csv");
    expect(again.body.result).toEqual({ revision: 2, added: 0, changed: 0 });
    expect(again.body.report.alreadyListed).toBe(2);
  });

  // 5 data rows: 1 already listed, 1 changed, 1 new, 1 duplicate, 1 invalid.
  const auditCsv =
    "#domain,#severity\nkept.example,suspend\nworse.example,suspend\nfresh.example,noop\nfresh.example,noop\nhttp://url.example/\n";
  const seedAuditList = async () => {
    const slug = await newList();
    await seedEntries(app.ctx, slug, [
      { domain: "kept.example", severity: "suspend" },
      { domain: "worse.example", severity: "silence" },
    ]);
    return slug;
  };
  const lastAudit = async (slug: string) =>
    (await curator.api.get(`/api/v1/audit?list=${slug}&limit=1`)).body.items[0];

  test("the audit event of a multipart upload names the file and counts the file's rows", async () => {
    const slug = await seedAuditList();
    const response = await upload(curator, slug, "?direct=true", auditCsv, "from-disk.csv");
    expect(response.status).toBe(201);
    expect(response.body.report).toMatchObject({ rows: 5, valid: 3 });
    expect(await lastAudit(slug)).toMatchObject({
      action: "import.direct",
      subject: "from-disk.csv",
      after: { file: "from-disk.csv", rows: 5, valid: 3, added: 1, changed: 1 },
    });
  });

  test("a text/csv body is named by ?filename=, and is an uploaded file without it", async () => {
    const named = await seedAuditList();
    const response = await post(
      curator,
      `/api/v1/lists/${named}/imports?direct=true&filename=pasted.csv`,
    )
      .set("Content-Type", "text/csv")
      .send(auditCsv);
    expect(response.status).toBe(201);
    expect(response.body.file).toBe("pasted.csv");
    expect(await lastAudit(named)).toMatchObject({
      action: "import.direct",
      subject: "pasted.csv",
      after: { file: "pasted.csv", rows: 5, valid: 3, added: 1, changed: 1 },
    });

    const unnamed = await seedAuditList();
    await post(curator, `/api/v1/lists/${unnamed}/imports?direct=true`)
      .set("Content-Type", "text/csv")
      .send(auditCsv)
      .expect(201);
    expect(await lastAudit(unnamed)).toMatchObject({
      subject: "uploaded file",
      after: { file: null, rows: 5, valid: 3 },
    });
  });

  test("?filename= must be a short name, and only for a text/csv body", async () => {
    const slug = await newList();
    const send = (query: string) =>
      post(curator, `/api/v1/lists/${slug}/imports?dryRun=true&${query}`)
        .set("Content-Type", "text/csv")
        .send("domain\nx.example\n");
    for (const query of [`filename=${"a".repeat(256)}`, "filename=", "filename=a%0Ab.csv"]) {
      const refused = await send(query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe("query.filename");
    }
    expect((await send(`filename=${"a".repeat(255)}`)).status).toBe(200);
    const both = await upload(
      curator,
      slug,
      "?dryRun=true&filename=other.csv",
      "domain\nx.example\n",
    );
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toEqual({
      field: "filename",
      message: expect.stringContaining("multipart"),
    });
  });

  const files = readdirSync(fixtures).filter((name) => name.endsWith(".csv"));
  test.each(files)(
    "%s: every valid row round-trips through a direct import and the CSV export",
    async (name) => {
      // Real lists carry TLD entries (`cf`): a list that allows them takes every valid row.
      const slug = await newList({ allowBroad: true });
      const response = await upload(curator, slug, "?direct=true", fixture(name), name);
      expect(response.status).toBe(201);
      const expected = FIXTURE_EXPECTATIONS[name]!;
      expect(response.body.report).toMatchObject({
        rows: expected.rows,
        valid: expected.valid,
        new: expected.valid,
      });
      expect(response.body.result).toMatchObject({ added: expected.valid, changed: 0 });

      const parsed = await parseBlocklist(fixture(name));
      if (!parsed.ok) throw new Error(parsed.message);
      const exported = parse((await request(app.url).get(`/lists/${slug}.csv`)).text, {
        columns: true,
      }) as Record<string, string>[];
      const byDomain = new Map(exported.map((row) => [row["#domain"], row]));
      expect(exported).toHaveLength(parsed.entries.length);
      for (const entry of parsed.entries) {
        expect(byDomain.get(entry.domain), entry.domain).toEqual({
          "#domain": entry.domain,
          "#severity": entry.severity,
          "#reject_media": String(entry.rejectMedia),
          "#reject_reports": String(entry.rejectReports),
          "#public_comment": entry.publicComment,
          "#obfuscate": String(entry.obfuscate),
        });
      }
    },
  );
});

describe("limits and bad files", () => {
  test("a 60,000-row file is refused with 413 and changes nothing", async () => {
    const slug = await newList();
    const before = await state(slug);
    const response = await upload(curator, slug, "?direct=true", generatedBlocklistText(60_000));
    expect(response.status).toBe(413);
    expect(response.body.detail).toMatch(/more than 50,000 rows/);
    expect(await state(slug)).toEqual(before);
  });

  test("a file over 10 MB is refused with 413", async () => {
    const slug = await newList();
    const body =
      "#domain,#severity,#public_comment\n" + `a.example,suspend,${"x".repeat(11 * 1024 * 1024)}\n`;
    const response = await upload(curator, slug, "?dryRun=true", body);
    expect(response.status).toBe(413);
    expect(response.body.detail).toMatch(/10 MB/);
  });

  test("an unclosed quote is a 400 naming the line", async () => {
    const slug = await newList();
    const response = await upload(
      curator,
      slug,
      "?dryRun=true",
      '#domain,#severity,#public_comment\na.example,suspend,"open\nb.example,suspend,x\n',
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("malformed_csv");
    expect(response.body.errors[0].line).toBe(2);
  });

  test("no file, or a bad flag, is a 4xx that says what to send", async () => {
    const slug = await newList();
    const none = await post(curator, `/api/v1/lists/${slug}/imports?dryRun=true`)
      .set("Content-Type", "application/json")
      .send({});
    expect(none.status).toBe(415);
    const flag = await upload(curator, slug, "?dryRun=maybe", "domain\nx.example\n");
    expect(flag.status).toBe(400);
    expect(flag.body.errors[0].field).toBe("query.dryRun");
  });

  test("an unknown list is 404", async () => {
    expect(
      (await upload(curator, "no-such-list", "?dryRun=true", "domain\nx.example\n")).status,
    ).toBe(404);
  });

  test("a members-only list answers anonymous callers as an unknown list does", async () => {
    const slug = await newList({}, "members");
    const anonymous = (target: string) =>
      request(app.url)
        .post(`/api/v1/lists/${target}/imports?dryRun=true`)
        .set("Content-Type", "text/csv")
        .send("domain\nx.example\n");
    const hidden = await anonymous(slug);
    const unknown = await anonymous("no-such-list");
    // Imports need an account, so both are refused before any list is looked up: the same
    // status, code and detail, so the answer does not tell that the list exists.
    expect(hidden.status).toBe(unknown.status);
    expect(hidden.status).toBe(401);
    expect({ code: hidden.body.code, detail: hidden.body.detail }).toEqual({
      code: unknown.body.code,
      detail: unknown.body.detail,
    });
    expect(JSON.stringify(hidden.body)).not.toContain(slug);
    // The service itself hides the list from a caller who is not signed in.
    await expect(findVisibleList(app.ctx.db.prisma, null, slug)).rejects.toMatchObject({
      status: 404,
    });
  });

  test("a member of an instance imports into a members-only list", async () => {
    const slug = await newList({}, "members");
    const csv = "domain,severity\nhidden-one.example,suspend\nhidden-two.example,silence\n";
    const dry = await upload(member, slug, "?dryRun=true", csv);
    expect(dry.status).toBe(200);
    expect(dry.body.report).toMatchObject({ rows: 2, valid: 2, new: 2 });
    const applied = await upload(member, slug, "", csv);
    expect(applied.status).toBe(201);
    expect(applied.body.result.proposals).toHaveLength(2);
    expect((await state(slug)).proposals).toBe(2);
  });
});

describe.skipIf(testDialect !== "sqlite")("atomicity", () => {
  test("an import that fails on its last row leaves the list and its revision unchanged", async () => {
    const slug = await newList();
    await seedEntries(app.ctx, slug, [{ domain: "before.example" }]);
    const before = await state(slug);
    // A real constraint failure on the last row, raised by the database itself.
    await app.ctx.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_last BEFORE INSERT ON "Entry" WHEN NEW.domain = 'last.example' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`,
    );
    try {
      const csv =
        "#domain\n" +
        Array.from({ length: 999 }, (_, i) => `ok${i}.example`).join("\n") +
        "\nlast.example\n";
      const response = await upload(curator, slug, "?direct=true", csv);
      expect(response.status).toBe(500);
      expect(await state(slug)).toEqual(before);
    } finally {
      await app.ctx.db.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_last`);
    }
  });
});
