// Database round trips per auth call (DESIGN §2: 1 per read, at most 2 per write, auth cache warm),
// counted by the dev database server.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { accountWithPassword, bearer, device, login, newAccount, PASSWORD } from "./support";

const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = device()) =>
  new Request(`https://veza.test${path}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });

/** A signed-in session whose auth state is already cached (as on the hot path). */
async function warmSession() {
  const account = await accountWithPassword();
  const session = (await login(account.username, PASSWORD, device())).body.session as { accessToken: string; refreshToken: string; sessionId: string };
  expect((await api("GET", "/v1/me/sessions", { headers: bearer(session.accessToken) })).status).toBe(200);
  return { account, session };
}

describe("round trips of the auth endpoints", { timeout: 30_000 }, () => {
  it("register: one, plus one for the verification email", async () => {
    const { response, roundTrips } = await withRoundTrips(request("POST", "/v1/auth/register", newAccount()));
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(2);
  });

  it("login: two when it succeeds, one when the password is wrong (the first records the attempt)", async () => {
    const account = await accountWithPassword();
    const ok = await withRoundTrips(request("POST", "/v1/auth/login", { identifier: account.email, password: PASSWORD }));
    expect(ok.response.status).toBe(200);
    expect(ok.roundTrips).toBe(2);
    const bad = await withRoundTrips(request("POST", "/v1/auth/login", { identifier: account.email, password: "wrong password" }));
    expect(bad.response.status).toBe(401);
    expect(bad.roundTrips).toBe(1);
  });

  it("refresh: one, including reuse detection", async () => {
    const { session } = await warmSession();
    const ok = await withRoundTrips(request("POST", "/v1/auth/refresh", { refresh_token: session.refreshToken }));
    expect(ok.response.status).toBe(200);
    expect(ok.roundTrips).toBe(1);
    const reuse = await withRoundTrips(request("POST", "/v1/auth/refresh", { refresh_token: session.refreshToken }));
    expect(reuse.response.status).toBe(401);
    expect(reuse.roundTrips).toBe(1);
  });

  it("sessions list, revoke, logout and logout-all: one each", async () => {
    const { account, session } = await warmSession();
    const other = (await login(account.username, PASSWORD, device())).body.session as { sessionId: string };
    const auth = bearer(session.accessToken);
    const listed = await withRoundTrips(request("GET", "/v1/me/sessions", undefined, auth));
    expect([listed.response.status, listed.roundTrips]).toEqual([200, 1]);
    const revoked = await withRoundTrips(request("DELETE", `/v1/me/sessions/${other.sessionId}`, undefined, auth));
    expect([revoked.response.status, revoked.roundTrips]).toEqual([204, 1]);
    const out = await withRoundTrips(request("POST", "/v1/auth/logout", undefined, auth));
    expect([out.response.status, out.roundTrips]).toEqual([204, 1]);
    const everywhere = await withRoundTrips(request("POST", "/v1/auth/logout-all", undefined, auth));
    expect([everywhere.response.status, everywhere.roundTrips]).toEqual([204, 1]);
  });

  it("password change: two", async () => {
    const { session } = await warmSession();
    const { response, roundTrips } = await withRoundTrips(
      request("PUT", "/v1/me/password", { current_password: PASSWORD, new_password: "a brand new password" }, bearer(session.accessToken)),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(2);
  });
});
