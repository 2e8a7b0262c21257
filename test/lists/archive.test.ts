// Archiving a list (ADR 0027): read-only, no proposal, import or entry edit (409 list_archived),
// its exports and its subscribers' merged feed keep its last revision; an admin unarchives it.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, policy, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member, curator: Member, alice: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  curator = await addMember(app, "cora", "curators.example", "curator");
  alice = await addMember(app, "alice", "a.example");
});
afterAll(() => app.close());

const csvImport = (member: Member, slug: string, query: string) =>
  request(app.url)
    .post(`/api/v1/lists/${slug}/imports${query}`)
    .set("Authorization", `Bearer ${member.token}`)
    .set("Content-Type", "text/csv")
    .send("domain,severity\nnew.example,suspend\n");

describe("an archived list", () => {
  const slug = "archived-one";

  beforeAll(async () => {
    expect(
      (await admin.api.post("/api/v1/lists", { slug, name: "Archived", policy: policy() })).status,
    ).toBe(201);
    const seeded = await csvImport(curator, slug, "?direct=true");
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(201);
    await alice.api.post("/api/v1/subscriptions", { list: slug });
  });

  test("cannot be archived while a proposal is open, and says which to close", async () => {
    const open = await alice.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "pending.example",
      severity: "silence",
    });
    expect(open.status).toBe(201);
    const refused = await admin.api.patch(`/api/v1/lists/${slug}`, { archived: true });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("list_has_open_proposals");
    expect(refused.body.detail).toContain("1 open proposal");
    expect((await request(app.url).get(`/api/v1/lists/${slug}`)).body.archivedAt).toBeNull();
    expect((await alice.api.post(`/api/v1/proposals/${open.body.id}/withdraw`)).status).toBe(200);
  });

  test("only an admin archives it; then it takes no proposal, import or entry edit", async () => {
    expect((await curator.api.patch(`/api/v1/lists/${slug}`, { archived: true })).status).toBe(403);
    const csvBefore = await request(app.url).get(`/lists/${slug}.csv`);
    const archived = await admin.api.patch(`/api/v1/lists/${slug}`, { archived: true });
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));

    const proposal = await alice.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "late.example",
      severity: "suspend",
    });
    expect(proposal.status).toBe(409);
    expect(proposal.body.code).toBe("list_archived");
    expect(proposal.body.detail).toMatch(/^The list archived-one is archived .*no proposals/);
    for (const query of ["", "?dryRun=true", "?direct=true"]) {
      const who = query === "?direct=true" ? curator : alice;
      const imported = await csvImport(who, slug, query);
      expect(imported.status, query).toBe(409);
      expect(imported.body.code).toBe("list_archived");
      expect(imported.body.detail).toContain("it takes no imports");
    }
    const edit = await curator.api.patch(`/api/v1/lists/${slug}/entries/new.example`, {
      publicComment: "edited",
    });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe("list_archived");

    // The exports and the subscriber's merged feed keep the last revision.
    const csvAfter = await request(app.url).get(`/lists/${slug}.csv`);
    expect(csvAfter.status).toBe(200);
    expect(csvAfter.text).toBe(csvBefore.text);
    expect(csvAfter.text).toContain("new.example");
    const feed = await alice.api.get("/api/v1/subscriptions/export.txt");
    expect(feed.status).toBe(200);
    expect(feed.text).toContain("new.example");

    const audit = await admin.api.get(`/api/v1/audit?list=${slug}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toContain(
      "list.archived",
    );
  });

  test("an admin unarchives it and it takes proposals again", async () => {
    const unarchived = await admin.api.patch(`/api/v1/lists/${slug}`, { archived: false });
    expect(unarchived.status).toBe(200);
    expect(unarchived.body.archivedAt).toBeNull();
    const proposal = await alice.api.post(`/api/v1/lists/${slug}/proposals`, {
      kind: "add",
      domain: "again.example",
      severity: "suspend",
    });
    expect(proposal.status).toBe(201);
    const audit = await admin.api.get(`/api/v1/audit?list=${slug}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toContain(
      "list.unarchived",
    );
  });

  test("an invalid archived value is a 400 naming the field", async () => {
    const bad = await admin.api.patch(`/api/v1/lists/${slug}`, { archived: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: "archived", message: "expected true or false" }),
    ]);
  });
});

describe("editing a list's settings", () => {
  test("name, description, visibility and policy change together, audited", async () => {
    const slug = "edited";
    await admin.api.post("/api/v1/lists", { slug, name: "Before", policy: policy() });
    const edited = await admin.api.patch(`/api/v1/lists/${slug}`, {
      name: "After",
      description: "Now described.",
      visibility: "members",
      policy: { quorum: 5, threshold: 0.75, severityRule: "strictest" },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      name: "After",
      description: "Now described.",
      visibility: "members",
      policy: { quorum: 5, threshold: 0.75, severityRule: "strictest", votingDays: 14 },
      archivedAt: null,
    });
    expect((await request(app.url).get(`/api/v1/lists/${slug}`)).status).toBe(404);
  });
});
