// The instance's subscriptions and the URLs to give Mastodon, GoToSocial or the sync.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tokenFor, type TestAccount } from "../support/app.js";
import {
  DESKTOP,
  E2E_TIMEOUT,
  PHONE,
  checkAccessibility,
  focusedElement,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("subscriptions and export URLs", () => {
  let e2e: E2e;
  let alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    await fedipact(e2e.app);
  });
  afterAll(() => e2e?.close());

  test(
    "an instance subscribes with filters, copies its URLs, and unsubscribes",
    async () => {
      const { app } = e2e;
      const { page, errors, context } = await e2e.openPage();
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
      await signInAs(page, alice);
      await page.getByRole("link", { name: "Subscriptions" }).click();
      await page.getByText("Your instance subscribes to no list yet").waitFor();

      // A bad excluded domain comes back as a field error next to the field.
      const exclude = page.getByRole("textbox", { name: /Never block these domains/ });
      await page.getByRole("combobox", { name: "Minimum severity" }).selectOption("silence");
      await exclude.fill("friend.example\nhttps://bad.example/");
      await page.getByRole("button", { name: "Subscribe" }).click();
      await page.getByText("Some excluded domains are not valid.").waitFor();
      expect(await exclude.getAttribute("aria-invalid")).toBe("true");
      await page.getByText('"https://bad.example/" is a URL').waitFor();

      await exclude.fill("friend.example");
      await page.getByRole("button", { name: "Subscribe" }).click();
      await page.getByText("Your instance now subscribes to FediPact.").waitFor();
      const row = page.getByRole("row").filter({ hasText: "FediPact" });
      expect((await row.innerText()).toLowerCase()).toContain("silence");
      expect(await row.innerText()).toContain("friend.example");
      expect(await page.getByText("Your instance subscribes to every list already.").count()).toBe(
        1,
      );

      // The URLs are absolute, and the merged feed answers with an instance token.
      const gts = page.getByRole("textbox", {
        name: "FediPact: CSV for GoToSocial (suspensions only)",
      });
      expect(await gts.inputValue()).toBe(`${app.url}/lists/fedipact.csv?min_severity=suspend`);
      const merged = await page.getByRole("textbox", { name: "Merged feed (CSV)" }).inputValue();
      expect(merged).toBe(`${app.url}/api/v1/subscriptions/export.csv`);
      const token = await tokenFor(app.ctx, "alice", ["read"]);
      const feed = await fetch(merged, { headers: { Authorization: `Bearer ${token}` } });
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain("#domain,#severity");
      await page
        .getByRole("button", { name: "Copy FediPact: CSV for GoToSocial (suspensions only)" })
        .click();
      await page.getByText("Copied.").waitFor();
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        ),
      ).toBe(`${app.url}/lists/fedipact.csv?min_severity=suspend`);
      await checkAccessibility(page, "subscriptions");
      await screenshot(page, "subscriptions");

      await page.getByRole("button", { name: "Unsubscribe from FediPact" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Unsubscribe" }).click();
      await page.getByText("Your instance no longer subscribes to FediPact.").waitFor();
      await page.getByText("Your instance subscribes to no list yet").waitFor();
      await screenshot(page, "subscriptions-after-unsubscribe");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "the URL fields show their whole URL, on a desktop and on a phone",
    async () => {
      for (const viewport of [DESKTOP, PHONE]) {
        const { page, errors } = await e2e.openPage(viewport);
        await signInAs(page, alice);
        await page.goto("/subscriptions");
        const gts = page.getByRole("textbox", {
          name: "FediPact: CSV for GoToSocial (suspensions only)",
        });
        await gts.waitFor();
        expect(await gts.inputValue()).toContain("?min_severity=suspend");
        const boxes = await page.locator('[id^="url-"]').evaluateAll((elements) =>
          elements.map((element) => ({
            id: element.id,
            scrollWidth: element.scrollWidth,
            clientWidth: element.clientWidth,
            scrollHeight: element.scrollHeight,
            clientHeight: element.clientHeight,
          })),
        );
        // The four URLs of the list and the merged feed, none cut off either way.
        expect(boxes.map((box) => box.id)).toEqual(
          expect.arrayContaining(["url-fedipact-gts", "url-fedipact-csv", "url-merged-csv"]),
        );
        for (const box of boxes) {
          expect(box.scrollWidth, `${box.id} at ${viewport.width}px`).toBeLessThanOrEqual(
            box.clientWidth,
          );
          expect(box.scrollHeight, `${box.id} at ${viewport.width}px`).toBeLessThanOrEqual(
            box.clientHeight,
          );
        }
        if (viewport === PHONE) await checkAccessibility(page, "subscriptions on a phone");
        expect(errors).toEqual([]);
      }
    },
    E2E_TIMEOUT,
  );

  test(
    "an instance changes a subscription's minimum severity, tags and excluded domains",
    async () => {
      const { app } = e2e;
      const bob = await member(app, "bob", "b.example");
      const { page, errors } = await e2e.openPage();
      await signInAs(page, bob);
      await page.goto("/subscriptions");
      await page.getByRole("button", { name: "Subscribe" }).click();
      await page.getByText("Your instance now subscribes to FediPact.").waitFor();

      await page.getByRole("button", { name: "Change the subscription to FediPact" }).click();
      const form = page.getByRole("form", { name: "Change the subscription to FediPact" });
      const severity = form.getByRole("combobox", { name: "Minimum severity" });
      const severityId = await severity.getAttribute("id");
      await expect.poll(async () => (await focusedElement(page)).id).toBe(severityId);
      await severity.selectOption("suspend");
      await form.getByRole("checkbox", { name: "corporate" }).check();
      const exclude = form.getByRole("textbox", { name: /Never block these domains/ });
      await exclude.fill("friend.example\nexa*ple.com");
      await form.getByRole("button", { name: "Save changes" }).click();
      // The bad domain is marked next to the field; nothing is changed.
      await form.getByText("The subscription was not changed").waitFor();
      expect(await exclude.getAttribute("aria-invalid")).toBe("true");
      const token = await tokenFor(app.ctx, "bob", ["read"]);
      const read = () =>
        fetch(`${app.url}/api/v1/subscriptions`, {
          headers: { Authorization: `Bearer ${token}` },
        }).then((r) => r.json() as Promise<{ items: Record<string, unknown>[] }>);
      expect((await read()).items[0]).toMatchObject({ minSeverity: null, tags: [], exclude: [] });
      await checkAccessibility(page, "subscription edit with an error");

      await exclude.fill("friend.example\nPal.Example");
      await form.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("The subscription to FediPact is changed.").waitFor();
      expect((await read()).items[0]).toMatchObject({
        minSeverity: "suspend",
        tags: ["corporate"],
        exclude: ["friend.example", "pal.example"],
      });
      const row = page.getByRole("row").filter({ hasText: "FediPact" });
      await row.getByText("pal.example", { exact: false }).waitFor();
      expect(
        await page.getByRole("form", { name: "Change the subscription to FediPact" }).count(),
      ).toBe(0);

      // Cancel leaves it as it is; clearing every filter is a change too.
      await page.getByRole("button", { name: "Change the subscription to FediPact" }).click();
      await form.getByRole("button", { name: "Cancel" }).click();
      expect(await form.count()).toBe(0);
      await page.getByRole("button", { name: "Change the subscription to FediPact" }).click();
      await form.getByRole("combobox", { name: "Minimum severity" }).selectOption("");
      await form.getByRole("checkbox", { name: "corporate" }).uncheck();
      await form.getByRole("textbox", { name: /Never block these domains/ }).fill("");
      await form.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("The subscription to FediPact is changed.").waitFor();
      await expect
        .poll(async () => (await read()).items[0])
        .toMatchObject({ minSeverity: null, tags: [], exclude: [] });
      await screenshot(page, "subscription-changed");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
