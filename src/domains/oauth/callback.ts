import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { toApiError } from "../../lib/problem";
import { createRouter } from "../../lib/router";
import { completeFlow, type FlowOutcome } from "./complete-flow";
import { clearedFlowCookie, endFlow } from "./flow-cookie";
import { providerClient, providerLabels, type ProviderName } from "./providers";
import { CallbackQuery, CallbackResultSchema, problem, ProviderParam } from "./schemas";

export const oauthCallback = createRoute({
  method: "get",
  path: "/v1/auth/oauth/{provider}/callback",
  tags: ["Auth"],
  summary: "Where the provider sends the browser back",
  description:
    "Checks `state` against the flow cookie, exchanges the code, reads the provider's profile, then signs in the linked account, " +
    "links the identity (link flow), or creates an account (only with the start request's `data_processing_consent=true`). " +
    "A provider email that a Veza account already uses is never linked silently: 409, sign in and link from settings.\n\n" +
    "A browser navigation is answered with a 302 to `{APP_URL}/auth/callback#outcome=…&provider=…&access_token=…&token_type=Bearer&" +
    "expires_in=…&refresh_token=…&session_id=…&redirect_to=…` — the tokens ride in the fragment, which browsers never send to a server " +
    "nor put in a Referer (a link answers `#outcome=linked&provider=…` without tokens). With `Accept: application/json` the same " +
    "result is the JSON body. Two database round trips.\n\n" +
    "**Two-factor authentication.** When the linked account has TOTP on, no session is issued: the outcome is `two_factor_required`, " +
    "`user` and `session` are null, and a `two_factor_ticket` (JSON: `twoFactorTicket`) rides where the tokens would. It is good for " +
    "5 minutes and only for POST /v1/auth/oauth/second-factor, which exchanges it and a code for the session.\n\n" +
    "**New accounts** are created only from an email the provider marks verified (Spotify never does): otherwise 422 — sign up with " +
    "the email address, then link the provider from settings. **Linking** needs the account's own email to be verified (409).",
  request: { params: ProviderParam, query: CallbackQuery },
  responses: {
    200: { description: "With `Accept: application/json`", content: { "application/json": { schema: CallbackResultSchema } } },
    302: { description: "To the web app, the result in the URL fragment", headers: z.object({ Location: z.string() }) },
    401: problem("Missing or expired flow cookie, state mismatch, refused or missing code, sign-in cancelled, deleted account"),
    403: problem("Banned account"),
    404: problem("Unknown provider, or not offered by this deployment"),
    409: problem("The provider's email belongs to an existing account, the identity is linked elsewhere, or (link) my email is unverified"),
    422: problem("No consent to data processing for a new account, or no usable or no provider-verified email for a new account"),
    503: problem("The provider could not be reached"),
  },
});

/** `access_denied` and the like are echoed; anything else from the query string is not. */
const providerErrorCode = (error: string) => (/^[a-z_]{1,64}$/.test(error) ? error : "error");

const wantsJson = (c: Context<AppEnv>) => /\bapplication\/json\b/.test(c.req.header("accept") ?? "");

function callbackBody(provider: ProviderName, result: FlowOutcome, redirectTo: string | null) {
  const body = { outcome: result.outcome, provider, user: result.account, session: result.session, redirectTo };
  return result.twoFactorTicket ? { ...body, twoFactorTicket: result.twoFactorTicket } : body;
}

/** `{APP_URL}/auth/callback#…`: everything in the fragment, so tokens never reach a server log. */
function appCallbackUrl(appUrl: string, body: ReturnType<typeof callbackBody>): string {
  const fragment = new URLSearchParams({ outcome: body.outcome, provider: body.provider });
  if (body.session) {
    fragment.set("access_token", body.session.accessToken);
    fragment.set("token_type", body.session.tokenType);
    fragment.set("expires_in", String(body.session.expiresIn));
    fragment.set("refresh_token", body.session.refreshToken);
    fragment.set("session_id", body.session.sessionId);
  }
  if ("twoFactorTicket" in body && body.twoFactorTicket) fragment.set("two_factor_ticket", body.twoFactorTicket);
  if (body.redirectTo) fragment.set("redirect_to", body.redirectTo);
  return `${appUrl.replace(/\/+$/, "")}/auth/callback#${fragment.toString()}`;
}

export const callbackRoutes = createRouter().openapi(oauthCallback, async (c) => {
  const { provider } = c.req.valid("param");
  const query = c.req.valid("query");
  const client = providerClient(c.env, provider);
  const noStore = { "Cache-Control": "no-store", "Set-Cookie": clearedFlowCookie(client.name) };
  let flowResult: { redirectTo: string | null; outcome: FlowOutcome };
  try {
    const flow = await endFlow(c, client.name, query.state);
    if (query.error) {
      throw new ApiError("unauthenticated", `${providerLabels[client.name]} did not authorize the sign-in (${providerErrorCode(query.error)}).`);
    }
    if (!query.code) throw new ApiError("invalid_token", `${providerLabels[client.name]} sent no authorization code. Start the sign-in again.`);
    flowResult = { redirectTo: flow.redirectTo, outcome: await completeFlow(c, client, flow, query.code) };
  } catch (err) {
    // The flow is spent whatever went wrong: the error carries the cookie's removal too (an
    // unexpected error goes on untouched, so onError logs it as it was thrown).
    const apiError = toApiError(err);
    if (apiError.code === "internal") throw err;
    throw new ApiError(apiError.code, apiError.message, { errors: apiError.errors, headers: { ...apiError.headers, ...noStore }, cause: apiError.cause ?? err });
  }
  for (const [name, value] of Object.entries(noStore)) c.header(name, value);
  const body = callbackBody(client.name, flowResult.outcome, flowResult.redirectTo);
  if (wantsJson(c)) return c.json(body, 200);
  c.header("Referrer-Policy", "no-referrer");
  return c.redirect(appCallbackUrl(c.env.APP_URL, body), 302);
});
