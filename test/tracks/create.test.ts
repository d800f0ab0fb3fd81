import { describe, expect, it } from "vitest";
import { MEDIA_PROCESS } from "../../src/domains/media/messages";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, capturingQueue, failingQueue, imageFile, makeFile, makeTrack } from "./fixtures";

const post = (body: unknown, headers: Record<string, string>, queue = capturingQueue().queue) =>
  api("POST", "/v1/tracks", { body, headers, bindings: { MEDIA_QUEUE: queue } });

describe("POST /v1/tracks", () => {
  it("creates a pending track and its conversion together, queues the processing run and answers the track", async () => {
    const me = await signedInUser();
    const file = await makeFile(me.id, { mime: "audio/flac" });
    const cover = await imageFile(me.id);
    const { queue, sent } = capturingQueue();
    const res = await post(
      {
        file_id: file.id,
        title: "  Night Drive  ",
        description: "Line one\nline two",
        artist: "Ada",
        album: "Roads",
        genre: "synthwave",
        bpm: 118,
        musical_key: "F#m",
        visibility: "unlisted",
        is_downloadable: true,
        cover_art_file_id: cover.id,
      },
      me.headers,
      queue,
    );
    expect(res.status).toBe(201);
    const track = res.body;
    expect(track).toMatchObject({
      creator: { id: me.id, username: me.username, display_name: null, avatar_url: null },
      title: "Night Drive",
      description: "Line one\nline two",
      artist: "Ada",
      album: "Roads",
      genre: "synthwave",
      bpm: 118,
      musical_key: "F#m",
      visibility: "unlisted",
      is_downloadable: true,
      cover_url: `/v1/tracks/${track.id}/cover/${cover.id}`,
      duration_ms: null,
      status: "pending",
      processing: { progress: 0, error: null },
      loudness: { integrated_lufs: null, true_peak_dbtp: null, replay_gain_db: null },
      waveform: null,
      counts: { plays: 0, likes: 0, comments: 0, downloads: 0 },
      stream: null,
      published_at: null,
    });
    expect(track.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const conversion = await one("SELECT id, source_file_id, target_format, target_quality, status FROM file_conversions WHERE source_file_id = $1", [file.id]);
    expect(conversion).toMatchObject({ source_file_id: file.id, target_format: "hls", target_quality: "mp3 64k/128k/256k", status: "pending" });
    const row = await one("SELECT creator_id, file_id, status, cover_art_file_id FROM tracks WHERE id = $1", [track.id]);
    expect(row).toEqual({ creator_id: me.id, file_id: file.id, status: "pending", cover_art_file_id: cover.id });
    expect(sent).toEqual([{ type: MEDIA_PROCESS, trackId: track.id, conversionId: conversion.id }]);
  });

  it("defaults to public, not downloadable, no cover; takes WAV and MP3 too", async () => {
    const me = await signedInUser();
    for (const mime of ["audio/wav", "audio/mpeg"]) {
      const file = await makeFile(me.id, { mime });
      const res = await post({ file_id: file.id, title: "Take" }, me.headers);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ visibility: "public", is_downloadable: false, cover_url: null, bpm: null, musical_key: null });
    }
  });

  it("validates the fields as the schema's CHECKs and lengths do (422 with paths, never a 500)", async () => {
    const me = await signedInUser();
    const file = await makeFile(me.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "json.title"],
      [{ title: "   " }, "json.title"],
      [{ title: "x".repeat(256) }, "json.title"],
      [{ title: "bad\u0007bell" }, "json.title"],
      [{ bpm: 19 }, "json.bpm"],
      [{ bpm: 1000 }, "json.bpm"],
      [{ bpm: 120.5 }, "json.bpm"],
      [{ musical_key: "H" }, "json.musical_key"],
      [{ musical_key: "C# major minor" }, "json.musical_key"],
      [{ musical_key: "13A" }, "json.musical_key"],
      [{ genre: "g".repeat(101) }, "json.genre"],
      [{ artist: "a".repeat(256) }, "json.artist"],
      [{ description: "d".repeat(5001) }, "json.description"],
      [{ visibility: "secret" }, "json.visibility"],
      [{ is_downloadable: "yes" }, "json.is_downloadable"],
      [{ cover_art_file_id: "not-a-uuid" }, "json.cover_art_file_id"],
      [{ file_id: "nope" }, "json.file_id"],
      [{ owner: "someone" }, "json"],
    ];
    for (const [patch, path] of cases) {
      const res = await post({ file_id: file.id, title: "ok", ...patch }, me.headers);
      expect(res.status, JSON.stringify(patch)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(patch)).toContain(path);
    }
    expect((await post({ file_id: file.id }, me.headers)).status).toBe(422);
    for (const key of ["C", "F#m", "Bb", "Ebmaj", "A minor", "G# major", "8A", "12B", "Dbmin"]) {
      expect((await post({ file_id: (await makeFile(me.id)).id, title: "k", musical_key: key, bpm: 20 }, me.headers)).status, key).toBe(201);
    }
    expect(Number((await one("SELECT count(*) AS n FROM tracks WHERE file_id = $1", [file.id])).n)).toBe(0);
  });

  it("refuses a file that is not the caller's own live audio file", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const cases: [string, string][] = [
      [(await makeFile(other.id)).id, "is not one of your files"],
      [(await makeFile(me.id, { deleted: true })).id, "is not one of your files"],
      [crypto.randomUUID(), "is not one of your files"],
      [(await imageFile(me.id)).id, "is image/png, not audio"],
      [(await makeFile(me.id, { mime: "application/octet-stream" })).id, "not audio"],
    ];
    for (const [fileId, message] of cases) {
      const res = await post({ file_id: fileId, title: "t" }, me.headers);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: "json.file_id", message: expect.stringContaining(message) }]);
    }
  });

  it("refuses a cover that is not the caller's own live image", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const cases: [string, string][] = [
      [(await imageFile(other.id)).id, "is not one of your files"],
      [(await makeFile(me.id, { mime: "image/png", deleted: true })).id, "is not one of your files"],
      [(await makeFile(me.id)).id, "is audio/wav, not an image"],
    ];
    for (const [coverId, message] of cases) {
      const file = await makeFile(me.id);
      const res = await post({ file_id: file.id, title: "t", cover_art_file_id: coverId }, me.headers);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: "json.cover_art_file_id", message: expect.stringContaining(message) }]);
      expect(Number((await one("SELECT count(*) AS n FROM file_conversions WHERE source_file_id = $1", [file.id])).n)).toBe(0);
    }
  });

  it("refuses a second live track on the same file (a retried POST) with 409, and allows it once the first is deleted", async () => {
    const me = await signedInUser();
    const file = await makeFile(me.id);
    const { queue, sent } = capturingQueue();
    const first = await post({ file_id: file.id, title: "t" }, me.headers, queue);
    expect(first.status).toBe(201);
    const again = await post({ file_id: file.id, title: "t" }, me.headers, queue);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(first.body.id);
    expect(sent).toHaveLength(1);
    expect((await api("DELETE", `/v1/tracks/${first.body.id}`, { headers: me.headers })).status).toBe(204);
    expect((await post({ file_id: file.id, title: "t" }, me.headers, queue)).status).toBe(201);
  });

  it("needs a signed-in, non-banned user", async () => {
    const me = await signedInUser();
    const file = await makeFile(me.id);
    expect((await post({ file_id: file.id, title: "t" }, {})).status).toBe(401);
    await banUser(me.id);
    expect((await post({ file_id: file.id, title: "t" }, me.headers)).status).toBe(403);
  });

  it("answers 503 naming the saved track when the queue is down; the track stays pending and reprocess queues it", async () => {
    const me = await signedInUser();
    const file = await makeFile(me.id);
    const res = await post({ file_id: file.id, title: "t" }, me.headers, failingQueue);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    const trackId = /^\/v1\/tracks\/([0-9a-f-]{36})$/.exec(res.headers.get("location") ?? "")?.[1];
    expect(trackId).toBeDefined();
    expect(res.body.detail).toContain(`POST /v1/tracks/${trackId}/reprocess`);
    expect(await one("SELECT status FROM tracks WHERE id = $1", [trackId])).toEqual({ status: "pending" });
    expect(await one("SELECT status, error_message FROM file_conversions WHERE source_file_id = $1", [file.id])).toEqual({
      status: "failed",
      error_message: "The processing job could not be queued.",
    });

    const { queue, sent } = capturingQueue();
    const again = await api("POST", `/v1/tracks/${trackId}/reprocess`, { headers: me.headers, bindings: { MEDIA_QUEUE: queue } });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: trackId, status: "pending" });
    const latest = await one("SELECT id, status FROM file_conversions WHERE source_file_id = $1 ORDER BY created_at DESC LIMIT 1", [file.id]);
    expect(latest.status).toBe("pending");
    expect(sent).toEqual([{ type: MEDIA_PROCESS, trackId, conversionId: latest.id }]);
  });

  it("creates in one database round trip", async () => {
    const me = await signedInUser();
    expect((await api("GET", "/v1/me", { headers: me.headers })).status).toBe(200); // warms the auth state cache
    const file = await makeFile(me.id);
    const { queue, sent } = capturingQueue();
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/tracks", { method: "POST", headers: { ...me.headers, "content-type": "application/json" }, body: JSON.stringify({ file_id: file.id, title: "rt" }) }),
      { MEDIA_QUEUE: queue },
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
    expect(sent).toHaveLength(1);
  });
});

