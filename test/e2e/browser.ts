/**
 * Headless Chromium for the e2e tests: Debian's /usr/bin/chromium driven by playwright-core (no
 * browser download). `useBrowser()` launches one browser per test file and gives each test a fresh
 * context (no shared storage, cookies or tabs); `shot()` saves a screenshot under
 * test/e2e/screenshots/ (git-ignored). When a test fails, every page it opened is saved there as
 * `failed-*.png`, and the log gets each page's URL, visible text and the API answers that failed,
 * so a failure in CI can be read from its output alone.
 */
import { mkdir, readFile } from "node:fs/promises";
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
  const failures = new WeakMap<BrowserContext, string[]>();
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async (context) => {
    const open = contexts.splice(0);
    if (context.task.result?.state === "fail") await report(context.task.name, open, failures);
    await Promise.all(open.map((c) => c.close()));
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
      const failed: string[] = [];
      failures.set(context, failed);
      context.on("response", (r) => {
        if (r.status() >= 400) failed.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
      });
      context.on("requestfailed", (r) => failed.push(`${r.method()} ${new URL(r.url()).pathname} → ${r.failure()?.errorText ?? "failed"}`));
      const page = await context.newPage();
      page.on("pageerror", (err) => console.error(`[page error] ${err.message}`));
      return page;
    },
    async newTab(page) {
      return page.context().newPage();
    },
  };
}

/** What a failed test's pages showed: a screenshot each, and their text and failed requests in the log. */
async function report(test: string, contexts: BrowserContext[], failures: WeakMap<BrowserContext, string[]>): Promise<void> {
  const slug = test.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  let n = 0;
  for (const context of contexts) {
    for (const page of context.pages()) {
      n += 1;
      try {
        const path = await shot(page, `failed-${slug}-${n}`);
        const text = (await page.locator("body").innerText({ timeout: 2_000 })).replace(/\n{2,}/g, "\n").slice(0, 2_000);
        console.error(`[e2e failure] page ${n} at ${page.url()} (${path})\n${text}\n[failed requests] ${(failures.get(context) ?? []).slice(-20).join("; ") || "none"}`);
      } catch (err) {
        console.error(`[e2e failure] page ${n}: could not be captured (${String(err)})`);
      }
    }
  }
  const log = await readFile(inject("platformLog"), "utf8").catch(() => "");
  const tail = log.trimEnd().split("\n").slice(-40).join("\n");
  console.error(`[e2e failure] the platform's last output:\n${tail || "(none)"}`);
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
