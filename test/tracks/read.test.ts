import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, imageFile, makeTrack, softDeleteUser, WAVEFORM } from "./fixtures";

const get = (id: string, headers: Record<string, string> = {}) => api("GET", `/v1/tracks/${id}`, { headers });

describe("GET /v1/tracks/:id", () => {
  it("answers a ready public track with its creator, media, measurements and counts", async () => {
    const owner = await signedInUser();
    await sql.query("UPDATE users SET display_name = 'Ada L.' WHERE id = $1", [owner.id]);
    await sql.query("UPDATE user_profiles SET avatar_url = '/v1/media/avatars/x/y.png' WHERE user_id = $1", [owner.id]);
    const cover = await imageFile(owner.id);
    const track = await makeTrack(owner.id, { coverFileId: cover.id, title: "Night Drive" });
    await sql.query("UPDATE tracks SET like_count = 3, comment_count = 2, bpm = 120, musical_key = 'Am' WHERE id = $1", [track.id]);
    const res = await get(track.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: track.id,
      creator: { id: owner.id, username: owner.username, display_name: "Ada L.", avatar_url: "/v1/media/avatars/x/y.png" },
      title: "Night Drive",
      description: null,
      artist: "The Testers",
      album: null,
      genre: null,
      bpm: 120,
      musical_key: "Am",
      visibility: "public",
      is_downloadable: false,
      cover_url: `/v1/tracks/${track.id}/cover/${cover.id}`,
      duration_ms: 200000,
      status: "ready",
      processing: { progress: 100, error: null },
      loudness: { integrated_lufs: -14.2, true_peak_dbtp: -1.05, replay_gain_db: -3.8 },
      waveform: WAVEFORM,
      counts: { plays: 0, likes: 3, comments: 2, downloads: 0 },
      stream: { master_url: `/v1/tracks/${track.id}/hls/master.m3u8`, expires_at: null },
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      published_at: expect.stringMatching(/Z$/),
    });
  });

  it("shows public and unlisted tracks to anyone, private ones to their owner only (404 to others, not 403)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const pub = await makeTrack(owner.id, { visibility: "public" });
    const unlisted = await makeTrack(owner.id, { visibility: "unlisted" });
    const priv = await makeTrack(owner.id, { visibility: "private" });
    for (const headers of [{}, other.headers, owner.headers]) {
      expect((await get(pub.id, headers)).status).toBe(200);
      expect((await get(unlisted.id, headers)).status).toBe(200);
    }
    expect((await get(priv.id)).status).toBe(404);
    const hidden = await get(priv.id, other.headers);
    expect(hidden.status).toBe(404);
    // the same answer as for an id nobody has
    const missing = await get(crypto.randomUUID(), other.headers);
    expect({ ...hidden.body, requestId: null }).toEqual({ ...missing.body, requestId: null });
    const mine = await get(priv.id, owner.headers);
    expect(mine.status).toBe(200);
    // a private track's media URLs are signed, for players that cannot send the token
    expect(mine.body.stream.master_url).toMatch(new RegExp(`^/v1/tracks/${priv.id}/hls/master\\.m3u8\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(mine.body.stream.expires_at)).toBeGreaterThan(Date.now() + 4 * 3600_000 - 5000);
  });

  it("hides deleted tracks and the tracks of deleted or banned creators from everyone", async () => {
    const owner = await signedInUser();
    const deleted = await makeTrack(owner.id, { deleted: true });
    expect((await get(deleted.id, owner.headers)).status).toBe(404);

    const banned = await signedInUser();
    const bannedTrack = await makeTrack(banned.id);
    await banUser(banned.id);
    expect((await get(bannedTrack.id)).status).toBe(404);

    const gone = await signedInUser();
    const goneTrack = await makeTrack(gone.id);
    await softDeleteUser(gone.id);
    expect((await get(goneTrack.id)).status).toBe(404);
  });

  it("answers a bad token with its error instead of anonymously: banned 403, deleted account 401, garbage 401", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await get(track.id, banned.headers)).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await get(track.id, deleted.headers)).status).toBe(401);
    expect((await get(track.id, { Authorization: "Bearer nope" })).status).toBe(401);
  });

  it("shows processing state, and the failure's reason to the owner only", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const failed = await makeTrack(owner.id, { status: "failed", error: "Unsupported WAV encoding (float 64)." });
    expect((await get(failed.id, owner.headers)).body).toMatchObject({ status: "failed", processing: { progress: 0, error: "Unsupported WAV encoding (float 64)." }, stream: null });
    expect((await get(failed.id, other.headers)).body).toMatchObject({ status: "failed", processing: { error: null } });
    const processing = await makeTrack(owner.id, { status: "processing" });
    expect((await get(processing.id)).body).toMatchObject({ status: "processing", processing: { progress: 40, error: null }, duration_ms: null, waveform: null, stream: null });
  });

  it("drops a cover whose file was deleted", async () => {
    const owner = await signedInUser();
    const cover = await imageFile(owner.id);
    const track = await makeTrack(owner.id, { coverFileId: cover.id });
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [cover.id]);
    expect((await get(track.id)).body.cover_url).toBeNull();
  });

  it("refuses a malformed id with 422", async () => {
    expect((await get("not-a-uuid")).status).toBe(422);
  });

  it("reads in one database round trip, anonymous or signed in", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "private" });
    expect((await get(track.id, owner.headers)).status).toBe(200); // warms the auth state cache
    const signedIn = await withRoundTrips(new Request(`https://veza.test/v1/tracks/${track.id}`, { headers: owner.headers }));
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.roundTrips).toBe(1);
    const anonymous = await withRoundTrips(new Request(`https://veza.test/v1/tracks/${track.id}`));
    expect(anonymous.response.status).toBe(404);
    expect(anonymous.roundTrips).toBe(1);
  });
});

