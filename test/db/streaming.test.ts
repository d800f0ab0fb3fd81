// Constraints and triggers of migrations/0004_streaming.sql: every CHECK/UNIQUE/FK rejects what it
// should, every counter follows inserts, soft deletes and hard deletes, positions stay 0..n-1.
import { describe, it, expect, beforeAll } from "vitest";
import { sql, expectPgError, createUser, createFile, insert, firstRow, type Row } from "../helpers/db";

type User = { id: string; email: string; username: string };

async function newTrack(creatorId: string, cols: Record<string, unknown> = {}): Promise<string> {
  const file = await createFile(creatorId);
  const row = await insert("tracks", { creator_id: creatorId, file_id: file.id, title: "Test track", ...cols });
  return row.id as string;
}

async function newPlaylist(userId: string, cols: Record<string, unknown> = {}): Promise<string> {
  const row = await insert("playlists", { user_id: userId, name: "Test playlist", ...cols });
  return row.id as string;
}

const profile = (userId: string) => firstRow("SELECT track_count, playlist_count FROM user_profiles WHERE user_id = $1", [userId]);
const playlistCounts = (id: string) =>
  firstRow("SELECT track_count, duration_seconds, follower_count FROM playlists WHERE id = $1", [id]);
const trackCounts = (id: string) => firstRow("SELECT play_count, like_count, comment_count FROM tracks WHERE id = $1", [id]);
const positions = async (table: "playlist_tracks" | "queue_items", parentCol: string, parentId: string) =>
  (await sql.query(`SELECT track_id, position FROM ${table} WHERE ${parentCol} = $1 ORDER BY position`, [parentId]))
    .map((r) => [r.track_id, r.position]);

const unknownId = () => crypto.randomUUID();

interface Ctx {
  user: User; // owns track, otherTrack, playlist (track at 0), comment, queue (track at 0)
  other: User; // already collaborator, follower, liker of the above
  third: User; // no rows at all
  track: string;
  otherTrack: string;
  playlist: string;
  comment: string;
  queue: string;
}

