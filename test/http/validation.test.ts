import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allRoutes } from "../../server/http/routes/index.js";
import { addAccount, startTestApp, tokenFor, type TestApp } from "../support/app.js";

let app: TestApp;
let adminToken: string;

beforeAll(async () => {
  app = await startTestApp();
  await addAccount(app.ctx, "root", "admin", null);
  adminToken = await tokenFor(app.ctx, "root", ["read", "write", "admin"]);
});
afterAll(() => app.close());

const post = (path: string) =>
  request(app.url).post(path).set("Authorization", `Bearer ${adminToken}`);

describe("malformed input is a 400 problem+json that says what to fix", () => {
  test("a malformed JSON body", async () => {
    const response = await post("/api/v1/instances")
      .set("Content-Type", "application/json")
      .send('{"domain": ');
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 400,
      code: "malformed_json",
      title: "Bad Request",
    });
    expect(response.body.type).toBe("urn:fediblock:problem:malformed_json");
    expect(response.body.detail).toMatch(/not valid JSON/);
  });

  test("a field of the wrong type names the field", async () => {
    const response = await post("/api/v1/instances").send({ domain: 42, name: "x" });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("invalid_request");
    expect(response.body.errors).toEqual([
      { field: "domain", message: expect.stringMatching(/domain/) },
    ]);
  });

  test("an unknown field is refused and named", async () => {
    const response = await post("/api/v1/instances").send({ domain: "a.example", nmae: "typo" });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: "nmae", message: "unknown field" }]);
  });

  test("a nested wrong type names the path", async () => {
    const response = await post("/api/v1/tokens").send({ name: "x", scopes: ["read", 7] });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe("scopes.1");
  });

  test("an invalid domain says why", async () => {
    const response = await post("/api/v1/instances").send({ domain: "https://a.example/about" });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: "domain", message: expect.stringMatching(/URL/) },
    ]);
  });

  test("a body that is not JSON at all is 415", async () => {
    const response = await post("/api/v1/instances")
      .set("Content-Type", "text/plain")
      .send("domain=a.example");
    expect(response.status).toBe(415);
    expect(response.body.code).toBe("unsupported_media_type");
  });

  test("an oversized JSON body is 413", async () => {
    const response = await post("/api/v1/instances").send({
      domain: "a.example",
      name: "x".repeat(400_000),
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe("too_large");
  });

  test("a route that takes no body refuses one that holds fields, naming them", async () => {
    const token = await post("/api/v1/tokens").send({ name: "to revoke", scopes: ["read"] });
    expect(token.status).toBe(201);
    const revoke = () =>
      request(app.url)
        .delete(`/api/v1/tokens/${token.body.id}`)
        .set("Authorization", `Bearer ${adminToken}`);

    const withFields = await revoke().send({ reason: "x" });
    expect(withFields.status).toBe(400);
    expect(withFields.body.errors).toEqual([
      { field: "reason", message: expect.stringMatching(/takes no body/) },
    ]);
    const notAnObject = await revoke().set("Content-Type", "application/json").send("[1]");
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.detail).toMatch(/takes no body/);

    // Refused means not done: the token still works, and an empty body or none revokes it.
    const list = await request(app.url)
      .get("/api/v1/tokens")
      .set("Authorization", `Bearer ${adminToken}`);
    expect(list.body.items.map((t: { id: number }) => t.id)).toContain(token.body.id);
    expect((await revoke().send({})).status).toBe(204);
  });

  test("an anonymous caller is refused before the service reads its upload", async () => {
    // A 9 MB body to a route that needs an account: the answer is 401, not 413 or a parse error,
    // and it comes without the body having been read (the request may be cut short).
    const body = "domain\n" + "a.example\n".repeat(900_000);
    const response = await request(app.url)
      .post("/api/v1/lists/any/imports?dryRun=true")
      .set("Content-Type", "text/csv")
      .send(body)
      .catch((error: { response?: request.Response }) => error.response);
    expect(response?.status).toBe(401);
    const malformed = await request(app.url)
      .post("/api/v1/instances")
      .set("Content-Type", "application/json")
      .send('{"domain": ');
    expect(malformed.status).toBe(401);
  });

  test("an unknown API route is a 404 problem", async () => {
    const response = await request(app.url).get("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.code).toBe("not_found");
  });
});

