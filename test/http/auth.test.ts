import { createHash, createHmac } from "node:crypto";
import request from "supertest";

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessionSecret } from "../../server/http/session-secret.js";
import { createList } from "../../server/lists/lists.service.js";
import {
  addAccount,
  signIn,
  startTestApp,
  tokenFor,
  type TestAccount,
  type TestApp,
} from "../support/app.js";

let app: TestApp;
let admin: TestAccount;
let alice: TestAccount;

beforeAll(async () => {
  app = await startTestApp();
  admin = await addAccount(app.ctx, "root", "admin", null);
  alice = await addAccount(app.ctx, "alice", "member", "alpha.example");
});
afterAll(() => app.close());

describe("sign-in", () => {
  test("right password: a session cookie (HttpOnly, SameSite) and who I am", async () => {
    const response = await request(app.url)
      .post("/auth/login")
      .set("Origin", app.url)
      .send({ username: "Alice", password: alice.password });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      account: { username: "alice", role: "member" },
      instance: { domain: "alpha.example" },
    });
    expect(response.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(response.headers["set-cookie"]);
    expect(cookie).toMatch(/fediblock\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  test("the session answers /api/v1/me with the CSRF token", async () => {
    const browser = await signIn(app, alice);
    const me = await browser.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      account: { username: "alice", role: "member", mustChangePassword: false },
      instance: { domain: "alpha.example", name: "alpha.example" },
      csrfToken: browser.csrfToken,
    });
  });

  test("the UI's session probe: 200 with no account when signed out, while /api/v1/me stays 401", async () => {
    const anonymous = await request(app.url).get("/auth/session");
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ account: null, instance: null });
    const me = await request(app.url).get("/api/v1/me");
    expect(me.status).toBe(401);
    expect(me.body.code).toBe("unauthenticated");

    const browser = await signIn(app, alice);
    const signedIn = await browser.get("/auth/session");
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      account: { username: "alice", role: "member", mustChangePassword: false },
      instance: { domain: "alpha.example", name: "alpha.example" },
      csrfToken: browser.csrfToken,
    });
  });

  test("wrong password or unknown user: 401 problem+json, no cookie", async () => {
    for (const body of [
      { username: "alice", password: "wrong-password-123" },
      { username: "nobody", password: "wrong-password-123" },
    ]) {
      const response = await request(app.url).post("/auth/login").send(body);
      expect(response.status).toBe(401);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, code: "unauthenticated" });
      expect(response.headers["set-cookie"]).toBeUndefined();
    }
  });

  test("a cross-origin sign-in is refused", async () => {
    const response = await request(app.url)
      .post("/auth/login")
      .set("Origin", "https://evil.example")
      .send({ username: "alice", password: alice.password });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("csrf");
  });

  test("sign-out ends the session", async () => {
    const browser = await signIn(app, alice);
    expect((await browser.post("/auth/logout")).status).toBe(204);
    expect((await browser.get("/api/v1/me")).status).toBe(401);
  });
});

