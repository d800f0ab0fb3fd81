import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden } from "../../lib/errors";
import { notifiedJson, notifyInsert, type PushedNotification, toNotifications } from "../notifications/notify";
import { hashtagCtes, writtenHashtags } from "./post-hashtags";
import { hashtagsOf, mentionsOf, textArray } from "./post-text";
import { postJson, postVisibleTo, toPost } from "./post-view";
import type { CreatePostInput, Post } from "./schemas";

type CreatedRow = {
  post: unknown;
  images_ok: boolean;
  audio_ok: boolean;
  video_ok: boolean;
  group_ok: boolean;
  original_found: boolean;
  original_private: boolean;
  original_plain: boolean;
  notifications: unknown;
};

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

/** A live file of the author's whose sniffed type starts with `kind/`. */
const ownFile = (userId: string, kind: string) =>
  sql`f.user_id = ${userId}::uuid AND f.deleted_at IS NULL AND f.mime_type LIKE ${`${kind}/%`}`;

/**
 * POST /v1/posts, one statement (one round trip; two with an uncached auth state): checks the
 * attachments (the author's own live files of the right kind), the group (active membership of a
 * live group) and the quoted post (one the author may see; another's private post cannot be
 * reposted), inserts the post only if all hold, links its hashtags (post-hashtags.ts) and notifies
 * the users it @mentions who may see it (mention; notify.ts drops the unwilling and the blocked).
 * The refusal is derived from what the statement saw.
 */
export async function createPost(db: Database, userId: string, input: CreatePostInput): Promise<{ post: Post; notifications: PushedNotification[] }> {
  const content = input.content ?? "";
  const images = input.image_file_ids ?? [];
  const audio = input.audio_file_id ?? null;
  const video = input.video_file_id ?? null;
  const group = input.group_id ?? null;
  const original = input.repost_of_id ?? null;
  const mentions = mentionsOf(content);
  const { rows } = await db.execute<CreatedRow>(sql`
    WITH checks AS (
      SELECT (SELECT count(*) FROM files f WHERE f.id = ANY(${textArray(images)}::uuid[]) AND ${ownFile(userId, "image")}) = ${images.length} AS images_ok,
             (${audio}::uuid IS NULL OR EXISTS (SELECT 1 FROM files f WHERE f.id = ${audio}::uuid AND ${ownFile(userId, "audio")})) AS audio_ok,
             (${video}::uuid IS NULL OR EXISTS (SELECT 1 FROM files f WHERE f.id = ${video}::uuid AND ${ownFile(userId, "video")})) AS video_ok,
             (${group}::uuid IS NULL OR EXISTS (
               SELECT 1 FROM groups g JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = ${userId}::uuid AND gm.status = 'active'
                WHERE g.id = ${group}::uuid AND g.deleted_at IS NULL)) AS group_ok,
             (${original}::uuid IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = ${original}::uuid AND ${postVisibleTo(userId)})) AS original_found,
             EXISTS (SELECT 1 FROM posts p WHERE p.id = ${original}::uuid AND p.repost_of_id IS NOT NULL AND p.content = '') AS original_plain,
             EXISTS (SELECT 1 FROM posts p WHERE p.id = ${original}::uuid AND p.visibility = 'private' AND p.user_id <> ${userId}::uuid) AS original_private
    ), post AS (
      INSERT INTO posts (user_id, group_id, content, image_file_ids, audio_file_id, video_file_id, repost_of_id, visibility)
      SELECT ${userId}::uuid, ${group}::uuid, ${content}, ${images.length ? textArray(images) : null}::uuid[], ${audio}::uuid, ${video}::uuid,
             ${original}::uuid, ${input.visibility ?? "public"}::visibility
        FROM checks WHERE images_ok AND audio_ok AND video_ok AND group_ok AND original_found AND NOT original_plain AND NOT original_private
      RETURNING *
    )${hashtagCtes("post", hashtagsOf(content), false)}, notified AS (${notifyInsert({
      from: sql`post i JOIN users mu ON lower(mu.username) = ANY(${textArray(mentions)}::text[])`,
      recipient: sql`mu.id`,
      actor: userId,
      type: "mention",
      entity: { type: "post", id: sql`i.id` },
      body: sql`left(i.content, 280)`,
      data: sql`jsonb_build_object('post_id', i.id)`,
      where: postVisibleTo(sql`mu.id`, "i"),
    })})
    SELECT c.*, (SELECT ${postJson(userId)} || ${writtenHashtags} FROM post p) AS post, ${notifiedJson("notified")} AS notifications
      FROM checks c`);
  const row = rows[0]!;
  if (row.post) return { post: toPost(row.post), notifications: toNotifications(row.notifications) };
  if (!row.images_ok) throw invalid("image_file_ids", "must all be your own live image files");
  if (!row.audio_ok) throw invalid("audio_file_id", "must be one of your live audio files");
  if (!row.video_ok) throw invalid("video_file_id", "must be one of your live video files");
  if (!row.group_ok) throw invalid("group_id", "is not a group you are an active member of");
  if (!row.original_found) throw invalid("repost_of_id", "is not a post you may see");
  if (row.original_plain) throw invalid("repost_of_id", "is a plain repost: quote its original");
  throw forbidden("Private posts cannot be reposted by others.");
}
