// Admin → Lists: an admin edits a list's name, description, visibility and voting rules, and
// every reader sees the voting rules on the list's page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getList } from "../../server/lists/lists.service.js";
import { addAccount, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  PHONE,
  checkAccessibility,
  focusedElement,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { fedipact, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("list settings", () => {
  let e2e: E2e;
  let operator: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    operator = await addAccount(e2e.app.ctx, "operator", "admin", "operator.example");
    await fedipact(e2e.app);
  });
  afterAll(() => e2e?.close());

  test(
    "anyone reads a list's voting rules on its page",
    async () => {
      const { page, errors } = await e2e.openPage(PHONE);
      await page.goto("/l/fedipact");
      const summary = page.getByText("Voting rules: quorum 3 · 66% yes · 14 days");
      await summary.click();
      const rules = page.locator(".voting-rules");
      // No minimum time open on this list (0 hours): nothing said about it.
      expect(await rules.innerText()).toContain(
        "when at least 3 instances voted yes or no and at least 66% of them yes",
      );
      expect(await rules.innerText()).not.toContain("once open");
      expect(await rules.innerText()).toContain("a tie goes to the stricter");
      await checkAccessibility(page, "voting rules on a phone");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "an admin edits a list's name, description, visibility and voting rules",
    async () => {
      const { app } = e2e;
      const { page, errors } = await e2e.openPage();
      await signInAs(page, operator);
      await page.getByRole("link", { name: "Admin" }).click();
      await page
        .getByRole("navigation", { name: "Admin sections" })
        .getByRole("link", { name: "Lists" })
        .click();
      await page.getByRole("heading", { level: 1, name: "Lists" }).waitFor();
      const row = page.getByRole("row").filter({ hasText: "FediPact" });
      expect(await row.innerText()).toContain("quorum 3, 66% yes, 14 days, majority");
      await checkAccessibility(page, "admin lists");
      await row.getByRole("link", { name: "Edit FediPact" }).click();
      await page.getByRole("heading", { level: 1, name: "Edit FediPact" }).waitFor();

      const name = page.getByRole("textbox", { name: "Name" });
      expect(await name.inputValue()).toBe("FediPact");
      await name.fill("FediPact Plus");
      await page.getByRole("textbox", { name: /Description/ }).fill("Threads and friends.");
      await page.getByRole("radio", { name: /Members only/ }).check();
      await page.getByRole("spinbutton", { name: "Quorum" }).fill("5");
      const threshold = page.getByRole("spinbutton", { name: "Threshold" });
      await threshold.fill("1.5");
      await page.getByRole("combobox", { name: "Severity applied" }).selectOption("strictest");

      // The API's field error comes back next to its field, with the focus on it.
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("must be at most 1", { exact: true }).waitFor();
      expect(await threshold.getAttribute("aria-invalid")).toBe("true");
      expect((await focusedElement(page)).id).toBe(await threshold.getAttribute("id"));
      expect((await getList(app.ctx, "system", "fedipact")).name).toBe("FediPact");
      await checkAccessibility(page, "edit list with an error");

      await threshold.fill("0.75");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("The settings of FediPact Plus are saved.").waitFor();
      const saved = await getList(app.ctx, "system", "fedipact");
      expect(saved).toMatchObject({
        name: "FediPact Plus",
        description: "Threads and friends.",
        visibility: "members",
        policy: { quorum: 5, threshold: 0.75, severityRule: "strictest", votingDays: 14 },
      });
      await checkAccessibility(page, "edit list saved");
      await screenshot(page, "list-settings-saved");

      // The list's page shows the new rules.
      await page.getByRole("link", { name: "Back to the list" }).click();
      await page.getByRole("heading", { level: 1, name: "FediPact Plus" }).waitFor();
      expect(await page.getByText("members only", { exact: false }).first().isVisible()).toBe(true);
      await page.getByText("Voting rules: quorum 5 · 75% yes · 14 days").click();
      expect(await page.locator(".voting-rules").innerText()).toContain(
        "the strictest among the yes votes",
      );
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