describe("login throttling", () => {
  test("per account: the sixth failure in 15 minutes is refused with 429, even with the right password, until the window passes", async () => {
    const bob = await addAccount(app.ctx, "bob", "member", "alpha.example");
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await request(app.url)
        .post("/auth/login")
        .send({ username: "bob", password: "nope-nope-nope" });
      expect(response.status).toBe(401);
    }
    const blocked = await request(app.url)
      .post("/auth/login")
      .send({ username: "bob", password: bob.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe("throttled");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(900);

    app.clock.advance(15 * 60_000 + 1000);
    const allowed = await request(app.url)
      .post("/auth/login")
      .send({ username: "bob", password: bob.password });
    expect(allowed.status).toBe(200);
  });

  test("per address: twenty failures on different accounts block the address", async () => {
    await addAccount(app.ctx, "carol", "member", "alpha.example");
    for (let attempt = 0; attempt < 20; attempt++) {
      await request(app.url)
        .post("/auth/login")
        .send({ username: `guess${attempt}`, password: "nope-nope-nope" });
    }
    const blocked = await request(app.url)
      .post("/auth/login")
      .send({ username: "carol", password: "pw-carol-correct-horse" });
    expect(blocked.status).toBe(429);
    expect(blocked.body.detail).toMatch(/address/);
    app.clock.advance(15 * 60_000 + 1000);
  });
});

describe("CSRF protection of cookie-authenticated writes", () => {
  const body = { name: "laptop", scopes: ["read"] };

  test("without X-CSRF-Token: 403 csrf", async () => {
    const browser = await signIn(app, alice);
    const response = await browser.agent.post("/api/v1/tokens").set("Origin", app.url).send(body);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("csrf");
  });

  test("with a wrong token: 403 csrf", async () => {
    const browser = await signIn(app, alice);
    const response = await browser.agent
      .post("/api/v1/tokens")
      .set("Origin", app.url)
      .set("X-CSRF-Token", "x".repeat(32))
      .send(body);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("csrf");
  });

  test("with the right token but a foreign or missing Origin: 403 csrf", async () => {
    const browser = await signIn(app, alice);
    const foreign = await browser.agent
      .post("/api/v1/tokens")
      .set("Origin", "https://evil.example")
      .set("X-CSRF-Token", browser.csrfToken)
      .send(body);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe("csrf");
    const missing = await browser.agent
      .post("/api/v1/tokens")
      .set("X-CSRF-Token", browser.csrfToken)
      .send(body);
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe("csrf");
    expect(await app.ctx.db.prisma.apiToken.count({ where: { name: "laptop" } })).toBe(0);
  });

  test("with the token and a same-origin Origin: allowed", async () => {
    const browser = await signIn(app, alice);
    expect((await browser.post("/api/v1/tokens", body)).status).toBe(201);
  });

  test("CSV and multipart uploads need the token and Origin as much as JSON does", async () => {
    await createList(app.ctx, "system", { slug: "csrf-upload", name: "CSRF upload" });
    const csv = "#domain,#severity\nforged.example,suspend\n";
    const path = "/api/v1/lists/csrf-upload/imports";
    const browser = await signIn(app, alice);

    const plain = await browser.agent
      .post(path)
      .set("Origin", app.url)
      .set("Content-Type", "text/csv")
      .send(csv);
    expect(plain.status).toBe(403);
    expect(plain.body.code).toBe("csrf");
    const multipart = await browser.agent
      .post(path)
      .set("X-CSRF-Token", browser.csrfToken)
      .set("Origin", "https://evil.example")
      .attach("file", Buffer.from(csv), "blocks.csv");
    expect(multipart.status).toBe(403);
    expect(multipart.body.code).toBe("csrf");
    expect(await app.ctx.db.prisma.proposal.count({ where: { domain: "forged.example" } })).toBe(0);

    const allowed = await browser.agent
      .post(path)
      .set("X-CSRF-Token", browser.csrfToken)
      .set("Origin", app.url)
      .attach("file", Buffer.from(csv), "blocks.csv");
    expect(allowed.status).toBe(201);
    expect(await app.ctx.db.prisma.proposal.count({ where: { domain: "forged.example" } })).toBe(1);
  });

  test("bearer requests are exempt", async () => {
    const token = await tokenFor(app.ctx, "alice", ["read", "write"]);
    const response = await request(app.url)
      .post("/api/v1/tokens")
      .set("Authorization", `Bearer ${token}`)
      .send({ name: "script", scopes: ["read"] });
    expect(response.status).toBe(201);
  });
});

describe("passwords", () => {
  test("change own password: the current one is checked, the new one works and the old no longer does", async () => {
    const dave = await addAccount(app.ctx, "dave", "member", "beta.example");
    const browser = await signIn(app, dave);
    const other = await signIn(app, dave);

    const wrong = await browser.post("/api/v1/me/password", {
      currentPassword: "not-it-at-all",
      newPassword: "a-new-long-password",
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe("wrong_password");

    const short = await browser.post("/api/v1/me/password", {
      currentPassword: dave.password,
      newPassword: "short",
    });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([
      { field: "newPassword", message: expect.stringMatching(/12 characters/) },
    ]);

    const changed = await browser.post("/api/v1/me/password", {
      currentPassword: dave.password,
      newPassword: "a-new-long-password",
    });
    expect(changed.status).toBe(204);
    expect((await browser.get("/api/v1/me")).status).toBe(200);
    expect((await other.get("/api/v1/me")).status).toBe(401);
    expect(
      (
        await request(app.url)
          .post("/auth/login")
          .send({ username: "dave", password: dave.password })
      ).status,
    ).toBe(401);
    await signIn(app, { username: "dave", password: "a-new-long-password" });
  });

  test("an admin's reset answers a one-time password, ends sessions, and requires a change", async () => {
    const erin = await addAccount(app.ctx, "erin", "member", "beta.example");
    const erinBrowser = await signIn(app, erin);
    const adminBrowser = await signIn(app, admin);
    const reset = await adminBrowser.patch("/api/v1/accounts/erin", { resetPassword: true });
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    expect(reset.body.mustChangePassword).toBe(true);
    expect((await erinBrowser.get("/api/v1/me")).status).toBe(401);
    const fresh = await signIn(app, { username: "erin", password: reset.body.password });
    expect((await fresh.get("/api/v1/me")).body.account.mustChangePassword).toBe(true);
  });

  test("passwords are stored as scrypt hashes", async () => {
    const row = await app.ctx.db.prisma.account.findUniqueOrThrow({ where: { username: "alice" } });
    expect(row.passwordHash).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(row.passwordHash).not.toContain(alice.password);
  });
});

describe("disabled accounts", () => {
  test("cannot sign in, and their sessions and tokens stop working", async () => {
    const frank = await addAccount(app.ctx, "frank", "member", "gamma.example");
    const browser = await signIn(app, frank);
    const token = await tokenFor(app.ctx, "frank", ["read"]);
    const adminBrowser = await signIn(app, admin);
    const disabled = await adminBrowser.patch("/api/v1/accounts/frank", { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);

    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect(
      (await request(app.url).get("/api/v1/me").set("Authorization", `Bearer ${token}`)).status,
    ).toBe(401);
    expect(
      (
        await request(app.url)
          .post("/auth/login")
          .send({ username: "frank", password: frank.password })
      ).status,
    ).toBe(401);
  });

  test("an admin gives an account its instance; an unknown one is a 400 naming the field", async () => {
    const gina = await addAccount(app.ctx, "gina", "member", "alpha.example");
    const adminBrowser = await signIn(app, admin);
    const moved = await adminBrowser.patch("/api/v1/accounts/gina", { instance: "beta.example" });
    expect(moved.status).toBe(200);
    expect(moved.body.instance).toMatchObject({ domain: "beta.example" });
    const actor = await signIn(app, gina);
    expect((await actor.get("/api/v1/me")).body.instance).toMatchObject({
      domain: "beta.example",
    });

    const unknown = await adminBrowser.patch("/api/v1/accounts/gina", {
      instance: "nowhere.example",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({
        field: "instance",
        message: expect.stringContaining("create it first"),
      }),
    ]);
    const none = await adminBrowser.patch("/api/v1/accounts/gina", { instance: null });
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ field: "instance" });
    const row = await app.ctx.db.prisma.account.findUniqueOrThrow({
      where: { username: "gina" },
      include: { instance: true },
    });
    expect(row.instance?.domain).toBe("beta.example");
  });

  test("an admin cannot disable their own account", async () => {
    const adminBrowser = await signIn(app, admin);
    const response = await adminBrowser.patch("/api/v1/accounts/root", { disabled: true });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("self_change");
  });
});

describe("behind a TLS reverse proxy", () => {
  test("the session cookie is Secure when the proxy says the request came over https", async () => {
    const proxied = await startTestApp({
      env: { FEDIBLOCK_TRUST_PROXY: "1", FEDIBLOCK_PUBLIC_URL: "https://blocklists.example" },
    });
    try {
      await addAccount(proxied.ctx, "tess", "member", "t.example");
      const login = await request(proxied.url)
        .post("/auth/login")
        .set("X-Forwarded-Proto", "https")
        .set("Origin", "https://blocklists.example")
        .send({ username: "tess", password: "pw-tess-correct-horse" });
      expect(login.status).toBe(200);
      expect(String(login.headers["set-cookie"])).toMatch(/; Secure/i);
      expect(login.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    } finally {
      await proxied.close();
    }
  });
});

describe("a one-time password", () => {
  test("must be changed before the session may do anything but read who it is, change it, or sign out", async () => {
    const { createAccount } = await import("../../server/accounts/accounts.service.js");
    const created = await createAccount(app.ctx, "system", {
      username: "otto",
      role: "member",
      instance: "o.example",
      createInstance: true,
    });
    const browser = await signIn(app, { username: "otto", password: created.password });

    const refused = await browser.get("/api/v1/tokens");
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("password_change_required");
    expect((await browser.post("/api/v1/tokens", { name: "x", scopes: ["read"] })).status).toBe(
      403,
    );
    expect((await browser.get("/api/v1/me")).body.account.mustChangePassword).toBe(true);
    expect((await browser.get("/api/v1/lists")).status).toBe(200);

    const changed = await browser.post("/api/v1/me/password", {
      currentPassword: created.password,
      newPassword: "otto-chose-this-one",
    });
    expect(changed.status).toBe(204);
    expect((await browser.get("/api/v1/tokens")).status).toBe(200);
  });
});

describe("accounts an admin creates", () => {
  test("a member or curator needs an instance; an admin may have none", async () => {
    const admin = await addAccount(app.ctx, "instanceless-admin", "admin", null);
    const token = await tokenFor(app.ctx, admin.username, ["read", "write", "admin"]);
    const create = (body: object) =>
      request(app.url).post("/api/v1/accounts").set("Authorization", `Bearer ${token}`).send(body);

    for (const role of ["member", "curator"]) {
      const refused = await create({ username: `no-instance-${role}`, role, instance: null });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: "instance", message: `a ${role} needs an instance` },
      ]);
    }
    expect((await create({ username: "second-admin", role: "admin", instance: null })).status).toBe(
      201,
    );

    // Nor can an instance-less admin be turned into a member, who could not vote.
    const demote = await request(app.url)
      .patch("/api/v1/accounts/second-admin")
      .set("Authorization", `Bearer ${token}`)
      .send({ role: "member" });
    expect(demote.status).toBe(400);
    expect(demote.body.errors[0].field).toBe("instance");
  });
});

