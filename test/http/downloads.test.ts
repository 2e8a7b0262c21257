// The sync client's mirror: /downloads/fediblock-sync.mjs serves the bundle the service was built
// with, byte for byte, and its checksum is the one the repository publishes.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, expect, test } from "vitest";
// @ts-expect-error -- a plain JavaScript build script, without type declarations.
import { BUNDLE, buildSyncBundle, recordedChecksum } from "../../scripts/build-sync-bundle.mjs";
import { startTestApp, type TestApp } from "../support/app.js";

let app: TestApp;

beforeAll(async () => {
  // `npm run build` writes it; a fresh checkout that only runs the tests builds it here.
  if (!existsSync(BUNDLE as string)) await buildSyncBundle();
  app = await startTestApp();
});
afterAll(() => app?.close());

test("the mirror serves dist/fediblock-sync.mjs with the repository's checksum", async () => {
  const response = await request(app.url)
    .get("/downloads/fediblock-sync.mjs")
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
  expect(response.status).toBe(200);
  expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
  expect(response.headers["content-disposition"]).toBe('attachment; filename="fediblock-sync.mjs"');
  const body = response.body as Buffer;
  expect(body.equals(readFileSync(BUNDLE as string))).toBe(true);
  const sha256 = createHash("sha256").update(body).digest("hex");
  expect(sha256).toBe(recordedChecksum());
  expect(response.headers["repr-digest"]).toBe(
    `sha-256=:${Buffer.from(sha256, "hex").toString("base64")}:`,
  );

  const sum = await request(app.url).get("/downloads/fediblock-sync.mjs.sha256");
  expect(sum.status).toBe(200);
  expect(sum.text).toBe(`${sha256}  fediblock-sync.mjs\n`);
  // The same line as release/fediblock-sync.mjs.sha256, so `sha256sum -c` takes either.
  expect(sum.text).toBe(readFileSync("release/fediblock-sync.mjs.sha256", "utf8"));
});

test("HEAD answers the headers only; other methods are refused", async () => {
  const head = await request(app.url).head("/downloads/fediblock-sync.mjs");
  expect(head.status).toBe(200);
  expect(Number(head.headers["content-length"])).toBe(readFileSync(BUNDLE as string).length);
  const post = await request(app.url).post("/downloads/fediblock-sync.mjs");
  expect(post.status).toBeGreaterThanOrEqual(400);
  expect(post.status).toBeLessThan(500);
});
