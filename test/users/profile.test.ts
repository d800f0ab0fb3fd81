import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, insert } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeBadge, makeTrack, setProfile, softDeleteUser } from "./fixtures";

describe("GET /v1/users/:username", () => {
  it("shows a public profile to anyone, matched case-insensitively, with counters and stats", async () => {
    const owner = await createUser();
    const [fan1, fan2, idol] = [await createUser(), await createUser(), await createUser()];
    await insert("follows", { follower_id: fan1.id, following_id: owner.id });
    await insert("follows", { follower_id: fan2.id, following_id: owner.id });
    await insert("follows", { follower_id: owner.id, following_id: idol.id });
    await makeTrack(owner.id, { play_count: 100, like_count: 7 });
    await makeTrack(owner.id, { play_count: 23, like_count: 2 });
    await makeTrack(owner.id, { play_count: 5000, like_count: 900, visibility: "private" });
    await makeTrack(owner.id, { play_count: 9000, like_count: 900, deleted: true });
    await insert("playlists", { user_id: owner.id, name: "Mix" });
    await insert("user_roles", { user_id: owner.id, role: "educator", verified: true, verified_at: "2026-02-03T04:05:06.000Z" });
    await insert("user_roles", { user_id: owner.id, role: "label", verified: false });
    await setProfile(owner.id, "bio = $2, location = $3, website_url = $4, birthdate = '1990-01-01', gender = 'x'", ["Bio", "Paris", "https://o.example.com"]);

    const res = await api("GET", `/v1/users/${owner.username.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: owner.id,
      username: owner.username,
      bio: "Bio",
      location: "Paris",
      website_url: "https://o.example.com",
      profile_visibility: "public",
      verified_roles: [{ role: "educator", verified_at: "2026-02-03T04:05:06.000Z" }],
      // §5.1 counters, kept by triggers: three live tracks (the private one included), one playlist
      counts: { followers: 2, following: 1, tracks: 3, playlists: 1 },
      // plays and likes of public, live tracks only
      stats: { total_plays: 123, total_likes: 9, public_tracks: 2 },
      badges: [],
    });
    expect(res.body.stats.last_track_published_at).toMatch(/Z$/);
    for (const hidden of ["email", "first_name", "last_name", "birthdate", "gender", "settings", "consents", "role"]) {
      expect(res.body).not.toHaveProperty(hidden);
    }
  });

  it("costs one database round trip, anonymous or signed in", async () => {
    const owner = await createUser();
    const anonymous = await withRoundTrips(new Request(`https://veza.test/v1/users/${owner.username}`));
    expect(anonymous.response.status).toBe(200);
    expect(anonymous.roundTrips).toBe(1);
    const viewer = await signedInUser();
    await api("GET", "/v1/me", { headers: viewer.headers }); // warms the auth state cache
    const signedIn = await withRoundTrips(new Request(`https://veza.test/v1/users/${owner.username}`, { headers: viewer.headers }));
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.roundTrips).toBe(1);
  });

  it("shows only displayed badges, in the user's order", async () => {
    const owner = await createUser();
    const [a, b, c, retired] = [await makeBadge(), await makeBadge({ category: "genre" }), await makeBadge(), await makeBadge({ is_active: false })];
    await insert("user_badges", { user_id: owner.id, badge_id: a.id, display_order: 1 });
    await insert("user_badges", { user_id: owner.id, badge_id: b.id, display_order: 0 });
    await insert("user_badges", { user_id: owner.id, badge_id: c.id, display_order: 2, is_displayed: false });
    await insert("user_badges", { user_id: owner.id, badge_id: retired.id, display_order: 3 });
    const res = await api("GET", `/v1/users/${owner.username}`);
    expect(res.body.badges.map((x: { id: string }) => x.id)).toEqual([b.id, a.id]);
    expect(res.body.badges[0]).toEqual({ id: b.id, slug: b.slug, name: b.name, category: "genre", description: `A badge for ${b.slug.slice(6)}`, icon_url: null, color: "#12AB9f" });
  });

  it("hides a private profile from everyone but its owner, with the same 404 as a missing name", async () => {
    const owner = await signedInUser();
    await setProfile(owner.id, "profile_visibility = 'private'");
    const stranger = await signedInUser();
    const anonymous = await api("GET", `/v1/users/${owner.username}`);
    const other = await api("GET", `/v1/users/${owner.username}`, { headers: stranger.headers });
    const missing = await api("GET", "/v1/users/nobody_has_this_name");
    expect([anonymous.status, other.status, missing.status]).toEqual([404, 404, 404]);
    expect(anonymous.body.detail).toBe(missing.body.detail);
    const own = await api("GET", `/v1/users/${owner.username}`, { headers: owner.headers });
    expect(own.status).toBe(200);
    expect(own.body.profile_visibility).toBe("private");
  });

  it("shows an unlisted profile to whoever has its address", async () => {
    const owner = await createUser();
    await setProfile(owner.id, "profile_visibility = 'unlisted'");
    const res = await api("GET", `/v1/users/${owner.username}`);
    expect(res.status).toBe(200);
    expect(res.body.profile_visibility).toBe("unlisted");
  });

  it("shows the email only with show_email and the location only with show_location", async () => {
    const owner = await createUser();
    await setProfile(owner.id, "location = 'Berlin'");
    const hidden = await api("GET", `/v1/users/${owner.username}`);
    expect(hidden.body).not.toHaveProperty("email");
    expect(hidden.text).not.toContain(owner.email);
    expect(hidden.body.location).toBe("Berlin");

    await setProfile(owner.id, "show_email = true, show_location = false");
    const shown = await api("GET", `/v1/users/${owner.username}`);
    expect(shown.body.email).toBe(owner.email);
    expect(shown.body).not.toHaveProperty("location");
    expect(shown.text).not.toContain("Berlin");
  });

  it("does not find banned or deleted accounts", async () => {
    const banned = await createUser();
    await banUser(banned.id);
    const deleted = await createUser();
    await softDeleteUser(deleted.id);
    expect((await api("GET", `/v1/users/${banned.username}`)).status).toBe(404);
    expect((await api("GET", `/v1/users/${deleted.username}`)).status).toBe(404);
  });

  it("refuses a name that cannot be a username (422)", async () => {
    const res = await api("GET", "/v1/users/a%20b");
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("param.username");
  });
});
