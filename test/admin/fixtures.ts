import { expect } from "vitest";
import { withRoundTrips } from "../helpers/round-trips";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";

/** A signed-in admin. */
export const signedInAdmin = (): Promise<SignedInUser> => signedInUser({ role: "admin" });

/** A request as `who` (headers of a signed-in user, or none). */
export const as = (who: SignedInUser | null, method: string, path: string, body?: object) => api(method, path, { headers: who?.headers ?? {}, body });

/** A GET URL with a query string from `params` (undefined values left out). */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** One request as `who` through withRoundTrips, `who`'s auth state warmed in the edge cache first. */
export async function roundTripsOf(who: SignedInUser, method: string, path: string, body?: object) {
  expect((await api("GET", "/v1/me", { headers: who.headers })).status).toBe(200);
  const headers: Record<string, string> = { ...who.headers, ...(body ? { "content-type": "application/json" } : {}) };
  return withRoundTrips(new Request(`https://veza.test${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined }));
}
