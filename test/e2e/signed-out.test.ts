// A signed-out visitor: the public pages ask who is signed in without a failed request, so the
// browser's console stays clean (GET /api/v1/me still answers API clients 401).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { E2E_TIMEOUT, skipE2e } from "../support/browser.js";
import { fedipact, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("signed out", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
    await fedipact(e2e.app);
  });
  afterAll(() => e2e?.close());

  test(
    "public pages log no error and no failed request",
    async () => {
      const { page } = await e2e.openPage();
      const logged: string[] = [];
      const failed: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") logged.push(message.text());
      });
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      const probes: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname === "/auth/session") probes.push(request.url());
      });
      for (const [path, heading] of [
        ["/", "Public blocklists"],
        ["/l/fedipact", "FediPact"],
        ["/sign-in", "Sign in"],
        ["/tokens", "Sign in"],
      ] as const) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1, name: heading }).waitFor();
        await page.waitForLoadState("networkidle");
      }
      expect(probes.length).toBeGreaterThanOrEqual(4);
      expect(failed).toEqual([]);
      expect(logged).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
