// "Waiting for your vote": the count in the navigation, the page with the time left, the count
// going down after a vote, and the feed URL for a feed reader (issue 18).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tokenFor, type TestAccount } from "../support/app.js";
import { E2E_TIMEOUT, PHONE, checkAccessibility, signInAs, skipE2e } from "../support/browser.js";
import { parseAtom } from "../feeds/atom-validator.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("waiting for your vote", () => {
  let e2e: E2e;
  let alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    await member(e2e.app, "bob", "b.example");
    await fedipact(e2e.app, { policy: { quorum: 5, minOpenHours: 0, votingDays: 7 } });
    const bob = await tokenFor(e2e.app.ctx, "bob");
    for (const domain of ["threads.net", "spam.example"]) {
      const answer = await fetch(`${e2e.app.url}/api/v1/lists/fedipact/proposals`, {
        method: "POST",
        headers: { Authorization: `Bearer ${bob}`, "Content-Type": "application/json" },
        body: JSON.stringify({ kind: "add", domain, severity: "suspend", reason: `${domain}?` }),
      });
      expect(answer.status).toBe(201);
    }
  });
  afterAll(() => e2e?.close());

  test(
    "the navigation counts what awaits the instance; the page shows the time left; a vote takes one off",
    async () => {
      const { page } = await e2e.openPage();
      await signInAs(page, alice);
      const count = page.getByTestId("waiting-count");
      await expect.poll(() => count.innerText()).toBe("2");
      await page.getByRole("link", { name: /Your vote 2 proposals waiting/ }).click();
      await page.getByRole("heading", { level: 1, name: "Waiting for your vote" }).waitFor();
      const cards = page.locator(".proposal-card");
      // The heading shows before the list has loaded: wait for its cards.
      await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(2);
      expect(await cards.first().innerText()).toMatch(/closes in (7 days|1 week)/);
      await checkAccessibility(page, "waiting");

      // A feed URL for a feed reader answers valid Atom with the same proposals.
      await page.getByRole("button", { name: "Create a feed URL" }).click();
      const url = await page.getByRole("textbox", { name: "Feed URL" }).inputValue();
      const feed = parseAtom(await (await fetch(url)).text());
      expect(feed.entries.map((e) => e.title).sort()).toEqual([
        "Vote: add spam.example on FediPact",
        "Vote: add threads.net on FediPact",
      ]);
      await checkAccessibility(page, "waiting-feed-url");

      // Voting on one takes it off the page and the count.
      await page.getByRole("link", { name: "Add threads.net" }).click();
      await page.getByRole("radio", { name: "Yes" }).check();
      await page.getByRole("button", { name: "Cast vote" }).click();
      await page.getByText("Your instance's vote is recorded: yes.").waitFor();
      await expect.poll(() => count.innerText()).toBe("1");
      await page.getByRole("link", { name: /Your vote/ }).click();
      await expect.poll(() => cards.count()).toBe(1);
      expect(await cards.first().innerText()).toContain("spam.example");
    },
    E2E_TIMEOUT,
  );

  test(
    "on a phone, the count is in the menu",
    async () => {
      const { page } = await e2e.openPage(PHONE);
      await signInAs(page, alice);
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: /Your vote \d+ proposals? waiting/ }).waitFor();
      await checkAccessibility(page, "waiting-phone-menu");
    },
    E2E_TIMEOUT,
  );
});
