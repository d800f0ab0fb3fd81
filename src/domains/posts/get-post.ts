import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { postJson, postVisibleTo, toPost } from "./post-view";
import type { Post } from "./schemas";

/**
 * GET /v1/posts/:id, one round trip: the post as the viewer sees it, or 404 when it is deleted,
 * hidden from them (visibility, group, block either way) or its author is gone.
 */
export async function getPost(db: Database, postId: string, viewerId: string | null): Promise<Post> {
  const { rows } = await db.execute<{ post: unknown }>(sql`
    SELECT ${postJson(viewerId)} AS post FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(viewerId)}`);
  if (!rows[0]) throw notFound("This post");
  return toPost(rows[0].post);
}
