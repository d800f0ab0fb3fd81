import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { courseJson, courseVisibleTo, toCourse } from "./course-view";
import { isUuid, type Course } from "./schemas";

/**
 * GET /v1/courses/:id (an id or a slug), one statement: the course page — the course, its educator, its lessons
 * in order (content and media only where the viewer may open them), the quizzes' summaries (never
 * their questions), and for a signed-in viewer their enrolment (progress, certificate) and their
 * progress on each lesson. A slug never has a uuid's shape, so the parameter is one or the other by
 * its look; a slug names the live course holding it.
 */
export async function getCourse(db: Database, ref: string, viewerId: string | null): Promise<Course> {
  const match = isUuid(ref) ? sql`c.id = ${ref.toLowerCase()}::uuid` : sql`c.slug = ${ref.toLowerCase()} AND c.deleted_at IS NULL`;
  const { rows } = await db.execute<{ course: unknown }>(sql`
    SELECT ${courseJson(viewerId)} AS course FROM courses c WHERE ${match} AND ${courseVisibleTo(viewerId)}`);
  if (!rows[0]) throw notFound("This course");
  return toCourse(rows[0].course);
}
