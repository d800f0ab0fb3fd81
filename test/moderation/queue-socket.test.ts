import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { signAccessToken } from "../../src/lib/auth/tokens";
import { api, signedInUser } from "../helpers/auth";
import { connect, queueOfUser, readyTracks, upgrade } from "../queue/sockets";
import { act, admin, moderator, userState } from "./fixtures";

describe("moderation: a sanction reaches the live play queue at once", () => {
  it("a ban closes every queue socket of the account (4003, banned) and keeps its queue", async () => {
    const creator = await signedInUser();
    const [member, bystander] = await Promise.all([signedInUser(), signedInUser()]);
    const [track] = await readyTracks(creator.id, 1);
    const phone = await connect(member, "?device_id=phone");
    const laptop = await connect(member, "?device_id=laptop");
    const queued = await phone.apply({ type: "add", version: 0, track_ids: [track!] });
    const other = await connect(bystander);

    const banned = await act(await moderator(), { action_type: "ban", user_id: member.id, reason: "Spam" });
    expect(banned.status, banned.text).toBe(201);

    for (const device of [phone, laptop]) {
      await device.until(() => device.closed, "the banned account's queue socket to close", 2000);
      expect(device.closed).toEqual({ code: 4003, reason: "banned" });
    }
    // no way back in with the old token ...
    expect((await upgrade({ Authorization: `Bearer ${member.accessToken}` })).status).toBe(403);
    // ... while someone else's queue socket stays open and working
    await other.apply({ type: "volume", volume: 50 });
    // the queue is kept, untouched, for the day the sanction ends
    expect(await queueOfUser(member.id).snapshot(member.id)).toEqual(queued);
    other.close();
  });

  it("a suspension closes the queue sockets, and the queue is there again once it is lifted", async () => {
    const creator = await signedInUser();
    const member = await signedInUser();
    const boss = await admin();
    const [track] = await readyTracks(creator.id, 1);
    const device = await connect(member);
    const queued = await device.apply({ type: "add", version: 0, track_ids: [track!] });

    const suspended = await api("POST", `/v1/admin/users/${member.id}/suspend`, { headers: boss.headers, body: { reason: "Cool down", duration_hours: 24 } });
    expect(suspended.status, suspended.text).toBe(201);
    await device.until(() => device.closed, "the suspended account's queue socket to close", 2000);
    expect(device.closed).toEqual({ code: 4003, reason: "banned" });
    // a new sign-in's token is refused while the suspension stands
    const fresh = await freshToken(member.id, member.sessionId);
    expect((await upgrade({ Authorization: `Bearer ${fresh}` })).status).toBe(403);

    const lifted = await api("POST", `/v1/moderation/actions/${suspended.body.id}/reverse`, { headers: boss.headers, body: { reason: "Served enough" } });
    expect(lifted.status, lifted.text).toBe(200);
    const back = await connect({ accessToken: fresh });
    expect(back.state).toEqual(queued);
    back.close();
  });
});

/** An access token as a new sign-in would issue it now (the current token_version). */
async function freshToken(userId: string, sessionId: string): Promise<string> {
  const { token_version } = await userState(userId);
  return signAccessToken({ sub: userId, role: "user", sid: sessionId, tv: Number(token_version) }, env.JWT_SECRET);
}
