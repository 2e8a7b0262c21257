// What every browser test file starts with: the real app on a fresh database (its clock at the
// real time, so "closes in 14 days" reads as it would in use) and one Chromium.
import type { Browser } from "playwright-core";
import { createList, type NewList } from "../../server/lists/lists.service.js";
import { ManualClock } from "../../server/clock.js";
import { addAccount, startTestApp, type TestAccount, type TestApp } from "../support/app.js";
import { launchBrowser } from "../support/browser.js";

export interface E2e {
  app: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

export async function startE2e(): Promise<E2e> {
  const app = await startTestApp({ clock: new ManualClock(new Date()) });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    app,
    browser,
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
