import { expect } from "vitest";
import { insert, insertId } from "../helpers/db";
import { api, type SignedInUser } from "../helpers/auth";

/** A post written directly, at a chosen time (so chronology is exact, not racing the clock). */
export const post = (userId: string, content: string, at: string, more: Record<string, unknown> = {}) =>
  insertId("posts", { user_id: userId, content, created_at: at, ...more });

/** A public playlist with one track, created at `at`. */
export async function playlistWithTrack(userId: string, trackId: string, at: string, visibility = "public"): Promise<string> {
  const id = await insertId("playlists", { user_id: userId, name: `Mix ${at}`, visibility, created_at: at });
  await insert("playlist_tracks", { playlist_id: id, track_id: trackId, position: 0, added_by: userId });
  return id;
}

export const follow = async (follower: SignedInUser, followee: SignedInUser) =>
  expect((await api("PUT", `/v1/users/${followee.username}/follow`, { headers: follower.headers })).status).toBe(200);

/** Every page of my feed, following next_cursor. */
export async function wholeFeed(user: SignedInUser, limit = 2): Promise<Array<{ type: string; id: string; at: string }>> {
  const items: Array<{ type: string; id: string; at: string }> = [];
  let cursor: string | null = null;
  do {
    const res = await api("GET", `/v1/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { headers: user.headers });
    expect(res.status).toBe(200);
    items.push(...(res.body.items as typeof items));
    cursor = res.body.next_cursor as string | null;
  } while (cursor);
  return items;
}

export const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
