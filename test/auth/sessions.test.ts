// GET /v1/me/sessions, DELETE /v1/me/sessions/:id, and the access tokens the API refuses.
import { env } from "cloudflare:workers";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { accountWithPassword, bearer, device, login, PASSWORD } from "./support";

type Session = { accessToken: string; refreshToken: string; sessionId: string };

async function twoSessions() {
  const account = await accountWithPassword();
  const laptop = { ...device("laptop"), "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "x-device-name": "Laptop" };
  const phone = { ...device("phone"), "user-agent": "Mozilla/5.0 (Linux; Android 15) Mobile" };
  const first = (await login(account.username, PASSWORD, laptop)).body.session as Session;
  const second = (await login(account.username, PASSWORD, phone)).body.session as Session;
  return { account, laptop, phone, first, second };
}

const list = (accessToken: string, query = "") => api("GET", `/v1/me/sessions${query}`, { headers: bearer(accessToken) });

describe("GET /v1/me/sessions", { timeout: 30_000 }, () => {
  it("lists my live sessions with their devices, newest use first, marking the current one", async () => {
    const { laptop, phone, first, second } = await twoSessions();
    const res = await list(first.accessToken);
    expect(res.status, res.text).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: second.sessionId, device_type: "mobile", user_agent: phone["user-agent"], ip: phone["cf-connecting-ip"], current: false }),
      expect.objectContaining({ id: first.sessionId, device_name: "Laptop", device_type: "desktop", ip: laptop["cf-connecting-ip"], current: true }),
    ]);
    for (const item of res.body.items) {
      expect(Date.parse(item.created_at)).toBeLessThanOrEqual(Date.parse(item.last_used_at));
    }
  });

  it("shows a refreshed session once, with its first sign-in and its last use", async () => {
    const { first } = await twoSessions();
    const refreshed = await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.refreshToken }, headers: device() });
    const res = await list(refreshed.body.session.accessToken);
    const mine = res.body.items.filter((s: { id: string }) => s.id === first.sessionId);
    expect(mine).toHaveLength(1);
    expect(Date.parse(mine[0].last_used_at)).toBeGreaterThan(Date.parse(mine[0].created_at));
    expect(mine[0].current).toBe(true);
  });

  it("pages with a cursor", async () => {
    const { first, second } = await twoSessions();
    const page1 = await list(first.accessToken, "?limit=1");
    expect(page1.body.items.map((s: { id: string }) => s.id)).toEqual([second.sessionId]);
    const page2 = await list(first.accessToken, `?limit=1&cursor=${page1.body.next_cursor}`);
    expect(page2.body.items.map((s: { id: string }) => s.id)).toEqual([first.sessionId]);
    expect(page2.body.next_cursor).toBeNull();
  });

  it("refuses a bad limit or cursor with 422", async () => {
    const { first } = await twoSessions();
    for (const [query, path] of [["?limit=0", "query.limit"], ["?limit=101", "query.limit"], ["?cursor=bogus", "query.cursor"]] as const) {
      const res = await list(first.accessToken, query);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe(path);
    }
  });

  it("does not list ended sessions nor anyone else's", async () => {
    const { first, second } = await twoSessions();
    const stranger = await twoSessions();
    await api("POST", "/v1/auth/logout", { headers: bearer(second.accessToken) });
    const res = await list(first.accessToken);
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([first.sessionId]);
    expect(res.text).not.toContain(stranger.first.sessionId);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    expect((await api("GET", "/v1/me/sessions")).status).toBe(401);
    const banned = await signedInUser();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.id]);
    expect((await list(banned.accessToken)).status).toBe(403);
    const deleted = await signedInUser();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.id]);
    expect((await list(deleted.accessToken)).status).toBe(401);
  });
});

describe("DELETE /v1/me/sessions/:id", { timeout: 30_000 }, () => {
  it("revokes one of my sessions and audits it", async () => {
    const { account, first, second } = await twoSessions();
    const res = await api("DELETE", `/v1/me/sessions/${second.sessionId}`, { headers: bearer(first.accessToken) });
    expect(res.status).toBe(204);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: second.refreshToken }, headers: device() })).status).toBe(401);
    expect((await list(first.accessToken)).body.items.map((s: { id: string }) => s.id)).toEqual([first.sessionId]);
    const [audit] = await sql.query(`SELECT actor_id, metadata FROM audit_logs WHERE user_id = $1 AND action = 'auth.session_revoke'`, [account.id]);
    expect(audit).toEqual({ actor_id: account.id, metadata: { session_id: second.sessionId } });
    // already ended: 404
    expect((await api("DELETE", `/v1/me/sessions/${second.sessionId}`, { headers: bearer(first.accessToken) })).status).toBe(404);
  });

  it("answers 404 for another user's session and leaves it alone", async () => {
    const mine = await twoSessions();
    const theirs = await twoSessions();
    const res = await api("DELETE", `/v1/me/sessions/${theirs.first.sessionId}`, { headers: bearer(mine.first.accessToken) });
    expect(res.status).toBe(404);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: theirs.first.refreshToken }, headers: device() })).status).toBe(200);
  });

  it("refuses a malformed id (422), anonymous (401) and banned (403) callers", async () => {
    const { first, second } = await twoSessions();
    const bad = await api("DELETE", "/v1/me/sessions/not-a-uuid", { headers: bearer(first.accessToken) });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("param.id");
    expect((await api("DELETE", `/v1/me/sessions/${second.sessionId}`)).status).toBe(401);
    const banned = await signedInUser();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.id]);
    expect((await api("DELETE", `/v1/me/sessions/${banned.sessionId}`, { headers: banned.headers })).status).toBe(403);
  });
});

describe("access tokens the API refuses", () => {
  const claims = (userId: string, sid: string, tv = 0) => ({ role: "user", sid, tv });
  const key = (secret: string) => new TextEncoder().encode(secret);
  const signed = (userId: string, sid: string, secret: string, tv = 0) =>
    new SignJWT(claims(userId, sid, tv))
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setIssuer("veza")
      .setAudience("veza-api")
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(key(secret));

  it("accepts the control token made the same way", async () => {
    const user = await signedInUser();
    expect((await list(await signed(user.id, user.sessionId, env.JWT_SECRET))).status).toBe(200);
  });

  it("refuses alg: none", async () => {
    const user = await signedInUser();
    const token = new UnsecuredJWT(claims(user.id, user.sessionId)).setSubject(user.id).setIssuer("veza").setAudience("veza-api").setIssuedAt().setExpirationTime("15m").encode();
    const res = await list(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
  });

  it("refuses a token signed with another key", async () => {
    const user = await signedInUser();
    const res = await list(await signed(user.id, user.sessionId, "another-secret-of-at-least-32-characters!"));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
  });

  it("refuses a token of an old token_version", async () => {
    const user = await signedInUser();
    await sql.query(`UPDATE users SET token_version = 1 WHERE id = $1`, [user.id]);
    const res = await list(await signed(user.id, user.sessionId, env.JWT_SECRET, 0));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
    expect((await list(await signed(user.id, user.sessionId, env.JWT_SECRET, 1))).status).toBe(200);
  });
});
