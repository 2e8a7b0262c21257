// A real browser for the web UI's end-to-end tests: Debian's Chromium driven by playwright-core,
// against the app started in-process by startTestApp() (which serves web/dist).
//
// Without /usr/bin/chromium the e2e tests are skipped with a message, unless
// FEDIBLOCK_REQUIRE_BROWSER=1 (CI), where they fail instead.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { packageRoot, webDistDir } from "../../server/paths.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM_PATH);
const browserRequired = process.env.FEDIBLOCK_REQUIRE_BROWSER === "1";

/** True when the e2e tests should be skipped (no browser, and CI does not require one). */
export const skipE2e = !hasChromium && !browserRequired;
if (skipE2e) {
  console.warn(
    `e2e tests skipped: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`,
  );
}

/** Long enough for a browser story on a slow CI machine; each step still waits at most 10 s. */
export const E2E_TIMEOUT = 120_000;
const STEP_TIMEOUT = 10_000;

function newestFile(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The tests exercise web/dist: refuse to run against a missing or stale build. */
export function assertWebBuilt(): void {
  const index = join(webDistDir, "index.html");
  const build = "npx vite build --config web/vite.config.ts";
  if (!existsSync(index)) {
    throw new Error(`The web UI is not built (no ${index}): run \`${build}\` first.`);
  }
  // The UI also imports the server's vocabularies (severities, tags, roles, scopes).
  const shared = ["server/lists/vocabulary.ts", "server/accounts/actor.ts"].map(
    (file) => statSync(join(packageRoot, file)).mtimeMs,
  );
  const sources = Math.max(newestFile(join(packageRoot, "web", "src")), ...shared);
  if (sources > statSync(index).mtimeMs) {
    throw new Error(`web/dist is older than its sources: run \`${build}\` again.`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(
      `FEDIBLOCK_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} is not installed (apt-get install -y chromium).`,
    );
  }
  assertWebBuilt();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors so far (CSP violations, React errors). */
  errors: string[];
}

/**
 * A fresh browser profile (its own cookies) on the app. axe-core is injected by
 * checkAccessibility() through the DevTools protocol, so the server's CSP stays in force and a
 * CSP violation by the UI shows up in `errors`.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
): Promise<TestPage> {
  const context = await browser.newContext({ baseURL, viewport, acceptDownloads: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    // The browser logs every 4xx answer (a 409, a 400 with field errors the
    // page then shows); those are expected. Anything else logged as an error is not.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      errors.push(message.text());
    }
  });
  return { context, page, errors };
}

export async function signInAs(
  page: Page,
  account: { username: string; password: string },
): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("User name").fill(account.username);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Attached, not visible: on a phone the button is folded behind the menu.
  await page
    .getByRole("button", { name: "Sign out", includeHidden: true })
    .waitFor({ state: "attached" });
}

declare const document: unknown;

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails on any `serious` or `critical` violation,
 * printing them all. Milder findings are printed as warnings.
 */
export async function checkAccessibility(page: Page, label: string): Promise<void> {
  // Not page.addScriptTag(): the server's CSP (script-src 'self') refuses the inline <script>
  // it writes. Evaluating the source through the DevTools protocol is not governed by the CSP,
  // so the tests need no bypassCSP, which would hide the UI's own CSP violations.
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe);
  if (loaded === "undefined") {
    axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context?: unknown, options?: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        failureSummary: node.failureSummary,
      })),
    }));
  });
  const describe = (violation: AxeViolation) =>
    `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n` +
    violation.nodes
      .map((node) => `    ${JSON.stringify(node.target)}\n      ${node.failureSummary ?? ""}`)
      .join("\n");
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const mild = violations.filter((v) => !serious.includes(v));
  if (mild.length > 0) {
    console.warn(`axe (${label}): minor findings\n${mild.map(describe).join("\n")}`);
  }
  if (serious.length > 0) {
    console.error(`axe (${label}): serious violations\n${serious.map(describe).join("\n")}`);
  }
  expect(serious.map((v) => `${label}: ${v.id}`)).toEqual([]);
}

const screenshotDir = join(packageRoot, "test-results", "screenshots");

/** A full-page screenshot into test-results/screenshots/<name>.png (CI keeps the folder). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What has the keyboard focus: its id, name attribute and text. */
export function focusedElement(page: Page): Promise<{ id: string; name: string; text: string }> {
  return page.evaluate(() => {
    const active = (
      globalThis as unknown as {
        document: {
          activeElement: {
            id: string;
            textContent: string | null;
            getAttribute(n: string): string | null;
          };
        };
      }
    ).document.activeElement;
    return {
      id: active.id,
      name: active.getAttribute("name") ?? "",
      text: active.textContent ?? "",
    };
  });
}
