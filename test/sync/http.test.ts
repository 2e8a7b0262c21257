import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { ConnectionError, HttpClient, HttpError } from "../../server/sync/http.js";
import { parseRateLimitReset, parseRetryAfter } from "../../server/sync/rate-limit.js";
import { nextLink, nextPage } from "../../server/sync/targets/mastodon.js";
import { MASTODON_ADMIN_TOKEN, startFakeMastodon, type FakeMastodon } from "../fakes/mastodon.js";

const NOW = Date.parse("2025-06-01T12:00:00.000Z");

describe("parseRetryAfter", () => {
  test.each([
    ["120", 120_000],
    [" 3 ", 3_000],
    ["Sun, 01 Jun 2025 12:00:30 GMT", 30_000],
    ["Sun, 01 Jun 2025 11:59:00 GMT", 0],
    ["soon", null],
    [null, null],
  ])("%j → %j ms", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe("parseRateLimitReset", () => {
  test.each([
    ["2025-06-01T12:05:00.123456Z", Date.parse("2025-06-01T12:05:00.123Z")],
    ["1748779500", 1748779500_000],
    ["30", NOW + 30_000],
    ["later", null],
  ])("%j → %j", (value, expected) => {
    expect(parseRateLimitReset(value, NOW)).toBe(expected);
  });
});

describe("nextLink", () => {
  test.each([
    [
      '<https://m.example/api/v1/admin/domain_blocks?limit=200&max_id=9>; rel="next", <https://m.example/x?min_id=1>; rel="prev"',
      "https://m.example/api/v1/admin/domain_blocks?limit=200&max_id=9",
    ],
    ['<https://m.example/x?min_id=1>; rel="prev"', null],
    ["<https://m.example/a>; rel=next", "https://m.example/a"],
    ['<https://m.example/a>; rel="prev next"', "https://m.example/a"],
    [null, null],
  ])("%j → %j", (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});

describe("nextPage (the next link's query, on the configured endpoint)", () => {
  const collection = new URL("http://127.0.0.1:3000/api/v1/admin/domain_blocks");
  const current = new URL("?limit=200", collection);
  test.each([
    [
      "https://social.example/api/v1/admin/domain_blocks?limit=200&max_id=9",
      collection,
      "http://127.0.0.1:3000/api/v1/admin/domain_blocks?limit=200&max_id=9",
    ],
    [
      "/api/v1/admin/domain_blocks?max_id=9",
      collection,
      "http://127.0.0.1:3000/api/v1/admin/domain_blocks?max_id=9",
    ],
    [
      "https://social.example/api/v1/admin/domain_blocks?max_id=9",
      new URL("https://proxy.example/mastodon/api/v1/admin/domain_blocks"),
      "https://proxy.example/mastodon/api/v1/admin/domain_blocks?max_id=9",
    ],
  ])("%s on %s → %s", (link, base, expected) => {
    expect(nextPage(link, current, base).href).toBe(expected);
  });

  test.each([
    "https://evil.example/steal?max_id=9",
    "/api/v1/admin/accounts?max_id=9",
    "/api/v1/admin/domain_blocks/../accounts?max_id=9",
  ])("refuses %s", (link) => {
    expect(() => nextPage(link, current, collection)).toThrow(
      /the next page link points to another endpoint/,
    );
  });
});

describe("HttpClient against the fake Mastodon", () => {
  let fake: FakeMastodon;
  afterEach(async () => {
    await fake.close();
  });
  const waits: number[] = [];
  const client = () =>
    new HttpClient({
      retries: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  const list = () => new URL(`${fake.url}/api/v1/admin/domain_blocks`);

  test("backs off exponentially between retries of 5xx answers", async () => {
    fake = await startFakeMastodon();
    waits.length = 0;
    fake.failNext(3, 503);
    const response = await client().request("GET", list(), { token: MASTODON_ADMIN_TOKEN });
    expect(response.status).toBe(200);
    expect(waits).toHaveLength(3);
    waits.forEach((ms, attempt) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** attempt);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** attempt);
    });
  });

  test("gives up after the retries with the last error", async () => {
    fake = await startFakeMastodon();
    fake.failNext(4, 500);
    await expect(client().request("GET", list(), { token: MASTODON_ADMIN_TOKEN })).rejects.toThrow(
      HttpError,
    );
    expect(fake.requests).toHaveLength(4);
  });

  test("retries dropped connections, then reports them", async () => {
    fake = await startFakeMastodon();
    fake.dropNext(4);
    const request = client().request("GET", list(), { token: MASTODON_ADMIN_TOKEN });
    await expect(request).rejects.toThrow(ConnectionError);
    await expect(request).rejects.toThrow(/got no answer after 4 attempts/);
  });

  test("waits for an HTTP-date Retry-After", async () => {
    fake = await startFakeMastodon();
    waits.length = 0;
    fake.throttleNext(1, new Date(Date.now() + 5_000).toUTCString());
    await client().request("GET", list(), { token: MASTODON_ADMIN_TOKEN });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(3_000);
    expect(waits[0]).toBeLessThanOrEqual(5_000);
  });

  test("does not retry 4xx answers", async () => {
    fake = await startFakeMastodon();
    await expect(client().request("GET", list(), { token: "nope" })).rejects.toMatchObject({
      status: 401,
      refusedCredentials: true,
      message: "GET /api/v1/admin/domain_blocks answered 401: The access token is invalid",
    });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("HttpClient and redirects", () => {
  let server: http.Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("refuses to follow a redirect, so the token never travels to another URL", async () => {
    const seen: (string | undefined)[] = [];
    server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(301, { location: "https://elsewhere.example/feed" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const request = new HttpClient().request("GET", new URL(`http://127.0.0.1:${port}/feed`), {
      token: "secret",
    });
    await expect(request).rejects.toThrow(
      "GET /feed answered 301: redirected to https://elsewhere.example/feed; use that URL instead",
    );
    expect(seen).toEqual(["Bearer secret"]);
  });

  test("treats an answer cut short as a connection error", async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("[");
      setTimeout(() => res.destroy(), 10);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new HttpClient({ retries: 1, baseDelayMs: 1 });
    await expect(
      client.request("GET", new URL(`http://127.0.0.1:${port}/`), { token: "t" }),
    ).rejects.toThrow(ConnectionError);
  });
});
