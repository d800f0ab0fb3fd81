import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, PHONE, shot, useBrowser } from "./browser";
import { apiJson, registerUser, signIn, type TestUser } from "./support";
import { linkIn, waitForMail } from "./support-mail";

/**
 * Settings and the account pages, on a phone-sized screen: the theme (saved to the account, so it
 * survives a reload that forgot the local copy), a consent saved on toggle, two-factor
 * authentication end to end, the data export through the jobs queue, deleting the account — and the
 * pages mails link to (confirm the email, reset the password).
 */

const browser = useBrowser();

async function heading(page: Page, name: string | RegExp, level = 1) {
  await page.getByRole("heading", { level, name }).waitFor({ state: "visible", timeout: 20_000 });
}

async function storedAccessToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem("veza.auth") ?? "null") as { accessToken: string } | null)?.accessToken ?? null);
}

async function me(user: TestUser) {
  return apiJson<{ email_verified: boolean; profile: { theme: string | null }; consents: { marketing: boolean; marketing_at: string | null } }>("/v1/me", {
    token: user.token,
  });
}

async function fitsThePhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
}

describe("settings", () => {
  it("switches the theme, saved to the account: it persists after a reload that forgot the local copy", async () => {
    const user = await registerUser("e2eset");
    const page = await browser.newPage({ ...PHONE, colorScheme: "light" });
    await signIn(page, user, "/settings");
    await heading(page, "Settings");
    await heading(page, "Profile", 2);
    await page.getByRole("heading", { name: "About you" }).waitFor();
    await fitsThePhone(page);
    await shot(page, "settings-profile");

    // The section list is links: Preferences.
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Preferences" }).click();
    await heading(page, "Preferences", 2);
    expect(new URL(page.url()).pathname).toBe("/settings/preferences");
    expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
    expect(await page.getByRole("radio", { name: /Match my device/ }).isChecked()).toBe(true);

    await page.getByRole("radio", { name: "Dark", exact: true }).check();
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    await page.getByRole("status").filter({ hasText: "Theme: Dark. Saved." }).waitFor();
    expect((await me(user)).profile.theme).toBe("dark");
    await fitsThePhone(page);
    await shot(page, "settings-preferences");

    // The local copy (which only avoids a flash) is gone: the dark theme comes from the account.
    await page.evaluate(() => localStorage.removeItem("veza.theme"));
    await page.reload();
    await heading(page, "Preferences", 2);
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    expect(await page.getByRole("radio", { name: "Dark", exact: true }).isChecked()).toBe(true);

    // Back to the system's: no data-theme at all.
    await page.getByRole("radio", { name: /Match my device/ }).check();
    await page.waitForFunction(() => document.documentElement.dataset.theme === undefined);
    await page.getByRole("status").filter({ hasText: "Match my device. Saved." }).waitFor();
    expect((await me(user)).profile.theme).toBe("auto");

    // A notification switch is saved on toggle too.
    const follows = page.getByRole("switch", { name: "New followers" });
    expect(await follows.isChecked()).toBe(true);
    await follows.uncheck();
    await page.getByRole("status").filter({ hasText: "New followers off" }).waitFor();
    const settings = await apiJson<{ email_on_follow: boolean }>("/v1/me/settings", { token: user.token });
    expect(settings.email_on_follow).toBe(false);
  });

  it("saves a consent on toggle, and lists the people I blocked", async () => {
    const user = await registerUser("e2econs");
    const other = await registerUser("e2eblocked");
    await apiJson(`/v1/me/blocks/${other.username}`, { method: "PUT", token: user.token });
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings/privacy");
    await heading(page, "Privacy & data", 2);

    // Data processing is given and cannot be withdrawn here; marketing is off and can be given.
    const processing = page.getByRole("switch", { name: "Processing of the data your account needs" });
    expect(await processing.isChecked()).toBe(true);
    expect(await processing.isDisabled()).toBe(true);
    const marketing = page.getByRole("switch", { name: "News about Veza by email" });
    expect(await marketing.isChecked()).toBe(false);
    await marketing.check();
    await page.getByRole("status").filter({ hasText: "Consent given" }).waitFor();
    const consents = (await me(user)).consents;
    expect(consents.marketing).toBe(true);
    expect(consents.marketing_at).not.toBeNull();

    // The blocked person is listed.
    const blocked = page.getByRole("list", { name: "Blocked people" });
    await blocked.getByText(`@${other.username}`).waitFor();
    await fitsThePhone(page);
    await shot(page, "settings-privacy");

    // After a reload, the consent is still given (it comes from the API).
    await page.reload();
    await heading(page, "Privacy & data", 2);
    expect(await page.getByRole("switch", { name: "News about Veza by email" }).isChecked()).toBe(true);

    // Withdrawn the same way.
    await page.getByRole("switch", { name: "News about Veza by email" }).uncheck();
    await page.getByRole("status").filter({ hasText: "Consent withdrawn" }).waitFor();
    expect((await me(user)).consents.marketing).toBe(false);

    // Unblocking takes them off the list, and off the API's.
    await page.getByRole("button", { name: `Unblock @${other.username}` }).click();
    await page.getByText("You have not blocked anyone").waitFor();
    const blocks = await apiJson<{ items: unknown[] }>("/v1/me/blocks", { token: user.token });
    expect(blocks.items).toHaveLength(0);
  });

  it("turns on two-factor authentication end to end: QR code and key, a code from the app, backup codes that work", async () => {
    const user = await registerUser("e2e2fa");
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings/security");
    await heading(page, "Security", 2);
    await page.getByRole("list", { name: "Signed-in sessions" }).getByText("This device").waitFor();
    await fitsThePhone(page);
    await shot(page, "settings-security");

    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    // The QR code (drawn by the lazily loaded encoder) and the key as text.
    const qr = page.getByRole("img", { name: /QR code of your two-factor key/ });
    await qr.waitFor();
    expect(await qr.locator("path").getAttribute("d")).toMatch(/^M\d+ \d+h1v1h-1z/);
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await fitsThePhone(page);
    await shot(page, "settings-2fa-enrol");

    // A wrong code is refused by the field; nothing is turned on.
    const codeField = page.getByLabel("The 6-digit code the app shows");
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
    const right = totp.generate();
    await codeField.fill(right === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.waitForFunction(() => document.querySelector('input[name="code"]')?.getAttribute("aria-invalid") === "true");
    expect((await apiJson<{ enabled: boolean }>("/v1/me/2fa", { token: user.token })).enabled).toBe(false);

    // The code the app would show.
    await codeField.fill(totp.generate());
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
    await heading(page, /Save your backup codes/, 4);
    expect(await codes.count()).toBe(10);
    const backup = (await codes.allTextContents()).map((c) => c.trim());
    await shot(page, "settings-2fa-backup-codes");
    expect(await apiJson<{ enabled: boolean; backup_codes_remaining: number }>("/v1/me/2fa", { token: (await storedAccessToken(page))! })).toMatchObject({
      enabled: true,
      backup_codes_remaining: 10,
    });

    // The codes shown are the account's: one signs in (and is then spent).
    const signedIn = await apiJson<{ user: { username: string } }>("/v1/auth/login", {
      method: "POST",
      body: { identifier: user.username, password: user.password, code: backup[3] },
    });
    expect(signedIn.user.username).toBe(user.username);

    // Once saved, the codes are gone from the page; the panel says 2FA is on, with 9 codes left.
    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByText("9 of 10 backup codes left").waitFor();
    expect(await page.getByRole("list", { name: "Backup codes" }).count()).toBe(0);
    await page.getByRole("button", { name: "Turn off" }).waitFor();
  });

  it("requests a copy of my data: the export runs on the jobs queue, the panel offers its download and the mailed link works too", async () => {
    const user = await registerUser("e2eexport");
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings/privacy");
    await heading(page, "Privacy & data", 2);
    const requested = Date.now() - 5_000;
    // A long address breaks rather than widening the page past the phone's screen.
    await fitsThePhone(page);
    await page.getByRole("button", { name: "Request my data" }).click();
    await page.getByTestId("export-status").filter({ hasText: "You asked for a copy" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Export requested" }).waitFor();
    await shot(page, "settings-export-requested");

    // The panel follows the job: once the archive is written, its download is right there.
    const download = page.getByTestId("export-archive").getByRole("link", { name: "Download your data" });
    await download.waitFor({ timeout: 90_000 });
    await page.getByRole("status").filter({ hasText: "Your copy is ready to download." }).waitFor();
    expect(await page.getByTestId("export-status").count()).toBe(0);
    const [fromPanel] = await Promise.all([page.waitForEvent("download"), download.click()]);
    expect(fromPanel.suggestedFilename()).toMatch(/^veza-export-\d{4}-\d{2}-\d{2}\.json$/);
    await shot(page, "settings-export-ready");

    // Ready: the jobs queue wrote the archive and mailed the link, which downloads it.
    const mail = await waitForMail(user.email, "Your Veza data export is ready", { after: requested, timeoutMs: 90_000 });
    const link = linkIn(mail, "/v1/me/exports/");
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="veza-export-/);
    const archive = (await res.json()) as { user_id: string };
    expect(archive.user_id).toBe(user.id);
    // And in the browser, the mailed link is a download of that file too.
    const [mailed] = await Promise.all([page.waitForEvent("download"), page.evaluate((href) => (location.href = href), link)]);
    expect(mailed.suggestedFilename()).toMatch(/^veza-export-\d{4}-\d{2}-\d{2}\.json$/);
  });

  it("deletes the account: signed out at once, and signing in is refused", async () => {
    const user = await registerUser("e2edel");
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings/privacy");
    await heading(page, "Privacy & data", 2);
    await page.getByRole("button", { name: "Delete my account…" }).click();

    const password = page.getByLabel("Your password");
    await password.waitFor();
    const confirmButton = page.getByRole("button", { name: `Delete @${user.username} for good` });
    // Nothing happens until DELETE is typed.
    await password.fill("not my password");
    await page.getByLabel(/to confirm/).fill("delete");
    expect(await confirmButton.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill("DELETE");
    await fitsThePhone(page);
    await shot(page, "settings-delete");

    // A wrong password: refused by the field, the account stays.
    await confirmButton.click();
    await page.getByText("The password is not correct.").waitFor();
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    expect((await apiJson<{ username: string }>("/v1/me", { token: user.token })).username).toBe(user.username);

    await password.fill(user.password);
    await confirmButton.click();
    await heading(page, "Your account is deleted");
    expect(new URL(page.url()).pathname).toBe("/account-deleted");
    expect(await storedAccessToken(page)).toBeNull();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await shot(page, "account-deleted");

    // The old token is dead, and signing in is refused — through the API and through the form.
    const old = await fetch(`${baseUrl()}/v1/me`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(old.status).toBe(401);
    const login = await fetch(`${baseUrl()}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: user.username, password: user.password }),
    });
    expect(login.status).toBe(401);
    await page.getByRole("link", { name: "Sign in" }).click();
    await heading(page, "Sign in");
    await page.getByLabel("Email or username").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email, username or password is not right." }).waitFor();
  });
});

describe("the pages mails link to", () => {
  it("confirms the email address from the mailed link", async () => {
    const user = await registerUser("e2everify");
    expect((await me(user)).email_verified).toBe(false);
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings");
    await page.getByText("Not verified").waitFor();

    const mail = await waitForMail(user.email, "Please confirm your email address");
    const link = linkIn(mail, "/verify-email?token=");
    await page.goto(link.slice(baseUrl().length));
    await heading(page, "Confirm your email");
    await page.getByText("Your email address is confirmed.").waitFor();
    expect((await me(user)).email_verified).toBe(true);
    await shot(page, "verify-email");

    // The link works once.
    await page.reload();
    await page.getByRole("alert").waitFor();
    await page.goto("/settings");
    await page.getByText("Verified", { exact: true }).waitFor();
  });

  it("resets a forgotten password from the sign-in page", async () => {
    const user = await registerUser("e2ereset");
    const page = await browser.newPage(PHONE);
    await page.goto("/sign-in");
    await heading(page, "Sign in");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await heading(page, "Forgot your password?");
    const asked = Date.now() - 5_000;
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await page.getByText("If an account uses this address").waitFor();
    await fitsThePhone(page);
    await shot(page, "forgot-password");

    const mail = await waitForMail(user.email, "Reset your Veza password", { after: asked });
    await page.goto(linkIn(mail, "/reset-password?token=").slice(baseUrl().length));
    await heading(page, "Choose a new password");
    const fresh = "a brand new passphrase";
    await page.getByLabel("New password", { exact: true }).fill(fresh);
    await page.getByLabel("New password, again").fill("something else entirely");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.getByText("The two passwords are not the same.").waitFor();
    await page.getByLabel("New password, again").fill(fresh);
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.getByText("Your password is changed.").waitFor();

    // The new password signs in; the old one no longer does.
    await page.getByRole("link", { name: "Sign in with the new password" }).click();
    await heading(page, "Sign in");
    await page.getByLabel("Email or username").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(fresh);
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "Your feed");
    const old = await fetch(`${baseUrl()}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: user.username, password: user.password }),
    });
    expect(old.status).toBe(401);
  });

  it("shows the connected accounts page the provider mail links to", async () => {
    const user = await registerUser("e2eaccts");
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/settings/accounts");
    await heading(page, "Connected accounts", 2);
    await page.getByText("No provider is linked").waitFor();
    await fitsThePhone(page);
    await shot(page, "settings-accounts");
  });
});
