import { expect } from "vitest";
import { api, type SignedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";

/** Fixtures of the posts tests: posts through the API, rows (files, groups, blocks) straight in the tables. */

export const post = (user: SignedInUser, body: Record<string, unknown>) => api("POST", "/v1/posts", { body, headers: user.headers });

/** A post that must be created; resolves to its JSON. */
export async function posted(user: SignedInUser, content: string, extra: Record<string, unknown> = {}) {
  const res = await post(user, { content, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** A live file of `userId`'s with the given sniffed type; the object itself is put in R2 when `bytes` are given. */
export async function file(userId: string, mime = "image/png", options: { deleted?: boolean } = {}): Promise<string> {
  const tag = unique();
  const [row] = await sql.query(
    `INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url, deleted_at)
     VALUES ($1, $2, $2, $3, 1024, $4, $5, $6) RETURNING id`,
    [userId, `${tag}.bin`, mime, `originals/${userId}/${tag}`, `/v1/files/${tag}`, options.deleted ? new Date().toISOString() : null],
  );
  return row!.id as string;
}

/** `blocker` blocks `blocked`, straight in the table. */
export const block = (blocker: { id: string }, blocked: { id: string }) =>
  sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id]);

export const follow = (follower: { id: string }, followed: { id: string }) =>
  sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [follower.id, followed.id]);

export const ban = (user: { id: string }) => sql.query("UPDATE users SET is_banned = true WHERE id = $1", [user.id]);
export const softDelete = (user: { id: string }) => sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [user.id]);

/** A group (public unless told) created by `owner`, who is its active owner; resolves to {id, slug}. */
export async function group(owner: { id: string }, type: "public" | "private" = "public") {
  const slug = `g-${unique()}`;
  const [row] = await sql.query(`INSERT INTO groups (name, slug, group_type, creator_id) VALUES ($1, $2, $3, $4) RETURNING id`, [`Group ${slug}`, slug, type, owner.id]);
  const id = row!.id as string;
  await join({ id }, owner, "owner");
  return { id, slug };
}

export const join = (g: { id: string }, user: { id: string }, role = "member", status = "active") =>
  sql.query("INSERT INTO group_members (group_id, user_id, role, status) VALUES ($1, $2, $3, $4)", [g.id, user.id, role, status]);

/** The notifications `userId` has, newest first, straight from the table. */
export const notificationsOf = (userId: string) =>
  sql.query("SELECT type, actor_id, entity_type, entity_id, data FROM notifications WHERE user_id = $1 ORDER BY created_at DESC", [userId]);

export const setSetting = (userId: string, column: string, value: boolean) =>
  sql.query(`UPDATE user_settings SET ${column} = $2 WHERE user_id = $1`, [userId, value]);
