import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { join, roomWith } from "../chat/fixtures";
import { sent } from "../direct-messages/fixtures";
import { makePlaylist } from "../playlists/fixtures";
import { moderator } from "./fixtures";

/** Round trips of one request as `user`, whose auth state is already cached at the edge. */
async function roundTrips(user: SignedInUser, path: string, body: unknown) {
  expect((await api("GET", "/v1/me/appeals", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method: "POST", headers: { ...user.headers, "content-type": "application/json" }, body: JSON.stringify(body) }),
  );
  const json = (await response.json()) as { id?: string };
  return { status: response.status, roundTrips, id: json.id };
}

const hide = (mod: SignedInUser, target_type: string, target_id: string) =>
  roundTrips(mod, "/v1/moderation/actions", { action_type: "hide_content", target_type, target_id, reason: "Spam" });
const reverse = (mod: SignedInUser, id: string) => roundTrips(mod, `/v1/moderation/actions/${id}/reverse`, { reason: "ok" });

describe("moderation's database round trips, per kind of content", () => {
  it("one per action and reversal; two for a room's message (its room acts in between)", async () => {
    const mod = await moderator();
    const [ada, bob] = await Promise.all([signedInUser(), signedInUser()]);
    const dm = await sent(ada, bob, "spam");
    const hiddenDm = await hide(mod, "message", dm.id);
    expect(hiddenDm).toMatchObject({ status: 201, roundTrips: 1 });
    expect(await reverse(mod, hiddenDm.id!)).toMatchObject({ status: 200, roundTrips: 1 });

    const playlist = await makePlaylist(ada);
    const hiddenPlaylist = await hide(mod, "playlist", playlist.id);
    expect(hiddenPlaylist).toMatchObject({ status: 201, roundTrips: 1 });
    expect(await reverse(mod, hiddenPlaylist.id!)).toMatchObject({ status: 200, roundTrips: 1 });

    const { roomId, users } = await roomWith(0);
    const hiddenRoom = await hide(mod, "room", roomId);
    expect(hiddenRoom).toMatchObject({ status: 201, roundTrips: 1 });
    expect(await reverse(mod, hiddenRoom.id!)).toMatchObject({ status: 200, roundTrips: 1 });

    const client = await join(users[0]!, roomId);
    const id = (await client.say("spam")).message_id as string;
    // the action finds a room's message in Postgres (the room flushes about every 500 ms)
    for (let i = 0; i < 50 && !(await sql.query("SELECT 1 FROM messages WHERE id = $1", [id])).length; i++) await new Promise((r) => setTimeout(r, 100));
    const hiddenMessage = await hide(mod, "message", id);
    expect(hiddenMessage).toMatchObject({ status: 201, roundTrips: 2 });
    expect(await reverse(mod, hiddenMessage.id!)).toMatchObject({ status: 200, roundTrips: 2 });
    // nothing there: one
    expect(await hide(mod, "message", crypto.randomUUID())).toMatchObject({ status: 404, roundTrips: 1 });
    client.close();
  });
});
