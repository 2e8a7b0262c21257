// Admin pages and one-time passwords: an admin adds an instance and an account, sees its
// password once, and the new member must choose their own password before anything else.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAccount, listAccounts } from "../../server/accounts/accounts.service.js";
import { createInstance } from "../../server/instances/instances.service.js";
import { addAccount, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  checkAccessibility,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("accounts and passwords", () => {
  let e2e: E2e;
  let admin: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    admin = await addAccount(e2e.app.ctx, "operator", "admin", "operator.example");
  });
  afterAll(() => e2e?.close());

  test(
    "the forced password change does not ask again for the one-time password and says it worked",
    async () => {
      const created = await createAccount(e2e.app.ctx, "system", {
        username: "erin",
        role: "member",
        instance: "erin.example",
        createInstance: true,
      });
      const { page, errors } = await e2e.openPage();
      await signInAs(page, { username: "erin", password: created.password });
      await page.getByRole("heading", { level: 1, name: "Choose your password" }).waitFor();
      expect(await page.getByLabel("One-time password").count()).toBe(0);
      expect(await page.getByLabel("Current password").count()).toBe(0);
      await checkAccessibility(page, "forced password change");
      const chosen = "erin's own long passphrase";
      await page.getByLabel("New password", { exact: true }).fill(chosen);
      await page.getByLabel("New password again").fill(chosen);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { level: 1, name: "Blocklists" }).waitFor();
      const confirmation = page.getByRole("status").filter({ hasText: "Your password is changed" });
      await confirmation.waitFor();
      expect(await confirmation.innerText()).toContain("one-time password no longer works");

      // The chosen password is the one that works now.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You are signed out.").waitFor();
      await signInAs(page, { username: "erin", password: chosen });
      await page.getByRole("heading", { level: 1, name: "Blocklists" }).waitFor();
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "an admin creates an account and sees its one-time password once; the new member then chooses a password",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, admin);

      // A new member instance, with the API's field error for a bad domain first.
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Admin" })
        .click();
      await page.getByRole("heading", { level: 1, name: "Accounts" }).waitFor();
      await page.getByRole("link", { name: "Instances" }).click();
      const domain = page.getByRole("textbox", { name: "Domain" });
      await domain.fill("dora.example:8080");
      await page.getByRole("button", { name: "Add instance" }).click();
      await page.getByText("contains a port or scheme").first().waitFor();
      expect(await domain.getAttribute("aria-invalid")).toBe("true");
      await domain.fill("dora.example");
      await page.getByRole("textbox", { name: /Name/ }).fill("Dora's place");
      await page.getByRole("button", { name: "Add instance" }).click();
      await page.getByRole("cell", { name: "Dora's place" }).waitFor();
      await checkAccessibility(page, "instances");

      // The account, and its password shown once.
      await page.getByRole("link", { name: "Accounts" }).click();
      await page.getByRole("textbox", { name: "User name" }).fill("dora");
      await page
        .getByRole("combobox", { name: "Instance", exact: true })
        .selectOption("dora.example");
      await page.getByRole("button", { name: "Create account" }).click();
      const secret = page.getByRole("region", { name: "Account dora created" });
      await secret.waitFor();
      expect(await secret.innerText()).toContain("you will not see it again");
      const password = await secret
        .getByRole("textbox", { name: "One-time password" })
        .inputValue();
      expect(password.length).toBeGreaterThanOrEqual(12);
      // Every row's instance select lists dora.example: a row is found by its user name.
      const row = page.getByRole("row").filter({ has: page.getByText("dora", { exact: true }) });
      await row.getByText("one-time password").waitFor();
      await checkAccessibility(page, "accounts with a one-time password");
      await screenshot(page, "account-created");
      await secret.getByRole("button", { name: "Done" }).click();
      await secret.waitFor({ state: "detached" });
      expect(await page.content()).not.toContain(password);

      // Dora signs in with it and is sent to choose her own password first. After a reload the
      // page no longer knows the one-time password she typed, so it asks for it.
      const dora = await e2e.openPage();
      await signInAs(dora.page, { username: "dora", password });
      await dora.page.getByRole("heading", { level: 1, name: "Choose your password" }).waitFor();
      await dora.page.goto("/tokens");
      await dora.page.getByRole("heading", { level: 1, name: "Choose your password" }).waitFor();
      await checkAccessibility(dora.page, "change password");
      await dora.page.getByLabel("One-time password").fill(password);
      await dora.page.getByLabel("New password", { exact: true }).fill("short");
      await dora.page.getByLabel("New password again").fill("different");
      await dora.page.getByRole("button", { name: "Change password" }).click();
      await dora.page.getByText("use at least 12 characters").waitFor();
      await dora.page.getByText("does not match the new password").waitFor();
      const chosen = "correct horse battery staple";
      await dora.page.getByLabel("New password", { exact: true }).fill(chosen);
      await dora.page.getByLabel("New password again").fill(chosen);
      await dora.page.getByRole("button", { name: "Change password" }).click();
      await dora.page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
      await dora.page.getByText("Your password is changed.").waitFor();
      await screenshot(dora.page, "password-changed");

      // The old password no longer works; the new one does.
      await dora.page.getByRole("button", { name: "Sign out" }).click();
      await dora.page.getByText("You are signed out.").waitFor();
      await dora.page.goto("/sign-in");
      await dora.page.getByLabel("User name").fill("dora");
      await dora.page.getByLabel("Password", { exact: true }).fill(password);
      await dora.page.getByRole("button", { name: "Sign in" }).click();
      await dora.page
        .getByRole("alert")
        .filter({ hasText: "Wrong user name or password" })
        .waitFor();
      await signInAs(dora.page, { username: "dora", password: chosen });
      await dora.page.getByRole("heading", { level: 1, name: "Blocklists" }).waitFor();

      // The admin resets it: a new one-time password, shown once.
      await page.reload();
      const doraRow = page
        .getByRole("row")
        .filter({ has: page.getByText("dora", { exact: true }) });
      await doraRow.getByText("active").waitFor();
      await doraRow.getByRole("button", { name: "Reset password of dora" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Reset password" }).click();
      const reset = page.getByRole("region", { name: "New password for dora" });
      await reset.waitFor();
      expect(await reset.getByRole("textbox").inputValue()).not.toBe(password);

      // Role and disabling.
      await page.getByRole("combobox", { name: "Role of dora" }).selectOption("curator");
      await page.getByText("dora is now curator.").waitFor();
      await doraRow.getByRole("button", { name: "Disable dora" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Disable account" }).click();
      await page.getByText("dora is disabled.").waitFor();
      await doraRow.getByRole("button", { name: "Enable dora" }).waitFor();
      await screenshot(page, "accounts-changed");

      // A new list: the API's error for a nested field (policy.quorum) lands next to it.
      await page.getByRole("link", { name: "New list" }).click();
      await page.getByRole("textbox", { name: "Slug" }).fill("second");
      await page.getByRole("textbox", { name: "Name" }).fill("Second list");
      const quorum = page.getByRole("spinbutton", { name: "Quorum" });
      await quorum.fill("0");
      await page.getByRole("button", { name: "Create list" }).click();
      await page.getByRole("alert").filter({ hasText: "The list was not created" }).waitFor();
      expect(await quorum.getAttribute("aria-invalid")).toBe("true");
      const describedBy = (await quorum.getAttribute("aria-describedby"))!.split(" ")[0];
      expect(await page.locator(`[id="${describedBy}"]`).innerText()).toContain(
        "must be at least 1",
      );
      await quorum.fill("2");
      await page.getByRole("button", { name: "Create list" }).click();
      await page.getByText("The list Second list is created.").waitFor();
      await page.getByRole("heading", { level: 1, name: "Second list" }).waitFor();

      expect(errors).toEqual([]);
      expect(dora.errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "New account preselects no instance; an admin gives an account its instance, or none",
    async () => {
      const { app } = e2e;
      await createInstance(app.ctx, "system", { domain: "fern.example" });
      await createInstance(app.ctx, "system", { domain: "grove.example" });
      const { page, errors } = await e2e.openPage();
      await signInAs(page, admin);
      await page.goto("/admin/accounts");
      const instance = page.getByRole("combobox", { name: "Instance", exact: true });
      await instance.locator("option", { hasText: "fern.example" }).waitFor({ state: "attached" });
      expect(await instance.inputValue()).toBe("");
      expect(await instance.locator("option:checked").innerText()).toBe("Choose an instance…");

      // Not choosing is an error next to the field; nothing is created.
      await page.getByRole("textbox", { name: "User name" }).fill("fern");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("choose the instance it votes for, or No instance").waitFor();
      expect(await instance.getAttribute("aria-invalid")).toBe("true");
      expect((await listAccounts(app.ctx)).map((a) => a.username)).not.toContain("fern");
      await checkAccessibility(page, "new account without an instance");

      // "No instance" must be picked on purpose, and only an admin may have none.
      await instance.selectOption({ label: "No instance (admins only)" });
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("a member needs an instance").waitFor();
      await instance.selectOption("fern.example");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("region", { name: "Account fern created" }).waitFor();
      expect(await instance.inputValue()).toBe("");

      // The table shows each account's instance, and changes it.
      const fernInstance = page.getByRole("combobox", { name: "Instance of fern" });
      await expect.poll(() => fernInstance.inputValue()).toBe("fern.example");
      await fernInstance.selectOption("grove.example");
      await page.getByText("fern now votes for grove.example.").waitFor();
      const fern = async () =>
        (await listAccounts(app.ctx)).find((account) => account.username === "fern");
      expect((await fern())?.instance?.domain).toBe("grove.example");

      // A member cannot be left without one: the error says so, and the select stays.
      await fernInstance.selectOption({ label: "no instance" });
      await page.getByRole("alert").filter({ hasText: "a member needs an instance" }).waitFor();
      await expect.poll(() => fernInstance.inputValue()).toBe("grove.example");
      expect((await fern())?.instance?.domain).toBe("grove.example");
      await checkAccessibility(page, "account instance refused");

      // An admin may have none.
      await page.getByRole("combobox", { name: "Role of fern" }).selectOption("admin");
      await page.getByText("fern is now admin.").waitFor();
      await fernInstance.selectOption({ label: "no instance" });
      await page.getByText("fern belongs to no instance now.").waitFor();
      expect((await fern())?.instance).toBeNull();
      await screenshot(page, "account-instance-changed");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
