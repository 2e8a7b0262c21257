// A signed-out visitor: the public pages ask who is signed in without a failed request, so the
// browser's console stays clean (GET /api/v1/me still answers API clients 401).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { E2E_TIMEOUT, checkAccessibility, skipE2e } from "../support/browser.js";
import { seedEntries } from "../support/seed.js";
import { fedipact, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("signed out", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e();
    await fedipact(e2e.app);
    await seedEntries(e2e.app.ctx, "fedipact", [
      { domain: "xn--bcher-kva.example", publicComment: "An IDN" },
      { domain: "plain.example" },
    ]);
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

  test(
    "an IDN domain is shown in Unicode beside its punycode",
    async () => {
      const { page, errors } = await e2e.openPage();
      await page.goto("/l/fedipact");
      const row = page.getByRole("row").filter({ hasText: "An IDN" });
      const link = row.getByRole("link", { name: /bcher/ });
      expect(await link.innerText()).toBe("xn--bcher-kva.example (bücher.example)");
      expect(await page.getByRole("link", { name: "plain.example", exact: true }).count()).toBe(1);
      await checkAccessibility(page, "public list with an IDN entry");
      await link.click();
      await page
        .getByRole("heading", { level: 1, name: "xn--bcher-kva.example (bücher.example)" })
        .waitFor();
      expect(new URL(page.url()).pathname).toBe("/l/fedipact/entries/xn--bcher-kva.example");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
