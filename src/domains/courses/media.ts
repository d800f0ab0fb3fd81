import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { viewerOf } from "../tracks/viewer";
import { courseVisibleTo, lessonAccessible } from "./course-view";

type FileRow = { storage_path: string; mime_type: string };

/**
 * Course files, streamed from R2 with byte ranges by the shared `serveObject` (players seek with
 * them), each behind one statement that checks who may have it. Caching is private: access depends
 * on the viewer (enrolment), and the URLs do not name the file (the educator may change it).
 */
async function serve(c: Context<AppEnv>, row: FileRow | undefined, what: string, cacheSeconds: number): Promise<Response> {
  if (!row) throw notFound(what);
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: `private, max-age=${cacheSeconds}`,
    // a media file, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound(what);
  return response;
}

const educatorFile = (which: SQL) => sql`JOIN files f ON ${which} AND f.user_id = c.educator_id AND f.deleted_at IS NULL`;

/**
 * GET /v1/courses/:id/lessons/:lessonId/media: a video or audio lesson's file, for the educator,
 * an enrolled learner (active or completed), and anyone for a preview lesson of a published course.
 * Others get 404 (the URL says nothing about a lesson they cannot open). One round trip.
 */
export async function serveLessonMedia(c: Context<AppEnv>, courseId: string, lessonId: string): Promise<Response> {
  const viewerId = viewerOf(c)?.userId ?? null;
  const { rows } = await c.var.db.execute<FileRow>(sql`
    SELECT f.storage_path, f.mime_type
      FROM lessons l JOIN courses c ON c.id = l.course_id
      ${educatorFile(sql`f.id = l.media_file_id AND f.mime_type LIKE l.content_type || '/%'`)}
     WHERE l.id = ${lessonId}::uuid AND l.course_id = ${courseId}::uuid AND ${courseVisibleTo(viewerId)} AND ${lessonAccessible(viewerId)}`);
  return serve(c, rows[0], "This lesson's media", 300);
}

/** GET /v1/courses/:id/cover: the course's cover image, to whoever may see the course. One round trip. */
export async function serveCover(c: Context<AppEnv>, courseId: string): Promise<Response> {
  const viewerId = viewerOf(c)?.userId ?? null;
  const { rows } = await c.var.db.execute<FileRow>(sql`
    SELECT f.storage_path, f.mime_type FROM courses c ${educatorFile(sql`f.id = c.cover_file_id AND f.mime_type LIKE 'image/%'`)}
     WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(viewerId)}`);
  return serve(c, rows[0], "This cover", 3600);
}
