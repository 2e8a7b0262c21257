// Importing a real blocklist: the report with its problem rows before anything is written, then
// applying it, directly as a curator or as proposals as a member.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../server/paths.js";
import { addAccount, type TestAccount } from "../support/app.js";
import {
  E2E_TIMEOUT,
  checkAccessibility,
  screenshot,
  signInAs,
  skipE2e,
} from "../support/browser.js";
import { seedEntries } from "../support/seed.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

const fixture = (name: string) => join(packageRoot, "test", "fixtures", "blocklists", name);

describe.skipIf(skipE2e)("importing a blocklist", () => {
  let e2e: E2e;
  let alice: TestAccount, carol: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    alice = await member(e2e.app, "alice", "a.example");
    carol = await addAccount(e2e.app.ctx, "carol", "curator", "c.example");
    await fedipact(e2e.app, { slug: "seeded", name: "Seeded by a curator" });
    await fedipact(e2e.app, { slug: "proposed", name: "Grown by proposals" });
    await fedipact(e2e.app, { slug: "headerless", name: "From a file without a header" });
    await fedipact(e2e.app, { slug: "merged", name: "Seeded from several files" });
    await seedEntries(e2e.app.ctx, "merged", [
      { domain: "baraag.net", severity: "suspend", publicComment: "lolicon, child-porn" },
    ]);
  });
  afterAll(() => e2e?.close());

  test(
    "a curator sees lea-lgbt's problem rows before applying, then writes it directly",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, carol);
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Import" })
        .click();
      await page.getByRole("heading", { level: 1, name: "Import a blocklist" }).waitFor();
      await page.getByLabel("List").selectOption("seeded");
      await page.getByLabel("CSV file").setInputFiles(fixture("lea-lgbt__blocklist.csv"));
      await page.getByRole("button", { name: "Check the file" }).click();

      const counts = page.getByRole("list", { name: "Import counts" });
      await counts.waitFor();
      expect((await counts.innerText()).replace(/\s+/g, " ")).toBe(
        "238 rows 228 valid 228 new 0 already listed 0 already proposed 0 changed 10 problems 12 warnings",
      );
      const problems = page.getByRole("table", { name: /^Problems: 10 rows/ });
      expect(await problems.getByRole("row").count()).toBe(11);
      expect(await problems.getByRole("row").nth(1).innerText()).toContain("duplicate");
      const warnings = page.getByRole("table", { name: /^Warnings: 12 rows/ });
      const warningText = await warnings.innerText();
      expect(warningText).toContain("field_count");
      expect(warningText).toContain("boolean");
      await checkAccessibility(page, "import report");
      await screenshot(page, "import-report");

      // Switching to direct mode asks for a new check before applying.
      await page.getByRole("checkbox", { name: /Write the entries directly/ }).check();
      await page.getByText("changed since this check").waitFor();
      await page.getByRole("button", { name: "Check the file" }).click();
      const apply = page.getByRole("button", {
        name: "Import 228 new and 0 changed entries directly",
      });
      await apply.click();
      await page.getByText("228 entries added and 0 changed, as revision 1.").waitFor();
      await page.getByRole("link", { name: "See the list" }).click();
      await page.getByRole("link", { name: "Entries (228)" }).waitFor();
      await page.getByRole("link", { name: "baraag.net" }).waitFor();

      // 228 entries come 50 at a time; search and filters narrow them.
      await page.getByText("50 entries shown").waitFor();
      await page.getByRole("button", { name: "Show more" }).click();
      await page.getByText("100 entries shown").waitFor();
      await page.getByRole("searchbox", { name: "Search domains and reasons" }).fill("gab");
      await page.keyboard.press("Enter");
      await page.getByText(/^2 entries shown, all of them$/).waitFor();
      expect(await page.getByRole("link", { name: /^gab\.(ai|com)$/ }).count()).toBe(2);
      expect(new URL(page.url()).search).toBe("?q=gab");
      await page.getByRole("combobox", { name: "Severity" }).selectOption("silence");
      await page.getByText("No entry matches").waitFor();
      await screenshot(page, "entries-no-match");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a file without a header shows its unread columns, and the curator names them before applying",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, carol);
      await page.goto("/import?list=headerless");
      await page.getByLabel("CSV file").setInputFiles(fixture("headerless-five-columns.csv"));
      await page.getByRole("checkbox", { name: /Write the entries directly/ }).check();
      await page.getByRole("button", { name: "Check the file" }).click();

      const unread = page.getByRole("status").filter({ hasText: "Columns not read" });
      await unread.waitFor();
      expect(await unread.innerText()).toContain("columns 3-5");
      const columns = page.getByRole("region", { name: "Columns of the file" });
      const table = columns.getByRole("table", { name: "The file's columns" });
      expect((await table.getByRole("row").nth(3).innerText()).replace(/\s+/g, " ")).toContain(
        "Column 3 true",
      );
      expect(await page.getByLabel("Column 1 is read as").inputValue()).toBe("domain");
      expect(await page.getByLabel("Column 3 is read as").inputValue()).toBe("");
      await checkAccessibility(page, "import columns");

      await page.getByLabel("Column 3 is read as").selectOption("reject_media");
      await page.getByLabel("Column 4 is read as").selectOption("reject_reports");
      await page.getByLabel("Column 5 is read as").selectOption("obfuscate");
      await page.getByText("changed since this check").waitFor();
      await page.getByRole("button", { name: "Check again with these columns" }).click();
      await page.getByText("changed since this check").waitFor({ state: "detached" });
      expect(await unread.count()).toBe(0);

      await page
        .getByRole("button", { name: "Import 7 new and 0 changed entries directly" })
        .click();
      await page.getByText("7 entries added and 0 changed, as revision 1.").waitFor();
      const entries = await e2e.app.ctx.db.prisma.entry.findMany({
        where: { list: { slug: "headerless" } },
      });
      expect(entries).toHaveLength(7);
      expect(
        entries.every((entry) => entry.rejectMedia && entry.rejectReports && entry.obfuscate),
      ).toBe(true);
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a direct import into a list with entries shows what replacing would erase, and keeps it by default",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, carol);
      await page.goto("/import?list=merged");
      await page
        .getByLabel("CSV file")
        .setInputFiles(fixture("oliphant___unified_max_blocklist.csv"));
      await page.getByRole("checkbox", { name: /Write the entries directly/ }).check();
      const merge = page.getByLabel("Where a domain is already listed");
      expect(await merge.inputValue()).toBe("max");
      await merge.selectOption("replace");
      await page.getByRole("button", { name: "Check the file" }).click();
      const erased = page.getByRole("table", {
        name: /^Erased comments: 1 comment would be emptied/,
      });
      await erased.waitFor();
      expect((await erased.getByRole("row").nth(1).innerText()).replace(/\s+/g, " ")).toContain(
        "baraag.net public_comment lolicon, child-porn",
      );
      await checkAccessibility(page, "import losses");

      await merge.selectOption("max");
      await page.getByText("changed since this check").waitFor();
      await page.getByRole("button", { name: "Check the file" }).click();
      await page.getByText("changed since this check").waitFor({ state: "detached" });
      expect(await erased.count()).toBe(0);
      const counts = page.getByRole("list", { name: "Import counts" });
      expect((await counts.innerText()).replace(/\s+/g, " ")).toContain("1 already listed");
      await page
        .getByRole("button", { name: /^Import \d+ new and 0 changed entries directly$/ })
        .click();
      await page.getByText(/\d+ entries added and 0 changed/).waitFor();
      const baraag = await e2e.app.ctx.db.prisma.entry.findFirstOrThrow({
        where: { domain: "baraag.net", list: { slug: "merged" } },
      });
      expect(baraag.publicComment).toBe("lolicon, child-porn");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    "a member's import opens proposals, at most 100 of them",
    async () => {
      const { page, errors } = await e2e.openPage();
      await signInAs(page, alice);
      await page.goto("/import?list=proposed");
      expect(await page.getByRole("checkbox", { name: /Write the entries directly/ }).count()).toBe(
        0,
      );
      const file = page.getByLabel("CSV file");
      await file.setInputFiles(fixture("lea-lgbt__blocklist.csv"));
      await page.getByRole("button", { name: "Check the file" }).click();
      await page.getByText("a member may open at most 100 proposals per import").waitFor();
      expect(await page.getByRole("button", { name: "Open 228 proposals" }).isDisabled()).toBe(
        true,
      );

      await file.setInputFiles(fixture("field-count.csv"));
      await page.getByRole("button", { name: "Check the file" }).click();
      const problems = page.getByRole("table", { name: /^Problems: 2 rows/ });
      await problems.waitFor();
      expect(await problems.innerText()).toContain("seven.example");
      await page.getByRole("button", { name: "Open 3 proposals" }).click();
      await page.getByText("3 proposals opened").waitFor();
      await page.getByRole("link", { name: "list's proposals page" }).click();
      await page.getByRole("heading", { level: 1, name: "Open proposals" }).waitFor();
      for (const domain of ["five.example", "six.example", "two.example"]) {
        await page.getByRole("link", { name: `Add ${domain}` }).waitFor();
      }

      // One new domain: one proposal, in the singular.
      await page.goto("/import?list=proposed");
      await file.setInputFiles({
        name: "one.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("#domain,#severity\none.example,silence\nfive.example,suspend\n"),
      });
      await page.getByRole("button", { name: "Check the file" }).click();
      await page.getByRole("button", { name: "Open 1 proposal", exact: true }).click();
      await page.getByText("1 proposal opened", { exact: true }).waitFor();
      await screenshot(page, "import-proposals-opened");
      expect(errors).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
