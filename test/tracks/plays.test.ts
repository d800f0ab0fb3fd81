import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeTrack } from "./fixtures";

const play = (id: string, body: unknown, headers: Record<string, string> = {}) => api("POST", `/v1/tracks/${id}/plays`, { body, headers });
const playCount = async (id: string) => Number((await one("SELECT play_count FROM tracks WHERE id = $1", [id])).play_count);
const history = (id: string) =>
  sql.query("SELECT user_id, played_duration, completion_percentage, source, source_id, device_type FROM playback_history WHERE track_id = $1 ORDER BY played_at", [id]);

describe("POST /v1/tracks/:id/plays", () => {
  it("records a play of 30 s or more in the history and bumps play_count, with the completion computed from the duration", async () => {
    const owner = await signedInUser();
    const listener = await signedInUser();
    const track = await makeTrack(owner.id, { durationMs: 200_000 });
    const playlist = crypto.randomUUID();
    const res = await play(track.id, { played_duration: 150, source: "playlist", source_id: playlist, device_type: "mobile" }, listener.headers);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ counted: true, completion_percentage: 75, play_count: 1 });
    expect(await history(track.id)).toEqual([
      { user_id: listener.id, played_duration: 150, completion_percentage: 75, source: "playlist", source_id: playlist, device_type: "mobile" },
    ]);
    expect(await playCount(track.id)).toBe(1);
    expect((await api("GET", `/v1/tracks/${track.id}`)).body.counts.plays).toBe(1);
    const exactly = await play(track.id, { played_duration: 30 }, listener.headers);
    expect(exactly.body).toEqual({ counted: true, completion_percentage: 15, play_count: 2 });
  });

  it("records a play under 30 s in the history without counting it", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { durationMs: 100_000 });
    const res = await play(track.id, { played_duration: 29 }, owner.headers);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ counted: false, completion_percentage: 29, play_count: 0 });
    expect(await history(track.id)).toEqual([
      { user_id: owner.id, played_duration: 29, completion_percentage: 29, source: null, source_id: null, device_type: null },
    ]);
    expect(await playCount(track.id)).toBe(0);
  });

  it("records anonymous plays without a user, and clamps the completion to 100", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { durationMs: 60_000 });
    const res = await play(track.id, { played_duration: 500, device_type: "web" });
    expect(res.status).toBe(201);
    expect(res.body.completion_percentage).toBe(100);
    expect(await history(track.id)).toEqual([
      { user_id: null, played_duration: 500, completion_percentage: 100, source: null, source_id: null, device_type: "web" },
    ]);
  });

  it("counts only visible, ready tracks: private ones for their owner, 409 while processing, 404 when deleted", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await play(priv.id, { played_duration: 60 })).status).toBe(404);
    expect((await play(priv.id, { played_duration: 60 }, other.headers)).status).toBe(404);
    expect((await play(priv.id, { played_duration: 60 }, owner.headers)).status).toBe(201);
    const unlisted = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await play(unlisted.id, { played_duration: 60 })).status).toBe(201);
    const pending = await makeTrack(owner.id, { status: "processing" });
    expect((await play(pending.id, { played_duration: 60 })).status).toBe(409);
    const deleted = await makeTrack(owner.id, { deleted: true });
    expect((await play(deleted.id, { played_duration: 60 })).status).toBe(404);
    expect(await playCount(pending.id)).toBe(0);
    expect(await playCount(deleted.id)).toBe(0);
  });

  it("validates the body (422) and answers a banned listener's token with 403", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    for (const body of [
      {},
      { played_duration: -1 },
      { played_duration: 12.5 },
      { played_duration: 86_401 },
      { played_duration: 40, source: "radio" },
      { played_duration: 40, device_type: "fridge" },
      { played_duration: 40, source_id: "x" },
      { played_duration: 40, user_id: owner.id },
    ]) {
      expect((await play(track.id, body)).status, JSON.stringify(body)).toBe(422);
    }
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await play(track.id, { played_duration: 40 }, banned.headers)).status).toBe(403);
    expect(await playCount(track.id)).toBe(0);
  });

  it("records and counts in one database round trip", async () => {
    const owner = await signedInUser();
    const listener = await signedInUser();
    const track = await makeTrack(owner.id);
    expect((await api("GET", "/v1/me", { headers: listener.headers })).status).toBe(200); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(
      new Request(`https://veza.test/v1/tracks/${track.id}/plays`, {
        method: "POST",
        headers: { ...listener.headers, "content-type": "application/json" },
        body: JSON.stringify({ played_duration: 45 }),
      }),
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
    expect(await playCount(track.id)).toBe(1);
  });
});