describe("stored session ids", () => {
  const sign = (value: string, secret: string) =>
    `s:${value}.${createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "")}`;

  test("the table holds only a hash of the session id; a stored id signed with the secret is no session", async () => {
    const response = await request(app.url)
      .post("/auth/login")
      .set("Origin", app.url)
      .send({ username: "alice", password: alice.password });
    expect(response.status).toBe(200);
    const cookie = /fediblock\.sid=([^;]+)/.exec(String(response.headers["set-cookie"]))![1]!;
    const signed = decodeURIComponent(cookie);
    const sid = signed.slice(2, signed.lastIndexOf("."));
    const secret = await sessionSecret(app.ctx);
    expect(sign(sid, secret)).toBe(signed);

    const rows = await app.ctx.db.prisma.session.findMany({ select: { id: true } });
    const ids = rows.map((row) => row.id);
    expect(ids).not.toContain(sid);
    expect(ids).toContain(createHash("sha256").update(sid).digest("hex"));

    const asCookie = (value: string) => `fediblock.sid=${encodeURIComponent(value)}`;
    const me = (value: string) => request(app.url).get("/api/v1/me").set("Cookie", asCookie(value));
    expect((await me(signed)).status).toBe(200);
    // Whoever reads a backup has every row and the secret: no stored id signs into a session.
    for (const id of ids) expect((await me(sign(id, secret))).status).toBe(401);
  });

  test("a row written before the hash (a raw id) no longer signs anyone in", async () => {
    const raw = "raw-session-id-from-before-the-hash";
    const account = await app.ctx.db.prisma.account.findFirstOrThrow({
      where: { username: "alice" },
    });
    await app.ctx.db.prisma.session.create({
      data: {
        id: raw,
        accountId: account.id,
        data: JSON.stringify({ cookie: {}, passport: { user: account.id } }),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const response = await request(app.url)
      .get("/api/v1/me")
      .set(
        "Cookie",
        `fediblock.sid=${encodeURIComponent(sign(raw, await sessionSecret(app.ctx)))}`,
      );
    expect(response.status).toBe(401);
  });
});
