// Every route of the UI, signed out, as a member and as an admin, at desktop and phone widths: axe-core finds
// no serious or critical violation, each page has one h1 and the landmarks, and the UI works
// from the keyboard (skip link, Enter submits, the menu button on a phone).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAccount, signIn, tokenFor, type TestAccount } from "../support/app.js";
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
import { createAppeal } from "../../server/appeals/appeals.service.js";
import { seedEntries } from "../support/seed.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

/** Waits until the page has its real h1 and nothing is loading any more. */
async function settled(page: Page): Promise<string> {
  const heading = page.locator("h1").filter({ hasNotText: /^Loading/ });
  await heading.waitFor();
  await page.locator(".skeleton").first().waitFor({ state: "detached" });
  return heading.innerText();
}

async function checkPage(page: Page, path: string, label: string): Promise<string> {
  await page.goto(path);
  const title = await settled(page);
  expect(await page.locator("h1").count(), `${label}: one h1`).toBe(1);
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  for (const landmark of ["banner", "main", "contentinfo"] as const) {
    expect(await page.getByRole(landmark).count(), `${label}: ${landmark}`).toBe(1);
  }
  // On a phone the navigation is folded (hidden) behind the menu button, but present.
  const nav = page.getByRole("navigation", { name: "Main", includeHidden: true });
  expect(await nav.count(), `${label}: navigation`).toBe(1);
  await checkAccessibility(page, label);
  await screenshot(page, label);
  return title;
}

