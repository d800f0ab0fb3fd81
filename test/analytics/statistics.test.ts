import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeTrack, runCron, softDeleteUser } from "./fixtures";

/** A user with a public and a private track (played), a playlist and a follower, after the daily refresh. */
async function userWithStatistics() {
  const user = await signedInUser();
  const fan = await createUser();
  const shown = await makeTrack(user.id);
  const hidden = await makeTrack(user.id, { visibility: "private" });
  await sql.query("UPDATE tracks SET play_count = 7, like_count = 2 WHERE id = $1", [shown]);
  await sql.query("UPDATE tracks SET play_count = 5, like_count = 1 WHERE id = $1", [hidden]);
  await sql.query("INSERT INTO playlists (user_id, name) VALUES ($1, 'Mix')", [user.id]);
  await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [fan.id, user.id]);
  await runCron("30 3 * * *", new Date());
  return user;
}

const statistics = (username: string, headers: Record<string, string> = {}) => api("GET", `/v1/users/${username}/statistics`, { headers });

describe("GET /v1/users/:username/statistics", () => {
  it("shows the daily snapshot to anyone, and the totals over private tracks to the owner only", async () => {
    const user = await userWithStatistics();
    const anonymous = await statistics(user.username.toUpperCase());
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({
      user_id: user.id,
      username: user.username,
      track_count: 2,
      playlist_count: 1,
      follower_count: 1,
      following_count: 0,
      total_plays: null,
      total_likes: null,
    });
    expect(anonymous.body.last_track_uploaded).toMatch(/^\d{4}-\d\d-\d\dT/);
    const own = await statistics(user.username, user.headers);
    expect(own.body).toMatchObject({ total_plays: 12, total_likes: 3 });
    const other = await signedInUser();
    expect((await statistics(user.username, other.headers)).body.total_plays).toBeNull();
  });

  it("follows the profile's rules: private profiles for their owner only, banned, deleted and unknown users 404", async () => {
    const user = await userWithStatistics();
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [user.id]);
    expect((await statistics(user.username)).status).toBe(404);
    expect((await statistics(user.username, (await signedInUser()).headers)).status).toBe(404);
    expect((await statistics(user.username, user.headers)).status).toBe(200);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'unlisted' WHERE user_id = $1", [user.id]);
    expect((await statistics(user.username)).status).toBe(200);

    const banned = await userWithStatistics();
    await banUser(banned.id);
    expect((await statistics(banned.username)).status).toBe(404);
    const deleted = await userWithStatistics();
    await softDeleteUser(deleted.id);
    expect((await statistics(deleted.username)).status).toBe(404);
    expect((await statistics("nobody_has_this_name")).status).toBe(404);
    expect((await statistics("no")).status).toBe(422);
  });

  it("shows zeros for a user created since the last refresh, in one round trip", async () => {
    const fresh = await createUser();
    const res = await statistics(fresh.username);
    expect(res.body).toMatchObject({ track_count: 0, follower_count: 0, last_track_uploaded: null });
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/users/${fresh.username}/statistics`));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });
});
