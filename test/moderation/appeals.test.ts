import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { signAccessToken } from "../../src/lib/auth/tokens";
import { act, admin, auditRows, moderator, notices, userState } from "./fixtures";

/** The user's headers with a token as a new sign-in would issue it now (after a suspension bumped token_version). */
async function signInAgain(user: SignedInUser): Promise<Record<string, string>> {
  const { token_version } = await userState(user.id);
  const token = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: Number(token_version) }, env.JWT_SECRET);
  return { Authorization: `Bearer ${token}` };
}

describe("moderation: suspensions and appeals", () => {
  it("a suspended account is refused everywhere but its appeal; an accepted appeal lifts the suspension", async () => {
    const [user, mod] = await Promise.all([signedInUser(), moderator()]);
    const suspended = await act(mod, { action_type: "suspend", user_id: user.id, reason: "Spamming comments", duration_hours: 72 });
    expect(suspended.status, suspended.text).toBe(201);
    const hours = (Date.parse(suspended.body.expires_at) - Date.parse(suspended.body.created_at)) / 3_600_000;
    expect(Math.round(hours)).toBe(72);
    expect(await notices(user.id)).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Your account is suspended until /), body: "Spamming comments" })]);

    // the token held when suspended is revoked; a new sign-in's token is refused with the end date...
    expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(401);
    const headers = await signInAgain(user);
    const refused = await api("GET", "/v1/me", { headers });
    expect(refused.status).toBe(403);
    expect(refused.body.suspended_until).toBe(suspended.body.expires_at);
    expect((await api("POST", "/v1/posts", { headers, body: { content: "let me post" } })).status).toBe(403);
    // ... except to see the sanction and appeal it
    const mine = await api("GET", "/v1/me/appeals", { headers });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: suspended.body.id, action_type: "suspend", appeal_status: "none" })]);
    const appealed = await api("POST", "/v1/me/appeals", { headers, body: { action_id: suspended.body.id, text: "It was a bot on my account; I changed my password." } });
    expect(appealed.status, appealed.text).toBe(200);
    expect(appealed.body).toMatchObject({ appeal_status: "pending", appeal_text: "It was a bot on my account; I changed my password." });
    expect((await api("POST", "/v1/me/appeals", { headers, body: { action_id: suspended.body.id, text: "again" } })).status).toBe(409);
    expect(await auditRows(user.id, "moderation.appeal")).toHaveLength(1);

    const queue = await api("GET", "/v1/moderation/appeals?limit=100", { headers: mod.headers });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((a: { id: string }) => a.id)).toContain(suspended.body.id);

    const accepted = await api("POST", `/v1/moderation/appeals/${suspended.body.id}/decision`, { headers: mod.headers, body: { decision: "accepted", note: "Fair enough" } });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toMatchObject({ appeal_status: "accepted", reversal_reason: "Fair enough" });
    expect(accepted.body.reversed_at).not.toBeNull();
    expect((await api("GET", "/v1/me", { headers })).status).toBe(200);
    expect((await notices(user.id)).at(-1)).toMatchObject({ title: "Your suspension was lifted", body: "Fair enough" });
    expect((await api("POST", `/v1/moderation/appeals/${suspended.body.id}/decision`, { headers: mod.headers, body: { decision: "rejected" } })).status).toBe(409);
  });

  it("a rejected appeal leaves the sanction standing and tells the person", async () => {
    const [user, mod] = await Promise.all([signedInUser(), moderator()]);
    const warned = await act(mod, { action_type: "warn", user_id: user.id, reason: "Insults" });
    const appealed = await api("POST", "/v1/me/appeals", { headers: user.headers, body: { action_id: warned.body.id, text: "I did not insult anyone" } });
    expect(appealed.status, appealed.text).toBe(200);
    const rejected = await api("POST", `/v1/moderation/appeals/${warned.body.id}/decision`, { headers: mod.headers, body: { decision: "rejected", note: "Screenshots say otherwise" } });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ appeal_status: "rejected", reversed_at: null });
    expect((await notices(user.id)).at(-1)).toMatchObject({ title: "Your appeal was rejected", body: "Screenshots say otherwise" });
    expect(await auditRows(user.id, "moderation.appeal_reject")).toHaveLength(1);
  });

  it("appeals only one's own standing sanctions, not a ban", async () => {
    const [user, other, mod, boss] = await Promise.all([signedInUser(), signedInUser(), moderator(), admin()]);
    const warned = await act(mod, { action_type: "warn", user_id: user.id, reason: "Insults" });
    expect((await api("POST", "/v1/me/appeals", { headers: other.headers, body: { action_id: warned.body.id, text: "not mine" } })).status).toBe(404);
    expect((await api("POST", "/v1/me/appeals", { headers: user.headers, body: { action_id: crypto.randomUUID(), text: "none" } })).status).toBe(404);
    expect((await api("POST", "/v1/me/appeals", { headers: user.headers, body: { action_id: warned.body.id, text: "" } })).status).toBe(422);
    await api("POST", `/v1/moderation/actions/${warned.body.id}/reverse`, { headers: mod.headers, body: { reason: "withdrawn" } });
    expect((await api("POST", "/v1/me/appeals", { headers: user.headers, body: { action_id: warned.body.id, text: "already lifted" } })).status).toBe(409);
    const banned = await api("POST", `/v1/admin/users/${other.id}/ban`, { headers: boss.headers, body: { reason: "Fraud" } });
    expect(banned.status).toBe(201);
    // a banned account cannot even ask (a ban is lifted by an admin, through support)
    expect((await api("POST", "/v1/me/appeals", { headers: other.headers, body: { action_id: banned.body.id, text: "please" } })).status).toBe(403);
  });
});

