import { expect } from "vitest";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { api, signedInUser, type SignedInUser } from "./auth";

/** A request of an authorisation table: method, path and an optional JSON body. */
export type Route = [method: string, path: string, body?: object];

/** Sends `route` as `who` (null: anonymous). */
export const send = (who: SignedInUser | null, [method, path, body]: Route) => api(method, path, { headers: who?.headers ?? {}, body });

/**
 * Every route refuses an anonymous caller (401), a banned account (403) and a deleted one (401).
 * Answers the banned and the deleted user, for more checks.
 */
export async function expectSignedInOnly(routes: Route[]): Promise<{ banned: SignedInUser; deleted: SignedInUser }> {
  const [banned, deleted] = await Promise.all([signedInUser(), signedInUser()]);
  await banUser(banned.id);
  await softDeleteUser(deleted.id);
  for (const route of routes) {
    expect((await send(null, route)).status, `anonymous ${route[0]} ${route[1]}`).toBe(401);
    expect((await send(banned, route)).status, `banned ${route[0]} ${route[1]}`).toBe(403);
    expect((await send(deleted, route)).status, `deleted ${route[0]} ${route[1]}`).toBe(401);
  }
  return { banned, deleted };
}
