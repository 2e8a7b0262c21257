// An entry past its list's review date, in the browser: the entry's page says it is due for
// review, a member confirms it, and the page shows its new date (axe clean throughout).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestAccount } from "../support/app.js";
import { E2E_TIMEOUT, checkAccessibility, signInAs, skipE2e } from "../support/browser.js";
import { seedEntries } from "../support/seed.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("reviewing an entry in the browser", () => {
  let e2e: E2e;
  let alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    await fedipact(e2e.app, { policy: { quorum: 3, minOpenHours: 0, reviewMonths: 6 } });
    // Listed 200 days ago (the clock goes back for it: sessions live in the present).
    const now = e2e.app.clock.now();
    e2e.app.clock.set(new Date(now.getTime() - 200 * 86_400_000));
    await seedEntries(e2e.app.ctx, "fedipact", [{ domain: "stale.example", severity: "silence" }]);
    e2e.app.clock.set(now);
  });
  afterAll(() => e2e?.close());

  test(
    "due for review on its page; a member confirms it",
    async () => {
      const visitor = (await e2e.openPage()).page;
      await visitor.goto("/l/fedipact/entries/stale.example");
      const review = visitor.getByRole("region", { name: /Review/ });
      await review.getByText("due for review", { exact: true }).waitFor();
      expect(await review.getByRole("button").count()).toBe(0);

      const page = (await e2e.openPage()).page;
      await signInAs(page, alice);
      await page.goto("/l/fedipact/entries/stale.example");
      await page.getByText("due for review", { exact: true }).waitFor();
      await checkAccessibility(page, "entry due for review");
      await page.getByRole("button", { name: "Confirm it still holds" }).click();
      await page.getByText("Confirmed: the entry's review date starts again.").waitFor();
      const text = await page.getByRole("region", { name: /Review/ }).innerText();
      expect(text).toMatch(/Due for review on/);
      expect(text).toMatch(/last confirmed/);
      expect(await page.getByText("due for review", { exact: true }).count()).toBe(0);
      await checkAccessibility(page, "entry confirmed");
    },
    E2E_TIMEOUT,
  );
});