describe("moderation: the admin's account routes", () => {
  it("bans (sessions revoked), refuses a second ban, unbans; suspends; all audited and notified", async () => {
    const [user, boss] = await Promise.all([signedInUser(), admin()]);
    const banned = await api("POST", `/v1/admin/users/${user.id}/ban`, { headers: boss.headers, body: { reason: "Fraud" } });
    expect(banned.status, banned.text).toBe(201);
    expect(banned.body).toMatchObject({ action_type: "ban", moderator_id: boss.id, target_user_id: user.id });
    expect(await userState(user.id)).toMatchObject({ is_banned: true });
    const { sql } = await import("../helpers/db");
    expect(await sql.query("SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND NOT is_revoked", [user.id])).toEqual([{ n: 0 }]);
    expect((await api("POST", `/v1/admin/users/${user.id}/ban`, { headers: boss.headers, body: { reason: "again" } })).status).toBe(409);

    const unbanned = await api("POST", `/v1/admin/users/${user.id}/unban`, { headers: boss.headers, body: { reason: "Cleared by support" } });
    expect(unbanned.status, unbanned.text).toBe(200);
    expect(unbanned.body).toMatchObject({ id: banned.body.id, reversal_reason: "Cleared by support" });
    expect(await userState(user.id)).toMatchObject({ is_banned: false });
    expect((await api("POST", `/v1/admin/users/${user.id}/unban`, { headers: boss.headers, body: { reason: "again" } })).status).toBe(409);
    expect((await notices(user.id)).map((n) => n.title)).toEqual(["Your account is banned", "Your account is no longer banned"]);
    expect(await auditRows(user.id, "moderation.ban")).toHaveLength(1);
    expect(await auditRows(user.id, "moderation.unban")).toHaveLength(1);
    // the new sign-in works again
    expect((await api("GET", "/v1/me", { headers: await signInAgain(user) })).status).toBe(200);

    // a ban set outside moderation (legacy) is lifted too, with an unban record
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [user.id]);
    const bare = await api("POST", `/v1/admin/users/${user.id}/unban`, { headers: boss.headers, body: { reason: "Legacy ban lifted" } });
    expect(bare.status, bare.text).toBe(200);
    expect(bare.body).toMatchObject({ action_type: "unban" });
    expect(await userState(user.id)).toMatchObject({ is_banned: false });

    const suspended = await api("POST", `/v1/admin/users/${user.id}/suspend`, { headers: boss.headers, body: { reason: "Cool down", duration_hours: 2 } });
    expect(suspended.status, suspended.text).toBe(201);
    expect(await auditRows(user.id, "moderation.suspend")).toHaveLength(1);
    expect((await api("POST", `/v1/admin/users/${crypto.randomUUID()}/ban`, { headers: boss.headers, body: { reason: "x" } })).status).toBe(404);
    expect((await api("POST", `/v1/admin/users/${user.id}/suspend`, { headers: boss.headers, body: { reason: "x" } })).status).toBe(422);
  });

  it("protects staff: a moderator cannot sanction a moderator or admin, an admin not an admin, nobody themselves", async () => {
    const [mod, otherMod, boss, otherBoss] = await Promise.all([moderator(), moderator(), admin(), admin()]);
    expect((await act(mod, { action_type: "ban", user_id: otherMod.id, reason: "x" })).status).toBe(403);
    expect((await act(mod, { action_type: "warn", user_id: boss.id, reason: "x" })).status).toBe(403);
    expect((await act(mod, { action_type: "warn", user_id: mod.id, reason: "x" })).status).toBe(403);
    expect((await api("POST", `/v1/admin/users/${otherBoss.id}/ban`, { headers: boss.headers, body: { reason: "x" } })).status).toBe(403);
    const warned = await act(boss, { action_type: "warn", user_id: otherMod.id, reason: "Be nicer" });
    expect(warned.status, warned.text).toBe(201);
  });
});