describe("streaming schema (0004_streaming)", () => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.user = await createUser();
    ctx.other = await createUser();
    ctx.third = await createUser();
    ctx.track = await newTrack(ctx.user.id);
    ctx.otherTrack = await newTrack(ctx.user.id);
    ctx.playlist = await newPlaylist(ctx.user.id);
    await insert("playlist_tracks", { playlist_id: ctx.playlist, track_id: ctx.track, position: 0, added_by: ctx.user.id });
    await insert("playlist_collaborators", { playlist_id: ctx.playlist, user_id: ctx.other.id, invited_by: ctx.user.id });
    await insert("playlist_follows", { playlist_id: ctx.playlist, user_id: ctx.other.id });
    await insert("track_likes", { user_id: ctx.other.id, track_id: ctx.track });
    ctx.comment = (await insert("track_comments", { track_id: ctx.track, user_id: ctx.user.id, content: "first" })).id as string;
    ctx.queue = (await insert("queues", { user_id: ctx.user.id, current_track_id: ctx.track })).id as string;
    await insert("queue_items", { queue_id: ctx.queue, track_id: ctx.track, position: 0 });
  });

  type Rejection = { name: string; run: (c: Ctx) => Promise<unknown>; code: string; constraint?: string };
  const track = (c: Ctx, cols: Record<string, unknown>) => newTrack(c.user.id, cols);
  const play = (c: Ctx, cols: Record<string, unknown>) =>
    insert("playback_history", { user_id: c.user.id, track_id: c.track, played_duration: 10, completion_percentage: 5, ...cols });
  const collaborator = (c: Ctx, cols: Record<string, unknown>) =>
    insert("playlist_collaborators", { playlist_id: c.playlist, user_id: c.third.id, ...cols });
  const comment = (c: Ctx, cols: Record<string, unknown>) =>
    insert("track_comments", { track_id: c.track, user_id: c.other.id, content: "hello", ...cols });
  const queue = (c: Ctx, cols: Record<string, unknown>) => insert("queues", { user_id: c.third.id, ...cols });

  const rejections: Rejection[] = [
    // tracks
    { name: "rejects a track duration of 0", run: (c) => track(c, { duration: 0 }), code: "23514", constraint: "chk_tracks_duration_positive" },
    { name: "rejects a negative duration_ms", run: (c) => track(c, { duration_ms: -1 }), code: "23514", constraint: "chk_tracks_duration_ms_positive" },
    { name: "rejects a bpm of 19", run: (c) => track(c, { bpm: 19 }), code: "23514", constraint: "chk_tracks_bpm_range" },
    { name: "rejects a bpm of 1000", run: (c) => track(c, { bpm: 1000 }), code: "23514", constraint: "chk_tracks_bpm_range" },
    { name: "rejects an unknown track status", run: (c) => track(c, { status: "done" }), code: "23514", constraint: "chk_tracks_status" },
    { name: "rejects a processing progress of 101", run: (c) => track(c, { processing_progress: 101 }), code: "23514", constraint: "chk_tracks_processing_progress_range" },
    { name: "rejects a negative processing progress", run: (c) => track(c, { processing_progress: -1 }), code: "23514", constraint: "chk_tracks_processing_progress_range" },
    { name: "rejects a ready track without HLS renditions", run: (c) => track(c, { status: "ready", duration: 60 }), code: "23514", constraint: "chk_tracks_ready_has_media" },
    { name: "rejects a ready track without a duration", run: (c) => track(c, { status: "ready", hls_path: "tracks/x" }), code: "23514", constraint: "chk_tracks_ready_has_media" },
    { name: "rejects a failed track that does not say why", run: (c) => track(c, { status: "failed" }), code: "23514", constraint: "chk_tracks_failed_has_error" },
    { name: "rejects a negative like_count", run: (c) => track(c, { like_count: -1 }), code: "23514", constraint: "chk_tracks_counts_non_negative" },
    { name: "rejects an unknown track visibility", run: (c) => track(c, { visibility: "secret" }), code: "22P02" },
    { name: "rejects a track without a title", run: (c) => track(c, { title: null }), code: "23502" },
    { name: "rejects a track by an unknown creator", run: (c) => track(c, { creator_id: unknownId() }), code: "23503", constraint: "fk_tracks_users" },
    { name: "rejects a track of an unknown file", run: (c) => track(c, { file_id: unknownId() }), code: "23503", constraint: "fk_tracks_files" },
    { name: "rejects an unknown cover art file", run: (c) => track(c, { cover_art_file_id: unknownId() }), code: "23503", constraint: "fk_tracks_cover_art_file" },
    { name: "refuses to delete the file a track is made of", run: (c) => sql.query("DELETE FROM files WHERE id = (SELECT file_id FROM tracks WHERE id = $1)", [c.track]), code: "23503", constraint: "fk_tracks_files" },
    // playlists
    { name: "rejects a negative playlist track_count", run: (c) => newPlaylist(c.user.id, { track_count: -1 }), code: "23514", constraint: "chk_playlists_counts_non_negative" },
    { name: "rejects a playlist of an unknown user", run: () => newPlaylist(unknownId()), code: "23503", constraint: "fk_playlists_users" },
    // playlist_collaborators
    { name: "rejects inviting the same collaborator twice", run: (c) => collaborator(c, { user_id: c.other.id }), code: "23505", constraint: "uq_playlist_collaborators_playlist_user" },
    { name: "rejects an unknown collaborator permission", run: (c) => collaborator(c, { permission: "owner" }), code: "23514", constraint: "chk_playlist_collaborators_permission" },
    { name: "rejects an unknown collaborator status", run: (c) => collaborator(c, { status: "maybe" }), code: "23514", constraint: "chk_playlist_collaborators_status" },
    { name: "rejects an accepted invitation without accepted_at", run: (c) => collaborator(c, { status: "accepted" }), code: "23514", constraint: "chk_playlist_collaborators_accepted_at" },
    { name: "rejects an invitation expiring before it was sent", run: (c) => collaborator(c, { invited_at: "2030-01-02T00:00:00Z", expires_at: "2030-01-01T00:00:00Z" }), code: "23514", constraint: "chk_playlist_collaborators_expires_after_invite" },
    { name: "rejects a collaborator on an unknown playlist", run: (c) => collaborator(c, { playlist_id: unknownId() }), code: "23503", constraint: "fk_playlist_collaborators_playlists" },
    { name: "rejects an unknown collaborator", run: (c) => collaborator(c, { user_id: unknownId() }), code: "23503", constraint: "fk_playlist_collaborators_users" },
    { name: "rejects an invitation by an unknown user", run: (c) => collaborator(c, { invited_by: unknownId() }), code: "23503", constraint: "fk_playlist_collaborators_invited_by" },
    // playlist_follows
    { name: "rejects following a playlist twice", run: (c) => insert("playlist_follows", { playlist_id: c.playlist, user_id: c.other.id }), code: "23505", constraint: "uq_playlist_follows_playlist_user" },
    { name: "rejects following an unknown playlist", run: (c) => insert("playlist_follows", { playlist_id: unknownId(), user_id: c.third.id }), code: "23503", constraint: "fk_playlist_follows_playlists" },
    { name: "rejects a playlist follow by an unknown user", run: (c) => insert("playlist_follows", { playlist_id: c.playlist, user_id: unknownId() }), code: "23503", constraint: "fk_playlist_follows_users" },
    // playlist_tracks
    { name: "rejects the same track twice in a playlist", run: (c) => insert("playlist_tracks", { playlist_id: c.playlist, track_id: c.track, position: 5 }), code: "23505", constraint: "uq_playlist_tracks_playlist_track" },
    { name: "rejects two playlist tracks at the same position", run: (c) => insert("playlist_tracks", { playlist_id: c.playlist, track_id: c.otherTrack, position: 0 }), code: "23505", constraint: "uq_playlist_tracks_playlist_position" },
    { name: "rejects a negative playlist position", run: (c) => insert("playlist_tracks", { playlist_id: c.playlist, track_id: c.otherTrack, position: -1 }), code: "23514", constraint: "chk_playlist_tracks_position_non_negative" },
    { name: "rejects a track in an unknown playlist", run: (c) => insert("playlist_tracks", { playlist_id: unknownId(), track_id: c.track, position: 0 }), code: "23503", constraint: "fk_playlist_tracks_playlists" },
    { name: "rejects an unknown track in a playlist", run: (c) => insert("playlist_tracks", { playlist_id: c.playlist, track_id: unknownId(), position: 1 }), code: "23503", constraint: "fk_playlist_tracks_tracks" },
    { name: "rejects a playlist track added by an unknown user", run: (c) => insert("playlist_tracks", { playlist_id: c.playlist, track_id: c.otherTrack, position: 1, added_by: unknownId() }), code: "23503", constraint: "fk_playlist_tracks_added_by" },
    // playback_history
    { name: "rejects a negative played duration", run: (c) => play(c, { played_duration: -1 }), code: "23514", constraint: "chk_playback_history_played_duration_non_negative" },
    { name: "rejects a completion of 101%", run: (c) => play(c, { completion_percentage: 101 }), code: "23514", constraint: "chk_playback_history_completion" },
    { name: "rejects a negative completion", run: (c) => play(c, { completion_percentage: -1 }), code: "23514", constraint: "chk_playback_history_completion" },
    { name: "rejects an unknown playback source", run: (c) => play(c, { source: "radio" }), code: "23514", constraint: "chk_playback_history_source" },
    { name: "rejects an unknown device type", run: (c) => play(c, { device_type: "fridge" }), code: "23514", constraint: "chk_playback_history_device_type" },
    { name: "rejects a play by an unknown user", run: (c) => play(c, { user_id: unknownId() }), code: "23503", constraint: "fk_playback_history_users" },
    { name: "rejects a play of an unknown track", run: (c) => play(c, { track_id: unknownId() }), code: "23503", constraint: "fk_playback_history_tracks" },
    {
      name: "rejects the spec's anonymisation to a random user id (anonymise to NULL instead)",
      run: async (c) => {
        const row = await play(c, {});
        return sql.query("UPDATE playback_history SET user_id = gen_random_uuid() WHERE id = $1", [row.id]);
      },
      code: "23503",
      constraint: "fk_playback_history_users",
    },
    // track_likes
    { name: "rejects liking a track twice", run: (c) => insert("track_likes", { user_id: c.other.id, track_id: c.track }), code: "23505", constraint: "uq_track_likes_user_track" },
    { name: "rejects liking an unknown track", run: (c) => insert("track_likes", { user_id: c.third.id, track_id: unknownId() }), code: "23503", constraint: "fk_track_likes_tracks" },
    { name: "rejects a like by an unknown user", run: (c) => insert("track_likes", { user_id: unknownId(), track_id: c.track }), code: "23503", constraint: "fk_track_likes_users" },
    // track_comments
    { name: "rejects an empty comment", run: (c) => comment(c, { content: "" }), code: "23514", constraint: "chk_track_comments_content_length" },
    { name: "rejects a comment of 5001 characters", run: (c) => comment(c, { content: "x".repeat(5001) }), code: "23514", constraint: "chk_track_comments_content_length" },
    { name: "rejects a negative comment timestamp", run: (c) => comment(c, { timestamp_seconds: -1 }), code: "23514", constraint: "chk_track_comments_timestamp_seconds_non_negative" },
    { name: "rejects a reply to a comment on another track", run: (c) => comment(c, { track_id: c.otherTrack, parent_comment_id: c.comment }), code: "23503", constraint: "fk_track_comments_parent" },
    { name: "rejects a comment that is its own parent", run: (c) => { const id = unknownId(); return comment(c, { id, parent_comment_id: id }); }, code: "23514", constraint: "chk_track_comments_not_own_parent" },
    { name: "rejects a comment on an unknown track", run: (c) => comment(c, { track_id: unknownId() }), code: "23503", constraint: "fk_track_comments_tracks" },
    { name: "rejects a comment by an unknown user", run: (c) => comment(c, { user_id: unknownId() }), code: "23503", constraint: "fk_track_comments_users" },
    // queues
    { name: "rejects a second queue for the same user", run: (c) => insert("queues", { user_id: c.user.id }), code: "23505", constraint: "idx_queues_user_id" },
    { name: "rejects an unknown repeat mode", run: (c) => queue(c, { repeat_mode: "all" }), code: "23514", constraint: "chk_queues_repeat_mode" },
    { name: "rejects a volume of 101", run: (c) => queue(c, { volume: 101 }), code: "23514", constraint: "chk_queues_volume_range" },
    { name: "rejects a negative volume", run: (c) => queue(c, { volume: -1 }), code: "23514", constraint: "chk_queues_volume_range" },
    { name: "rejects a negative playback position", run: (c) => queue(c, { current_position: -1 }), code: "23514", constraint: "chk_queues_current_position_non_negative" },
    { name: "rejects a negative queue version", run: (c) => queue(c, { version: -1 }), code: "23514", constraint: "chk_queues_version_non_negative" },
    { name: "rejects a queue of an unknown user", run: () => insert("queues", { user_id: unknownId() }), code: "23503", constraint: "fk_queues_users" },
    { name: "rejects an unknown current track", run: (c) => queue(c, { current_track_id: unknownId() }), code: "23503", constraint: "fk_queues_tracks" },
    // queue_items
    { name: "rejects two queue items at the same position", run: (c) => insert("queue_items", { queue_id: c.queue, track_id: c.otherTrack, position: 0 }), code: "23505", constraint: "uq_queue_items_queue_position" },
    { name: "rejects a negative queue position", run: (c) => insert("queue_items", { queue_id: c.queue, track_id: c.otherTrack, position: -1 }), code: "23514", constraint: "chk_queue_items_position_non_negative" },
    { name: "rejects an item in an unknown queue", run: (c) => insert("queue_items", { queue_id: unknownId(), track_id: c.track, position: 0 }), code: "23503", constraint: "fk_queue_items_queues" },
    { name: "rejects an unknown track in a queue", run: (c) => insert("queue_items", { queue_id: c.queue, track_id: unknownId(), position: 1 }), code: "23503", constraint: "fk_queue_items_tracks" },
  ];

  it.each(rejections)("$name", async ({ run, code, constraint }) => {
    await expectPgError(run(ctx), code, constraint);
  });

  it("accepts a ready track with its duration and renditions, and a failed one that says why", async () => {
    const ready = await newTrack(ctx.user.id, { status: "ready", duration: 61, duration_ms: 60_500, hls_path: "tracks/abc", processing_progress: 100, bpm: 20, integrated_lufs: "-14.20" });
    const failed = await newTrack(ctx.user.id, { status: "failed", processing_error: "unsupported codec" });
    const rows = await sql.query("SELECT status, integrated_lufs FROM tracks WHERE id IN ($1, $2) ORDER BY status", [failed, ready]);
    expect(rows).toEqual([{ status: "failed", integrated_lufs: null }, { status: "ready", integrated_lufs: "-14.20" }]);
  });

  it("creates a track as pending with no duration yet", async () => {
    const id = await newTrack(ctx.user.id);
    expect(await firstRow("SELECT status, processing_progress, duration FROM tracks WHERE id = $1", [id]))
      .toEqual({ status: "pending", processing_progress: 0, duration: null });
  });

  it("counts a creator's live tracks in user_profiles.track_count", async () => {
    const u = await createUser();
    const a = await newTrack(u.id);
    await newTrack(u.id);
    expect((await profile(u.id)).track_count).toBe(2);
    await sql.query("UPDATE tracks SET deleted_at = NOW() WHERE id = $1", [a]);
    expect((await profile(u.id)).track_count).toBe(1);
    await sql.query("UPDATE tracks SET deleted_at = NOW() WHERE id = $1", [a]); // already deleted: no change
    expect((await profile(u.id)).track_count).toBe(1);
    await sql.query("UPDATE tracks SET deleted_at = NULL WHERE id = $1", [a]);
    expect((await profile(u.id)).track_count).toBe(2);
    await sql.query("DELETE FROM tracks WHERE id = $1", [a]);
    expect((await profile(u.id)).track_count).toBe(1);
  });

  it("does not count a soft-deleted track again when it is hard-deleted", async () => {
    const u = await createUser();
    const a = await newTrack(u.id);
    await sql.query("UPDATE tracks SET deleted_at = NOW() WHERE id = $1", [a]);
    await sql.query("DELETE FROM tracks WHERE id = $1", [a]);
    expect((await profile(u.id)).track_count).toBe(0);
  });

  it("counts a user's live playlists in user_profiles.playlist_count", async () => {
    const u = await createUser();
    const p = await newPlaylist(u.id);
    await newPlaylist(u.id);
    expect((await profile(u.id)).playlist_count).toBe(2);
    await sql.query("UPDATE playlists SET deleted_at = NOW() WHERE id = $1", [p]);
    expect((await profile(u.id)).playlist_count).toBe(1);
    await sql.query("UPDATE playlists SET deleted_at = NULL WHERE id = $1", [p]);
    expect((await profile(u.id)).playlist_count).toBe(2);
    await sql.query("DELETE FROM playlists WHERE id = $1", [p]);
    expect((await profile(u.id)).playlist_count).toBe(1);
  });

  it("counts a playlist's followers", async () => {
    const p = await newPlaylist(ctx.user.id);
    const a = await createUser();
    const b = await createUser();
    await insert("playlist_follows", { playlist_id: p, user_id: a.id });
    await insert("playlist_follows", { playlist_id: p, user_id: b.id });
    expect((await playlistCounts(p)).follower_count).toBe(2);
    await sql.query("DELETE FROM playlist_follows WHERE playlist_id = $1 AND user_id = $2", [p, a.id]);
    expect((await playlistCounts(p)).follower_count).toBe(1);
    await sql.query("DELETE FROM users WHERE id = $1", [b.id]);
    expect((await playlistCounts(p)).follower_count).toBe(0);
  });

  it("keeps a playlist's track_count and duration_seconds as tracks are added, measured and removed", async () => {
    const p = await newPlaylist(ctx.user.id);
    const measured = await newTrack(ctx.user.id, { duration: 100 });
    const unmeasured = await newTrack(ctx.user.id);
    await insert("playlist_tracks", { playlist_id: p, track_id: measured, position: 0 });
    await insert("playlist_tracks", { playlist_id: p, track_id: unmeasured, position: 1 });
    expect(await playlistCounts(p)).toMatchObject({ track_count: 2, duration_seconds: 100 });
    await sql.query("UPDATE tracks SET duration = 50 WHERE id = $1", [unmeasured]);
    expect(await playlistCounts(p)).toMatchObject({ track_count: 2, duration_seconds: 150 });
    await sql.query("UPDATE tracks SET duration = 40 WHERE id = $1", [unmeasured]);
    expect(await playlistCounts(p)).toMatchObject({ track_count: 2, duration_seconds: 140 });
    await sql.query("DELETE FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2", [p, measured]);
    expect(await playlistCounts(p)).toMatchObject({ track_count: 1, duration_seconds: 40 });
    await sql.query("DELETE FROM tracks WHERE id = $1", [unmeasured]); // cascades out of the playlist
    expect(await playlistCounts(p)).toMatchObject({ track_count: 0, duration_seconds: 0 });
  });

  it("closes the gap when a track leaves a playlist, keeping the order", async () => {
    const p = await newPlaylist(ctx.user.id);
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => newTrack(ctx.user.id)));
    await sql.query(
      "INSERT INTO playlist_tracks (playlist_id, track_id, position) VALUES ($1, $2, 0), ($1, $3, 1), ($1, $4, 2), ($1, $5, 3)",
      [p, a, b, c, d],
    );
    await sql.query("DELETE FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2", [p, b]);
    expect(await positions("playlist_tracks", "playlist_id", p)).toEqual([[a, 0], [c, 1], [d, 2]]);
    await sql.query("DELETE FROM tracks WHERE id = $1", [a]); // a cascaded delete closes its gap too
    expect(await positions("playlist_tracks", "playlist_id", p)).toEqual([[c, 0], [d, 1]]);
  });

  it("reorders a playlist in one statement that passes through duplicate positions", async () => {
    const p = await newPlaylist(ctx.user.id);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => newTrack(ctx.user.id)));
    await sql.query(
      "INSERT INTO playlist_tracks (playlist_id, track_id, position) VALUES ($1, $2, 0), ($1, $3, 1), ($1, $4, 2)",
      [p, a, b, c],
    );
    // move c to the top: everything before it shifts down by one
    await sql.query(
      "UPDATE playlist_tracks SET position = CASE WHEN track_id = $2 THEN 0 ELSE position + 1 END WHERE playlist_id = $1",
      [p, c],
    );
    expect(await positions("playlist_tracks", "playlist_id", p)).toEqual([[c, 0], [a, 1], [b, 2]]);
  });

  it("keeps a playlist track when the collaborator who added it is deleted", async () => {
    const adder = await createUser();
    const p = await newPlaylist(ctx.user.id);
    const t = await newTrack(ctx.user.id);
    await insert("playlist_tracks", { playlist_id: p, track_id: t, position: 0, added_by: adder.id });
    await sql.query("DELETE FROM users WHERE id = $1", [adder.id]);
    expect(await firstRow("SELECT added_by FROM playlist_tracks WHERE playlist_id = $1", [p])).toEqual({ added_by: null });
  });

  it("counts likes on tracks.like_count", async () => {
    const t = await newTrack(ctx.user.id);
    const a = await createUser();
    await insert("track_likes", { user_id: a.id, track_id: t });
    await insert("track_likes", { user_id: ctx.other.id, track_id: t });
    expect((await trackCounts(t)).like_count).toBe(2);
    await sql.query("DELETE FROM track_likes WHERE user_id = $1 AND track_id = $2", [a.id, t]);
    expect((await trackCounts(t)).like_count).toBe(1);
    await sql.query("DELETE FROM track_likes WHERE track_id = $1", [t]);
    expect((await trackCounts(t)).like_count).toBe(0);
  });

  it("counts live comments on tracks.comment_count through soft and hard deletes", async () => {
    const t = await newTrack(ctx.user.id);
    const parent = (await insert("track_comments", { track_id: t, user_id: ctx.other.id, content: "parent", timestamp_seconds: 12 })).id;
    await insert("track_comments", { track_id: t, user_id: ctx.user.id, content: "reply", parent_comment_id: parent });
    expect((await trackCounts(t)).comment_count).toBe(2);
    await sql.query("UPDATE track_comments SET is_deleted = true WHERE id = $1", [parent]);
    expect((await trackCounts(t)).comment_count).toBe(1);
    await sql.query("UPDATE track_comments SET deleted_at = NOW() WHERE id = $1", [parent]); // both markers: still one decrement
    expect((await trackCounts(t)).comment_count).toBe(1);
    await sql.query("UPDATE track_comments SET is_deleted = false, deleted_at = NULL WHERE id = $1", [parent]);
    expect((await trackCounts(t)).comment_count).toBe(2);
    await sql.query("DELETE FROM track_comments WHERE id = $1", [parent]); // the reply goes with it
    expect((await trackCounts(t)).comment_count).toBe(0);
  });

  it("counts plays of 30 s or more on tracks.play_count (0015_media) and never un-counts them", async () => {
    const t = await newTrack(ctx.user.id);
    const listener = await createUser();
    await insert("playback_history", { user_id: listener.id, track_id: t, played_duration: 30, completion_percentage: 100, source: "search", device_type: "web" });
    await insert("playback_history", { user_id: ctx.user.id, track_id: t, played_duration: 45, completion_percentage: 60 });
    await insert("playback_history", { user_id: ctx.user.id, track_id: t, played_duration: 29, completion_percentage: 10 }); // history, not a play
    expect((await trackCounts(t)).play_count).toBe(2);
    await sql.query("DELETE FROM users WHERE id = $1", [listener.id]); // their history goes, the play stays counted
    expect(await firstRow("SELECT count(*)::int AS n FROM playback_history WHERE track_id = $1", [t])).toEqual({ n: 2 });
    expect((await trackCounts(t)).play_count).toBe(2);
  });

  it("anonymises a play by setting user, source and device to NULL", async () => {
    const row = await insert("playback_history", {
      user_id: ctx.user.id, track_id: ctx.track, played_duration: 5, completion_percentage: 2,
      source: "playlist", source_id: ctx.playlist, device_type: "mobile",
    });
    await sql.query(
      "UPDATE playback_history SET user_id = NULL, device_type = NULL, source = NULL, source_id = NULL WHERE id = $1",
      [row.id],
    );
    expect(await firstRow("SELECT user_id, source, source_id, device_type, track_id FROM playback_history WHERE id = $1", [row.id]))
      .toEqual({ user_id: null, source: null, source_id: null, device_type: null, track_id: ctx.track });
  });

  it("stores a play outside the pre-created months in the default partition", async () => {
    const row = await insert("playback_history", {
      user_id: ctx.user.id, track_id: ctx.track, played_duration: 5, completion_percentage: 2, played_at: "2001-01-01T12:00:00Z",
    });
    expect(await firstRow("SELECT tableoid::regclass::text AS part FROM playback_history WHERE id = $1", [row.id]))
      .toEqual({ part: "playback_history_default" });
  });

  it("rejects a queue update made from a stale version", async () => {
    const u = await createUser();
    const q = (await insert("queues", { user_id: u.id })).id;
    const first = await sql.query("UPDATE queues SET volume = 50, version = version + 1 WHERE id = $1 AND version = 0 RETURNING version", [q]);
    expect(first).toEqual([{ version: 1 }]);
    const stale = await sql.query("UPDATE queues SET volume = 40, version = version + 1 WHERE id = $1 AND version = 0 RETURNING version", [q]);
    expect(stale).toEqual([]);
  });

  it("closes the gap in a queue when a queued track is deleted, and clears the current track", async () => {
    const u = await createUser();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => newTrack(ctx.user.id)));
    const q = (await insert("queues", { user_id: u.id, current_track_id: a })).id as string;
    await sql.query(
      "INSERT INTO queue_items (queue_id, track_id, position) VALUES ($1, $2, 0), ($1, $3, 1), ($1, $4, 2), ($1, $2, 3)",
      [q, a, b, c],
    );
    await sql.query("UPDATE queue_items SET position = 3 - position WHERE queue_id = $1", [q]); // reverse in one statement
    expect(await positions("queue_items", "queue_id", q)).toEqual([[a, 0], [c, 1], [b, 2], [a, 3]]);
    await sql.query("DELETE FROM tracks WHERE id = $1", [a]);
    expect(await positions("queue_items", "queue_id", q)).toEqual([[c, 0], [b, 1]]);
    expect(await firstRow("SELECT current_track_id FROM queues WHERE id = $1", [q])).toEqual({ current_track_id: null });
  });

  const longAgo = "2000-01-01T00:00:00Z";
  const updatable: { table: string; create: (c: Ctx) => Promise<Row> }[] = [
    { table: "tracks", create: async (c) => ({ id: await newTrack(c.user.id, { updated_at: longAgo }) }) },
    { table: "playlists", create: async (c) => ({ id: await newPlaylist(c.user.id, { updated_at: longAgo }) }) },
    { table: "playlist_collaborators", create: async (c) => insert("playlist_collaborators", { playlist_id: await newPlaylist(c.user.id), user_id: c.other.id, updated_at: longAgo }) },
    { table: "playlist_follows", create: async (c) => insert("playlist_follows", { playlist_id: await newPlaylist(c.user.id), user_id: c.other.id, updated_at: longAgo }) },
    { table: "playlist_tracks", create: async (c) => insert("playlist_tracks", { playlist_id: await newPlaylist(c.user.id), track_id: c.track, position: 0, updated_at: longAgo }) },
    { table: "track_likes", create: async (c) => insert("track_likes", { user_id: (await createUser()).id, track_id: c.track, updated_at: longAgo }) },
    { table: "track_comments", create: (c) => insert("track_comments", { track_id: c.track, user_id: c.other.id, content: "x", updated_at: longAgo }) },
    { table: "queues", create: async () => insert("queues", { user_id: (await createUser()).id, updated_at: longAgo }) },
    { table: "queue_items", create: (c) => insert("queue_items", { queue_id: c.queue, track_id: c.otherTrack, position: 1, updated_at: longAgo }) },
  ];

  it.each(updatable)("moves $table.updated_at on UPDATE", async ({ table, create }) => {
    const row = await create(ctx);
    const [updated] = await sql.query(`UPDATE ${table} SET updated_at = updated_at WHERE id = $1 RETURNING updated_at`, [row.id]);
    expect(updated!.updated_at).toBeInstanceOf(Date);
    expect((updated!.updated_at as Date).getTime()).toBeGreaterThan(new Date(longAgo).getTime());
  });
});
