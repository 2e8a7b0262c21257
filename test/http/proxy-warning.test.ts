// Behind an https proxy that sets X-Forwarded-For while trust-proxy is off, every client looks
// like the proxy, so the per-address sign-in limits would count all of them as one: the service
// says so once (issue 12).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";

function captureWarnings(app: TestApp): string[] {
  const warnings: string[] = [];
  const log = app.ctx.log;
  log.warn = (message: string) => void warnings.push(message);
  return warnings;
}

describe("https public URL, trust-proxy off", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { FEDIBLOCK_PUBLIC_URL: "https://blocklists.example" } });
  });
  afterAll(() => app.close());

  test("the first request with X-Forwarded-For logs one warning, later ones none", async () => {
    const warnings = captureWarnings(app);
    await request(app.url).get("/api/v1/lists").expect(200);
    expect(warnings).toEqual([]);
    await request(app.url).get("/api/v1/lists").set("X-Forwarded-For", "203.0.113.1").expect(200);
    await request(app.url).get("/api/v1/lists").set("X-Forwarded-For", "203.0.113.2").expect(200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/FEDIBLOCK_TRUST_PROXY/);
  });
});

describe("trust-proxy on", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: { FEDIBLOCK_PUBLIC_URL: "https://blocklists.example", FEDIBLOCK_TRUST_PROXY: "1" },
    });
  });
  afterAll(() => app.close());

  test("X-Forwarded-For is expected and logs nothing", async () => {
    const warnings = captureWarnings(app);
    await request(app.url).get("/api/v1/lists").set("X-Forwarded-For", "203.0.113.1").expect(200);
    expect(warnings).toEqual([]);
  });
});
