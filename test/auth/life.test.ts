// The life of a session through the Worker: sign-up, sign-in, rotation, reuse detection, sign-out.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql } from "../helpers/db";
import { bearer, device, login, PASSWORD, register } from "./support";

describe("a session's life", { timeout: 60_000 }, () => {
  it("registers, signs in, rotates, detects reuse and signs out everywhere", async () => {
    const phone = device("phone");
    const laptop = device("laptop");

    // register: signed in at once, with a working access token
    const signup = await register(phone);
    const userId = signup.user.id;
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(signup.session.accessToken) })).status).toBe(200);

    // login from another device (by username, any case)
    const signin = await login(signup.input.username.toUpperCase(), PASSWORD, laptop);
    expect(signin.status, signin.text).toBe(200);
    expect(signin.body.user).toMatchObject({ id: userId, username: signup.input.username });
    expect(signin.body.session.sessionId).not.toBe(signup.session.sessionId);
    const first = signin.body.session as { accessToken: string; refreshToken: string; sessionId: string };

    // refresh: a new pair in the same session; the old refresh token is marked rotated
    const rotated = await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.refreshToken }, headers: laptop });
    expect(rotated.status, rotated.text).toBe(200);
    const second = rotated.body.session as typeof first;
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const family = await sql.query(
      `SELECT id, is_revoked, revoked_reason, replaced_by_id FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at`,
      [first.sessionId],
    );
    expect(family).toHaveLength(2);
    expect(family[0]).toMatchObject({ is_revoked: true, revoked_reason: "rotated", replaced_by_id: family[1]!.id });
    expect(family[1]).toMatchObject({ is_revoked: false });
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(second.accessToken) })).status).toBe(200);

    // reuse of the rotated token: refused, the whole family revoked, audited as a warning
    const reuse = await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.refreshToken }, headers: laptop });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe("invalid_token");
    const afterReuse = await sql.query(`SELECT is_revoked, revoked_reason FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at`, [first.sessionId]);
    expect(afterReuse.map((r) => r.is_revoked)).toEqual([true, true]);
    expect(afterReuse[1]!.revoked_reason).toBe("reuse_detected");
    const [audit] = await sql.query(`SELECT severity, metadata FROM audit_logs WHERE user_id = $1 AND action = 'auth.refresh_reuse'`, [userId]);
    expect(audit).toMatchObject({ severity: "warning", metadata: { session_id: first.sessionId } });
    // the successor is dead too, and so is every access token issued before (token_version bumped)
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: second.refreshToken }, headers: laptop })).status).toBe(401);
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(second.accessToken) })).status).toBe(401);

    // the phone's session (another family) survives the reuse: it refreshes into the new token_version
    const phoneRefresh = await api("POST", "/v1/auth/refresh", { body: { refresh_token: signup.session.refreshToken }, headers: phone });
    expect(phoneRefresh.status, phoneRefresh.text).toBe(200);
    const phoneSession = phoneRefresh.body.session as typeof first;
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(phoneSession.accessToken) })).status).toBe(200);

    // a third session, then logout-all: every earlier access token and refresh token is refused
    const third = (await login(signup.input.email, PASSWORD, laptop)).body.session as typeof first;
    const out = await api("POST", "/v1/auth/logout-all", { headers: bearer(third.accessToken) });
    expect(out.status).toBe(204);
    for (const token of [phoneSession.accessToken, third.accessToken]) {
      const res = await api("GET", "/v1/me/sessions", { headers: bearer(token) });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
    }
    for (const token of [phoneSession.refreshToken, third.refreshToken]) {
      expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: token }, headers: phone })).status).toBe(401);
    }
    const live = await sql.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND NOT is_revoked`, [userId]);
    expect(live[0]!.n).toBe(0);
    const [logoutAudit] = await sql.query(`SELECT actor_id FROM audit_logs WHERE user_id = $1 AND action = 'auth.logout_all'`, [userId]);
    expect(logoutAudit!.actor_id).toBe(userId);

    // signing in again works, with the new token_version
    const again = await login(signup.input.email, PASSWORD, phone);
    expect(again.status).toBe(200);
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(again.body.session.accessToken) })).status).toBe(200);
  });
});
