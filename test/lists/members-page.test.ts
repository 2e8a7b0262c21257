// The public members page (issue 16): an instance is listed only once it opts in; its own
// accounts (or an admin) decide, and nothing about the others is shown.
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";

let app: TestApp;
let admin: Member, alice: Member, bob: Member;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addMember(app, "operator", "operator.example", "admin");
  alice = await addMember(app, "alice", "a.example");
  bob = await addMember(app, "bob", "b.example");
});
afterAll(() => app.close());

const members = async () => (await request(app.url).get("/api/v1/members")).body.items;

test("no instance is listed by default", async () => {
  expect(await members()).toEqual([]);
  const directory = await alice.api.get("/api/v1/instances");
  expect(directory.body.items.map((item: { listed: boolean }) => item.listed)).toEqual([
    false,
    false,
    false,
  ]);
});

test("an instance's own account opts it in and out; the page shows only it", async () => {
  const listed = await alice.api.patch("/api/v1/instances/a.example", { listed: true });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  expect(listed.body).toMatchObject({ domain: "a.example", listed: true });
  const page = await members();
  expect(page).toEqual([
    { domain: "a.example", name: "a.example", memberSince: expect.any(String) },
  ]);
  // Nothing else about it: no accounts count.
  expect(Object.keys(page[0]).sort()).toEqual(["domain", "memberSince", "name"]);

  const audit = await admin.api.get("/api/v1/audit");
  expect(audit.body.items.map((event: { action: string }) => event.action)).toContain(
    "instance.listed",
  );
  expect((await alice.api.patch("/api/v1/instances/a.example", { listed: false })).status).toBe(
    200,
  );
  expect(await members()).toEqual([]);
});

test("another instance's account may not list it; an admin may", async () => {
  const refused = await bob.api.patch("/api/v1/instances/a.example", { listed: true });
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe("not_your_instance");
  expect(await members()).toEqual([]);
  expect((await admin.api.patch("/api/v1/instances/b.example", { listed: true })).status).toBe(200);
  expect((await members()).map((item: { domain: string }) => item.domain)).toEqual(["b.example"]);
});

test("an unknown instance is a 404; a bad value a 400 naming the field", async () => {
  expect((await admin.api.patch("/api/v1/instances/nope.example", { listed: true })).status).toBe(
    404,
  );
  const bad = await alice.api.patch("/api/v1/instances/a.example", { listed: "yes" });
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([
    expect.objectContaining({ field: "listed", message: "expected true or false" }),
  ]);
});
