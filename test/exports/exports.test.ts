// The exports of SPEC §4: exact bytes, filters, parts, conditional requests, and what each
// caller may download.
import { parse } from "csv-parse/sync";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createList } from "../../server/lists/lists.service.js";
import { startTestApp, tokenFor, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries, seedManyEntries } from "../support/seed.js";

let app: TestApp;
let member: Member;

const HEADER = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

beforeAll(async () => {
  app = await startTestApp();
  member = await addMember(app, "mia", "m.example");
  await createList(app.ctx, "system", { slug: "pub", name: "Public" });
  await createList(app.ctx, "system", {
    slug: "secret",
    name: "Members only",
    visibility: "members",
  });
  await seedEntries(app.ctx, "pub", [
    {
      domain: "ab.example",
      severity: "silence",
      rejectMedia: true,
      publicComment: "Spam",
      tags: ["spam"],
    },
    {
      domain: "a-b.example",
      severity: "suspend",
      publicComment: 'Hate, "free speech"',
      privateComment: "SECRET-NOTE",
      evidence: ["https://evidence.example/1"],
      tags: ["hate-speech"],
    },
    { domain: "xn--trt-tna.eu", severity: "noop", rejectReports: true, obfuscate: true },
    { domain: "a.example", severity: "suspend", tags: ["corporate", "spam"] },
  ]);
  await seedEntries(app.ctx, "secret", [
    { domain: "hidden.example", severity: "suspend", publicComment: "members know why" },
  ]);
});
afterAll(() => app.close());

describe("CSV", () => {
  test("exactly Mastodon's format: header, true/false, LF, no BOM, sorted by punycode in byte order, six fields", async () => {
    const response = await request(app.url).get("/lists/pub.csv");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.text).toBe(
      [
        HEADER,
        'a-b.example,suspend,false,false,"Hate, ""free speech""",false',
        "a.example,suspend,false,false,,false",
        "ab.example,silence,true,false,Spam,false",
        "xn--trt-tna.eu,noop,false,true,,true",
        "",
      ].join("\n"),
    );
    expect(Buffer.from(response.text)[0]).toBe(0x23);
    for (const row of parse(response.text, { relax_column_count: false }) as string[][])
      expect(row).toHaveLength(6);
  });

  test("the API path serves the same bytes", async () => {
    const [a, b] = await Promise.all([
      request(app.url).get("/lists/pub.csv"),
      request(app.url).get("/api/v1/lists/pub/export.csv"),
    ]);
    expect(b.status).toBe(200);
    expect(b.text).toBe(a.text);
    expect(b.headers.etag).toBe(a.headers.etag);
  });

  test("members-only fields never appear in any export format", async () => {
    for (const format of ["csv", "json", "txt"]) {
      const anonymous = await request(app.url).get(`/lists/pub.${format}`);
      const asMember = await request(app.url)
        .get(`/lists/pub.${format}`)
        .set("Authorization", `Bearer ${member.token}`);
      for (const response of [anonymous, asMember]) {
        expect(response.text).not.toContain("SECRET-NOTE");
        expect(response.text).not.toContain("evidence.example");
      }
    }
  });
});

describe("JSON and TXT", () => {
  test("JSON has the same fields, snake_case, plus tags and updated_at", async () => {
    const response = await request(app.url).get("/lists/pub.json");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.body[0]).toEqual({
      domain: "a-b.example",
      severity: "suspend",
      reject_media: false,
      reject_reports: false,
      public_comment: 'Hate, "free speech"',
      obfuscate: false,
      tags: ["hate-speech"],
      updated_at: app.clock.now().toISOString(),
    });
    expect(response.body.map((e: { domain: string }) => e.domain)).toEqual([
      "a-b.example",
      "a.example",
      "ab.example",
      "xn--trt-tna.eu",
    ]);
  });

  test("TXT is one domain per line", async () => {
    const response = await request(app.url).get("/lists/pub.txt");
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.text).toBe("a-b.example\na.example\nab.example\nxn--trt-tna.eu\n");
  });
});

