import { URI, type TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, PHONE, shot, unique, useBrowser } from "./browser";

/**
 * Accounts through the web app: sign up, stay signed in across reloads, sign out, sign in again —
 * and the second step when the account has two-factor authentication. Plus the shell itself:
 * deep links, API paths left to the API, keyboard access and the account's theme.
 */

const browser = useBrowser();
const PASSWORD = "a long enough passphrase";

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor({ state: "visible", timeout: 20_000 });
}

async function storedSession(page: Page): Promise<{ accessToken: string; refreshToken: string } | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem("veza.auth") ?? "null") as { accessToken: string; refreshToken: string } | null);
}

async function apiJson<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${baseUrl()}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

describe("accounts in the web app", () => {
  it("signs up, stays signed in across a reload, signs out and signs in again (phone-sized)", async () => {
    const page = await browser.newPage(PHONE);
    const username = unique("e2e");
    await page.goto("/");

    // Signed out, `/` is the sign-in form.
    await heading(page, "Sign in");
    await shot(page, "sign-in");
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByRole("link", { name: "Create an account" }).click();
    await heading(page, "Create an account");
    expect(new URL(page.url()).pathname).toBe("/sign-up");

    // A password the API refuses: its field error is shown by the field, and nothing is signed in.
    await page.getByLabel("Email", { exact: true }).fill(`${username}@example.com`);
    await page.getByLabel("Username", { exact: true }).fill(username);
    await page.getByLabel("Display name (optional)").fill("E2E Listener");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel(/processes the data my account needs/).check();
    await page.getByRole("button", { name: "Create my account" }).click();
    // The browser's own constraint (minlength) stops it first; lift it to see the API's answer.
    expect(await page.getByLabel("Password", { exact: true }).evaluate((el: HTMLInputElement) => el.validity.tooShort)).toBe(true);
    await page.getByLabel("Password", { exact: true }).evaluate((el: HTMLInputElement) => el.removeAttribute("minlength"));
    await page.getByRole("button", { name: "Create my account" }).click();
    await page.getByText("must be at least 10 characters").waitFor({ timeout: 20_000 });
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await storedSession(page)).toBeNull();
    await shot(page, "sign-up-error");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create my account" }).click();

    // Signed in: the feed, with the account in the header.
    await heading(page, "Your feed");
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByRole("link", { name: `Settings for @${username}` }).waitFor();
    await page.getByText("Your feed is empty").waitFor();
    await shot(page, "home");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const first = await storedSession(page);
    expect(first?.refreshToken).toBeTruthy();

    // The session is real: the API knows the account by the stored token.
    const me = await apiJson<{ username: string; display_name: string; consents: { data_processing: boolean; marketing: boolean } }>("/v1/me", { token: first!.accessToken });
    expect(me).toMatchObject({ username, display_name: "E2E Listener", consents: { data_processing: true, marketing: false } });

    // A reload stays signed in.
    await page.reload();
    await heading(page, "Your feed");
    await page.getByRole("link", { name: `Settings for @${username}` }).waitFor();

    // Sign out: back to the sign-in form, tokens forgotten, and the refresh token revoked server-side.
    await page.getByRole("button", { name: "Sign out" }).click();
    await heading(page, "Sign in");
    expect(await storedSession(page)).toBeNull();
    const reuse = await fetch(`${baseUrl()}/v1/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: first!.refreshToken }),
    });
    expect(reuse.status).toBe(401);

    // A wrong password is refused without saying which part was wrong.
    await page.getByLabel("Email or username").fill(username);
    await page.getByLabel("Password", { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email, username or password is not right." }).waitFor();

    // And signing in again lands on the feed.
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "Your feed");
    await page.getByRole("link", { name: `Settings for @${username}` }).waitFor();
    expect((await storedSession(page))?.refreshToken).not.toBe(first!.refreshToken);
  });

  it("asks for the second factor when the account has two-factor authentication", async () => {
    const username = unique("e2e2fa");
    const signedUp = await apiJson<{ session: { accessToken: string } }>("/v1/auth/register", {
      method: "POST",
      body: JSON.stringify({ email: `${username}@example.com`, username, password: PASSWORD, data_processing_consent: true }),
    });
    const token = signedUp.session.accessToken;
    const enrolment = await apiJson<{ otpauth_uri: string }>("/v1/me/2fa/totp", { method: "POST", token });
    const code = (URI.parse(enrolment.otpauth_uri) as TOTP).generate();
    const { backup_codes } = await apiJson<{ backup_codes: string[] }>("/v1/me/2fa/totp/confirm", { method: "POST", token, body: JSON.stringify({ code }) });

    const page = await browser.newPage();
    await page.goto("/sign-in?next=/no/such/page");
    await heading(page, "Sign in");
    await page.getByLabel("Email or username").fill(username);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    // The code step, focused on the code field.
    const codeField = page.getByLabel("Authentication code");
    await codeField.waitFor();
    expect(await codeField.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await storedSession(page)).toBeNull();
    await shot(page, "sign-in-2fa");

    await codeField.fill("00000-00000");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.getByText("This code is not valid.").waitFor();
    expect(await codeField.getAttribute("aria-invalid")).toBe("true");

    await codeField.fill(backup_codes[0]!);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    // Signed in, then on to `next`.
    await heading(page, "Page not found");
    expect(new URL(page.url()).pathname).toBe("/no/such/page");
    await page.getByRole("link", { name: `Settings for @${username}` }).waitFor();
    const status = await apiJson<{ backup_codes_remaining: number }>("/v1/me/2fa", { token: (await storedSession(page))!.accessToken });
    expect(status.backup_codes_remaining).toBe(9);
  });

  it("serves the shell for deep links and leaves API paths to the API", async () => {
    const deep = await fetch(`${baseUrl()}/playlists/some-id/anything`, { headers: { "Sec-Fetch-Mode": "navigate", Accept: "text/html" } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app"></div>');

    const api = await fetch(`${baseUrl()}/v1/nope`, { headers: { "Sec-Fetch-Mode": "navigate", Accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    expect(await api.json()).toMatchObject({ code: "not_found" });

    const docs = await fetch(`${baseUrl()}/openapi.json`, { headers: { "Sec-Fetch-Mode": "navigate" } });
    expect(docs.headers.get("content-type")).toMatch(/application\/json/);

    const page = await browser.newPage();
    await page.goto("/no/such/page");
    await heading(page, "Page not found");
  });

  it("is keyboard accessible and follows the account's theme", async () => {
    const username = unique("e2etheme");
    await apiJson("/v1/auth/register", {
      method: "POST",
      body: JSON.stringify({ email: `${username}@example.com`, username, password: PASSWORD, data_processing_consent: true }),
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    await page.goto("/");
    await heading(page, "Sign in");

    // The first Tab stop is the skip link; it moves focus into the main region.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // Landmarks: banner, main navigation, main, the player region.
    for (const [role, name] of [["banner", undefined], ["navigation", "Main"], ["main", undefined], ["region", "Player"]] as const) {
      expect(await page.getByRole(role, name ? { name } : {}).count()).toBe(1);
    }

    // Signing in with the keyboard only.
    await page.getByLabel("Email or username").focus();
    await page.keyboard.type(username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await heading(page, "Your feed");

    // Signed out or `auto`: the system's scheme. The account's dark theme: dark, after a reload too.
    expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const token = (await storedSession(page))!.accessToken;
    await apiJson("/v1/me", { method: "PATCH", token, body: JSON.stringify({ theme: "dark" }) });
    await page.reload();
    await heading(page, "Your feed");
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    await page.getByText("Your feed is empty").waitFor();
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await shot(page, "home-dark");
  });
});
