import { describe, expect, it } from "vitest";
import { forgetAuthState } from "../../src/lib/auth/state";
import { api, signedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";

/** An identity row made directly in the database (the flow itself is tested in github.test.ts). */
async function linkIdentity(userId: string, provider: string, isPrimary = false) {
  const providerUserId = `${provider}_${unique()}`;
  await sql.query(
    `INSERT INTO federated_identities (user_id, provider, provider_user_id, access_token, provider_username, provider_email, is_primary)
     VALUES ($1, $2, $3, 'v1.sealed.token', $4, $5, $6)`,
    [userId, provider, providerUserId, `name_${providerUserId}`, `${providerUserId}@example.com`, isPrimary],
  );
  return providerUserId;
}

/** A signed-in user without a password (an account made through a provider). */
async function passwordlessUser() {
  const user = await signedInUser();
  await sql.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [user.id]);
  return user;
}

const identitiesOf = async (userId: string) =>
  (await sql.query(`SELECT provider FROM federated_identities WHERE user_id = $1 ORDER BY provider`, [userId])).map((r) => r.provider);

describe("GET /v1/me/oauth", () => {
  it("lists my linked providers only, the providers on offer, and whether I have a password", async () => {
    const me = await signedInUser();
    const someoneElse = await signedInUser();
    const github = await linkIdentity(me.id, "github", true);
    await linkIdentity(me.id, "spotify");
    await linkIdentity(someoneElse.id, "discord");
    const res = await api("GET", "/v1/me/oauth", { headers: me.headers });
    expect(res.status).toBe(200);
    expect(res.body.hasPassword).toBe(true);
    expect(res.body.available).toEqual(["google", "github", "discord", "spotify"]);
    expect(res.body.identities).toHaveLength(2);
    expect(res.body.identities[0]).toEqual({
      provider: "github",
      providerUsername: `name_${github}`,
      providerEmail: `${github}@example.com`,
      providerAvatarUrl: null,
      isPrimary: true,
      linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.identities[1]).toMatchObject({ provider: "spotify", isPrimary: false });
    // Never the tokens, not even sealed.
    expect(res.text).not.toContain("v1.sealed.token");
  });

  it("answers an empty list for a user with no identity, in one round trip", async () => {
    const me = await signedInUser();
    expect((await api("GET", "/v1/me/oauth", { headers: me.headers })).status).toBe(200); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me/oauth", { headers: me.headers }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ identities: [], hasPassword: true });
    expect(roundTrips).toBe(1);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    expect((await api("GET", "/v1/me/oauth")).status).toBe(401);
    const banned = await signedInUser();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.id]);
    await forgetAuthState(banned.id);
    expect((await api("GET", "/v1/me/oauth", { headers: banned.headers })).status).toBe(403);
    const deleted = await signedInUser();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.id]);
    await forgetAuthState(deleted.id);
    expect((await api("GET", "/v1/me/oauth", { headers: deleted.headers })).status).toBe(401);
  });
});

describe("DELETE /v1/me/oauth/:provider", () => {
  it("unlinks when I have a password, writes an audit row, and leaves others' identities alone", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    await linkIdentity(me.id, "github");
    await linkIdentity(other.id, "github");
    const res = await api("DELETE", "/v1/me/oauth/github", { headers: me.headers });
    expect(res.status, res.text).toBe(204);
    expect(await identitiesOf(me.id)).toEqual([]);
    expect(await identitiesOf(other.id)).toEqual(["github"]);
    const audit = await sql.query(`SELECT actor_id, metadata FROM audit_logs WHERE action = 'auth.oauth_unlink' AND user_id = $1`, [me.id]);
    expect(audit).toEqual([{ actor_id: me.id, metadata: { provider: "github", providerUsername: expect.stringMatching(/^name_github_/) } }]);
  });

  it("refuses (409) to unlink my only way to sign in, but unlinks one of two", async () => {
    const me = await passwordlessUser();
    await linkIdentity(me.id, "discord", true);
    await linkIdentity(me.id, "google");
    expect((await api("DELETE", "/v1/me/oauth/google", { headers: me.headers })).status).toBe(204);
    const last = await api("DELETE", "/v1/me/oauth/discord", { headers: me.headers });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe("conflict");
    expect(await identitiesOf(me.id)).toEqual(["discord"]);
    expect(await sql.query(`SELECT 1 FROM audit_logs WHERE action = 'auth.oauth_unlink' AND user_id = $1`, [me.id])).toHaveLength(1);
  });

  it("answers 404 for a provider I have not linked (even one another user linked) and for an unknown provider", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    await linkIdentity(other.id, "spotify");
    expect((await api("DELETE", "/v1/me/oauth/spotify", { headers: me.headers })).status).toBe(404);
    expect((await api("DELETE", "/v1/me/oauth/myspace", { headers: me.headers })).status).toBe(404);
    expect(await identitiesOf(other.id)).toEqual(["spotify"]);
  });

  it("costs one round trip", async () => {
    const me = await signedInUser();
    await linkIdentity(me.id, "github");
    expect((await api("GET", "/v1/me/oauth", { headers: me.headers })).status).toBe(200);
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me/oauth/github", { method: "DELETE", headers: me.headers }));
    expect(response.status).toBe(204);
    expect(roundTrips).toBe(1);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users, unlinking nothing", async () => {
    expect((await api("DELETE", "/v1/me/oauth/github")).status).toBe(401);
    for (const [change, status] of [["is_banned = true", 403], ["deleted_at = now()", 401]] as const) {
      const user = await signedInUser();
      await linkIdentity(user.id, "github");
      await sql.query(`UPDATE users SET ${change} WHERE id = $1`, [user.id]);
      await forgetAuthState(user.id);
      expect((await api("DELETE", "/v1/me/oauth/github", { headers: user.headers })).status).toBe(status);
      expect(await identitiesOf(user.id)).toEqual(["github"]);
    }
  });
});
