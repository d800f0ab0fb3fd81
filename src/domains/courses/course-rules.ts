import { sql, type SQL } from "drizzle-orm";
import { postgresCode, postgresConstraint } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { slugCandidates } from "../../lib/slug";
import { textArray } from "../posts/post-text";

/** What an educator's writes must satisfy, said once for courses and lessons. */

export const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

export const NOT_EDUCATOR = "Only verified educators create and publish courses: ask a moderator to verify your educator role.";
export const NOT_YOURS = "Only the course's educator may change it.";

/** A live file of `userId`'s whose type starts with `kind` ("image", "video", "audio"), under alias `f`. */
export const ownFileOfKind = (userId: string, fileId: SQL, kind: SQL) =>
  sql`EXISTS (SELECT 1 FROM files f WHERE f.id = ${fileId} AND f.user_id = ${userId}::uuid AND f.deleted_at IS NULL
                AND f.mime_type LIKE ${kind} || '/%')`;

/** The title's slug, then variants with a random suffix (see src/lib/slug.ts). */
export const courseSlugCandidates = (title: string) => slugCandidates(title, 255, "course");

/** The first of `slugs` no live course other than `exceptId` holds (a deleted course released its slug). */
export const freeCourseSlug = (slugs: string[], exceptId: string | null = null) => sql`(
  SELECT s.s FROM unnest(${textArray(slugs)}::text[]) WITH ORDINALITY AS s(s, n)
   WHERE NOT EXISTS (SELECT 1 FROM courses x WHERE x.slug = s.s AND x.deleted_at IS NULL AND x.id IS DISTINCT FROM ${exceptId}::uuid)
   ORDER BY s.n LIMIT 1)`;

export const slugTaken = () =>
  new ApiError("conflict", "A course with this slug already exists.", { errors: [{ path: "json.slug", message: "is already taken" }] });

/** A slug taken by a concurrent write (409), or a lesson position raced by another (409, retry). */
function courseWriteError(err: unknown): unknown {
  const code = postgresCode(err);
  const constraint = postgresConstraint(err);
  if (code === "23505" && constraint === "uq_courses_slug") return slugTaken();
  if (code === "23505" && constraint === "uq_lessons_course_position") {
    return new ApiError("conflict", "The course's lessons changed while the request ran; retry.", { cause: err });
  }
  return err;
}

/** Runs an educator's write, translating what the database refused. */
export async function courseWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw courseWriteError(err);
  }
}
