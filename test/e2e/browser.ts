/**
 * Headless Chromium for the e2e tests: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser download). `useBrowser()` launches one browser per test file and gives each test a fresh
 * context (no shared storage, cookies or tabs); `shot()` saves a screenshot under
 * test/e2e/screenshots/ (git-ignored).
 */
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

/** A phone-sized screen (the app must work at 375 px wide). */
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

export function baseUrl(): string {
  return inject("baseUrl");
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--autoplay-policy=no-user-gesture-required"],
  });
}

export interface BrowserHarness {
  readonly browser: Browser;
  /** A fresh context (its own storage) and a page in it, on the platform's origin; closed after the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Another page in the same context as `page` (same storage: another tab of the same person). */
  newTab(page: Page): Promise<Page>;
}

/** Registers the browser's hooks for this file. */
export function useBrowser(): BrowserHarness {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser starts in beforeAll");
      return browser;
    },
    async newPage(options = DESKTOP) {
      if (!browser) throw new Error("the browser starts in beforeAll");
      const context = await browser.newContext({ baseURL: baseUrl(), ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (err) => console.error(`[page error] ${err.message}`));
      return page;
    },
    async newTab(page) {
      return page.context().newPage();
    },
  };
}

/** Save a full-page screenshot as test/e2e/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A unique, valid username/email part for this run. */
export function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 30);
}
