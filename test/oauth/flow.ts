import { exports } from "cloudflare:workers";
import { expect } from "vitest";

/**
 * A browser navigation to the Worker that does not follow redirects (`api()` would follow the 302
 * to the provider): the status, headers and body of the Worker's own answer.
 */
export async function navigate(path: string, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(`https://veza.test${path}`, { headers, redirect: "manual" });
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The flow cookie a response sets for `provider`, as a `Cookie` header value (null when none). */
export function flowCookie(headers: Headers, provider: string): string | null {
  const set = headers.getSetCookie().find((c) => c.startsWith(`veza_oauth_${provider}=`));
  if (!set) return null;
  const pair = set.split(";")[0]!;
  return pair.endsWith("=") ? null : pair;
}

/** GET …/start: the authorize URL the browser is sent to and the cookie it keeps. */
export async function startFlow(provider: string, query: Record<string, string> = {}) {
  const res = await navigate(`/v1/auth/oauth/${provider}/start?${new URLSearchParams(query)}`);
  expect(res.status, res.text).toBe(302);
  const cookie = flowCookie(res.headers, provider);
  expect(cookie).not.toBeNull();
  return { authorizeUrl: res.headers.get("location")!, cookie: cookie!, headers: res.headers };
}

/** The browser's return to …/callback, with the flow cookie; `json` asks for the JSON answer. */
export function callback(provider: string, params: Record<string, string>, options: { cookie?: string | null; json?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.json) headers.Accept = "application/json";
  return navigate(`/v1/auth/oauth/${provider}/callback?${new URLSearchParams(params)}`, headers);
}

/** The fragment of the callback's redirect to the web app. */
export function fragmentOf(location: string): URLSearchParams {
  const url = new URL(location);
  expect(url.search).toBe("");
  return new URLSearchParams(url.hash.slice(1));
}