describe.skipIf(skipE2e)("accessibility of every page", () => {
  let e2e: E2e;
  let operator: TestAccount;
  let alice: TestAccount;
  let openId: number;
  let appealId: number;

  beforeAll(async () => {
    e2e = await startE2e();
    const { app } = e2e;
    operator = await addAccount(app.ctx, "operator", "admin", "operator.example");
    alice = await member(app, "alice", "a.example");
    const asAlice = await signIn(app, alice);
    const bob = await signIn(app, await member(app, "bob", "b.example"));
    const admin = await signIn(app, operator);
    await fedipact(app);
    await fedipact(app, { slug: "secret", name: "Members only", visibility: "members" });

    const threads = await asAlice.post("/api/v1/lists/fedipact/proposals", {
      kind: "add",
      domain: "threads.net",
      severity: "suspend",
      publicComment: "Meta / Threads",
      tags: ["corporate"],
      evidence: ["https://example.org/report"],
    });
    await bob.put(`/api/v1/proposals/${threads.body.id}/vote`, { vote: "yes", comment: "Yes." });
    const passed = await admin.put(`/api/v1/proposals/${threads.body.id}/vote`, { vote: "yes" });
    expect(passed.body.status).toBe("passed");
    const open = await bob.post("/api/v1/lists/fedipact/proposals", {
      kind: "change",
      domain: "threads.net",
      severity: "silence",
      reason: "They moderate now.",
    });
    openId = open.body.id as number;
    await asAlice.post(`/api/v1/proposals/${openId}/comments`, { body: "Do they, though?" });
    await asAlice.post("/api/v1/lists/fedipact/proposals", {
      kind: "add",
      domain: "spam.example",
      severity: "silence",
    });
    await admin.post("/api/v1/subscriptions", { list: "fedipact", minSeverity: "silence" });
    await seedEntries(app.ctx, "fedipact", [{ domain: "appealing.example", severity: "silence" }]);
    appealId = (
      await createAppeal(app.ctx, "fedipact", "appealing.example", {
        kind: "remove",
        rebuttal: "We changed our rules.",
        links: ["https://appealing.example/rules"],
      })
    ).id;
    await tokenFor(app.ctx, "operator", ["read"]);
  });
  afterAll(() => e2e?.close());

  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    test(
      `signed out, ${size}`,
      async () => {
        const { page, errors } = await e2e.openPage(viewport);
        const pages: [string, string, string][] = [
          ["/", "home", "Public blocklists"],
          ["/sign-in", "sign-in", "Sign in"],
          ["/members", "members", "Member instances"],
          ["/l/fedipact", "list", "FediPact"],
          ["/lists/fedipact", "list-alias", "FediPact"],
          ["/l/fedipact/entries/threads.net", "entry", "threads.net"],
          [
            "/l/fedipact/entries/appealing.example/appeal",
            "appeal-form",
            "Appeal the entry for appealing.example",
          ],
          [`/appeals/${appealId}`, "appeal", "Appeal of appealing.example"],
          ["/l/secret", "members-only-list", "List not found"],
          ["/no/such/page", "not-found", "Page not found"],
        ];
        for (const [path, name, title] of pages) {
          expect(await checkPage(page, path, `${size}-signed-out-${name}`)).toBe(title);
        }
        // Members-only pages send the visitor to sign in, and back afterwards.
        await page.goto("/tokens");
        await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
        expect(new URL(page.url()).search).toBe("?next=%2Ftokens");

        // Keyboard only: the skip link comes first and leads to the content; Enter submits.
        await page.reload();
        await settled(page);
        const focused = async () => {
          const active = await focusedElement(page);
          return active.id || active.text;
        };
        await page.keyboard.press("Tab");
        expect(await focused()).toBe("Skip to content");
        await page.keyboard.press("Enter");
        expect(await focused()).toBe("main");
        await page.keyboard.press("Tab");
        expect(await focused()).toBe(
          await page.getByRole("textbox", { name: "User name" }).getAttribute("id"),
        );
        await page.keyboard.type(operator.username);
        await page.keyboard.press("Tab");
        await page.keyboard.type(operator.password);
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
        expect(errors).toEqual([]);
      },
      E2E_TIMEOUT,
    );

    test(
      `signed in as a member, ${size}`,
      async () => {
        const { page, errors } = await e2e.openPage(viewport);
        await signInAs(page, alice);
        const pages: [string, string, string][] = [
          ["/", "lists", "Blocklists"],
          ["/l/fedipact", "list", "FediPact"],
          ["/l/secret", "members-only-list", "Members only"],
          ["/l/fedipact/entries/threads.net", "entry", "threads.net"],
          [
            "/l/fedipact/entries/appealing.example/appeal",
            "appeal-form",
            "Appeal the entry for appealing.example",
          ],
          [`/appeals/${appealId}`, "appeal", "Appeal of appealing.example"],
          ["/l/fedipact/proposals", "proposals", "Open proposals"],
          ["/l/fedipact/propose", "propose", "Propose"],
          [`/proposals/${openId}`, "proposal-to-vote-on", "Change threads.net"],
          ["/import", "import", "Import a blocklist"],
          ["/subscriptions", "subscriptions", "Subscriptions and exports"],
          ["/tokens", "tokens", "API tokens"],
          ["/waiting", "waiting", "Waiting for your vote"],
          ["/audit", "audit", "Audit log"],
          ["/account/password", "password", "Change your password"],
          // The admin pages answer a member with "Not allowed", and no admin navigation.
          ["/admin/accounts", "admin-accounts-not-allowed", "Not allowed"],
          ["/admin/instances", "admin-instances-not-allowed", "Not allowed"],
          ["/admin/lists/new", "admin-new-list-not-allowed", "Not allowed"],
        ];
        for (const [path, name, title] of pages) {
          expect(await checkPage(page, path, `${size}-member-${name}`)).toBe(title);
        }
        expect(await page.getByRole("main").innerText()).toContain("Your role is member.");
        expect(await page.getByRole("link", { name: "Admin", includeHidden: true }).count()).toBe(
          0,
        );
        expect(errors).toEqual([]);
      },
      E2E_TIMEOUT,
    );

    test(
      `signed in as an admin, ${size}`,
      async () => {
        const { page, errors } = await e2e.openPage(viewport);
        await page.goto("/sign-in");
        await page.getByRole("textbox", { name: "User name" }).fill(operator.username);
        await page.getByLabel("Password", { exact: true }).fill(operator.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { level: 1, name: "Blocklists" }).waitFor();

        if (size === "phone") {
          // The navigation folds behind a menu button.
          const menu = page.getByRole("button", { name: "Menu" });
          const tokens = page.getByRole("link", { name: "API tokens" });
          expect(await menu.getAttribute("aria-expanded")).toBe("false");
          expect(await tokens.isVisible()).toBe(false);
          await menu.click();
          expect(await menu.getAttribute("aria-expanded")).toBe("true");
          await checkAccessibility(page, "phone menu open");
          await screenshot(page, "phone-menu-open");
          await tokens.click();
          await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
          expect(await menu.getAttribute("aria-expanded")).toBe("false");
        } else {
          expect(await page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
        }

        const pages: [string, string, string][] = [
          ["/", "lists", "Blocklists"],
          ["/l/fedipact", "list", "FediPact"],
          ["/l/secret", "members-only-list", "Members only"],
          ["/l/fedipact/entries/threads.net", "entry", "threads.net"],
          [
            "/l/fedipact/entries/appealing.example/appeal",
            "appeal-form",
            "Appeal the entry for appealing.example",
          ],
          [`/appeals/${appealId}`, "appeal", "Appeal of appealing.example"],
          ["/l/fedipact/proposals", "proposals", "Open proposals"],
          ["/l/fedipact/proposals?status=passed", "proposals-passed", "Passed proposals"],
          ["/l/fedipact/propose", "propose", "Propose"],
          [`/proposals/${openId}`, "proposal", "Change threads.net"],
          ["/import", "import", "Import a blocklist"],
          ["/subscriptions", "subscriptions", "Subscriptions and exports"],
          ["/tokens", "tokens", "API tokens"],
          ["/waiting", "waiting", "Waiting for your vote"],
          ["/audit", "audit", "Audit log"],
          ["/admin/accounts", "admin-accounts", "Accounts"],
          ["/admin/instances", "admin-instances", "Member instances"],
          ["/admin/lists", "admin-lists", "Lists"],
          ["/admin/lists/new", "admin-new-list", "New list"],
          ["/admin/lists/fedipact/edit", "admin-edit-list", "Edit FediPact"],
          ["/account/password", "password", "Change your password"],
        ];
        for (const [path, name, title] of pages) {
          expect(await checkPage(page, path, `${size}-admin-${name}`)).toBe(title);
        }

        // A dialog: focus moves into it, Escape closes it.
        await page.goto(`/proposals/${openId}`);
        await settled(page);
        await page.getByRole("button", { name: "Decide now" }).click();
        const dialog = page.getByRole("dialog", { name: "Decide this proposal" });
        await dialog.waitFor();
        await checkAccessibility(page, `${size} decide dialog`);
        await screenshot(page, `${size}-admin-decide-dialog`);
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "hidden" });
        expect(errors).toEqual([]);
      },
      E2E_TIMEOUT,
    );
  }
});
