// POST /v1/auth/refresh and /v1/auth/logout: rotation details, refusals, signing out of one session.
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { signAccessToken } from "../../src/lib/auth/tokens";
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql } from "../helpers/db";
import { accountWithPassword, bearer, device, login, PASSWORD } from "./support";

type Session = { accessToken: string; refreshToken: string; sessionId: string };

async function signedIn(headers = device()) {
  const account = await accountWithPassword();
  const res = await login(account.username, PASSWORD, headers);
  expect(res.status, res.text).toBe(200);
  return { account, headers, session: res.body.session as Session };
}

const refresh = (refreshToken: string, headers: Record<string, string> = device()) =>
  api("POST", "/v1/auth/refresh", { body: { refresh_token: refreshToken }, headers });

describe("POST /v1/auth/refresh", { timeout: 30_000 }, () => {
  it("issues an access token with the user's current role and token_version, and records the device", async () => {
    const { account, session } = await signedIn();
    await sql.query(`UPDATE users SET role = 'creator', token_version = token_version + 3 WHERE id = $1`, [account.id]);
    const phone = { ...device(), "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile", "x-device-name": "Ada's phone" };
    const res = await refresh(session.refreshToken, phone);
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.body.session.accessToken)).toMatchObject({ sub: account.id, role: "creator", tv: 3, sid: session.sessionId });
    const [row] = await sql.query(
      `SELECT device_name, device_type, user_agent, host(ip_address) AS ip FROM refresh_tokens WHERE family_id = $1 AND NOT is_revoked`,
      [session.sessionId],
    );
    expect(row).toEqual({ device_name: "Ada's phone", device_type: "mobile", user_agent: phone["user-agent"], ip: phone["cf-connecting-ip"] });
  });

  it("refuses an unknown or forged token", async () => {
    for (const token of ["not-a-token", "A".repeat(43)]) {
      const res = await refresh(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
    }
  });

  it("ignores a stale access token in Authorization: expired, revoked or garbage, refresh still answers 200", async () => {
    const { account, headers, session } = await signedIn();
    const expired = await signAccessToken(
      { sub: account.id, role: "user", sid: session.sessionId, tv: 0 },
      env.JWT_SECRET,
      new Date(Date.now() - 2 * 24 * 3600 * 1000),
    );
    const res = await refresh(session.refreshToken, bearer(expired, headers));
    expect(res.status, res.text).toBe(200);
    // and that same header on a protected route is still refused, with its reason
    const me = await api("GET", "/v1/me", { headers: bearer(expired, headers) });
    expect(me.status).toBe(401);
    expect(me.body.detail).toMatch(/expired/);
    const again = await refresh(res.body.session.refreshToken, bearer("not-a-jwt", headers));
    expect(again.status, again.text).toBe(200);
  });

  it("refuses an expired token", async () => {
    const { session } = await signedIn();
    await sql.query(`UPDATE refresh_tokens SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day' WHERE family_id = $1`, [
      session.sessionId,
    ]);
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it("refuses a token of a banned account with 403 and of a deleted one with 401", async () => {
    const banned = await signedIn();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.account.id]);
    expect((await refresh(banned.session.refreshToken)).status).toBe(403);
    const deleted = await signedIn();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.account.id]);
    const res = await refresh(deleted.session.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
    // neither was rotated
    const live = await sql.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id IN ($1, $2) AND NOT is_revoked`, [
      banned.session.sessionId,
      deleted.session.sessionId,
    ]);
    expect(live[0]!.n).toBe(2);
  });

  it("lets only one of two simultaneous uses of a token win", async () => {
    const { session } = await signedIn();
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const family = await sql.query(`SELECT is_revoked FROM refresh_tokens WHERE family_id = $1`, [session.sessionId]);
    expect(family.filter((r) => !r.is_revoked).length).toBeLessThanOrEqual(1);
  });

  it("refuses a missing refresh_token with 422", async () => {
    const res = await api("POST", "/v1/auth/refresh", { body: {}, headers: device() });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("json.refresh_token");
  });
});

describe("POST /v1/auth/logout", { timeout: 30_000 }, () => {
  it("ends this session and no other", async () => {
    const { account, headers, session } = await signedIn();
    const other = (await login(account.email, PASSWORD, device())).body.session as Session;
    expect((await api("POST", "/v1/auth/logout", { headers: bearer(session.accessToken, headers) })).status).toBe(204);
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/revoked/);
    expect((await refresh(other.refreshToken)).status).toBe(200);
    // a logged-out token is not a reuse: no family revocation audit
    const audits = await sql.query(`SELECT 1 FROM audit_logs WHERE user_id = $1 AND action = 'auth.refresh_reuse'`, [account.id]);
    expect(audits).toHaveLength(0);
  });

  it("also ends the session of a refresh token I send, if it is mine", async () => {
    const { account, session } = await signedIn();
    const second = (await login(account.email, PASSWORD, device())).body.session as Session;
    const stranger = await signedIn();
    const res = await api("POST", "/v1/auth/logout", { body: { refresh_token: second.refreshToken }, headers: bearer(session.accessToken) });
    expect(res.status).toBe(204);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    // someone else's token is left alone
    await api("POST", "/v1/auth/logout", { body: { refresh_token: stranger.session.refreshToken }, headers: bearer(second.accessToken) });
    expect((await refresh(stranger.session.refreshToken)).status).toBe(200);
  });

  it("needs a signed-in user", async () => {
    const res = await api("POST", "/v1/auth/logout");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("unauthenticated");
    expect((await api("POST", "/v1/auth/logout-all")).status).toBe(401);
  });
});
