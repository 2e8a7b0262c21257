// An entry's URL works with the domain as people write it: Unicode, any case, a trailing dot,
// since the path is read through the same normalizer as every stored domain (SPEC §2).
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { seedEntries } from "../support/seed.js";

let app: TestApp;
let curatorToken: string;

beforeAll(async () => {
  app = await startTestApp();
  await addAccount(app.ctx, "cora", "curator", "cora.example");
  curatorToken = await tokenFor(app.ctx, "cora", ["read", "write"]);
  await createList(app.ctx, "system", { slug: "pub", name: "Public" });
  await seedEntries(app.ctx, "pub", [{ domain: "xn--trt-tna.eu" }, { domain: "example.com" }]);
});
afterAll(() => app.close());

test.each([
  ["tröt.eu", "xn--trt-tna.eu"],
  ["TRÖT.EU", "xn--trt-tna.eu"],
  ["xn--trt-tna.eu", "xn--trt-tna.eu"],
  ["example.com.", "example.com"],
  ["Example.COM", "example.com"],
])("GET …/entries/%s finds %s", async (written, stored) => {
  const response = await request(app.url).get(
    `/api/v1/lists/pub/entries/${encodeURIComponent(written)}`,
  );
  expect(response.status).toBe(200);
  expect(response.body.entry.domain).toBe(stored);
});

test("a curator's edit by the Unicode name edits the stored entry", async () => {
  const response = await request(app.url)
    .patch(`/api/v1/lists/pub/entries/${encodeURIComponent("tröt.eu")}`)
    .set("Authorization", `Bearer ${curatorToken}`)
    .send({ publicComment: "edited by its Unicode name" });
  expect(response.status).toBe(200);
  const entry = await request(app.url).get("/api/v1/lists/pub/entries/xn--trt-tna.eu");
  expect(entry.body.entry.publicComment).toBe("edited by its Unicode name");
});

test("a name that is not a domain is simply not listed", async () => {
  const response = await request(app.url).get(
    `/api/v1/lists/pub/entries/${encodeURIComponent("exa*ple.com")}`,
  );
  expect(response.status).toBe(404);
  expect(response.body.code).toBe("not_found");
});
