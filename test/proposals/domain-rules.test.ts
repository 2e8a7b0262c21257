// The own-instance and broad-domain rules (SPEC §2, ADR 0015) on every path that can list a
// domain: propose, vote, decide, the curator's direct edit and imports, through HTTP.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isOwnInstanceDomain } from "../../server/domains/own-instance.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member, curator: Member, subCurator: Member, a: Member, b: Member;
let listCount = 0;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  curator = await addMember(app, "cora", "curators.example", "curator");
  subCurator = await addMember(app, "sid", "social.carol.co.uk", "curator");
  a = await addMember(app, "alice", "a.example");
  b = await addMember(app, "bob", "b.example");
});
afterAll(() => app.close());

async function newList(overrides: Record<string, unknown> = {}): Promise<string> {
  const slug = `rules-${++listCount}`;
  const response = await admin.api.post("/api/v1/lists", {
    slug,
    name: slug,
    policy: policy(overrides),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return slug;
}

const importCsv = (member: Member, slug: string, csv: string, query: string) =>
  request(app.url)
    .post(`/api/v1/lists/${slug}/imports?${query}`)
    .set("Authorization", `Bearer ${member.token}`)
    .set("Content-Type", "text/csv")
    .send(csv);

describe("the own instance", () => {
  test("is the domain, its subdomains and its parents up to the registrable domain, never a public suffix", () => {
    const own = "social.carol.co.uk";
    for (const target of ["social.carol.co.uk", "media.social.carol.co.uk", "carol.co.uk"]) {
      expect(isOwnInstanceDomain(own, target), target).toBe(true);
    }
    for (const target of ["co.uk", "uk", "other.co.uk", "mail.carol.co.uk", "carol.co"]) {
      expect(isOwnInstanceDomain(own, target), target).toBe(false);
    }
  });

  test("a curator can neither decide on a proposal of its parent domain nor edit or import it", async () => {
    const slug = await newList({ quorum: 5 });
    const opened = await a.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "carol.co.uk",
      severity: "suspend",
      privateComment: "evidence of abuse",
    });
    expect(opened.status).toBe(201);
    for (const outcome of ["rejected", "passed"]) {
      const decided = await subCurator.api.post(`/api/v1/proposals/${opened.body.id}/decide`, {
        outcome,
        reason: "mine",
      });
      expect(decided.status).toBe(403);
      expect(decided.body.code).toBe("own_instance");
    }
    const passed = await curator.api.post(`/api/v1/proposals/${opened.body.id}/decide`, {
      outcome: "passed",
      reason: "seen the evidence",
    });
    expect(passed.body.status).toBe("passed");

    const edit = await subCurator.api.patch(`/api/v1/lists/${slug}/entries/carol.co.uk`, {
      privateComment: "",
      evidence: [],
    });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe("own_instance");

    const imported = await importCsv(
      subCurator,
      slug,
      "domain,severity\ncarol.co.uk,noop\nmedia.social.carol.co.uk,noop\nfine.example,silence\n",
      "direct=true",
    );
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.report.problems).toMatchObject([
      { line: 2, domain: "carol.co.uk", code: "own_instance" },
      { line: 3, domain: "media.social.carol.co.uk", code: "own_instance" },
    ]);
    expect(imported.body.result).toMatchObject({ added: 1, changed: 0 });
    const entry = await curator.api.get(`/api/v1/lists/${slug}/entries/carol.co.uk`);
    expect(entry.body.entry).toMatchObject({
      severity: "suspend",
      privateComment: "evidence of abuse",
    });
  });
});

describe("broad domains", () => {
  test("without allowBroad, a public suffix can be neither proposed nor imported", async () => {
    const slug = await newList();
    for (const domain of ["com", "co.uk", "github.io"]) {
      const response = await a.api.post(`/api/v1/lists/${slug}/proposals`, {
        kind: "add",
        domain,
        severity: "suspend",
      });
      expect(response.status, domain).toBe(403);
      expect(response.body.code).toBe("broad_domain");
      expect(response.body.detail).toContain("allowBroad");
    }
    const imported = await importCsv(
      curator,
      slug,
      "domain,severity\ncf,suspend\nspam.cf,suspend\n",
      "direct=true",
    );
    expect(imported.body.report.problems).toMatchObject([
      { line: 2, domain: "cf", code: "broad_domain" },
    ]);
    expect(imported.body.result).toMatchObject({ added: 1 });
    expect(await app.ctx.db.prisma.entry.count({ where: { list: { slug }, domain: "cf" } })).toBe(
      0,
    );
  });

  test("with allowBroad, a public suffix passes by vote only: a curator's decide is refused", async () => {
    const slug = await newList({ allowBroad: true, quorum: 2 });
    const listed = await admin.api.get(`/api/v1/lists/${slug}`);
    expect(listed.body.policy.allowBroad).toBe(true);
    const opened = await a.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "cf",
      severity: "suspend",
    });
    expect(opened.status).toBe(201);
    const decided = await curator.api.post(`/api/v1/proposals/${opened.body.id}/decide`, {
      outcome: "passed",
      reason: "alone",
    });
    expect(decided.status).toBe(403);
    expect(decided.body.code).toBe("broad_domain");
    const voted = await b.api.put(`/api/v1/proposals/${opened.body.id}/vote`, { vote: "yes" });
    expect(voted.body.status).toBe("passed");

    const imported = await importCsv(curator, slug, "domain,severity\ntk,suspend\n", "direct=true");
    expect(imported.body.report.problems).toEqual([]);
    expect(imported.body.report.warnings).toMatchObject([{ line: 2, domain: "tk", code: "broad" }]);
  });

  test("the policy field defaults to false", async () => {
    const slug = await newList();
    expect((await admin.api.get(`/api/v1/lists/${slug}`)).body.policy.allowBroad).toBe(false);
  });
});
