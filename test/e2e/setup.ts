// What every browser test file starts with: the real app on a fresh database (its clock at the
// real time, so "closes in 14 days" reads as it would in use) and one Chromium.
import { basename } from "node:path";
import type { Browser } from "playwright-core";
import { onTestFinished } from "vitest";
import { createList, type NewList } from "../../server/lists/lists.service.js";
import { ManualClock } from "../../server/clock.js";
import { addAccount, startTestApp, type TestAccount, type TestApp } from "../support/app.js";
import { DESKTOP, launchBrowser, openPage, screenshot, type TestPage } from "../support/browser.js";

export interface E2e {
  app: TestApp;
  browser: Browser;
  /**
   * A fresh browser profile (its own cookies) on the app, for the running test. When the test
   * ends, pass or fail, each page it opened this way is screenshotted under the test's name into
   * test-results/screenshots/ and closed: every test ends with a screenshot.
   */
  openPage(viewport?: typeof DESKTOP): Promise<TestPage>;
  close(): Promise<void>;
}

/** `import.test.ts`, "A member's import" → `import--a-member-s-import`. */
function screenshotName(file: string, test: string): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  return `${slug(basename(file).replace(/\.test\.ts$/, ""))}--${slug(test)}`.slice(0, 150);
}

export async function startE2e(options: { env?: Record<string, string> } = {}): Promise<E2e> {
  const app = await startTestApp({ clock: new ManualClock(new Date()), ...options });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await app.close();
    throw error;
  }
  let sessions: TestPage[] = [];
  const endTest = async (failed: boolean, name: string) => {
    const ending = sessions;
    sessions = [];
    let failure: unknown;
    for (const [index, session] of ending.entries()) {
      try {
        if (!session.page.isClosed()) {
          await screenshot(session.page, ending.length > 1 ? `${name}-${index + 1}` : name);
        }
      } catch (error) {
        // A failed test's own error is the one worth reading.
        if (failed) console.warn(`end-of-test screenshot ${name} not taken:`, error);
        else failure ??= error;
      }
      await session.context.close();
    }
    if (failure) throw failure;
  };
  return {
    app,
    browser,
    async openPage(viewport = DESKTOP) {
      const session = await openPage(browser, app.url, viewport);
      if (sessions.length === 0) {
        onTestFinished(({ task }) =>
          endTest(task.result?.state === "fail", screenshotName(task.file.name, task.name)),
        );
      }
      sessions.push(session);
      return session;
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

export const member = (app: TestApp, username: string, instance: string): Promise<TestAccount> =>
  addAccount(app.ctx, username, "member", instance);

/** A list whose proposals pass as soon as 3 instances agree (quorum 3, no minimum hours). */
export const fedipact = (app: TestApp, overrides: Partial<NewList> = {}) =>
  createList(app.ctx, "system", {
    slug: "fedipact",
    name: "FediPact",
    description: "Instances pledged to block Meta's Threads, and what else the members vote in.",
    policy: { quorum: 3, threshold: 0.66, minOpenHours: 0 },
    ...overrides,
  });
