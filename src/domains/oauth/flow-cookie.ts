import { generateCodeVerifier, generateState } from "arctic";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env";
import { decryptSecret, encryptSecret, timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { ProviderClient, ProviderName } from "./providers";

/** A flow must come back from the provider within ten minutes. */
export const FLOW_TTL_SECONDS = 600;

/** Scoped to the callback's path: the cookie travels nowhere else. */
const COOKIE_PATH = "/v1/auth/oauth";
const cookieName = (provider: ProviderName) => `veza_oauth_${provider}`;

/** What the browser carries between the start of a flow and its callback. */
export interface FlowState {
  provider: ProviderName;
  state: string;
  codeVerifier: string | null;
  redirectTo: string | null;
  /** The start request's explicit consents, used only if the callback creates an account. */
  dataProcessingConsent: boolean;
  marketingConsent: boolean;
  /** Set by the link route: the signed-in user (and token_version) the identity is to be linked to. */
  link: { userId: string; tokenVersion: number } | null;
  expiresAt: number;
}

export type FlowOptions = Pick<FlowState, "redirectTo" | "dataProcessingConsent" | "marketingConsent" | "link">;

/**
 * Starts a flow: fresh state and (when the provider takes PKCE) code verifier, sealed with
 * AES-256-GCM under ENCRYPTION_KEY into an HttpOnly, Secure, SameSite=Lax cookie. GCM
 * authenticates as it encrypts, so a cookie cannot be forged or edited (say, to name another
 * user to link to); SameSite=Lax still lets the top-level redirect back from the provider carry it.
 */
export async function beginFlow(c: Context<AppEnv>, client: ProviderClient, options: FlowOptions): Promise<URL> {
  const flow: FlowState = {
    provider: client.name,
    state: generateState(),
    codeVerifier: client.pkce ? generateCodeVerifier() : null,
    ...options,
    expiresAt: Date.now() + FLOW_TTL_SECONDS * 1000,
  };
  setCookie(c, cookieName(client.name), await encryptSecret(JSON.stringify(flow), c.env.ENCRYPTION_KEY), {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    maxAge: FLOW_TTL_SECONDS,
  });
  return client.authorizationUrl(flow.state, flow.codeVerifier);
}

const invalidFlow = (detail: string) => new ApiError("invalid_token", `${detail} Start the sign-in again.`);

/**
 * The Set-Cookie that clears a flow's cookie: a state is good for one callback only, so the
 * callback sends it with every answer, errors included (which is why it is a plain header value).
 */
export const clearedFlowCookie = (provider: ProviderName) =>
  `${cookieName(provider)}=; Max-Age=0; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax`;

/**
 * Ends a flow: checks that the cookie is ours, unexpired, for this provider, and that `state` is
 * the one it holds. Every failure is a 401 `invalid_token`.
 */
export async function endFlow(c: Context<AppEnv>, provider: ProviderName, state: string | undefined): Promise<FlowState> {
  const sealed = getCookie(c, cookieName(provider));
  if (!sealed) throw invalidFlow("This sign-in was not started in this browser, or it took longer than ten minutes.");
  let flow: FlowState;
  try {
    flow = JSON.parse(await decryptSecret(sealed, c.env.ENCRYPTION_KEY)) as FlowState;
  } catch {
    throw invalidFlow("The sign-in cookie is not valid.");
  }
  if (flow.provider !== provider || !(flow.expiresAt > Date.now())) throw invalidFlow("The sign-in cookie has expired.");
  if (!state || !timingSafeEqual(state, flow.state)) throw invalidFlow("The state does not match the one this sign-in started with.");
  return flow;
}
