import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { eitherBlocked, type UserRef } from "../blocks/either-blocked";
import type { Post } from "./schemas";

/**
 * How a post is seen and shaped, for every endpoint (and the feed) that answers with posts. Every
 * fragment is written over a `posts` row under an alias (default `p`) and reads everything else
 * through correlated subqueries, so it fits any FROM: the table, a keyset scan, or the RETURNING
 * of a write in the same statement (one round trip).
 *
 * Who sees a post (`postVisibleTo`): its author, always (unless the post or their account is gone);
 * anyone else when the post is live, its author is live (not deleted, not banned, and their
 * profile not private: a private profile is 404 to others, so are its posts), no block stands
 * either way between them, the post's visibility lets them (public and unlisted: anyone; private:
 * the author's followers), and for a group post the group lets them too (public group: anyone;
 * private group: its active members). A deleted group takes its posts with it.
 */

/** A viewer: a user id, an expression (SQL, e.g. a mentioned user's column), or null (anonymous). */
export type Viewer = UserRef | null;

const id = (viewer: Viewer): SQL => (viewer === null || typeof viewer === "string" ? sql`${viewer}::uuid` : viewer);

/** The author's account is live and, unless the viewer is the author, their profile is not private. */
const authorLive = (viewerId: Viewer, a: string): SQL => sql`EXISTS (
  SELECT 1 FROM users au WHERE au.id = ${sql.raw(a)}.user_id AND au.deleted_at IS NULL AND NOT au.is_banned
     AND (au.id = ${id(viewerId)} OR NOT EXISTS (SELECT 1 FROM user_profiles ap WHERE ap.user_id = au.id AND ap.profile_visibility = 'private')))`;

/** The group of a group post is live and the viewer may read it (null group: true). */
export const groupReadable = (viewerId: Viewer, a = "p"): SQL => sql`(${sql.raw(a)}.group_id IS NULL OR EXISTS (
  SELECT 1 FROM groups pg WHERE pg.id = ${sql.raw(a)}.group_id AND pg.deleted_at IS NULL
     AND (pg.group_type = 'public'
          OR EXISTS (SELECT 1 FROM group_members pgm WHERE pgm.group_id = pg.id AND pgm.user_id = ${id(viewerId)} AND pgm.status = 'active'))))`;

/** The viewer may see the post under alias `a` (see the file's comment). */
export function postVisibleTo(viewerId: Viewer, a = "p"): SQL {
  const p = sql.raw(a);
  if (!viewerId) {
    return sql`${p}.deleted_at IS NULL AND ${p}.visibility <> 'private' AND ${authorLive(null, a)} AND ${groupReadable(null, a)}`;
  }
  return sql`${p}.deleted_at IS NULL AND ${authorLive(viewerId, a)} AND ${groupReadable(viewerId, a)}
    AND (${p}.user_id = ${id(viewerId)}
         OR ((${p}.visibility <> 'private'
              OR EXISTS (SELECT 1 FROM follows pf WHERE pf.follower_id = ${id(viewerId)} AND pf.following_id = ${p}.user_id))
             AND NOT ${eitherBlocked(viewerId, sql`${p}.user_id`)}))`;
}

/**
 * Listed on public pages (explore, hashtag pages): public posts outside groups or in public groups.
 * Combine with `postVisibleTo` (blocks, live authors).
 */
export const postListed = (a = "p"): SQL => {
  const p = sql.raw(a);
  return sql`${p}.visibility = 'public' AND (${p}.group_id IS NULL OR EXISTS (SELECT 1 FROM groups lg WHERE lg.id = ${p}.group_id AND lg.group_type = 'public'))`;
};

const ts = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The path an attachment is served at (GET /v1/posts/:id/attachments/:fileId, same access as the post). */
export const attachmentPath = (postId: string, fileId: string) => `/v1/posts/${postId}/attachments/${fileId}`;

const attachment = (a: string, file: string) =>
  sql.raw(`jsonb_build_object('id', ${file}.id, 'url', '/v1/posts/' || ${a}.id || '/attachments/' || ${file}.id, 'mime_type', ${file}.mime_type)`);

/** The jsonb of the post under alias `a`, without `repost_of`. Attachments: the author's live files only. */
function postObject(viewerId: string | null, a: string): SQL {
  const p = sql.raw(a);
  return sql`jsonb_build_object(
    'id', ${p}.id,
    'author', (SELECT jsonb_build_object('id', u.id, 'username', u.username, 'display_name', u.display_name, 'avatar_url', up.avatar_url)
                 FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id WHERE u.id = ${p}.user_id),
    'content', ${p}.content,
    'visibility', ${p}.visibility,
    'attachments', jsonb_build_object(
      'images', COALESCE((SELECT jsonb_agg(${attachment(a, "fi")} ORDER BY x.n)
                            FROM unnest(${p}.image_file_ids) WITH ORDINALITY AS x(file_id, n)
                            JOIN files fi ON fi.id = x.file_id AND fi.user_id = ${p}.user_id AND fi.deleted_at IS NULL), '[]'::jsonb),
      'audio', (SELECT ${attachment(a, "fa")} FROM files fa WHERE fa.id = ${p}.audio_file_id AND fa.user_id = ${p}.user_id AND fa.deleted_at IS NULL),
      'video', (SELECT ${attachment(a, "fv")} FROM files fv WHERE fv.id = ${p}.video_file_id AND fv.user_id = ${p}.user_id AND fv.deleted_at IS NULL)),
    'hashtags', COALESCE((SELECT jsonb_agg(h.tag ORDER BY lower(h.tag)) FROM post_hashtags ph JOIN hashtags h ON h.id = ph.hashtag_id
                           WHERE ph.post_id = ${p}.id), '[]'::jsonb),
    'like_count', ${p}.like_count,
    'comment_count', ${p}.comment_count,
    'repost_count', ${p}.repost_count,
    'is_pinned', ${p}.is_pinned,
    'group', (SELECT jsonb_build_object('id', g.id, 'slug', g.slug, 'name', g.name) FROM groups g WHERE g.id = ${p}.group_id),
    'liked_by_me', ${viewerId ? sql`EXISTS (SELECT 1 FROM post_likes ml WHERE ml.post_id = ${p}.id AND ml.user_id = ${id(viewerId)})` : sql`false`},
    'reposted_by_me', ${
      viewerId
        ? sql`EXISTS (SELECT 1 FROM posts mr WHERE mr.user_id = ${id(viewerId)} AND mr.repost_of_id = ${p}.id AND mr.content = '' AND mr.deleted_at IS NULL)`
        : sql`false`
    },
    'repost_of_id', ${p}.repost_of_id,
    'created_at', ${ts(`${a}.created_at`)},
    'updated_at', ${ts(`${a}.updated_at`)})`;
}

/**
 * The post's JSON (a jsonb expression, `PostSchema`'s shape) for the `posts` row aliased `p`, as
 * `viewerId` (null: anonymous) sees it. A repost or quote embeds its original one level deep, or
 * null when the original is deleted or hidden from the viewer. It does not check that the viewer
 * may see `p` itself: put `postVisibleTo(viewerId)` in the WHERE. Parse the column with `toPost`.
 */
export function postJson(viewerId: string | null): SQL {
  return sql`(${postObject(viewerId, "p")} || jsonb_build_object('repost_of',
    (SELECT ${postObject(viewerId, "op")} FROM posts op WHERE op.id = p.repost_of_id AND ${postVisibleTo(viewerId, "op")})))`;
}

/** A `postJson` column as the driver hands it back (parsed or text), typed. */
export const toPost = (value: unknown): Post => parseJson<Post>(value)!;