describe("POST /v1/tracks/:id/reprocess", () => {
  const reprocess = (id: string, headers: Record<string, string>, queue = capturingQueue().queue) =>
    api("POST", `/v1/tracks/${id}/reprocess`, { headers, bindings: { MEDIA_QUEUE: queue } });

  it("reprocesses a failed track: superseded runs are closed, a new one is queued, the track is pending again", async () => {
    const me = await signedInUser();
    const track = await makeTrack(me.id, { status: "failed", error: "Processing failed after 5 attempts." });
    const old = await one("INSERT INTO file_conversions (source_file_id, target_format, status) VALUES ($1, 'hls', 'processing') RETURNING id", [track.fileId]);
    const { queue, sent } = capturingQueue();
    const res = await reprocess(track.id, me.headers, queue);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "pending", processing: { progress: 0, error: null } });
    expect(await one("SELECT status, error_message FROM file_conversions WHERE id = $1", [old.id])).toEqual({ status: "failed", error_message: "Superseded by a new processing run." });
    const latest = await one("SELECT id FROM file_conversions WHERE source_file_id = $1 AND status = 'pending'", [track.fileId]);
    expect(sent).toEqual([{ type: MEDIA_PROCESS, trackId: track.id, conversionId: latest.id }]);
  });

  it("reprocesses a stuck track, not one making progress, nor a ready one (409)", async () => {
    const me = await signedInUser();
    const busy = await makeTrack(me.id, { status: "processing" });
    expect((await reprocess(busy.id, me.headers)).status).toBe(409);
    const ready = await makeTrack(me.id);
    const res = await reprocess(ready.id, me.headers);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("ready");
    const stuck = await makeTrack(me.id, { status: "processing" });
    await sql.query("ALTER TABLE tracks DISABLE TRIGGER trg_tracks_updated_at");
    try {
      await sql.query("UPDATE tracks SET updated_at = now() - interval '16 minutes' WHERE id = $1", [stuck.id]);
    } finally {
      await sql.query("ALTER TABLE tracks ENABLE TRIGGER trg_tracks_updated_at");
    }
    expect((await reprocess(stuck.id, me.headers)).status).toBe(202);
  });

  it("is the owner's: 403 on another's visible track, 404 on another's private one, 401 anonymous", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const visible = await makeTrack(owner.id, { status: "failed" });
    const hidden = await makeTrack(owner.id, { status: "failed", visibility: "private" });
    expect((await reprocess(visible.id, other.headers)).status).toBe(403);
    expect((await reprocess(hidden.id, other.headers)).status).toBe(404);
    expect((await reprocess(visible.id, {})).status).toBe(401);
    expect(await one("SELECT status FROM tracks WHERE id = $1", [visible.id])).toEqual({ status: "failed" });
  });
});