describe("GET /v1/tracks/:id/status", () => {
  it("is small, uncached, and follows the same visibility", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id, { status: "failed", visibility: "unlisted", error: "corrupt" });
    const res = await api("GET", `/v1/tracks/${track.id}/status`, { headers: owner.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({ id: track.id, status: "failed", progress: 0, error: "corrupt", updated_at: expect.stringMatching(/Z$/) });
    expect((await api("GET", `/v1/tracks/${track.id}/status`, { headers: other.headers })).body.error).toBeNull();
    const priv = await makeTrack(owner.id, { status: "processing", visibility: "private" });
    expect((await api("GET", `/v1/tracks/${priv.id}/status`, { headers: other.headers })).status).toBe(404);
    expect((await api("GET", `/v1/tracks/${priv.id}/status`, { headers: owner.headers })).body).toMatchObject({ status: "processing", progress: 40 });
  });
});

describe("PATCH /v1/tracks/:id", () => {
  const patch = (id: string, body: unknown, headers: Record<string, string>) => api("PATCH", `/v1/tracks/${id}`, { body, headers });

  it("changes metadata, clears optional fields with null and leaves the rest", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { title: "Old" });
    const res = await patch(track.id, { title: "New", artist: null, genre: "ambient", bpm: 90, musical_key: "8A", is_downloadable: true }, owner.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "New", artist: null, genre: "ambient", bpm: 90, musical_key: "8A", is_downloadable: true, visibility: "public", status: "ready" });
    expect(res.body.waveform).toEqual(WAVEFORM);
    expect((await get(track.id)).body).toMatchObject({ title: "New", genre: "ambient" });
  });

  it("sets, replaces and removes the cover, which must be the owner's live image", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id);
    const cover = await imageFile(owner.id);
    expect((await patch(track.id, { cover_art_file_id: cover.id }, owner.headers)).body.cover_url).toBe(`/v1/tracks/${track.id}/cover/${cover.id}`);
    const theirs = await imageFile(other.id);
    const refused = await patch(track.id, { cover_art_file_id: theirs.id }, owner.headers);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: "json.cover_art_file_id", message: "is not one of your files" }]);
    expect((await patch(track.id, { cover_art_file_id: track.fileId }, owner.headers)).body.errors[0].message).toBe("is audio/wav, not an image");
    expect((await patch(track.id, { cover_art_file_id: null }, owner.headers)).body.cover_url).toBeNull();
  });

  it("publishes a ready track when it is made public, and signs its URLs when made private", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await get(track.id)).body.published_at).toBeNull();
    const pub = await patch(track.id, { visibility: "public" }, owner.headers);
    expect(pub.body.published_at).toMatch(/Z$/);
    const priv = await patch(track.id, { visibility: "private" }, owner.headers);
    expect(priv.body.stream.master_url).toContain("?exp=");
    expect(priv.body.published_at).toBe(pub.body.published_at);
    expect((await get(track.id)).status).toBe(404);
  });

  it("is the owner's: 403 for another's visible track, 404 for another's private one, 401 anonymous; 422 for bad input", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const pub = await makeTrack(owner.id);
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await patch(pub.id, { title: "mine now" }, other.headers)).status).toBe(403);
    expect((await patch(priv.id, { title: "mine now" }, other.headers)).status).toBe(404);
    expect((await patch(pub.id, { title: "mine now" }, {})).status).toBe(401);
    expect((await patch(crypto.randomUUID(), { title: "x" }, owner.headers)).status).toBe(404);
    expect((await patch(pub.id, {}, owner.headers)).status).toBe(422);
    expect((await patch(pub.id, { title: null }, owner.headers)).status).toBe(422);
    expect((await patch(pub.id, { bpm: 5000 }, owner.headers)).status).toBe(422);
    expect((await patch(pub.id, { status: "ready" }, owner.headers)).status).toBe(422);
    expect((await get(pub.id)).body.title).not.toBe("mine now");
  });

  it("updates in one database round trip", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    expect((await get(track.id, owner.headers)).status).toBe(200);
    const { response, roundTrips } = await withRoundTrips(
      new Request(`https://veza.test/v1/tracks/${track.id}`, { method: "PATCH", headers: { ...owner.headers, "content-type": "application/json" }, body: JSON.stringify({ title: "rt" }) }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });
});

