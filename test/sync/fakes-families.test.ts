// The fakes of Misskey/Sharkey, Akkoma/Pleroma and Lemmy behave like the real servers where the
// sync depends on it (each fake's header names the source it follows).
import { afterEach, describe, expect, test } from "vitest";
import {
  AKKOMA_ADMIN_TOKEN,
  AKKOMA_NOT_ADMIN_TOKEN,
  AKKOMA_READ_ONLY_TOKEN,
  SIMPLE_POLICY,
  startFakeAkkoma,
  type FakeAkkoma,
} from "../fakes/akkoma.js";
import { LEMMY_ADMIN_JWT, LEMMY_USER_JWT, startFakeLemmy, type FakeLemmy } from "../fakes/lemmy.js";
import {
  MISSKEY_ADMIN_TOKEN,
  MISSKEY_MODERATOR_TOKEN,
  MISSKEY_READ_ONLY_TOKEN,
  MISSKEY_SESSION_TOKEN,
  startFakeMisskey,
  type FakeMisskey,
} from "../fakes/misskey.js";

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; cookie?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.startsWith("application/json");
  return { status: response.status, json: text && isJson ? JSON.parse(text) : null, text };
}

describe("the fake Misskey", () => {
  let fake: FakeMisskey;
  afterEach(async () => {
    await fake.close();
  });
  const post = (path: string, json: unknown, token?: string) =>
    call(fake.url, "POST", path, { json, token });

  test("reads the three lists with admin/meta, by Bearer or by `i` in the body", async () => {
    fake = await startFakeMisskey();
    fake.edit({ blockedHosts: ["evil.example"], silencedHosts: ["loud.example"] });
    const byBearer = await post("/api/admin/meta", {}, MISSKEY_ADMIN_TOKEN);
    expect(byBearer).toMatchObject({
      status: 200,
      json: {
        blockedHosts: ["evil.example"],
        silencedHosts: ["loud.example"],
        mediaSilencedHosts: [],
        name: "Fake Misskey",
      },
    });
    const byBody = await post("/api/admin/meta", { i: MISSKEY_SESSION_TOKEN });
    expect(byBody.json.blockedHosts).toEqual(["evil.example"]);
    expect((await call(fake.url, "GET", "/api/admin/meta")).status).toBe(405);
  });

  test("update-meta replaces each list given whole, normalizes as Misskey does, answers 204", async () => {
    fake = await startFakeMisskey();
    fake.edit({ blockedHosts: ["old.example"], mediaSilencedHosts: ["kept.example"] });
    const answer = await post(
      "/api/admin/update-meta",
      {
        blockedHosts: ["Evil.Example", "", "evil.example"],
        silencedHosts: ["b.example", "a.example", "b.example", "evil.example", "Loud.Example"],
      },
      MISSKEY_ADMIN_TOKEN,
    );
    expect(answer).toMatchObject({ status: 204, text: "" });
    expect(fake.lists()).toEqual({
      // lowercased, not deduplicated, not sorted
      blockedHosts: ["evil.example", "evil.example"],
      // sorted, deduplicated, not lowercased, without the hosts blocked in the same request
      silencedHosts: ["Loud.Example", "a.example", "b.example"],
      // not sent: unchanged
      mediaSilencedHosts: ["kept.example"],
    });
    expect(fake.setting("sensitiveWords")).toEqual(["nsfw"]);
    // Silenced alone: a blocked host stays in it (only the same request's blockedHosts filter).
    await post("/api/admin/update-meta", { silencedHosts: ["evil.example"] }, MISSKEY_ADMIN_TOKEN);
    expect(fake.lists().silencedHosts).toEqual(["evil.example"]);
  });

  test("refuses bad parameters with INVALID_PARAM", async () => {
    fake = await startFakeMisskey();
    expect(
      await post("/api/admin/update-meta", { blockedHosts: "evil.example" }, MISSKEY_ADMIN_TOKEN),
    ).toMatchObject({
      status: 400,
      json: {
        error: {
          code: "INVALID_PARAM",
          kind: "client",
          info: { param: "#/properties/blockedHosts/type", reason: "must be array" },
        },
      },
    });
    expect(
      (await post("/api/admin/update-meta", { silencedHosts: [1] }, MISSKEY_ADMIN_TOKEN)).json.error
        .info,
    ).toEqual({ param: "#/properties/silencedHosts/items/type", reason: "must be string" });
  });

  test("answers 401 without or with an unknown credential, 403 for a moderator or a missing permission", async () => {
    fake = await startFakeMisskey();
    expect(await post("/api/admin/meta", {})).toMatchObject({
      status: 401,
      json: { error: { code: "CREDENTIAL_REQUIRED" } },
    });
    expect(await post("/api/admin/meta", {}, "nope")).toMatchObject({
      status: 401,
      json: { error: { code: "AUTHENTICATION_FAILED" } },
    });
    expect(await post("/api/admin/meta", {}, MISSKEY_MODERATOR_TOKEN)).toMatchObject({
      status: 403,
      json: {
        error: {
          code: "ROLE_PERMISSION_DENIED",
          message: "You are not assigned to an administrator role.",
          kind: "permission",
        },
      },
    });
    expect((await post("/api/admin/meta", {}, MISSKEY_READ_ONLY_TOKEN)).status).toBe(200);
    const write = await post(
      "/api/admin/update-meta",
      { blockedHosts: ["a.example"] },
      MISSKEY_READ_ONLY_TOKEN,
    );
    expect(write).toMatchObject({ status: 403, json: { error: { code: "PERMISSION_DENIED" } } });
    expect(fake.lists().blockedHosts).toEqual([]);
    expect((await post("/api/admin/nothing", {}, MISSKEY_ADMIN_TOKEN)).json.error.code).toBe(
      "UNKNOWN_API_ENDPOINT",
    );
  });

  test("blocked and silenced hosts cover subdomains; media silencing is exact on Misskey, not on Sharkey", async () => {
    fake = await startFakeMisskey();
    fake.edit({
      blockedHosts: ["evil.example"],
      silencedHosts: ["loud.example"],
      mediaSilencedHosts: ["pics.example"],
    });
    expect([fake.isBlocked("evil.example"), fake.isBlocked("a.evil.example")]).toEqual([
      true,
      true,
    ]);
    expect(fake.isBlocked("notevil.example")).toBe(false);
    expect(fake.isSilenced("x.loud.example")).toBe(true);
    expect([
      fake.isMediaSilenced("pics.example"),
      fake.isMediaSilenced("cdn.pics.example"),
    ]).toEqual([true, false]);
    await fake.close();
    fake = await startFakeMisskey({ flavor: "sharkey" });
    fake.edit({ mediaSilencedHosts: ["pics.example"] });
    expect(fake.isMediaSilenced("cdn.pics.example")).toBe(true);
  });
});