describe("system routes", () => {
  test("/healthz checks the database", async () => {
    const response = await request(app.url).get("/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", database: "ok" });
  });

  test("security headers are set", async () => {
    const response = await request(app.url).get("/healthz");
    expect(response.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });

  test("/api/openapi.json documents every route of the route table, from the same schemas", async () => {
    const response = await request(app.url).get("/api/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    for (const route of allRoutes) {
      const path = route.path.replace(/:([A-Za-z_]+)/g, "{$1}");
      expect(
        response.body.paths[path]?.[route.method],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
    const createInstance = response.body.paths["/api/v1/instances"].post;
    expect(createInstance.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["domain"],
    });
  });

  test("/metrics needs an admin token or the metrics token", async () => {
    expect((await request(app.url).get("/metrics")).status).toBe(401);
    const member = await addAccount(app.ctx, "mia", "member", "a.example");
    const memberToken = await tokenFor(app.ctx, member.username, ["read"]);
    expect(
      (await request(app.url).get("/metrics").set("Authorization", `Bearer ${memberToken}`)).status,
    ).toBe(403);
    const response = await request(app.url)
      .get("/metrics")
      .set("Authorization", `Bearer ${adminToken}`);
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^fediblock_accounts 2$/m);
    expect(response.text).toMatch(
      /fediblock_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
  });

  test("/metrics accepts FEDIBLOCK_METRICS_TOKEN", async () => {
    const other = await startTestApp({
      env: { FEDIBLOCK_METRICS_TOKEN: "scrape-secret-0123456789" },
    });
    try {
      const ok = await request(other.url)
        .get("/metrics")
        .set("Authorization", "Bearer scrape-secret-0123456789");
      expect(ok.status).toBe(200);
      expect(ok.text).toMatch(/fediblock_lists 0/);
      const wrong = await request(other.url)
        .get("/metrics")
        .set("Authorization", "Bearer scrape-secret-wrong-00");
      expect(wrong.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("record ids beyond the database's integer range", () => {
  test.each([
    ["/api/v1/proposals/99999999999", "path.id"],
    ["/api/v1/proposals/2147483648", "path.id"],
    ["/api/v1/audit?cursor=99999999999", "query.cursor"],
  ])("%s is a 400, not a database error", async (path, field) => {
    const response = await request(app.url).get(path).set("Authorization", `Bearer ${adminToken}`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe("text the databases cannot store is refused at the door", () => {
  test("a NUL character in a JSON string is a 400", async () => {
    const response = await post("/api/v1/instances")
      .set("Content-Type", "application/json")
      .send('{"domain": "a.example", "name": "bad\\u0000name"}');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("malformed_json");
    expect(response.body.detail).toMatch(/NUL/);
  });

  test("a NUL character in a path parameter is a 400 naming it", async () => {
    const response = await request(app.url)
      .delete("/api/v1/tokens/%00")
      .set("Authorization", `Bearer ${adminToken}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe("path.id");
  });

  test("a CSV file holding a NUL character is refused as not text", async () => {
    await request(app.url)
      .post("/api/v1/lists")
      .set("Authorization", `Bearer ${adminToken}`)
      .send({ slug: "nul", name: "NUL" });
    const response = await request(app.url)
      .post("/api/v1/lists/nul/imports?dryRun=true&direct=true")
      .set("Authorization", `Bearer ${adminToken}`)
      .set("Content-Type", "text/csv")
      .send(
        "#domain,#severity,#public_comment\na.example,suspend,fine\nb.example,suspend,bad\u0000comment\n",
      );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("malformed_csv");
    expect(response.body.errors).toEqual([
      { line: 3, message: expect.stringMatching(/NUL character/) },
    ]);
  });
});
