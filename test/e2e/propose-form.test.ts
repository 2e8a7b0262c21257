// The propose form: its own checks before sending, the API's field errors next to the fields,
// and a change proposal shown as a diff against the entry.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAccount, signIn, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  checkAccessibility,
  focusedElement,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

/** The error message shown for a control: the element its aria-describedby names first. */
async function errorOf(page: Page, control: Locator): Promise<string> {
  expect(await control.getAttribute("aria-invalid")).toBe("true");
  const ids = (await control.getAttribute("aria-describedby"))?.split(" ") ?? [];
  return page.locator(`[id="${ids[0]}"]`).innerText();
}

/** The alert showing `text`: whether it is wholly in the viewport and has the focus. */
async function alertState(page: Page, text: string) {
  const alert = page.getByRole("alert").filter({ hasText: text });
  await alert.waitFor();
  // Focus moves once React has rendered the error.
  await page.waitForFunction(() => {
    const doc = globalThis as unknown as {
      document: { activeElement: { getAttribute(name: string): string | null } | null };
    };
    return doc.document.activeElement?.getAttribute("role") === "alert";
  });
  return alert.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const view = globalThis as unknown as { innerHeight: number; innerWidth: number };
    const doc = (globalThis as unknown as { document: { activeElement: unknown } }).document;
    return {
      inViewport:
        box.top >= 0 &&
        box.left >= 0 &&
        box.bottom <= view.innerHeight &&
        box.right <= view.innerWidth,
      focused: doc.activeElement === element,
    };
  });
}

