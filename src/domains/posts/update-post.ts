import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { hashtagCtes, writtenHashtags } from "./post-hashtags";
import { hashtagsOf } from "./post-text";
import { postJson, postVisibleTo, toPost } from "./post-view";
import type { Post, UpdatePostInput } from "./schemas";

type UpdatedRow = { found: boolean; mine: boolean; plain_repost: boolean; post: unknown };

/**
 * PATCH /v1/posts/:id, one statement: the author changes the content (its hashtags are read again:
 * links to dropped tags are removed, new ones added, so usage counts follow) and/or the
 * visibility. A post you cannot see is 404; someone else's is 403. Only a quote may have empty
 * content; a plain repost has nothing to edit (delete it instead).
 */
export async function updatePost(db: Database, postId: string, userId: string, input: UpdatePostInput): Promise<Post> {
  const content = input.content ?? null;
  const { rows } = await db.execute<UpdatedRow>(sql`
    WITH target AS (
      SELECT p.id, p.user_id, (p.repost_of_id IS NOT NULL AND p.content = '') AS plain_repost, p.repost_of_id
        FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), post AS (
      UPDATE posts p SET content = COALESCE(${content}::text, p.content), visibility = COALESCE(${input.visibility ?? null}::visibility, p.visibility)
        FROM target t
       WHERE p.id = t.id AND t.user_id = ${userId}::uuid AND NOT t.plain_repost
         AND (t.repost_of_id IS NOT NULL OR COALESCE(${content}::text, p.content) <> '')
      RETURNING p.*
    )${content !== null ? hashtagCtes("post", hashtagsOf(content), true) : sql``}
    SELECT EXISTS (SELECT 1 FROM target) AS found,
           EXISTS (SELECT 1 FROM target WHERE user_id = ${userId}::uuid) AS mine,
           EXISTS (SELECT 1 FROM target WHERE plain_repost) AS plain_repost,
           (SELECT ${postJson(userId)} ${content !== null ? sql`|| ${writtenHashtags}` : sql``} FROM post p) AS post`);
  const row = rows[0]!;
  if (row.post) return toPost(row.post);
  if (!row.found) throw notFound("This post");
  if (!row.mine) throw forbidden("Only its author may edit a post.");
  if (row.plain_repost) throw forbidden("A plain repost has nothing to edit; delete it instead.");
  throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.content", message: "must not be empty (only a quote may be)" }] });
}