describe("the fake Akkoma", () => {
  let fake: FakeAkkoma;
  afterEach(async () => {
    await fake.close();
  });
  const config = "/api/v1/pleroma/admin/config";
  const simpleOf = (json: { configs: { key: string; value: unknown; db: string[] }[] }) =>
    json.configs.find((c) => c.key === ":mrf_simple")!;

  test("GET answers the config file merged with the database, in ConfigDB's tuple encoding", async () => {
    fake = await startFakeAkkoma({
      fileSimple: { ":reject": [["file.example", "from the file"]] },
    });
    const { status, json } = await call(fake.url, "GET", config, { token: AKKOMA_READ_ONLY_TOKEN });
    expect(status).toBe(200);
    const simple = simpleOf(json);
    expect(simple.db).toEqual([]);
    expect(simple.value).toContainEqual({
      tuple: [":reject", [{ tuple: ["file.example", "from the file"] }]],
    });
    expect(json.configs.find((c: { key: string }) => c.key === ":mrf").value).toContainEqual({
      tuple: [":policies", [SIMPLE_POLICY]],
    });
  });

  test("POST replaces the subkeys it sends whole, keeps the others, and hides the file's entries for them", async () => {
    fake = await startFakeAkkoma({
      fileSimple: { ":reject": [["file.example", "from the file"]] },
    });
    fake.edit(":media_removal", [["pics.example", "nsfw"]]);
    const answer = await call(fake.url, "POST", config, {
      token: AKKOMA_ADMIN_TOKEN,
      json: {
        configs: [
          {
            group: ":pleroma",
            key: ":mrf_simple",
            value: [{ tuple: [":reject", [{ tuple: ["*.evil.example", "spam"] }]] }],
          },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.configs[0].db).toEqual([":media_removal", ":reject"]);
    expect(fake.simple(":reject")).toEqual([["*.evil.example", "spam"]]);
    expect(fake.simple(":media_removal")).toEqual([["pics.example", "nsfw"]]);
    expect(fake.matches(":reject", "file.example")).toBe(false);
    expect(fake.stored(":mrf_simple")).toEqual([":media_removal", ":reject"]);
  });

  test("a host matches only itself; `*.` covers the domain and its subdomains; dots are not escaped", async () => {
    fake = await startFakeAkkoma();
    fake.edit(":reject", [
      ["exact.example", ""],
      ["*.wide.example", ""],
    ]);
    expect(fake.matches(":reject", "exact.example")).toBe(true);
    expect(fake.matches(":reject", "sub.exact.example")).toBe(false);
    expect(fake.matches(":reject", "wide.example")).toBe(true);
    expect(fake.matches(":reject", "a.b.wide.example")).toBe(true);
    expect(fake.matches(":reject", "exactXexample")).toBe(true);
  });

  test("configurable_from_database off answers 400 with Pleroma's message", async () => {
    fake = await startFakeAkkoma({ configurableFromDatabase: false });
    expect(await call(fake.url, "GET", config, { token: AKKOMA_ADMIN_TOKEN })).toMatchObject({
      status: 400,
      json: { error: "To use this endpoint you need to enable configuration from database." },
    });
  });

  test("a whitelist without the key drops the entry silently", async () => {
    fake = await startFakeAkkoma();
    fake.whitelist = [[":pleroma", ":instance"]];
    const answer = await call(fake.url, "POST", config, {
      token: AKKOMA_ADMIN_TOKEN,
      json: {
        configs: [
          { group: ":pleroma", key: ":mrf_simple", value: [{ tuple: [":reject", ["a.example"]] }] },
        ],
      },
    });
    expect(answer).toMatchObject({ status: 200, json: { configs: [] } });
    expect(fake.simple(":reject")).toEqual([]);
  });

  test("403 for an unknown token (never 401), a non-admin, or a missing admin:write", async () => {
    fake = await startFakeAkkoma({
      tokens: {
        [AKKOMA_ADMIN_TOKEN]: { scopes: ["admin"], admin: true },
        [AKKOMA_READ_ONLY_TOKEN]: { scopes: ["admin:read"], admin: true },
        [AKKOMA_NOT_ADMIN_TOKEN]: { scopes: ["admin"], admin: false },
        plain: { scopes: ["read", "write"], admin: true },
      },
    });
    const post = (token: string) =>
      call(fake.url, "POST", config, { token, json: { configs: [] } });
    expect(await call(fake.url, "GET", config, { token: "nope" })).toMatchObject({
      status: 403,
      json: { error: "Invalid credentials." },
    });
    expect((await post(AKKOMA_NOT_ADMIN_TOKEN)).json).toEqual({ error: "User is not an admin." });
    expect((await post(AKKOMA_READ_ONLY_TOKEN)).json).toEqual({
      error: "Insufficient permissions: admin:write.",
    });
    expect((await post("plain")).status).toBe(403);
    expect((await post(AKKOMA_ADMIN_TOKEN)).status).toBe(200);
  });
});

describe("the fake Lemmy", () => {
  let fake: FakeLemmy;
  afterEach(async () => {
    await fake.close();
  });

  test("0.19: PUT /api/v3/site replaces the whole blocklist; federated_instances lists it", async () => {
    fake = await startFakeLemmy({ version: "0.19" });
    fake.edit({ blocked: ["old.example"] });
    const put = await call(fake.url, "PUT", "/api/v3/site", {
      token: LEMMY_ADMIN_JWT,
      json: { blocked_instances: ["a.example", "b.example"] },
    });
    expect(put.status).toBe(200);
    expect(fake.blocked()).toEqual(["a.example", "b.example"]);
    const list = await call(fake.url, "GET", "/api/v3/federated_instances");
    expect(list.json.federated_instances.blocked.map((i: { domain: string }) => i.domain)).toEqual([
      "a.example",
      "b.example",
    ]);
    await call(fake.url, "PUT", "/api/v3/site", { token: LEMMY_ADMIN_JWT, json: { name: "x" } });
    expect(fake.blocked()).toEqual(["a.example", "b.example"]);
    expect(fake.siteName()).toBe("x");
  });

  test("0.19: not_logged_in for no or a bad JWT, not_an_admin for a user, each a 400", async () => {
    fake = await startFakeLemmy({ version: "0.19" });
    const put = (token?: string, cookie?: string) =>
      call(fake.url, "PUT", "/api/v3/site", { token, cookie, json: { blocked_instances: [] } });
    expect(await put()).toMatchObject({ status: 400, json: { error: "not_logged_in" } });
    expect(await put("bad.jwt")).toMatchObject({ status: 400, json: { error: "not_logged_in" } });
    expect(await put(LEMMY_USER_JWT)).toMatchObject({
      status: 400,
      json: { error: "not_an_admin" },
    });
    expect((await put(undefined, `jwt=${LEMMY_ADMIN_JWT}`)).status).toBe(200);
  });

  test("1.0: blocks one host with a reason for the modlog, pages the blocklist by cursor", async () => {
    fake = await startFakeLemmy({ version: "1.0" });
    for (let i = 0; i < 25; i++) fake.edit({ blocked: [...fake.blocked(), `d${i}.example`] });
    const block = await call(fake.url, "POST", "/api/v4/admin/instance/block", {
      token: LEMMY_ADMIN_JWT,
      json: { instance: "new.example", block: true, reason: "spam" },
    });
    expect(block).toMatchObject({ status: 200, json: { instance: { domain: "new.example" } } });
    expect(fake.modlog).toEqual([{ instance: "new.example", block: true, reason: "spam" }]);
    const first = await call(fake.url, "GET", "/api/v4/federated_instances?kind=blocked&limit=20");
    expect(first.json.items).toHaveLength(20);
    const second = await call(
      fake.url,
      "GET",
      `/api/v4/federated_instances?kind=blocked&limit=20&page_cursor=${first.json.next_page}`,
    );
    expect(second.json.items).toHaveLength(6);
    expect(second.json.next_page).toBeUndefined();
    await call(fake.url, "POST", "/api/v4/admin/instance/block", {
      token: LEMMY_ADMIN_JWT,
      json: { instance: "new.example", block: false, reason: "" },
    });
    expect(fake.blocked()).not.toContain("new.example");
  });

  test("1.0: refuses blocks while an allowlist exists, a missing field as plain text, a user", async () => {
    fake = await startFakeLemmy({ version: "1.0" });
    const block = (json: unknown, token = LEMMY_ADMIN_JWT) =>
      call(fake.url, "POST", "/api/v4/admin/instance/block", { token, json });
    expect(await block({ instance: "a.example", block: true })).toMatchObject({
      status: 400,
      text: "Json deserialize error: missing field `reason`",
    });
    expect(
      (await block({ instance: "a.example", block: true, reason: "" }, LEMMY_USER_JWT)).json,
    ).toEqual({ error: "not_an_admin" });
    fake.edit({ allowed: ["friend.example"] });
    expect(await block({ instance: "a.example", block: true, reason: "" })).toMatchObject({
      status: 400,
      json: { error: "cannot_combine_federation_blocklist_and_allowlist" },
    });
    expect(fake.blocked()).toEqual([]);
  });
});
