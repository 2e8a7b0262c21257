// A listed instance appeals in the browser, signed out: the form, the token shown once, the
// appeal's public page; its domain (a local fake web server) serves the token and the page
// verifies it; the members see the appeal on its proposal and vote it through; the appeal's
// page then shows the outcome, with counts only.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestAccount } from "../support/app.js";
import { E2E_TIMEOUT, checkAccessibility, signInAs, skipE2e } from "../support/browser.js";
import { seedEntries } from "../support/seed.js";
import { FakeWellKnown } from "../fakes/well-known.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("an appeal in the browser", () => {
  let e2e: E2e;
  let wellKnown: FakeWellKnown;
  let alice: TestAccount;

  beforeAll(async () => {
    wellKnown = new FakeWellKnown();
    await wellKnown.listen();
    e2e = await startE2e({
      env: {
        FEDIBLOCK_VERIFICATION_BASE: wellKnown.base,
        FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true",
      },
    });
    alice = await member(e2e.app, "alice", "a.example");
    await fedipact(e2e.app, { policy: { quorum: 1, minOpenHours: 0 } });
    await seedEntries(e2e.app.ctx, "fedipact", [
      { domain: "wronged.example", severity: "suspend", publicComment: "spam wave" },
    ]);
  });
  afterAll(async () => {
    await e2e?.close();
    await wellKnown?.close();
  });

  test(
    "appealed signed out, verified from its page, voted through, the outcome shown",
    async () => {
      const visitor = await e2e.openPage();
      const v = visitor.page;
      await v.goto("/l/fedipact/entries/wronged.example");
      await v.getByRole("link", { name: "Appeal this entry" }).click();
      await v
        .getByRole("heading", { level: 1, name: "Appeal the entry for wronged.example" })
        .waitFor();
      await checkAccessibility(v, "appeal form");
      await v.getByRole("button", { name: "Make the appeal" }).click();
      await v.getByText("say why the entry is wrong").waitFor();
      await v.getByLabel(/Rebuttal/).fill("That wave came from one account, banned since.");
      await v.getByLabel(/Links/).fill("https://wronged.example/about");
      await v.getByRole("button", { name: "Make the appeal" }).click();
      const appealToken = await v.getByRole("textbox", { name: "Appeal token" }).inputValue();
      expect(appealToken).toMatch(/^fba_/);
      await checkAccessibility(v, "appeal made, token shown once");
      await v.getByRole("button", { name: "Go to the appeal" }).click();

      await v.getByRole("heading", { level: 1, name: "Appeal of wronged.example" }).waitFor();
      await v.getByText("Status: Waiting for the domain to serve its token").waitFor();
      await checkAccessibility(v, "appeal page, unverified");
      // Not served yet: the page says what the domain answered.
      await v.getByRole("button", { name: "Check the domain now" }).click();
      await v.getByText(/answered 404/).waitFor();
      wellKnown.serveToken(
        "wronged.example",
        await v.getByRole("textbox", { name: "Token", exact: true }).inputValue(),
      );
      await v.getByRole("button", { name: "Check the domain now" }).click();
      await v.getByText("Status: Open: the members are voting").waitFor();

      await v.getByRole("textbox", { name: "Appeal token" }).fill(appealToken);
      await v.getByLabel("Add a comment").fill("Our moderation log is public.");
      await v.getByRole("button", { name: "Post comment" }).click();
      await v.getByText("Your comment is posted.").waitFor();
      await checkAccessibility(v, "appeal page, open");

      // A member sees the appeal on its proposal and votes it through.
      const m = (await e2e.openPage()).page;
      await signInAs(m, alice);
      await m.goto("/l/fedipact/proposals");
      await m
        .getByRole("link", { name: /wronged\.example/ })
        .first()
        .click();
      const card = m.getByRole("region", { name: /The listed instance appeals/ });
      await card.waitFor();
      expect(await card.innerText()).toContain("That wave came from one account, banned since.");
      expect(await card.innerText()).toContain("Our moderation log is public.");
      await checkAccessibility(m, "proposal page with its appeal");
      await m.getByRole("radio", { name: "Yes" }).check();
      await m.getByRole("button", { name: "Cast vote" }).click();
      await m.getByText("This proposal passed").waitFor();

      await v.reload();
      await v.getByText("Status: Upheld").waitFor();
      const outcome = await v.getByRole("region", { name: "Outcome" }).innerText();
      expect(outcome).toContain("1 yes / 0 no / 0 abstain");
      expect(await v.locator("main").innerText()).not.toContain("alice");
      await checkAccessibility(v, "appeal page, upheld");
    },
    E2E_TIMEOUT,
  );
});
