import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { preciseIso } from "../tracks/track-view";
import { postJson, postListed, postVisibleTo, toPost } from "./post-view";
import type { Post } from "./schemas";

type Query = { limit: number; cursor?: string };
type Page = { items: Post[]; next_cursor: string | null };
type PageRow = { found: boolean; pinned: boolean | null; id: string | null; cursor_at: string | null; post: unknown };

const after = (query: Query) => (query.cursor ? decodeCursor(query.cursor) : null);
const keyset = (query: Query, at: string, id: string) => {
  const a = after(query);
  return a ? sql`AND (${sql.raw(at)}, ${sql.raw(id)}) < (${a[0]}::timestamptz, ${a[1]}::uuid)` : sql``;
};

/**
 * One page: `scope` is a CTE body whose single row says the list exists (404 otherwise: e.g. the
 * profile or group is not visible); `page` selects (pinned, id, cursor_at, post) rows over `scope`
 * as `s`, LIMIT query.limit + 1. The LEFT JOIN keeps one row for a found but empty list, so 404
 * and an empty page are told apart in the one statement.
 */
async function pageOf(db: Database, what: string, scope: SQL, page: SQL, query: Query): Promise<Page> {
  const { rows } = await db.execute<PageRow>(sql`
    WITH scope AS (${scope})
    SELECT true AS found, x.* FROM scope s LEFT JOIN LATERAL (${page}) x ON true
     ORDER BY x.pinned DESC, x.cursor_at DESC, x.id DESC`);
  if (rows.length === 0) throw notFound(what);
  const found = rows.filter((r) => r.id !== null);
  const pinned = found.filter((r) => r.pinned);
  const rest = found.filter((r) => !r.pinned);
  const items = rest.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: [...pinned, ...items].map((r) => toPost(r.post)),
    next_cursor: rest.length > query.limit && last ? encodeCursor(last.cursor_at!, last.id!) : null,
  };
}

/** The columns of a page row for the post aliased `p`. */
const columns = (viewerId: string | null, pinned: SQL = sql`false`) =>
  sql`${pinned} AS pinned, p.id, ${preciseIso("p.created_at")} AS cursor_at, ${postJson(viewerId)} AS post`;

/** A plain repost (no content of its own) is not listed on explore: it would show the same post twice. */
const notPlainRepost = sql`NOT (p.repost_of_id IS NOT NULL AND p.content = '')`;

/**
 * GET /v1/users/:username/posts: the profile's posts the viewer may see (reposts included), its
 * pinned post first (on the first page only, on top of `limit`), then the others newest first,
 * keyset over idx_posts_user_id_created_at. The profile is found by the profile's rule (banned,
 * deleted and others' private profiles are 404) and is 404 across a block either way too.
 */
export async function listUserPosts(db: Database, username: string, viewerId: string | null, query: Query): Promise<Page> {
  const scope = sql`
    SELECT u.id FROM users u
     WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned
       AND (u.id = ${viewerId}::uuid OR NOT EXISTS (SELECT 1 FROM user_profiles up WHERE up.user_id = u.id AND up.profile_visibility = 'private'))
       AND NOT ${blockHides(viewerId, sql`u.id`)}`;
  const pinnedPart = query.cursor
    ? sql``
    : sql`(SELECT ${columns(viewerId, sql`true`)} FROM posts p
            WHERE p.user_id = s.id AND p.is_pinned AND ${postVisibleTo(viewerId)}) UNION ALL`;
  const page = sql`${pinnedPart}
    (SELECT ${columns(viewerId)} FROM posts p
      WHERE p.user_id = s.id AND NOT p.is_pinned AND ${postVisibleTo(viewerId)} ${keyset(query, "p.created_at", "p.id")}
      ORDER BY p.created_at DESC, p.id DESC LIMIT ${query.limit + 1})`;
  return pageOf(db, "This profile", scope, page, query);
}

/**
 * GET /v1/explore: recent public posts, strictly newest first (no ranking: spec §17), keyset over
 * idx_posts_created_at_desc. Public posts only (private and unlisted ones never; group posts of
 * public groups), plain reposts left out, blocks either way and gone authors hidden.
 */
export async function listExplore(db: Database, viewerId: string | null, query: Query): Promise<Page> {
  const page = sql`
    SELECT ${columns(viewerId)} FROM posts p
     WHERE p.deleted_at IS NULL AND ${postListed()} AND ${notPlainRepost} AND ${postVisibleTo(viewerId)} ${keyset(query, "p.created_at", "p.id")}
     ORDER BY p.created_at DESC, p.id DESC LIMIT ${query.limit + 1}`;
  return pageOf(db, "This list", sql`SELECT 1`, page, query);
}

/**
 * GET /v1/hashtags/:tag/posts: the public posts carrying the tag (matched case-insensitively over
 * idx_hashtags_tag), newest tagging first, keyset over idx_post_hashtags_hashtag_id_created_at
 * (a link is made when the post is written, or when an edit adds the tag). 404 for a tag never used.
 */
export async function listHashtagPosts(db: Database, tag: string, viewerId: string | null, query: Query): Promise<Page> {
  const a = after(query);
  const scope = sql`SELECT h.id FROM hashtags h WHERE lower(h.tag) = lower(${tag})`;
  const page = sql`
    SELECT false AS pinned, ph.id, ${preciseIso("ph.created_at")} AS cursor_at, ${postJson(viewerId)} AS post
      FROM post_hashtags ph JOIN posts p ON p.id = ph.post_id
     WHERE ph.hashtag_id = s.id AND ${postListed()} AND ${postVisibleTo(viewerId)}
       ${a ? sql`AND (ph.created_at, ph.id) < (${a[0]}::timestamptz, ${a[1]}::uuid)` : sql``}
     ORDER BY ph.created_at DESC, ph.id DESC LIMIT ${query.limit + 1}`;
  return pageOf(db, "This hashtag", scope, page, query);
}

/**
 * GET /v1/groups/:slug/posts: a group's posts, newest first, keyset over
 * idx_posts_group_id_created_at. The group must be live and readable (public, or you are an active
 * member): 404 otherwise. Posts of authors blocked either way, or gone, are left out.
 */
export async function listGroupPosts(db: Database, slug: string, viewerId: string | null, query: Query): Promise<Page> {
  const scope = sql`
    SELECT g.id FROM groups g
     WHERE g.slug = ${slug} AND g.deleted_at IS NULL
       AND (g.group_type = 'public'
            OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.user_id = ${viewerId}::uuid AND gm.status = 'active'))`;
  const page = sql`
    SELECT ${columns(viewerId)} FROM posts p
     WHERE p.group_id = s.id AND ${postVisibleTo(viewerId)} ${keyset(query, "p.created_at", "p.id")}
     ORDER BY p.created_at DESC, p.id DESC LIMIT ${query.limit + 1}`;
  return pageOf(db, "This group", scope, page, query);
}
