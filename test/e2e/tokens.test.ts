// API tokens: created with scopes, the secret shown once, revoked after a confirmation.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  checkAccessibility,
  focusedElement,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("API tokens", () => {
  let e2e: E2e;
  let alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
  });
  afterAll(() => e2e?.close());

  test(
    "a token is shown once, works, and stops working when revoked",
    async () => {
      const { app } = e2e;
      const me = (token: string) =>
        fetch(`${app.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      const { page, errors } = await e2e.openPage();
      await signInAs(page, alice);
      await page.getByRole("link", { name: "API tokens" }).click();
      await page.getByText("You have no API tokens").waitFor();

      // The form's own check, then a token with the read scope.
      await page.getByRole("button", { name: "Create token" }).click();
      await page.getByText("give the token a name").waitFor();
      await page.getByRole("textbox", { name: "Name" }).fill("sync on a.example");
      expect(await page.getByRole("checkbox", { name: "read" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "admin" }).count()).toBe(0);
      await page.getByRole("button", { name: "Create token" }).click();
      const secret = page.getByRole("region", { name: /Your new token/ });
      await secret.waitFor();
      expect(await secret.innerText()).toContain("you will not see this again");
      const token = await secret.getByRole("textbox", { name: "Token" }).inputValue();
      expect(token).toMatch(/^fbk_[^_]+_.+/);
      expect((await me(token)).status).toBe(200);
      await page.getByRole("cell", { name: /^sync on a\.example/ }).waitFor();
      await checkAccessibility(page, "tokens with a new secret");
      await screenshot(page, "token-created");

      // Once dismissed (or after a reload) the secret is gone for good.
      await page.getByRole("button", { name: "I have copied it" }).click();
      await secret.waitFor({ state: "detached" });
      await page.reload();
      await page.getByRole("cell", { name: /^sync on a\.example/ }).waitFor();
      expect(await page.content()).not.toContain(token);

      // Revoking asks first; Escape backs out.
      const revoke = page.getByRole("button", { name: "Revoke sync on a.example" });
      await revoke.click();
      const dialog = page.getByRole("dialog", { name: "Revoke “sync on a.example”?" });
      await dialog.waitFor();
      await checkAccessibility(page, "revoke dialog");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      expect((await focusedElement(page)).text).toBe("Revoke sync on a.example");
      expect((await me(token)).status).toBe(200);

      await revoke.click();
      await dialog.getByRole("button", { name: "Revoke token" }).click();
      await page.getByText("is revoked: requests with it now fail").waitFor();
      await page.getByText("You have no API tokens").waitFor();
      expect((await me(token)).status).toBe(401);
      await screenshot(page, "token-revoked");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