describe("filters", () => {
  test.each([
    ["?min_severity=suspend", ["a-b.example", "a.example"]],
    ["?min_severity=silence", ["a-b.example", "a.example", "ab.example"]],
    ["?min_severity=SILENCE", ["a-b.example", "a.example", "ab.example"]],
    ["?min_severity=noop", ["a-b.example", "a.example", "ab.example", "xn--trt-tna.eu"]],
    ["?tag=spam", ["a.example", "ab.example"]],
    ["?tag=corporate&tag=hate-speech", ["a-b.example", "a.example"]],
    ["?tag=corporate,hate-speech&min_severity=suspend", ["a-b.example", "a.example"]],
  ])("%s", async (query, domains) => {
    for (const format of ["csv", "json", "txt"]) {
      const response = await request(app.url).get(`/lists/pub.${format}${query}`);
      expect(response.status).toBe(200);
      const got =
        format === "json"
          ? response.body.map((e: { domain: string }) => e.domain)
          : format === "txt"
            ? response.text.trim().split("\n")
            : (parse(response.text, { columns: true }) as Record<string, string>[]).map(
                (r) => r["#domain"],
              );
      expect(got).toEqual(domains);
    }
  });

  test.each([
    ["?min_severity=ban", "query.min_severity"],
    ["?tag=nazis", "query.tag.0"],
    ["?part=0", "query.part"],
    ["?part=x", "query.part"],
  ])("%s is a 400 naming the parameter", async (query, field) => {
    const response = await request(app.url).get(`/lists/pub.csv${query}`);
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe("conditional requests and caching", () => {
  test("a strong ETag and Last-Modified; If-None-Match answers 304 with no body", async () => {
    // The plain bytes (supertest asks for gzip by default; test/exports/compressed.test.ts).
    const get = () => request(app.url).get("/lists/pub.csv").set("Accept-Encoding", "identity");
    const first = await get();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(new Date(first.headers["last-modified"] as string).getTime()).toBeLessThanOrEqual(
      app.clock.now().getTime(),
    );
    expect(first.headers["cache-control"]).toBe("public, max-age=60");
    expect(first.headers["access-control-allow-origin"]).toBe("*");

    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await get().set("If-None-Match", header);
      expect(again.status, header).toBe(304);
      expect(again.text ?? "").toBe("");
      expect(again.headers.etag).toBe(etag);
    }
    expect((await get().set("If-None-Match", '"stale"')).status).toBe(200);
  });

  test("If-Modified-Since answers 304 when nothing changed since", async () => {
    const first = await request(app.url).get("/lists/pub.txt");
    const again = await request(app.url)
      .get("/lists/pub.txt")
      .set("If-Modified-Since", first.headers["last-modified"] as string);
    expect(again.status).toBe(304);
    const earlier = new Date(
      Date.parse(first.headers["last-modified"] as string) - 1000,
    ).toUTCString();
    expect(
      (await request(app.url).get("/lists/pub.txt").set("If-Modified-Since", earlier)).status,
    ).toBe(200);
  });

  test("the ETag differs by format, filter and part", async () => {
    const tags = await Promise.all(
      [
        "/lists/pub.csv",
        "/lists/pub.json",
        "/lists/pub.txt",
        "/lists/pub.csv?min_severity=suspend",
        "/lists/pub.csv?tag=spam",
        "/lists/pub.csv?part=1",
      ].map(async (path) => (await request(app.url).get(path)).headers.etag),
    );
    expect(new Set(tags).size).toBe(tags.length);
  });

  test("any change gives a new ETag, and the old one no longer answers 304", async () => {
    await createList(app.ctx, "system", { slug: "moving", name: "Moving" });
    await seedEntries(app.ctx, "moving", [{ domain: "one.example" }]);
    const before = await request(app.url).get("/lists/moving.csv");
    app.clock.advance(5000);
    await seedEntries(app.ctx, "moving", [{ domain: "two.example" }]);
    const after = await request(app.url)
      .get("/lists/moving.csv")
      .set("If-None-Match", before.headers.etag as string);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.text).toContain("two.example");
    expect(after.headers["fediblock-revision"]).toBe("2");
  });

  test("an unchanged export is built once per revision and then served from memory", async () => {
    await createList(app.ctx, "system", { slug: "counted", name: "Counted" });
    await seedEntries(app.ctx, "counted", [{ domain: "one.example" }]);
    const db = app.ctx.db as { snapshot: typeof app.ctx.db.snapshot };
    const snapshot = db.snapshot;
    let builds = 0;
    db.snapshot = (work) => {
      builds += 1;
      return snapshot(work);
    };
    try {
      const first = await request(app.url).get("/lists/counted.json");
      const rest = await Promise.all(
        Array.from({ length: 5 }, () => request(app.url).get("/lists/counted.json")),
      );
      expect(rest.every((response) => response.text === first.text)).toBe(true);
      expect(builds).toBe(1);
      await seedEntries(app.ctx, "counted", [{ domain: "two.example" }]);
      await request(app.url).get("/lists/counted.json");
      await request(app.url).get("/lists/counted.json");
      expect(builds).toBe(2);
    } finally {
      db.snapshot = snapshot;
    }
  });

  test("HEAD answers the headers without the body", async () => {
    const response = await request(app.url).head("/lists/pub.csv");
    expect(response.status).toBe(200);
    expect(Number(response.headers["content-length"])).toBeGreaterThan(HEADER.length);
    expect(response.text ?? "").toBe("");
  });
});

describe("members-only lists", () => {
  test("are 404 to anonymous callers on every export path", async () => {
    for (const path of [
      "/lists/secret.csv",
      "/lists/secret.json",
      "/lists/secret.txt",
      "/api/v1/lists/secret/export.csv",
    ]) {
      const response = await request(app.url).get(path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain("hidden.example");
    }
  });

  test("answer a member's bearer token, with Vary and Cache-Control private", async () => {
    const response = await request(app.url)
      .get("/lists/secret.csv")
      .set("Authorization", `Bearer ${member.token}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain("hidden.example,suspend");
    expect(response.headers.vary).toMatch(/Authorization/);
    expect(response.headers["cache-control"]).toBe("private, no-cache");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("answer HTTP Basic with the token as password and any user name (GoToSocial)", async () => {
    const response = await request(app.url)
      .get("/lists/secret.csv")
      .auth("gotosocial", member.token);
    expect(response.status).toBe(200);
    expect(response.text).toContain("hidden.example");
  });

  test("answer a signed-in browser (session cookie)", async () => {
    const response = await member.browser.get("/lists/secret.csv");
    expect(response.status).toBe(200);
    expect(response.text).toContain("hidden.example");
  });

  test("refuse a bad token (401) and a token without read (403)", async () => {
    const bad = await request(app.url)
      .get("/lists/secret.csv")
      .set("Authorization", "Bearer fbk_nope");
    expect(bad.status).toBe(401);
    const writeOnly = await tokenFor(app.ctx, "mia", ["write"]);
    const refused = await request(app.url)
      .get("/lists/secret.csv")
      .set("Authorization", `Bearer ${writeOnly}`);
    expect(refused.status).toBe(403);
    const badBasic = await request(app.url).get("/lists/secret.csv").auth("x", "fbk_wrong");
    expect(badBasic.status).toBe(401);
  });

  test("an unknown list is 404 like a members-only one", async () => {
    expect((await request(app.url).get("/lists/nothing.csv")).status).toBe(404);
  });
});

describe("parts beyond Mastodon's 20,000-row import limit", () => {
  test("?part=N serves 20,000 rows a part; the full export stays available; a missing part is 404", async () => {
    await createList(app.ctx, "system", { slug: "huge", name: "Huge" });
    await seedManyEntries(app.ctx, "huge", 45_000);
    const full = await request(app.url).get("/lists/huge.txt");
    expect(full.headers["fediblock-parts"]).toBe("3");
    expect(full.text.trim().split("\n")).toHaveLength(45_000);

    const parts = await Promise.all(
      [1, 2, 3].map((part) => request(app.url).get(`/lists/huge.csv?part=${part}`)),
    );
    const rows = parts.map(
      (response) => parse(response.text, { columns: true }) as Record<string, string>[],
    );
    expect(rows.map((r) => r.length)).toEqual([20_000, 20_000, 5_000]);
    expect(rows[0]![0]!["#domain"]).toBe("host000000.example");
    expect(rows[1]![0]!["#domain"]).toBe("host020000.example");
    expect(rows[2]!.at(-1)!["#domain"]).toBe("host044999.example");
    expect(parts[0]!.headers["content-disposition"]).toBe('attachment; filename="huge.part1.csv"');

    const missing = await request(app.url).get("/lists/huge.csv?part=4");
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/3 part/);
  }, 120_000);
});
