// Admin → Lists: an admin edits a list's name, description, visibility and voting rules, and
// every reader sees the voting rules on the list's page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getList } from "../../server/lists/lists.service.js";
import { addAccount, signIn, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  PHONE,
  checkAccessibility,
  focusedElement,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

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
      const thresholdId = await threshold.getAttribute("id");
      await expect.poll(async () => (await focusedElement(page)).id).toBe(thresholdId);
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
      // The page may show the list before it has read it again: wait for the new visibility.
      await expect
        .poll(() => page.getByText("members only", { exact: false }).first().isVisible(), {
          timeout: 10_000,
        })
        .toBe(true);
      await page.getByText("Voting rules: quorum 5 · 75% yes · 14 days").click();
      expect(await page.locator(".voting-rules").innerText()).toContain(
        "the strictest among the yes votes",
      );
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "an admin archives a list: read-only, its exports kept; then unarchives it",
    async () => {
      const { app } = e2e;
      await fedipact(app, { slug: "old", name: "Old list" });
      const alice = await signIn(app, await member(app, "alice", "a.example"));
      const kept = await alice.post("/api/v1/lists/old/proposals", {
        kind: "add",
        domain: "kept.example",
        severity: "suspend",
      });
      const operatorApi = await signIn(app, operator);
      await operatorApi.post(`/api/v1/proposals/${kept.body.id}/decide`, {
        outcome: "passed",
        reason: "seed",
      });
      const open = await alice.post("/api/v1/lists/old/proposals", {
        kind: "add",
        domain: "pending.example",
        severity: "silence",
      });
      expect(open.status).toBe(201);

      const { page, errors } = await e2e.openPage();
      await signInAs(page, operator);
      await page.goto("/l/old");
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { level: 1, name: "Edit Old list" }).waitFor();

      // Refused while a proposal is open, with what to do.
      const archive = page.getByRole("button", { name: "Archive list" });
      await archive.click();
      const dialog = page.getByRole("dialog", { name: "Archive Old list?" });
      await dialog.getByRole("button", { name: "Archive list" }).click();
      await page.getByText("has 1 open proposal: decide or withdraw it").waitFor();
      expect((await getList(app.ctx, "system", "old")).archivedAt).toBeNull();

      await alice.post(`/api/v1/proposals/${open.body.id}/withdraw`);
      const csvBefore = await fetch(`${app.url}/lists/old.csv`).then((r) => r.text());
      await archive.click();
      await dialog.getByRole("button", { name: "Archive list" }).click();
      await page.getByText("Old list is archived. Its exports keep serving revision 1.").waitFor();
      expect((await getList(app.ctx, "system", "old")).archivedAt).toBeInstanceOf(Date);
      await checkAccessibility(page, "archived list settings");
      await screenshot(page, "list-archived-settings");

      // The list's page says so and offers no proposing or importing; the export is unchanged.
      await page.goto("/l/old");
      await page.getByText("This list is archived").waitFor();
      expect(await page.locator(".page-head__eyebrow").innerText()).toContain("archived");
      const tabs = page.getByRole("navigation", { name: "Sections of Old list" });
      expect(await tabs.getByRole("link", { name: "Propose" }).count()).toBe(0);
      expect(await tabs.getByRole("link", { name: "Import" }).count()).toBe(0);
      await checkAccessibility(page, "archived list");
      await screenshot(page, "list-archived");
      expect(await fetch(`${app.url}/lists/old.csv`).then((r) => r.text())).toBe(csvBefore);
      expect(csvBefore).toContain("kept.example");
      const refused = await alice.post("/api/v1/lists/old/proposals", {
        kind: "add",
        domain: "late.example",
        severity: "suspend",
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("list_archived");
      await page.goto("/");
      const card = page.locator(".list-card").filter({ hasText: "Old list" });
      await card.waitFor();
      expect(await card.locator(".badge", { hasText: "archived" }).count()).toBe(1);

      // Unarchived, it takes proposals again.
      await page.goto("/admin/lists/old/edit");
      await page.getByRole("button", { name: "Unarchive list" }).click();
      await page
        .getByText("Old list is no longer archived: it takes proposals and imports again.")
        .waitFor();
      expect((await getList(app.ctx, "system", "old")).archivedAt).toBeNull();
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