describe("DELETE /v1/tracks/:id", () => {
  const del = (id: string, headers: Record<string, string>) => api("DELETE", `/v1/tracks/${id}`, { headers });

  it("soft-deletes the owner's track: 204, then 404 everywhere, the row kept", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    expect((await del(track.id, owner.headers)).status).toBe(204);
    expect((await get(track.id, owner.headers)).status).toBe(404);
    expect((await api("GET", `/v1/tracks/${track.id}/hls/master.m3u8`)).status).toBe(404);
    expect((await del(track.id, owner.headers)).status).toBe(404);
    expect((await one("SELECT deleted_at IS NOT NULL AS deleted FROM tracks WHERE id = $1", [track.id])).deleted).toBe(true);
  });

  it("refuses other users (403 on a visible track, 404 on a private one) and anonymous (401)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser({ role: "creator" });
    const pub = await makeTrack(owner.id);
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await del(pub.id, other.headers)).status).toBe(403);
    expect((await del(priv.id, other.headers)).status).toBe(404);
    expect((await del(pub.id, {})).status).toBe(401);
    expect((await get(pub.id)).status).toBe(200);
  });

  it("lets moderators and admins delete anyone's track, audited as a moderation action", async () => {
    const owner = await signedInUser();
    for (const role of ["moderator", "admin"] as const) {
      const staff = await signedInUser({ role });
      const track = await makeTrack(owner.id, { visibility: "private" });
      expect((await del(track.id, staff.headers)).status).toBe(204);
      const audit = await one("SELECT user_id, actor_id, severity, metadata FROM audit_logs WHERE action = 'track.delete' AND metadata->>'track_id' = $1", [track.id]);
      expect(audit).toMatchObject({ user_id: owner.id, actor_id: staff.id, severity: "warning", metadata: { track_id: track.id, role } });
    }
    const own = await makeTrack(owner.id);
    expect((await del(own.id, owner.headers)).status).toBe(204);
    expect(Number((await one("SELECT count(*) AS n FROM audit_logs WHERE action = 'track.delete' AND metadata->>'track_id' = $1", [own.id])).n)).toBe(0);
  });
});
