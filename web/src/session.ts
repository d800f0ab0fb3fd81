/**
 * Who is signed in, shared by every screen: `me` (GET /v1/me: profile, settings, consents),
 * `sessionStatus`, sign up / in / out, and the theme (`profile.theme`: light, dark or auto).
 */
import { computed, effect, signal } from "@preact/signals";
import { ApiError, clearTokens, get, getTokens, onTokensChange, patch, post, setSession } from "./api";
import type { LoginBody, Me, RegisterBody, SignedIn, ThemeSetting, UpdateMeBody } from "./types/api";

export type SessionStatus = "loading" | "signed-in" | "signed-out" | "unavailable";

/** The signed-in account (null when signed out or still loading). */
export const me = signal<Me | null>(null);
/** `loading` while the stored session is checked; `unavailable` when the API cannot be reached. */
export const sessionStatus = signal<SessionStatus>(getTokens() ? "loading" : "signed-out");
export const signedIn = computed(() => sessionStatus.value === "signed-in");

let loading: Promise<Me | null> | null = null;

/** Fetch the account again (after a change made elsewhere). Concurrent calls share one request. */
export function reloadMe(): Promise<Me | null> {
  loading ??= loadMe().finally(() => {
    loading = null;
  });
  return loading;
}

async function loadMe(): Promise<Me | null> {
  if (!getTokens()) {
    me.value = null;
    sessionStatus.value = "signed-out";
    return null;
  }
  try {
    const account = await get<Me>("/v1/me");
    me.value = account;
    sessionStatus.value = "signed-in";
    return account;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      clearTokens();
      me.value = null;
      sessionStatus.value = "signed-out";
      return null;
    }
    sessionStatus.value = me.value ? "signed-in" : "unavailable";
    throw err;
  }
}

/** Sign in. With two-factor authentication on and no `code`, throws an ApiError for which `needsSecondFactor` is true. */
export async function signIn(body: LoginBody): Promise<Me | null> {
  const { session } = await post<SignedIn>("/v1/auth/login", body, { auth: false });
  setSession(session);
  return reloadMe();
}

/** The login answered "a TOTP or backup code is required" (as opposed to a wrong one). */
export function needsSecondFactor(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.fieldAt("json.code") === "required";
}

/** The login's second factor was refused. */
export function wrongSecondFactor(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.fieldAt("json.code") === "invalid";
}

/** Create an account; the API signs it in at once (the verification email is sent meanwhile). */
export async function signUp(body: RegisterBody): Promise<Me | null> {
  const { session } = await post<SignedIn>("/v1/auth/register", body, { auth: false });
  setSession(session);
  return reloadMe();
}

/** Sign out of this session (the server revokes its refresh tokens; locally we forget them either way). */
export async function signOut(): Promise<void> {
  const tokens = getTokens();
  try {
    if (tokens) await post("/v1/auth/logout", { refresh_token: tokens.refreshToken });
  } catch {
    /* already over, or offline: forgetting the tokens is what matters here */
  } finally {
    clearTokens();
    me.value = null;
    sessionStatus.value = "signed-out";
  }
}

/** PATCH /v1/me and keep the answer. */
export async function updateMe(body: UpdateMeBody): Promise<Me> {
  const account = await patch<Me>("/v1/me", body);
  me.value = account;
  return account;
}

// ---------------------------------------------------------------------------------------------
// Theme: `data-theme="light|dark"` on <html> when the account chose one; none (so the CSS follows
// prefers-color-scheme) when signed out or `auto`. Remembered locally so the next load paints right.

const THEME_KEY = "veza.theme";

export const theme = computed<ThemeSetting>(() => (signedIn.value ? me.value?.profile.theme ?? "auto" : "auto"));

export function applyTheme(setting: ThemeSetting): void {
  const root = document.documentElement;
  if (setting === "light" || setting === "dark") root.dataset.theme = setting;
  else delete root.dataset.theme;
  try {
    if (setting === "auto") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, setting);
  } catch {
    /* storage full or disabled: the theme still applies */
  }
}

/** Before the first render: the theme of the last visit, so a dark-theme user never sees a light flash. */
export function applyStoredTheme(): void {
  const stored = localStorage.getItem(THEME_KEY);
  if (getTokens() && (stored === "light" || stored === "dark")) document.documentElement.dataset.theme = stored;
}

/** Change the account's theme (applied at once, saved to the profile). */
export async function setTheme(setting: ThemeSetting): Promise<void> {
  applyTheme(setting);
  await updateMe({ theme: setting });
}

let started = false;

/** Load the stored session and keep the theme and other tabs in step. Called once by main.tsx. */
export function startSession(): void {
  if (started) return;
  started = true;
  effect(() => {
    if (sessionStatus.value !== "loading") applyTheme(theme.value);
  });
  // Another tab signed in or out, or a refresh found the session over.
  onTokensChange((t) => {
    if (!t) {
      me.value = null;
      sessionStatus.value = "signed-out";
    } else if (t && me.value === null) {
      void reloadMe().catch(() => undefined);
    }
  });
  if (getTokens()) void reloadMe().catch(() => undefined);
}
