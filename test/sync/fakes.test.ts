// The fakes behave like the real servers where the sync depends on it.
import { afterEach, describe, expect, test } from "vitest";
import { covers, type BlockFields } from "../../server/sync/block.js";
import {
  GOTOSOCIAL_ADMIN_TOKEN,
  startFakeGoToSocial,
  type FakeGoToSocial,
} from "../fakes/gotosocial.js";
import {
  MASTODON_ADMIN_TOKEN,
  MASTODON_NOT_STAFF_TOKEN,
  MASTODON_READ_ONLY_TOKEN,
  startFakeMastodon,
  type FakeMastodon,
} from "../fakes/mastodon.js";

const COLLECTION = "/api/v1/admin/domain_blocks";

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; form?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = options.form;
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    link: response.headers.get("link"),
    json: text ? JSON.parse(text) : null,
  };
}

describe("the fake Mastodon", () => {
  let fake: FakeMastodon;
  afterEach(async () => {
    await fake.close();
  });
  const get = (path: string, token = MASTODON_ADMIN_TOKEN) =>
    call(fake.url, "GET", path, { token });

  test("pages by id, newest first: 100 by default, at most 200, next only on full pages", async () => {
    fake = await startFakeMastodon();
    const ids = Array.from({ length: 250 }, (_, i) =>
      fake.seed({ domain: `d${i}.example` }).id.toString(),
    );
    const first = await get(COLLECTION);
    expect(first.json).toHaveLength(100);
    expect(first.json[0].id).toBe(ids[249]);
    expect(first.link).toBe(
      `<${fake.url}${COLLECTION}?max_id=${ids[150]}>; rel="next", <${fake.url}${COLLECTION}?min_id=${ids[249]}>; rel="prev"`,
    );
    const big = await get(`${COLLECTION}?limit=500`);
    expect(big.json).toHaveLength(200);
    const last = await get(`${COLLECTION}?limit=200&max_id=${ids[50]}`);
    expect(last.json.map((block: { id: string }) => block.id)).toEqual(ids.slice(0, 50).reverse());
    expect(last.link).not.toContain('rel="next"');
    const since = await get(`${COLLECTION}?since_id=${ids[246]}`);
    expect(since.json.map((block: { id: string }) => block.id)).toEqual([
      ids[249],
      ids[248],
      ids[247],
    ]);
    const min = await get(`${COLLECTION}?limit=2&min_id=${ids[10]}`);
    expect(min.json.map((block: { id: string }) => block.id)).toEqual([ids[12], ids[11]]);
  });

  test("answers 401 without or with an unknown token, 403 without the scope", async () => {
    fake = await startFakeMastodon();
    expect((await call(fake.url, "GET", COLLECTION)).status).toBe(401);
    expect(await get(COLLECTION, "unknown")).toMatchObject({
      status: 401,
      json: { error: "The access token is invalid" },
    });
    expect((await get(COLLECTION, MASTODON_READ_ONLY_TOKEN)).status).toBe(200);
    const write = await call(fake.url, "POST", COLLECTION, {
      token: MASTODON_READ_ONLY_TOKEN,
      json: { domain: "a.example" },
    });
    expect(write).toMatchObject({
      status: 403,
      json: { error: "This action is outside the authorized scopes" },
    });
  });

  test("grants admin:read:domain_blocks by itself or admin:read, never by a bare admin or read", async () => {
    fake = await startFakeMastodon({
      tokens: {
        admin: ["admin"],
        read: ["read", "write"],
        parent: ["admin:read", "admin:write"],
        child: ["admin:read:domain_blocks", "admin:write:domain_blocks"],
        other: ["admin:read:accounts", "admin:write:accounts"],
      },
    });
    const status = async (token: string) => [
      (await get(COLLECTION, token)).status,
      (await call(fake.url, "POST", COLLECTION, { token, json: { domain: `${token}.example` } }))
        .status,
    ];
    expect(await status("admin")).toEqual([403, 403]);
    expect(await status("read")).toEqual([403, 403]);
    expect(await status("other")).toEqual([403, 403]);
    expect(await status("parent")).toEqual([200, 200]);
    expect(await status("child")).toEqual([200, 200]);
  });

  test("answers 403 not allowed when the token has the scopes but its account is not staff", async () => {
    fake = await startFakeMastodon();
    expect(await get(COLLECTION, MASTODON_NOT_STAFF_TOKEN)).toMatchObject({
      status: 403,
      json: { error: "This action is not allowed" },
    });
    const write = await call(fake.url, "POST", COLLECTION, {
      token: MASTODON_NOT_STAFF_TOKEN,
      json: { domain: "a.example" },
    });
    expect(write).toMatchObject({ status: 403, json: { error: "This action is not allowed" } });
    expect(fake.blocks()).toEqual([]);
    expect((await get("/api/v1/instance", MASTODON_NOT_STAFF_TOKEN)).status).toBe(200);
  });

  test("rate limits like rack-attack: X-RateLimit-* on every answer, a 429 without Retry-After", async () => {
    fake = await startFakeMastodon();
    fake.limitRate(2, 60_000);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(
        await fetch(`${fake.url}${COLLECTION}`, {
          headers: { authorization: `Bearer ${MASTODON_ADMIN_TOKEN}` },
        }),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(answers.map((answer) => answer.headers.get("x-ratelimit-remaining"))).toEqual([
      "1",
      "0",
      "0",
    ]);
    const throttled = answers[2]!;
    expect(throttled.headers.get("x-ratelimit-limit")).toBe("2");
    expect(throttled.headers.get("x-ratelimit-reset")).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
    );
    expect(throttled.headers.get("retry-after")).toBeNull();
    expect(await throttled.json()).toEqual({ error: "Too many requests" });
  });

  test("creates from JSON or form bodies, refusing a blocked domain or a parent not less strict", async () => {
    fake = await startFakeMastodon();
    const post = (json: unknown) =>
      call(fake.url, "POST", COLLECTION, { token: MASTODON_ADMIN_TOKEN, json });
    const created = await call(fake.url, "POST", COLLECTION, {
      token: MASTODON_ADMIN_TOKEN,
      form: "domain=Evil.Example&severity=silence&reject_media=1&public_comment=spam",
    });
    expect(created).toMatchObject({
      status: 200,
      json: {
        domain: "evil.example",
        severity: "silence",
        reject_media: true,
        reject_reports: false,
        public_comment: "spam",
        private_comment: null,
      },
    });
    const again = await post({ domain: "evil.example", severity: "suspend" });
    expect(again).toMatchObject({
      status: 422,
      json: {
        error: "You have already imposed stricter limits on evil.example.",
        existing_domain_block: { id: created.json.id },
      },
    });
    expect((await post({ domain: "a.evil.example", severity: "silence" })).status).toBe(422);
    expect(
      (await post({ domain: "b.evil.example", severity: "silence", reject_reports: true })).status,
    ).toBe(422);
    expect(
      (
        await post({
          domain: "b.evil.example",
          severity: "silence",
          reject_media: true,
          reject_reports: true,
        })
      ).status,
    ).toBe(200);
    expect((await post({ domain: "c.evil.example", severity: "suspend" })).status).toBe(200);
    expect((await post({ domain: "" })).json).toEqual({
      error: "Validation failed: Domain can't be blank",
    });
  });

  test("refuses a subdomain only when the sync's plan says its parent covers it", async () => {
    // The fake is the reference for Mastodon's rule; the plan has its own copy. For every pair
    // of (parent, child) blocks: a 422 from the fake ⇒ covers() in the plan, so no run ever
    // POSTs a block that cannot be created. The plan also skips what the fake would accept when
    // the parent is equally strict (SPEC §7.3): those pairs are exactly the equal-or-stricter ones.
    fake = await startFakeMastodon();
    const kinds: BlockFields[] = [];
    for (const severity of ["suspend", "silence", "noop"] as const) {
      for (const reject_media of [false, true]) {
        for (const reject_reports of [false, true]) {
          kinds.push({
            severity,
            reject_media,
            reject_reports,
            public_comment: "",
            obfuscate: false,
          });
        }
      }
    }
    const disagreements: string[] = [];
    for (const [p, parent] of kinds.entries()) {
      fake.seed({ domain: `p${p}.example`, ...parent });
      for (const [c, child] of kinds.entries()) {
        const { status } = await call(fake.url, "POST", COLLECTION, {
          token: MASTODON_ADMIN_TOKEN,
          json: { domain: `c${c}.p${p}.example`, ...child },
        });
        const refused = status === 422;
        const equallyStrict =
          parent.severity === "suspend" ||
          (parent.severity === child.severity &&
            (parent.reject_media || !child.reject_media) &&
            (parent.reject_reports || !child.reject_reports));
        if (covers(parent, child) !== (refused || equallyStrict)) {
          disagreements.push(`${JSON.stringify(child)} under ${JSON.stringify(parent)}: ${status}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(fake.blocks().length).toBeGreaterThan(kinds.length);
  });

  test("updates the permitted fields, deletes, and answers 404 for unknown ids", async () => {
    fake = await startFakeMastodon();
    const { id } = fake.seed({ domain: "a.example" });
    const path = `${COLLECTION}/${id}`;
    const put = await call(fake.url, "PUT", path, {
      token: MASTODON_ADMIN_TOKEN,
      json: { severity: "suspend", domain: "b.example" },
    });
    expect(put.json).toMatchObject({ id: id.toString(), domain: "a.example", severity: "suspend" });
    expect(await call(fake.url, "DELETE", path, { token: MASTODON_ADMIN_TOKEN })).toMatchObject({
      status: 200,
      json: {},
    });
    expect(await get(path)).toMatchObject({ status: 404, json: { error: "Record not found" } });
  });

  test("answers the public instance endpoint", async () => {
    fake = await startFakeMastodon({ instanceDomain: "social.example" });
    expect((await call(fake.url, "GET", "/api/v1/instance")).json).toMatchObject({
      uri: "social.example",
    });
  });
});

describe("the fake GoToSocial", () => {
  let fake: FakeGoToSocial;
  afterEach(async () => {
    await fake.close();
  });
  const send = (method: string, path: string, json?: unknown) =>
    call(fake.url, method, path, { token: GOTOSOCIAL_ADMIN_TOKEN, json });

  test("answers every block at once, without severities", async () => {
    fake = await startFakeGoToSocial();
    for (let i = 0; i < 250; i++) fake.seed({ domain: `d${i}.example` });
    const all = await send("GET", COLLECTION);
    expect(all.json).toHaveLength(250);
    expect(all.link).toBeNull();
    expect(all.json[0]).not.toHaveProperty("severity");
  });

  test("creates suspensions (ignoring severity), answers the existing block for a blocked domain", async () => {
    fake = await startFakeGoToSocial();
    const created = await send("POST", COLLECTION, {
      domain: "a.example",
      severity: "silence",
      reject_media: true,
      public_comment: "x",
    });
    expect(created.json).toMatchObject({
      domain: "a.example",
      public_comment: "x",
      obfuscate: false,
    });
    expect(created.json.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const again = await send("POST", COLLECTION, { domain: "a.example", public_comment: "y" });
    expect(again).toMatchObject({
      status: 200,
      json: { id: created.json.id, public_comment: "x" },
    });
    expect(fake.blocks()).toHaveLength(1);
  });

  test("updates only comments and obfuscate, deletes answering the block, 404 after", async () => {
    fake = await startFakeGoToSocial();
    const { id } = fake.seed({ domain: "a.example" });
    const updated = await send("PUT", `${COLLECTION}/${id}`, {
      domain: "b.example",
      obfuscate: true,
      private_comment: "p",
    });
    expect(updated.json).toMatchObject({
      domain: "a.example",
      obfuscate: true,
      private_comment: "p",
    });
    expect((await send("DELETE", `${COLLECTION}/${id}`)).json).toMatchObject({
      id,
      domain: "a.example",
    });
    expect((await send("GET", `${COLLECTION}/${id}`)).status).toBe(404);
  });

  test("answers 401 for an unknown token", async () => {
    fake = await startFakeGoToSocial();
    expect((await call(fake.url, "GET", COLLECTION, { token: "nope" })).status).toBe(401);
  });
});
