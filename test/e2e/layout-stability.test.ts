// No layout jumps while a page loads: the cumulative layout shift (CLS) of each data-heavy page,
// signed in and signed out, at desktop and phone widths, stays below 0.1 ("good" by Web Vitals).
// The API answers are held back, as over a real network, by different amounts so that a page's
// requests answer in turn and each loading step (the session, then each answer) is painted.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAccount, signIn, type TestAccount } from "../support/app.js";
import { DESKTOP, E2E_TIMEOUT, PHONE, signInAs, skipE2e } from "../support/browser.js";
import { fedipact, member, startE2e, type E2e } from "./setup.js";

/** Milliseconds each API answer is held back, taken in turn. */
const API_DELAYS = [150, 450, 300];

interface Shift {
  value: number;
  sources: string[];
}

// What the browser side below uses of the DOM (the tests are type-checked without its library).
interface Rect {
  y: number;
  height: number;
}
interface ShiftEntry {
  value: number;
  hadRecentInput: boolean;
  sources: {
    node?: { nodeName: string; className: unknown; textContent: string | null } | null;
    previousRect: Rect;
    currentRect: Rect;
  }[];
}
interface Window {
  requestAnimationFrame(callback: () => void): number;
  PerformanceObserver: new (callback: () => void) => {
    observe(options: { type: string; buffered: boolean }): void;
    takeRecords(): unknown[];
    disconnect(): void;
  };
}

/** The layout shifts since the page started loading, not caused by input, with what moved. */
function layoutShifts(page: Page): Promise<Shift[]> {
  return page.evaluate(async () => {
    const window = globalThis as unknown as Window;
    // A frame after the last change, so that its shift (if any) is recorded too.
    await new Promise<void>((resolve) =>
      window.requestAnimationFrame(() => window.requestAnimationFrame(resolve)),
    );
    const observer = new window.PerformanceObserver(() => undefined);
    // buffered: the entries recorded before observing, at once in the observer's queue.
    observer.observe({ type: "layout-shift", buffered: true });
    const entries = observer.takeRecords() as ShiftEntry[];
    observer.disconnect();
    const describe = (node: ShiftEntry["sources"][number]["node"]) =>
      node
        ? `${node.nodeName.toLowerCase()}.${String(node.className).replace(/ /g, ".")} ` +
          `"${(node.textContent ?? "").trim().slice(0, 30)}"`
        : "(gone)";
    const rect = (r: Rect) => `${Math.round(r.y)}+${Math.round(r.height)}`;
    return entries
      .filter((entry) => !entry.hadRecentInput)
      .map((entry) => ({
        value: entry.value,
        sources: entry.sources.map(
          (source) =>
            `${describe(source.node)} y ${rect(source.previousRect)} → ${rect(source.currentRect)}`,
        ),
      }));
  });
}

/** Loads `path` afresh and waits until it has settled: network quiet, real h1, no skeleton. */
async function loadAndMeasure(page: Page, path: string, title: string): Promise<Shift[]> {
  await page.goto(path, { waitUntil: "networkidle" });
  await page.getByRole("heading", { level: 1, name: title, exact: true }).waitFor();
  await page.locator(".skeleton").first().waitFor({ state: "detached" });
  return layoutShifts(page);
}

describe.skipIf(skipE2e)("layout stability while loading", () => {
  let e2e: E2e;
  let operator: TestAccount;

  beforeAll(async () => {
    e2e = await startE2e();
    const { app } = e2e;
    operator = await addAccount(app.ctx, "operator", "admin", "operator.example");
    const voters = await Promise.all(
      ["a", "b"].map(async (name) => signIn(app, await member(app, name, `${name}.example`))),
    );
    const admin = await signIn(app, operator);
    await fedipact(app);
    await fedipact(app, { slug: "secret", name: "Members only", visibility: "members" });
    const entries: object[] = [
      {
        domain: "threads.net",
        severity: "suspend",
        publicComment: "Meta / Threads",
        tags: ["corporate"],
      },
      { domain: "spam.example", severity: "silence", publicComment: "Spam" },
      { domain: "quiet.example", severity: "noop" },
    ];
    for (const entry of entries) {
      const opened = await voters[0]!.post("/api/v1/lists/fedipact/proposals", {
        kind: "add",
        ...entry,
      });
      await voters[1]!.put(`/api/v1/proposals/${opened.body.id}/vote`, { vote: "yes" });
      const passed = await admin.put(`/api/v1/proposals/${opened.body.id}/vote`, { vote: "yes" });
      expect(passed.body.status).toBe("passed");
    }
    await admin.post("/api/v1/subscriptions", { list: "fedipact", minSeverity: "silence" });
  });
  afterAll(() => e2e?.close());

  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    test(
      `CLS below 0.1 on every data page, ${size}`,
      async () => {
        const { page, context } = await e2e.openPage(viewport);
        let answers = 0;
        await context.route("**/api/v1/**", async (route) => {
          const delay = API_DELAYS[answers++ % API_DELAYS.length];
          await new Promise((resolve) => setTimeout(resolve, delay));
          await route.continue();
        });
        const signedOut: [string, string][] = [
          ["/", "Public blocklists"],
          ["/l/fedipact", "FediPact"],
          ["/l/fedipact/entries/threads.net", "threads.net"],
        ];
        const signedIn: [string, string][] = [
          ["/", "Blocklists"],
          ["/l/fedipact", "FediPact"],
          ["/l/fedipact/entries/threads.net", "threads.net"],
          ["/subscriptions", "Subscriptions and exports"],
          ["/admin/accounts", "Accounts"],
          ["/admin/instances", "Member instances"],
        ];
        const scores: Record<string, number> = {};
        const details: string[] = [];
        const measure = async (label: string, path: string, title: string) => {
          const shifts = await loadAndMeasure(page, path, title);
          scores[label] = Math.round(shifts.reduce((sum, s) => sum + s.value, 0) * 1000) / 1000;
          for (const shift of shifts) {
            details.push(`${label} ${shift.value.toFixed(3)}: ${shift.sources.join("; ")}`);
          }
        };
        for (const [path, title] of signedOut) await measure(`signed out ${path}`, path, title);
        await signInAs(page, operator);
        for (const [path, title] of signedIn) await measure(`signed in ${path}`, path, title);

        console.info(`CLS, ${size}: ${JSON.stringify(scores, null, 1)}\n${details.join("\n")}`);
        const tooHigh = Object.entries(scores).filter(([, score]) => score >= 0.1);
        expect(tooHigh).toEqual([]);
      },
      E2E_TIMEOUT,
    );
  }
});
