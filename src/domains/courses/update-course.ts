import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { takenDownByModerator } from "../moderation/targets";
import { syncCourseProduct } from "./course-product";
import { courseWrite, freeCourseSlug, invalid, NOT_EDUCATOR, NOT_YOURS, ownFileOfKind, slugTaken } from "./course-rules";
import { courseJson, courseVisibleTo, toCourse, verifiedEducator } from "./course-view";
import type { Course, UpdateCourseInput } from "./schemas";

type StateRow = {
  found: boolean;
  mine: boolean | null;
  educator_ok: boolean | null;
  publishable: boolean | null;
  not_taken_down: boolean | null;
  cover_ok: boolean;
  slug_ok: boolean;
};

/** The SET list of a patch: only the fields it names. */
function assignments(input: UpdateCourseInput): SQL[] {
  const set: SQL[] = [];
  for (const column of ["title", "slug", "description", "level", "language", "currency"] as const) {
    if (input[column] !== undefined) set.push(sql`${sql.identifier(column)} = ${input[column]}`);
  }
  if (input.price !== undefined) set.push(sql`price = ${input.price}::numeric`);
  if (input.cover_file_id !== undefined) set.push(sql`cover_file_id = ${input.cover_file_id}::uuid`);
  if (input.status !== undefined) {
    set.push(sql`status = ${input.status}`);
    // the first publication dates the course in the catalogue; republishing keeps it
    if (input.status === "published") set.push(sql`published_at = COALESCE(c.published_at, now())`);
  }
  return set;
}

/**
 * PATCH /v1/courses/:id, one round trip (one db.batch): the educator edits any field and moves the
 * status between draft, published and archived. Publishing needs at least one lesson and a verified
 * educator role (a withdrawn role still lets the educator edit, unpublish and archive). Unpublishing
 * (draft) and archiving take the course off the catalogue; enrolled learners keep access. The
 * course's marketplace product follows in the same batch (course-product.ts). A course a moderator
 * hid stays off the catalogue: publishing it is refused until the action is reversed. A course you cannot
 * see is 404; another's is 403.
 */
export async function updateCourse(db: Database, courseId: string, userId: string, input: UpdateCourseInput): Promise<Course> {
  const status = input.status ?? null;
  const cover = input.cover_file_id ?? null;
  const slug = input.slug ?? null;
  const update = db.execute<StateRow>(sql`
    WITH target AS (
      SELECT c.id, c.educator_id, c.lesson_count FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ), checks AS (
      SELECT (${cover}::uuid IS NULL OR ${ownFileOfKind(userId, sql`${cover}::uuid`, sql`'image'`)}) AS cover_ok,
             (${slug}::text IS NULL OR ${freeCourseSlug(slug ? [slug] : [], courseId)} IS NOT NULL) AS slug_ok
    ), state AS (
      SELECT t.id, t.educator_id = ${userId}::uuid AS mine,
             (${status}::text IS DISTINCT FROM 'published' OR ${verifiedEducator(userId)}) AS educator_ok,
             (${status}::text IS DISTINCT FROM 'published' OR t.lesson_count > 0) AS publishable,
             (${status}::text IS DISTINCT FROM 'published' OR NOT ${takenDownByModerator("course", sql`t.id`)}) AS not_taken_down
        FROM target t
    ), updated AS (
      UPDATE courses c SET ${sql.join(assignments(input), sql`, `)}
        FROM state s, checks k
       WHERE c.id = s.id AND s.mine AND s.educator_ok AND s.publishable AND s.not_taken_down AND k.cover_ok AND k.slug_ok
      RETURNING c.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, s.mine, s.educator_ok, s.publishable, s.not_taken_down, k.cover_ok, k.slug_ok
      FROM checks k LEFT JOIN state s ON true`);
  const read = db.execute<{ course: unknown }>(sql`SELECT ${courseJson(userId)} AS course FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}`);
  const [state, , , , answer] = await courseWrite(() => db.batch([update, ...syncCourseProduct(db, courseId, userId, crypto.randomUUID()), read]));
  const row = state.rows[0]!;
  if (!row.found) throw notFound("This course");
  if (!row.mine) throw forbidden(NOT_YOURS);
  if (!row.educator_ok) throw forbidden(NOT_EDUCATOR);
  if (!row.publishable) {
    throw new ApiError("conflict", "A course needs at least one lesson to be published.", { errors: [{ path: "json.status", message: "needs at least one lesson" }] });
  }
  if (!row.not_taken_down) throw forbidden("A moderator took this course down: it can be published again only once that action is reversed (appeal through the moderators).");
  if (!row.cover_ok) throw invalid("cover_file_id", "must be one of your live image files");
  if (!row.slug_ok) throw slugTaken();
  return toCourse(answer.rows[0]!.course);
}
