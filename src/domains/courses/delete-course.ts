import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { syncCourseProduct } from "./course-product";
import { NOT_YOURS } from "./course-rules";
import { courseVisibleTo } from "./course-view";

type DeletedRow = { found: boolean; mine: boolean | null; learners: boolean | null };

/**
 * DELETE /v1/courses/:id, one round trip (one db.batch): a soft delete by its educator, which
 * releases the slug and takes the course's product off the marketplace. Refused (409) while
 * learners are enrolled (active or completed): what they enrolled in — or paid for — is theirs to
 * keep; archive the course instead (off the catalogue, learners keep access). Certificates survive
 * (they snapshot what they certify).
 */
export async function deleteCourse(db: Database, courseId: string, userId: string): Promise<void> {
  const remove = db.execute<DeletedRow>(sql`
    WITH target AS (
      SELECT c.id, c.educator_id = ${userId}::uuid AS mine,
             EXISTS (SELECT 1 FROM course_enrollments e WHERE e.course_id = c.id AND e.status IN ('active', 'completed')) AS learners
        FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ), deleted AS (
      UPDATE courses c SET deleted_at = now()
        FROM target t WHERE c.id = t.id AND t.mine AND NOT t.learners
      RETURNING c.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine, t.learners FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const [state] = await db.batch([remove, ...syncCourseProduct(db, courseId, userId, crypto.randomUUID())]);
  const row = state.rows[0]!;
  if (!row.found) throw notFound("This course");
  if (!row.mine) throw forbidden(NOT_YOURS);
  if (row.learners) throw new ApiError("conflict", "Learners are enrolled in this course: archive it instead (status archived) — they keep access, and it leaves the catalogue.");
}
