import { api, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { makeTrack } from "../tracks/fixtures";

/** Fixtures of the playlists domain's tests. */

export { banUser, imageFile, makeTrack, softDeleteUser, call } from "../tracks/fixtures";

export async function makePlaylist(owner: SignedInUser, body: Record<string, unknown> = {}): Promise<{ id: string; [k: string]: any }> {
  const res = await api("POST", "/v1/playlists", { headers: owner.headers, body: { name: `Mix ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  if (res.status !== 201) throw new Error(`create playlist: ${res.status} ${res.text}`);
  return res.body;
}

/** `n` public tracks of `creatorId`, added to the playlist in order by SQL (positions 0..n-1). */
export async function fill(playlistId: string, creatorId: string, n: number, durationMs = 100_000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await makeTrack(creatorId, { durationMs })).id);
  await sql.query(
    `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by)
     SELECT $1, t, (o - 1)::int, $3 FROM unnest($2::uuid[]) WITH ORDINALITY AS x(t, o)`,
    [playlistId, `{${ids.join(",")}}`, creatorId],
  );
  return ids;
}

/** The playlist's track ids by position, and the positions themselves. */
export async function order(playlistId: string): Promise<{ tracks: string[]; positions: number[] }> {
  const rows = await sql.query("SELECT track_id, position FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position", [playlistId]);
  return { tracks: rows.map((r) => r.track_id as string), positions: rows.map((r) => Number(r.position)) };
}

export async function counts(playlistId: string): Promise<{ track_count: number; duration_seconds: number; follower_count: number }> {
  const [row] = await sql.query("SELECT track_count, duration_seconds, follower_count FROM playlists WHERE id = $1", [playlistId]);
  return { track_count: Number(row!.track_count), duration_seconds: Number(row!.duration_seconds), follower_count: Number(row!.follower_count) };
}

/** Invites `user` with `permission` and has them accept (through the API). */
export async function addCollaborator(owner: SignedInUser, playlistId: string, user: SignedInUser, permission: "view" | "edit" | "admin") {
  const invited = await api("POST", `/v1/playlists/${playlistId}/collaborators`, { headers: owner.headers, body: { username: user.username, permission } });
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${invited.text}`);
  const accepted = await api("POST", `/v1/me/playlist-invitations/${playlistId}/accept`, { headers: user.headers });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
}