describe.skipIf(skipE2e)("the propose form", () => {
  let e2e: E2e;
  let alice: TestAccount, bob: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    bob = await member(e2e.app, "bob", "b.example");
    await fedipact(e2e.app);
  });
  afterAll(() => e2e?.close());

  test(
    "checks what it can before sending, and shows the API's field errors next to the fields",
    async () => {
      const { page, errors } = await e2e.openPage();
      const posts: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST" && request.url().includes("/proposals")) {
          posts.push(request.url());
        }
      });
      await signInAs(page, alice);
      await page.goto("/l/fedipact/propose");
      const domain = page.getByRole("textbox", { name: "Domain" });
      const submit = page.getByRole("button", { name: "Open proposal" });

      // Nothing filled in: the page says what is missing, and sends nothing.
      await submit.click();
      await page.getByText("enter the domain, e.g. example.social").waitFor();
      expect(await errorOf(page, domain)).toContain("enter the domain");
      await page.getByText("choose suspend, silence or noop").waitFor();
      expect((await focusedElement(page)).name).toBe("domain");
      await domain.fill("https://x.example/");
      await page.getByRole("radio", { name: "Silence" }).check();
      const link = page.getByRole("textbox", { name: "Evidence link 1" });
      await link.fill("ftp://files.example/x");
      await submit.click();
      await page.getByText("expected an http(s) link").waitFor();
      expect(await errorOf(page, link)).toContain("expected an http(s) link");
      expect(posts).toEqual([]);

      // A URL where a domain belongs is the server's call (one domain normalizer): its field
      // error appears next to the domain, and its detail in the banner.
      await link.fill("https://x.example/post/1");
      await submit.click();
      await page.getByRole("alert").filter({ hasText: "The proposal was not opened" }).waitFor();
      expect(posts).toHaveLength(1);
      expect(await errorOf(page, domain)).toContain("is a URL: give only the host name");
      expect(await link.getAttribute("aria-invalid")).toBeNull();
      await checkAccessibility(page, "propose form with errors");
      await screenshot(page, "propose-field-errors");

      // Corrected, it goes through.
      await domain.fill("x.example");
      await submit.click();
      await page.getByRole("heading", { level: 1, name: "Add x.example" }).waitFor();
      expect(await page.getByRole("main").innerText()).toContain("https://x.example/post/1");
      await screenshot(page, "propose-corrected");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a 409 or a 403 is shown by the button, focused, with a link to the open proposal",
    async () => {
      const { app } = e2e;
      const viaApi = await signIn(app, alice);
      const opened = await viaApi.post("/api/v1/lists/fedipact/proposals", {
        kind: "add",
        domain: "dup.example",
        severity: "suspend",
      });
      expect(opened.status).toBe(201);

      const { page } = await e2e.openPage({ width: 1280, height: 600 });
      await signInAs(page, bob);
      await page.goto("/l/fedipact/propose");
      await page.getByRole("textbox", { name: "Domain" }).fill("dup.example");
      await page.getByRole("radio", { name: "Silence" }).check();
      await page.getByLabel(/Public reason/).fill("Same domain, another opinion");
      await page.getByRole("button", { name: "Open proposal" }).click();
      expect(await alertState(page, "is still open")).toEqual({ inViewport: true, focused: true });
      const link = page.getByRole("alert").getByRole("link", { name: /open proposal/i });
      expect(await link.getAttribute("href")).toBe(`/proposals/${opened.body.id}`);
      await checkAccessibility(page, "propose form with a 409");
      await link.click();
      await page.getByRole("heading", { level: 1, name: "Add dup.example" }).waitFor();

      // An admin of no instance cannot propose: the 403 is shown the same way.
      const carol = await addAccount(app.ctx, "carol", "admin", null);
      const second = await e2e.openPage({ width: 1280, height: 600 });
      await signInAs(second.page, carol);
      await second.page.goto("/l/fedipact/propose");
      await second.page.getByRole("textbox", { name: "Domain" }).fill("other.example");
      await second.page.getByRole("radio", { name: "No-op" }).check();
      await second.page.getByRole("button", { name: "Open proposal" }).click();
      expect(await alertState(second.page, "belongs to no member instance")).toEqual({
        inViewport: true,
        focused: true,
      });
    },
    E2E_TIMEOUT,
  );

  test(
    "a change proposal starts from the entry and shows what it changes",
    async () => {
      const { app } = e2e;
      await fedipact(app, { slug: "pairs", name: "Pairs", policy: { quorum: 2, minOpenHours: 0 } });
      const viaApi = await signIn(app, alice);
      const opened = await viaApi.post("/api/v1/lists/pairs/proposals", {
        kind: "add",
        domain: "spam.example",
        severity: "suspend",
        publicComment: "Spam factory",
        tags: ["spam"],
      });
      expect(opened.status).toBe(201);
      const passed = await (
        await signIn(app, bob)
      ).put(`/api/v1/proposals/${opened.body.id}/vote`, {
        vote: "yes",
      });
      expect(passed.body.status).toBe("passed");

      const { page, errors } = await e2e.openPage();
      await signInAs(page, alice);
      await page.goto("/l/pairs/entries/spam.example");
      await page.getByRole("link", { name: "Propose a change" }).click();
      await page.getByText("The entry now").waitFor();
      expect(await page.getByRole("radio", { name: "Suspend" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "spam" }).isChecked()).toBe(true);

      // Nothing changed yet: the page says so instead of sending an empty change.
      await page.getByRole("button", { name: "Open proposal" }).click();
      await page.getByText("change at least one field of the entry").waitFor();

      await page.getByRole("radio", { name: "Silence" }).check();
      await page.getByLabel(/Public reason/).fill("Spam, but they are cleaning up");
      await page.getByRole("button", { name: "Open proposal" }).click();
      await page.getByRole("heading", { level: 1, name: "Change spam.example" }).waitFor();
      const diff = page.getByRole("table");
      const rows = await diff.getByRole("row").allInnerTexts();
      expect(rows.map((row) => row.replace(/\s+/g, " ").trim())).toEqual([
        "Field Now Proposed",
        expect.stringMatching(/^Severity now: suspend proposed: silence$/i),
        "Public reason now: Spam factory proposed: Spam, but they are cleaning up",
      ]);
      await checkAccessibility(page, "change proposal with diff");
      await screenshot(page, "proposal-change-diff");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
