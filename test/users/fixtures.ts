import { env } from "cloudflare:workers";
import { createDb } from "../../src/db/client";
import { loadAuthState } from "../../src/lib/auth/state";
import { insert, sql, uniq } from "../helpers/db";

/** Fixtures of the users domain's tests. */

export async function makeBadge(overrides: { category?: string; is_active?: boolean; name?: string } = {}) {
  const tag = uniq();
  return (await insert("badges", {
    name: overrides.name ?? `Badge ${tag}`,
    slug: `badge-${tag}`,
    category: overrides.category ?? "instrument",
    description: `A badge for ${tag}`,
    color: "#12AB9f",
    is_active: overrides.is_active ?? true,
  })) as { id: string; slug: string; name: string; category: string };
}

export const banUser = (id: string) => sql.query("UPDATE users SET is_banned = true WHERE id = $1", [id]);
export const softDeleteUser = (id: string) => sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [id]);
export const setProfile = (id: string, set: string, params: unknown[] = []) =>
  sql.query(`UPDATE user_profiles SET ${set} WHERE user_id = $1`, [id, ...params]);

/** The auth state a request of this user would see now (the edge cache first, then the database). */
export const authStateOf = (id: string) => loadAuthState(createDb(env), id);

/** A public, non-deleted track of `creatorId` with these counters. */
export async function makeTrack(creatorId: string, values: { play_count?: number; like_count?: number; visibility?: string; deleted?: boolean } = {}) {
  const file = await insert("files", {
    user_id: creatorId,
    filename: `${uniq()}.wav`,
    original_filename: "take.wav",
    mime_type: "audio/wav",
    file_size: 1024,
    storage_path: `originals/${creatorId}/${uniq()}.wav`,
    url: `/v1/files/${uniq()}`,
  });
  return insert("tracks", {
    creator_id: creatorId,
    file_id: file.id,
    title: `Track ${uniq()}`,
    visibility: values.visibility ?? "public",
    play_count: values.play_count ?? 0,
    like_count: values.like_count ?? 0,
    ...(values.deleted ? { deleted_at: new Date().toISOString() } : {}),
  });
}
