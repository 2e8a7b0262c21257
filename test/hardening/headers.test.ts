// SPEC §9 "security headers set", as docs/security.md describes them: helmet's set on every
// answer of the Express app, and the fixed set of the export fast path, which answers before
// Express runs, behind a public https URL (HSTS on).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { send } from "./harness.js";

let app: TestApp;
let admin: Member;

beforeAll(async () => {
  app = await startTestApp({ env: { FEDIBLOCK_PUBLIC_URL: "https://blocklists.example" } });
  admin = await addMember(app, "root", "root.example", "admin");
  for (const [slug, visibility] of [
    ["open", "public"],
    ["closed", "members"],
  ]) {
    const created = await admin.api.post("/api/v1/lists", { slug, name: slug, visibility });
    expect(created.status).toBe(201);
  }
});
afterAll(() => app.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  send(app.url, { method: "GET", path, headers });

describe("the Express app", () => {
  test.each([["/healthz"], ["/api/v1/lists"], ["/api/v1/nothing"], ["/"]])(
    "%s carries helmet's headers and HSTS",
    async (path) => {
      const response = await get(path);
      expect(response.headers["content-security-policy"]).toMatch(/default-src 'self'/);
      expect(response.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(response.headers["content-security-policy"]).toMatch(/object-src 'none'/);
      expect(response.headers).toMatchObject({
        "x-content-type-options": "nosniff",
        "x-frame-options": "SAMEORIGIN",
        "referrer-policy": "no-referrer",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
      });
      expect(response.headers["x-powered-by"]).toBeUndefined();
    },
  );
});

describe("the export fast path", () => {
  /** An export is data: only what protects it, never the page headers (CSP, frames, referrer). */
  const exportOnly = (headers: Record<string, unknown>) => {
    expect(headers["x-content-type-options"]).toBe("nosniff");
    for (const name of ["content-security-policy", "x-frame-options", "referrer-policy"]) {
      expect(headers[name], name).toBeUndefined();
    }
  };
  const fixed = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "no-referrer",
  };

  test("a public export: nosniff, HSTS, and readable from any origin; no page headers", async () => {
    const response = await get("/lists/open.csv");
    expect(response.status).toBe(200);
    exportOnly(response.headers);
    expect(response.headers).toMatchObject({
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "access-control-allow-origin": "*",
      "cache-control": "public, max-age=60",
    });
    const revalidated = await get("/lists/open.csv", {
      "If-None-Match": String(response.headers.etag),
    });
    expect(revalidated.status).toBe(304);
    exportOnly(revalidated.headers);
    expect(revalidated.headers).toMatchObject({
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "access-control-allow-origin": "*",
    });
  });

  test("a members-only export: private, varies by credentials, never shared across origins", async () => {
    const response = await get("/lists/closed.csv", { Authorization: `Bearer ${admin.token}` });
    expect(response.status).toBe(200);
    exportOnly(response.headers);
    expect(response.headers).toMatchObject({
      "cache-control": "private, no-cache",
      vary: "Authorization, Cookie, Accept-Encoding",
    });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("its problems are API answers: the full fixed set", async () => {
    const response = await get("/lists/closed.csv");
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(response.headers).toMatchObject(fixed);
  });
});
