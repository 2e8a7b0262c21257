// Compressed exports (issue 16): `Accept-Encoding: br` or `gzip` gets the export's bytes
// compressed once per revision, from the same byte cache, under an ETag of its own, with
// `Vary: Accept-Encoding` on every answer. Requests are made with node:http, which sends no
// Accept-Encoding of its own and does not decompress, so the test sees the bytes on the wire.
import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ByteCache } from "../../server/exports/byte-cache.js";
import { encodedExport, negotiateCoding } from "../../server/exports/encoding.js";
import { createList } from "../../server/lists/lists.service.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { addMember, type Member } from "../support/members.js";
import { seedEntries, seedManyEntries } from "../support/seed.js";

let app: TestApp;
let member: Member;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, app.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  app = await startTestApp();
  member = await addMember(app, "mia", "m.example");
  await createList(app.ctx, "system", { slug: "big", name: "Big" });
  await seedManyEntries(app.ctx, "big", 2_000);
  await createList(app.ctx, "system", { slug: "hush", name: "Hush", visibility: "members" });
  await seedEntries(app.ctx, "hush", [{ domain: "quiet.example", severity: "silence" }]);
});
afterAll(() => app.close());

describe("content negotiation", () => {
  test.each([
    [undefined, null],
    ["", null],
    ["identity", null],
    ["gzip", "gzip"],
    ["gzip, deflate", "gzip"],
    ["gzip, deflate, br", "br"],
    ["br;q=0.5, gzip", "gzip"],
    ["GZIP;q=0.8, br;q=0.8", "br"],
    ["*", "br"],
    ["br;q=0, *", "gzip"],
    ["gzip;q=0, br;q=0", null],
    ["x-gzip", "gzip"],
    ["deflate", null],
  ])("Accept-Encoding %j → %s", (header, coding) => {
    expect(negotiateCoding(header)).toBe(coding);
  });
});

describe("a public list's export", () => {
  test.each(["csv", "json", "txt"])(
    "%s: gzip and br decompress to the plain bytes, each with its own ETag, all Vary: Accept-Encoding",
    async (format) => {
      const path = `/lists/big.${format}`;
      const plain = await get(path);
      const gzip = await get(path, { "Accept-Encoding": "gzip" });
      const br = await get(path, { "Accept-Encoding": "br, gzip" });
      for (const answer of [plain, gzip, br]) {
        expect(answer.status).toBe(200);
        expect(answer.headers.vary).toBe("Accept-Encoding");
        expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
      }
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(br.headers["content-encoding"]).toBe("br");
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
      expect(br.body.length).toBeLessThan(gzip.body.length);
      const etags = [plain, gzip, br].map((answer) => answer.headers.etag);
      expect(new Set(etags).size).toBe(3);
      expect(etags[1]).toBe(`${String(etags[0]).slice(0, -1)}-gz"`);
      expect(etags[2]).toBe(`${String(etags[0]).slice(0, -1)}-br"`);
    },
  );

  test("304 answers each representation's own ETag; another representation's ETag gets a 200", async () => {
    const gzip = await get("/lists/big.csv", { "Accept-Encoding": "gzip" });
    const etag = gzip.headers.etag as string;
    const again = await get("/lists/big.csv", { "Accept-Encoding": "gzip", "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers.vary).toBe("Accept-Encoding");
    expect(again.headers["content-encoding"]).toBeUndefined();

    const plain = await get("/lists/big.csv", { "If-None-Match": etag });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const br = await get("/lists/big.csv", { "Accept-Encoding": "br", "If-None-Match": etag });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    // A filtered export (the path that builds on demand) negotiates the same way.
    const filtered = await get("/lists/big.csv?min_severity=suspend", {
      "Accept-Encoding": "gzip",
    });
    expect(filtered.headers["content-encoding"]).toBe("gzip");
    const filteredAgain = await get("/lists/big.csv?min_severity=suspend", {
      "Accept-Encoding": "gzip",
      "If-None-Match": filtered.headers.etag as string,
    });
    expect(filteredAgain.status).toBe(304);
  });

  test("built once per revision for every coding; a new revision builds and compresses again", async () => {
    await createList(app.ctx, "system", { slug: "once", name: "Once" });
    await seedManyEntries(app.ctx, "once", 300);
    const db = app.ctx.db as { snapshot: typeof app.ctx.db.snapshot };
    const snapshot = db.snapshot;
    let builds = 0;
    db.snapshot = (work) => {
      builds += 1;
      return snapshot(work);
    };
    try {
      const first = await get("/lists/once.csv", { "Accept-Encoding": "gzip" });
      const rest = await Promise.all(
        ["gzip", "gzip", "br", "br", "identity"].map((coding) =>
          get("/lists/once.csv", { "Accept-Encoding": coding }),
        ),
      );
      expect(rest[0]!.body.equals(first.body)).toBe(true);
      expect(rest[2]!.body.equals(rest[3]!.body)).toBe(true);
      expect(builds).toBe(1);

      await seedEntries(app.ctx, "once", [{ domain: "later.example", severity: "suspend" }]);
      const changed = await get("/lists/once.csv", { "Accept-Encoding": "gzip" });
      expect(builds).toBe(2);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
      expect(gunzipSync(changed.body).toString()).toContain("later.example,suspend");
    } finally {
      db.snapshot = snapshot;
    }
  });

  test("the compressed bytes are made once and kept in the byte cache beside the plain ones", async () => {
    const cache = new ByteCache(1024 * 1024);
    const body = Buffer.from("a.example,suspend\n".repeat(1000));
    const plain = { etag: '"plain"', body, lastModified: "x", parts: 1, revision: 3 };
    cache.set(plain.etag, plain);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => encodedExport(cache, plain, "br")),
    );
    expect(new Set(concurrent).size).toBe(1);
    expect(concurrent[0]).toMatchObject({ etag: '"plain-br"', encoding: "br", revision: 3 });
    expect(cache.size.entries).toBe(2);
    expect(cache.get('"plain-br"')).toBe(concurrent[0]);
    expect(await encodedExport(cache, plain, "br")).toBe(concurrent[0]);
    expect(cache.size.bytes).toBe(body.length + concurrent[0]!.body.length);
  });
});

describe("private answers", () => {
  test("a members-only list with a token: compressed, Vary names the credentials and the coding", async () => {
    const answer = await get("/lists/hush.csv", {
      Authorization: `Bearer ${member.token}`,
      "Accept-Encoding": "gzip",
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(answer.headers.vary).toBe("Authorization, Cookie, Accept-Encoding");
    expect(gunzipSync(answer.body).toString()).toContain("quiet.example,silence");
  });

  test("an instance's merged feed answers br, and 304 on its br ETag", async () => {
    await member.api.post("/api/v1/subscriptions", { list: "big" }).expect(201);
    const auth = { Authorization: `Bearer ${member.token}` };
    const plain = await get("/api/v1/subscriptions/export.csv", auth);
    const br = await get("/api/v1/subscriptions/export.csv", { ...auth, "Accept-Encoding": "br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Authorization, Cookie, Accept-Encoding");
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await get("/api/v1/subscriptions/export.csv", {
      ...auth,
      "Accept-Encoding": "br",
      "If-None-Match": br.headers.etag as string,
    });
    expect(again.status).toBe(304);
  });
});
