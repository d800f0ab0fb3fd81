import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { join, roomWith, upgrade } from "../chat/fixtures";
import { openInbox } from "../inbox/sockets";
import { act, admin, auditRows, moderator, notices, userState } from "./fixtures";

describe("moderation: a sanction reaches live chat rooms at once", () => {
  it("A moderator's ban takes effect in an open chat room at once", async () => {
    const { roomId, users } = await roomWith(1);
    const [owner, member] = users as [(typeof users)[0], (typeof users)[0]];
    const mod = await moderator();
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    await m.say("hello before the ban");
    const inbox = await openInbox(member);

    const banned = await act(mod, { action_type: "ban", user_id: member.id, reason: "Repeated harassment" });
    expect(banned.status, banned.text).toBe(201);
    expect(banned.body).toMatchObject({ action_type: "ban", target_user_id: member.id, moderator_id: mod.id, reversed_at: null });

    // the socket is closed by the time the moderator has the answer
    await m.until(() => m.closed, "the banned member's socket to close");
    expect(m.closed).toMatchObject({ code: 4003 });
    // and so is the account's notification inbox, saying why
    await inbox.until(() => inbox.closed, "the banned member's inbox socket to close", 2000);
    expect(inbox.closed).toEqual({ code: 4003, reason: "banned" });
    await o.next((f) => f.type === "member" && f.user_id === member.id && f.change === "banned", "the room to hear of it");
    // no way back in: the socket upgrade, and any REST call, refuse the account
    expect((await upgrade(roomId, { Authorization: `Bearer ${member.accessToken}` })).status).toBe(403);
    expect((await api("GET", "/v1/me", { headers: member.headers })).status).toBe(403);
    expect(await userState(member.id)).toMatchObject({ is_banned: true });
    // the owner's socket stays open and working
    await o.say("still here");

    expect(await notices(member.id)).toEqual([expect.objectContaining({ type: "system", title: "Your account is banned", body: "Repeated harassment" })]);
    expect(await auditRows(member.id, "moderation.ban")).toEqual([expect.objectContaining({ actor_id: mod.id, severity: "warning" })]);
    o.close();
  });

  it("a suspension closes the sockets at once and refuses reconnecting until it is lifted", async () => {
    const { roomId, users } = await roomWith(1);
    const member = users[1]!;
    const boss = await admin();
    const m = await join(member, roomId);
    const suspended = await api("POST", `/v1/admin/users/${member.id}/suspend`, { headers: boss.headers, body: { reason: "Cool down", duration_hours: 24 } });
    expect(suspended.status, suspended.text).toBe(201);
    expect(suspended.body).toMatchObject({ action_type: "suspend", target_user_id: member.id });
    await m.until(() => m.closed, "the suspended member's socket to close");
    // the old token is revoked (token_version bumped) ...
    expect((await upgrade(roomId, { Authorization: `Bearer ${member.accessToken}` })).status).toBe(401);
    // ... and a new one (a fresh sign-in) is refused too while the suspension stands
    const fresh = await freshToken(member.id, member.sessionId);
    const refused = await upgrade(roomId, { Authorization: `Bearer ${fresh}` });
    expect(refused.status).toBe(403);

    const lifted = await api("POST", `/v1/moderation/actions/${suspended.body.id}/reverse`, { headers: boss.headers, body: { reason: "Served enough" } });
    expect(lifted.status, lifted.text).toBe(200);
    const back = await join({ accessToken: fresh }, roomId);
    await back.say("I am back");
    back.close();
  });
});

/** An access token as a new sign-in would issue it now (the current token_version). */
async function freshToken(userId: string, sessionId: string): Promise<string> {
  const { env } = await import("cloudflare:workers");
  const { signAccessToken } = await import("../../src/lib/auth/tokens");
  const { token_version } = await userState(userId);
  return signAccessToken({ sub: userId, role: "user", sid: sessionId, tv: Number(token_version) }, env.JWT_SECRET);
}
