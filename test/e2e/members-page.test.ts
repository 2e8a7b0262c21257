// The public members page: empty by default; an instance's own account lists it, and only it
// appears to anyone, until it takes itself off again.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listedMembers } from "../../server/instances/instances.service.js";
import type { TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  PHONE,
  checkAccessibility,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("the public members page", () => {
  let e2e: E2e;
  let alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    await member(e2e.app, "bob", "b.example");
  });
  afterAll(() => e2e?.close());

  test(
    "no instance is listed until it opts in; then anyone sees it, and only it",
    async () => {
      const visitor = await e2e.openPage(PHONE);
      await visitor.page.goto("/");
      await visitor.page.getByRole("link", { name: "Who is a member" }).click();
      await visitor.page.getByRole("heading", { level: 1, name: "Member instances" }).waitFor();
      await visitor.page.getByText("No instance is listed yet").waitFor();
      expect(await visitor.page.getByText("Your instance").count()).toBe(0);
      await checkAccessibility(visitor.page, "members page, none listed, phone");

      const { page, errors } = await e2e.openPage();
      await signInAs(page, alice);
      await page.goto("/members");
      const own = page.getByRole("region", { name: "Your instance, a.example" });
      await own.getByText("It is not listed here.").waitFor();
      await own.getByRole("button", { name: "List a.example here" }).click();
      await own.getByText("a.example is listed on this page now.").waitFor();
      await page.getByRole("row", { name: /a\.example/ }).waitFor();
      expect((await listedMembers(e2e.app.ctx)).map((item) => item.domain)).toEqual(["a.example"]);
      await checkAccessibility(page, "members page, own instance listed");
      await screenshot(page, "members-page-listed");

      await visitor.page.reload();
      await visitor.page.getByRole("row", { name: /a\.example/ }).waitFor();
      expect(await visitor.page.getByRole("main").innerText()).not.toContain("b.example");

      await own.getByRole("button", { name: "Take a.example off this page" }).click();
      await own.getByText("a.example is no longer listed on this page.").waitFor();
      await page.getByText("No instance is listed yet").waitFor();
      expect(await listedMembers(e2e.app.ctx)).toEqual([]);
      expect(errors).toEqual([]);
      expect(visitor.errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
