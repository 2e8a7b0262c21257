// The story the UI exists for: a member proposes threads.net, two other instances vote it
// through in their own browsers, and anyone can then see it and download it, signed out.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signIn, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  checkAccessibility,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

/** The proposal status filters marked as the current page (exactly the one shown, if right). */
const currentStatusFilters = (page: Page) =>
  page
    .getByRole("navigation", { name: "Proposal status" })
    .locator('[aria-current="page"]')
    .allInnerTexts();

describe.skipIf(skipE2e)("proposing and voting in the browser", () => {
  let e2e: E2e;
  let alice: TestAccount, bob: TestAccount, carol: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    bob = await member(e2e.app, "bob", "b.example");
    carol = await member(e2e.app, "carol", "c.example");
    await fedipact(e2e.app);
  });
  afterAll(() => e2e?.close());

  test(
    "threads.net is proposed through the form, voted through by two more instances, published and downloadable",
    async () => {
      // Alice proposes, from the list's page.
      const a = await e2e.openPage();
      await signInAs(a.page, alice);
      await a.page.getByRole("link", { name: "FediPact", exact: true }).click();
      await a.page.getByRole("heading", { level: 1, name: "FediPact" }).waitFor();
      await a.page.getByRole("link", { name: "Propose", exact: true }).click();
      await a.page.getByRole("heading", { level: 1, name: "Propose" }).waitFor();
      await checkAccessibility(a.page, "propose form");
      await a.page.getByRole("textbox", { name: "Domain" }).fill("threads.net");
      await a.page.getByRole("radio", { name: /Suspend/ }).check();
      await a.page.getByRole("checkbox", { name: "corporate" }).check();
      await a.page.getByLabel(/Public reason/).fill("Meta / Threads");
      await a.page.getByLabel(/Your argument for voters/).fill("Surveillance business.");
      await a.page.getByLabel("Evidence link 1").fill("https://example.org/threads-report");
      await a.page.getByRole("button", { name: "Open proposal" }).click();
      await a.page.getByRole("heading", { level: 1, name: "Add threads.net" }).waitFor();
      await a.page.getByText("is open. Your instance voted yes.").waitFor();
      expect(await a.page.getByTestId("tally").innerText()).toContain("1 yes");
      await checkAccessibility(a.page, "proposal page, proposer");

      // Bob sees it among the open proposals, with the time left, and votes yes.
      const b = await e2e.openPage();
      await signInAs(b.page, bob);
      await b.page.goto("/l/fedipact/proposals");
      const card = b.page.getByRole("listitem").filter({ hasText: "Add threads.net" });
      await card.waitFor();
      expect(await card.innerText()).toMatch(/closes in 2 weeks/);
      expect(await card.innerText()).toContain("Your instance has not voted yet.");
      expect(await currentStatusFilters(b.page)).toEqual(["open"]);
      await checkAccessibility(b.page, "open proposals");
      await screenshot(b.page, "proposals-open");
      await card.getByRole("link", { name: "Add threads.net" }).click();
      await b.page.getByRole("radio", { name: "Yes" }).check();
      await b.page.getByLabel(/Comment/).fill("Agreed, and early.");
      await b.page.getByRole("button", { name: "Cast vote" }).click();
      await b.page.getByText("Your instance's vote is recorded: yes.").waitFor();
      expect(await b.page.getByTestId("tally").innerText()).toContain("2 yes");

      // Carol's yes reaches the quorum of 3: it passes at once.
      const c = await e2e.openPage();
      await signInAs(c.page, carol);
      await c.page.goto("/l/fedipact/proposals");
      await c.page.getByRole("link", { name: "Add threads.net" }).click();
      await c.page.getByRole("radio", { name: "Yes" }).check();
      await c.page.getByRole("button", { name: "Cast vote" }).click();
      await c.page.getByText("This proposal passed").waitFor();
      expect(await c.page.getByRole("main").innerText()).toContain("Applied as suspend");
      expect(await c.page.getByText("Agreed, and early.").count()).toBe(1);
      // The history: opened, both votes, and the pass Carol's vote caused, in that order.
      const history = c.page.getByRole("list", { name: "History" }).getByRole("listitem");
      const steps = await history.allInnerTexts();
      expect(steps).toHaveLength(4);
      expect(steps[0]).toMatch(/alice \(a\.example\) opened the proposal/);
      expect(steps[1]).toMatch(/bob \(b\.example\) voted\s+yes/i);
      expect(steps[2]).toMatch(/carol \(c\.example\) voted\s+yes/i);
      expect(steps[3]).toMatch(/Passed by the votes: 3 yes, 0 no, 0 abstain/);
      expect(await history.locator("time").count()).toBe(4);
      await checkAccessibility(c.page, "passed proposal");
      await screenshot(c.page, "proposal-passed");

      // Among the passed proposals now, and only that filter is marked current.
      await c.page.goto("/l/fedipact/proposals");
      await c.page.getByText("No proposals are open.").waitFor();
      expect(await currentStatusFilters(c.page)).toEqual(["open"]);
      await c.page.getByRole("link", { name: "passed", exact: true }).click();
      await c.page.getByRole("heading", { level: 1, name: "Passed proposals" }).waitFor();
      await c.page.getByRole("link", { name: "Add threads.net" }).waitFor();
      expect(await currentStatusFilters(c.page)).toEqual(["passed"]);
      await c.page.goto("/l/fedipact/proposals?status=withdrawn");
      await c.page.getByText("No withdrawn proposals.").waitFor();
      expect(await currentStatusFilters(c.page)).toEqual(["withdrawn"]);
      await c.page.goto("/l/fedipact/proposals?status=passed");
      await c.page.getByRole("link", { name: "Add threads.net" }).waitFor();
      expect(await currentStatusFilters(c.page)).toEqual(["passed"]);
      await screenshot(c.page, "proposals-passed");

      // Signed out: the public list page shows it, with its public reason.
      const anonymous = await e2e.openPage();
      await anonymous.page.goto("/");
      await anonymous.page.getByRole("heading", { level: 1, name: "Public blocklists" }).waitFor();
      await anonymous.page.getByRole("link", { name: "FediPact", exact: true }).first().click();
      const row = anonymous.page.getByRole("row").filter({ hasText: "threads.net" });
      await row.waitFor();
      expect(await row.innerText()).toContain("Meta / Threads");
      expect(await row.innerText()).toMatch(/suspend/i);
      expect(await anonymous.page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
      await checkAccessibility(anonymous.page, "public list page");

      // The CSV link downloads Mastodon's format with the row.
      const [download] = await Promise.all([
        anonymous.page.waitForEvent("download"),
        anonymous.page.getByRole("link", { name: /^CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const csv = await readFile((await download.path())!, "utf8");
      expect(csv.split("\n")).toEqual(
        expect.arrayContaining([
          "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate",
          "threads.net,suspend,false,false,Meta / Threads,false",
        ]),
      );

      // The entry's page tells its history, outcomes and counts only.
      await row.getByRole("link", { name: "threads.net" }).click();
      await anonymous.page.getByRole("heading", { level: 1, name: "threads.net" }).waitFor();
      await anonymous.page.getByText("3 yes / 0 no").waitFor();
      expect(await anonymous.page.getByRole("main").innerText()).not.toContain("alice");
      await checkAccessibility(anonymous.page, "public entry page");
      await screenshot(anonymous.page, "public-entry");

      await anonymous.page.goto("/l/fedipact");
      await row.waitFor();
      await screenshot(anonymous.page, "public-list");

      for (const session of [a, b, c, anonymous]) expect(session.errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a tie between severities under majority says it went to the stricter",
    async () => {
      const { app } = e2e;
      await fedipact(app, { slug: "ties", name: "Ties", policy: { quorum: 3, minOpenHours: 0 } });
      const asAlice = await signIn(app, alice);
      const asBob = await signIn(app, bob);
      const asCarol = await signIn(app, carol);
      const opened = await asAlice.post("/api/v1/lists/ties/proposals", {
        kind: "add",
        domain: "tie.example",
        severity: "silence",
      });
      expect(opened.status).toBe(201);
      const id = opened.body.id as number;
      await asBob.put(`/api/v1/proposals/${id}/vote`, { vote: "yes", severity: "suspend" });

      // Open: one yes for silence (the proposer's), one for suspend.
      const { page, errors } = await e2e.openPage();
      await signInAs(page, carol);
      await page.goto(`/proposals/${id}`);
      const votes = page.getByRole("region", { name: /^Votes/ });
      await votes
        .getByText(
          "The yes votes are tied between silence and suspend: if it passes so, the stricter, suspend, applies.",
        )
        .waitFor();

      // Carol votes yes for noop: a three-way tie, and the proposal passes.
      const passed = await asCarol.put(`/api/v1/proposals/${id}/vote`, {
        vote: "yes",
        severity: "noop",
      });
      expect(passed.body.status).toBe("passed");
      expect(passed.body.appliedSeverity).toBe("suspend");
      expect(passed.body.severityTie).toEqual(["noop", "silence", "suspend"]);
      await page.reload();
      const outcome = page.getByRole("status").filter({ hasText: "This proposal passed" });
      await outcome.waitFor();
      expect(await outcome.innerText()).toContain(
        "The yes votes were tied between noop, silence and suspend: it went to the stricter, suspend.",
      );
      await checkAccessibility(page, "proposal passed on a severity tie");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
