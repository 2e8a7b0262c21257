// A curator makes a list follow an upstream blocklist, polls it, sees the proposals it opened
// and its last error; a member sees the sources but cannot change them.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAccount, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  PHONE,
  checkAccessibility,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { BlocklistHost } from "../fakes/blocklist-host.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

describe.skipIf(skipE2e)("a list's sources", () => {
  let e2e: E2e;
  let host: BlocklistHost;
  let curator: TestAccount, alice: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e({ env: { FEDIBLOCK_OUTBOUND_ALLOW_PRIVATE: "true" } });
    host = new BlocklistHost();
    await host.listen();
    host.serve(
      "#domain,#severity,#public_comment\nupstream-spam.example,suspend,Spam waves\nupstream-rude.example,silence,\n",
    );
    curator = await addAccount(e2e.app.ctx, "cora", "curator", "curators.example");
    alice = await member(e2e.app, "alice", "a.example");
    await fedipact(e2e.app);
  });
  afterAll(async () => {
    await e2e?.close();
    await host?.close();
  });

  test(
    "a curator follows a blocklist, polls it and removes it",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, curator);
      await page.goto("/l/fedipact");
      await page.getByRole("link", { name: "Sources" }).click();
      await page.getByText("This list follows no source").waitFor();

      // A bad URL comes back next to its field.
      const url = page.getByRole("textbox", { name: /^URL/ });
      await url.fill("ftp://example.org/list.csv");
      await page.getByRole("button", { name: "Follow this source" }).click();
      await page.getByText("The source was not added").waitFor();
      expect(await url.getAttribute("aria-invalid")).toBe("true");

      await url.fill(host.url());
      await page.getByRole("combobox", { name: /Strictest severity/ }).selectOption("silence");
      await page.getByRole("button", { name: "Follow this source" }).click();
      await page.getByText(`now follows ${host.url()}`).waitFor();
      await page.getByRole("heading", { name: host.url() }).waitFor();
      expect(await page.getByText("not polled yet").count()).toBe(1);

      await page.getByRole("button", { name: `Poll now ${host.url()}` }).click();
      await page.getByText("2 read, 2 proposals opened, 0 skipped").waitFor();
      await page.getByRole("link", { name: "add upstream-spam.example" }).waitFor();

      // A failing upstream shows as the last error.
      host.failWith(503);
      await page.getByRole("button", { name: `Poll now ${host.url()}` }).click();
      await page.getByText(/\(still failing\): .*answered HTTP 503/).waitFor();
      host.failWith(null);
      await checkAccessibility(page, "sources");
      await screenshot(page, "sources");

      // The proposal it opened: no proposer, waiting for the members' votes.
      await page.getByRole("link", { name: "add upstream-spam.example" }).click();
      await page.getByRole("heading", { level: 1, name: "Add upstream-spam.example" }).waitFor();
      const proposal = await page.getByRole("main").innerText();
      expect(proposal).toContain("an upstream source the list follows");
      expect(proposal).toContain('"Spam waves"');
      expect(proposal).toContain("Opened with no proposer and no vote");

      await page.goBack();
      await page.getByRole("button", { name: `Remove ${host.url()}` }).click();
      await page.getByRole("button", { name: "Remove source" }).click();
      await page.getByText(`The list no longer follows ${host.url()}.`).waitFor();
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a member sees the sources, without the curator's controls (phone)",
    async () => {
      await e2e.app.ctx.db.prisma.listSource.create({
        data: {
          listId: (
            await e2e.app.ctx.db.prisma.list.findUniqueOrThrow({ where: { slug: "fedipact" } })
          ).id,
          kind: "fires",
          url: "https://fires.example/datasets/0190b1e2-0000-7000-a000-000000000001",
          maxSeverity: "suspend",
          maxProposalsPerPoll: 50,
          pollMinutes: 60,
        },
      });
      const { page, errors } = await e2e.openPage(PHONE);
      await signInAs(page, alice);
      await page.goto("/l/fedipact/sources");
      await page.getByRole("heading", { name: /fires\.example/ }).waitFor();
      expect(await page.getByText("FIRES dataset, at most").count()).toBe(1);
      expect(await page.getByRole("button", { name: /Poll now|Remove/ }).count()).toBe(0);
      expect(await page.getByRole("heading", { name: "Follow a source" }).count()).toBe(0);
      await checkAccessibility(page, "sources, member, phone");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
