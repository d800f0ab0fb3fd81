import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { liveGroupSql } from "./access";

/**
 * A group's avatar and banner: image files of whoever sets them (the owner or an admin), checked
 * inside the write's statement; avatar_url and banner_url follow the file ids
 * (trg_groups_image_urls, migrations/0020_groups.sql).
 */

export type ImageKind = "avatar" | "banner";
export const IMAGE_KINDS = ["avatar", "banner"] as const;
export type ImageInput = { avatar_file_id?: string | null; banner_file_id?: string | null };

const column = (kind: ImageKind) => `${kind}_file_id` as const;

/** The mime type of `fileId` when it is one of `userId`'s live files (NULL otherwise), as an SQL expression. */
const mimeOf = (userId: string, fileId: string | null | undefined): SQL =>
  sql`(SELECT f.mime_type FROM files f WHERE f.id = ${fileId ?? null}::uuid AND f.user_id = ${userId} AND f.deleted_at IS NULL)`;

/** Columns `avatar_mime`, `banner_mime` for the statement's SELECT list, to explain a refusal. */
export const imageMimeColumns = (userId: string, input: ImageInput): SQL =>
  sql`${mimeOf(userId, input.avatar_file_id)} AS avatar_mime, ${mimeOf(userId, input.banner_file_id)} AS banner_mime`;

/** SQL: every image given (not null) is one of the user's live image files. */
export const imagesOk = (userId: string, input: ImageInput): SQL =>
  sql.join(
    [sql`true`, ...IMAGE_KINDS.filter((kind) => input[column(kind)]).map((kind) => sql`COALESCE(${mimeOf(userId, input[column(kind)])} LIKE 'image/%', false)`)],
    sql` AND `,
  );

/** The 422 for an image given that is not one of the caller's live images, or null when both are fine. */
export function imageError(input: ImageInput, mimes: { avatar_mime: string | null; banner_mime: string | null }): ApiError | null {
  const errors = IMAGE_KINDS.flatMap((kind) => {
    if (!input[column(kind)]) return [];
    const mime = mimes[`${kind}_mime`];
    if (mime?.startsWith("image/")) return [];
    return [{ path: `json.${column(kind)}`, message: mime ? `is ${mime}, not an image` : "is not one of your files" }];
  });
  return errors.length ? new ApiError("validation_failed", "The request is not valid.", { errors }) : null;
}

/**
 * GET /v1/groups/:slug/avatar/:fileId and /banner/:fileId: the image, streamed from R2. A group's
 * page is public (private groups' too), so its images are: cached publicly, and immutable (a new
 * image is a new URL; an old one stops working, 404). One round trip.
 */
export async function serveGroupImage(c: Context<AppEnv>, kind: ImageKind, params: { slug: string; fileId: string }): Promise<Response> {
  const { rows } = await c.var.db.execute<{ storage_path: string; mime_type: string }>(sql`
    SELECT f.storage_path, f.mime_type
      FROM groups g JOIN files f ON f.id = g.${sql.raw(column(kind))} AND f.deleted_at IS NULL AND f.mime_type LIKE 'image/%'
     WHERE g.slug = ${params.slug.toLowerCase()} AND f.id = ${params.fileId} AND ${liveGroupSql("g")}`);
  const row = rows[0];
  if (!row) throw notFound(`This ${kind}`);
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: "public, max-age=31536000, immutable",
    // an image, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound(`This ${kind}`);
  return response;
}
