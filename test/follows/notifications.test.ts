import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { openInbox, settle } from "../inbox/sockets";

const followNotifications = (userId: string) =>
  sql.query("SELECT actor_id, type, entity_type, entity_id FROM notifications WHERE user_id = $1 AND type = 'follow' AND deleted_at IS NULL", [userId]);

describe("follow notifications", () => {
  it("tells the followed user once, live on their inbox socket, and never twice for the same follower", async () => {
    const [fan, star] = await Promise.all([signedInUser(), signedInUser()]);
    const inbox = await openInbox(star);
    expect((await api("PUT", `/v1/users/${star.username}/follow`, { headers: fan.headers })).status).toBe(200);
    const pushed = await inbox.next((f) => f.type === "notification", "the follow notification");
    expect(pushed.notification).toMatchObject({ user_id: star.id, actor_id: fan.id, type: "follow", entity_type: "user", entity_id: fan.id, is_read: false });
    inbox.close();

    // Following again, or unfollowing and following again, notifies nobody anew.
    await api("PUT", `/v1/users/${star.username}/follow`, { headers: fan.headers });
    await api("DELETE", `/v1/users/${star.username}/follow`, { headers: fan.headers });
    await api("PUT", `/v1/users/${star.username}/follow`, { headers: fan.headers });
    expect(await followNotifications(star.id)).toEqual([{ actor_id: fan.id, type: "follow", entity_type: "user", entity_id: fan.id }]);
    const listed = await api("GET", "/v1/me/notifications", { headers: star.headers });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ type: "follow" });
    expect(await followNotifications(fan.id)).toEqual([]);
  });

  it("creates nothing for a user who turned follow notifications off", async () => {
    const [fan, quiet] = await Promise.all([signedInUser(), signedInUser()]);
    await sql.query("UPDATE user_settings SET email_on_follow = false WHERE user_id = $1", [quiet.id]);
    const inbox = await openInbox(quiet);
    expect((await api("PUT", `/v1/users/${quiet.username}/follow`, { headers: fan.headers })).status).toBe(200);
    await settle();
    expect(inbox.frames.filter((f) => f.type === "notification")).toEqual([]);
    expect(await followNotifications(quiet.id)).toEqual([]);
    inbox.close();
  });
});
