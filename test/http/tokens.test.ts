import { createHash } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAccount, signIn, startTestApp, tokenFor, type TestApp } from "../support/app.js";

let app: TestApp;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  app = await startTestApp();
  await addAccount(app.ctx, "root", "admin", null);
  await addAccount(app.ctx, "alice", "member", "alpha.example");
});
afterAll(() => app.close());

describe("API tokens", () => {
  test("created once with its secret, listed without it, used, then revoked and refused", async () => {
    const browser = await signIn(app, { username: "alice", password: "pw-alice-correct-horse" });
    const created = await browser.post("/api/v1/tokens", {
      name: "cron",
      scopes: ["read", "write"],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "cron",
      scopes: ["read", "write"],
      lastUsedAt: null,
    });
    expect(created.body.token).toMatch(/^fbk_[a-z2-7]{16}_[0-9a-f]{64}$/);
    const { id, token } = created.body as { id: string; token: string };
    expect(token.startsWith(`fbk_${id}_`)).toBe(true);

    const listed = await browser.get("/api/v1/tokens");
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(token.split("_")[2]);

    const row = await app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.secretHash).toBe(createHash("sha256").update(token.split("_")[2]!).digest("hex"));

    const me = await request(app.url).get("/api/v1/me").set(bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      account: { username: "alice", role: "member", mustChangePassword: false },
      instance: { domain: "alpha.example", name: "alpha.example" },
    });
    const used = await app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(used.lastUsedAt).toEqual(app.clock.now());

    expect((await browser.delete(`/api/v1/tokens/${id}`)).status).toBe(204);
    const refused = await request(app.url).get("/api/v1/me").set(bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthenticated");
    expect((await browser.get("/api/v1/tokens")).body.items).toHaveLength(0);
  });

  test.each([["fbk_nonsense"], ["fbk_aaaaaaaaaaaaaaaa_" + "0".repeat(64)], ["not-a-token"]])(
    "a malformed or unknown token %s is 401",
    async (token) => {
      const response = await request(app.url).get("/api/v1/me").set(bearer(token));
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/Bearer/);
    },
  );

  test("a token with a right id and a wrong secret is 401", async () => {
    const token = await tokenFor(app.ctx, "alice");
    const forged = token.slice(0, -4) + (token.endsWith("0000") ? "1111" : "0000");
    expect((await request(app.url).get("/api/v1/me").set(bearer(forged))).status).toBe(401);
  });

  test("someone else's token cannot be revoked (404)", async () => {
    await addAccount(app.ctx, "bob", "member", "beta.example");
    const bobs = await request(app.url)
      .post("/api/v1/tokens")
      .set(bearer(await tokenFor(app.ctx, "bob")))
      .send({ name: "bob's", scopes: ["read"] });
    const response = await request(app.url)
      .delete(`/api/v1/tokens/${bobs.body.id}`)
      .set(bearer(await tokenFor(app.ctx, "alice")));
    expect(response.status).toBe(404);
  });
});

describe("roles and scopes are enforced", () => {
  const newInstance = { domain: "delta.example", name: "Delta" };

  test("a member's token is refused on an admin route", async () => {
    const response = await request(app.url)
      .post("/api/v1/instances")
      .set(bearer(await tokenFor(app.ctx, "alice", ["read", "write"])))
      .send(newInstance);
    expect(response.status).toBe(403);
    expect(await app.ctx.db.prisma.instance.count({ where: { domain: "delta.example" } })).toBe(0);
  });

  test("an admin's token without the admin scope is refused on an admin route", async () => {
    const response = await request(app.url)
      .post("/api/v1/instances")
      .set(bearer(await tokenFor(app.ctx, "root", ["read", "write"])))
      .send(newInstance);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("insufficient_scope");
  });

  test("an admin's token with the admin scope is allowed", async () => {
    const response = await request(app.url)
      .post("/api/v1/instances")
      .set(bearer(await tokenFor(app.ctx, "root", ["admin"])))
      .send(newInstance);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ domain: "delta.example", name: "Delta" });
  });

  test("a read-only token cannot write", async () => {
    const response = await request(app.url)
      .post("/api/v1/tokens")
      .set(bearer(await tokenFor(app.ctx, "alice", ["read"])))
      .send({ name: "x", scopes: ["read"] });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("insufficient_scope");
  });

  test("a write-only token cannot read", async () => {
    const response = await request(app.url)
      .get("/api/v1/me")
      .set(bearer(await tokenFor(app.ctx, "alice", ["write"])));
    expect(response.status).toBe(403);
  });

  test("a member cannot hold an admin-scoped token, and a token cannot grant more than it has", async () => {
    const browser = await signIn(app, { username: "alice", password: "pw-alice-correct-horse" });
    const admin = await browser.post("/api/v1/tokens", { name: "x", scopes: ["admin"] });
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe("scope_not_allowed");

    const escalate = await request(app.url)
      .post("/api/v1/tokens")
      .set(bearer(await tokenFor(app.ctx, "root", ["write"])))
      .send({ name: "x", scopes: ["admin", "write"] });
    expect(escalate.status).toBe(403);
    expect(escalate.body.code).toBe("insufficient_scope");
  });
});
