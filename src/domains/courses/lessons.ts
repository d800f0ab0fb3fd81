import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { courseWrite, invalid, NOT_YOURS, ownFileOfKind } from "./course-rules";
import { courseVisibleTo, lessonJson, toLesson } from "./course-view";
import { MAX_LESSONS, type CreateLessonInput, type Lesson, type UpdateLessonInput } from "./schemas";

/**
 * Lessons of an educator's course. Lessons are course content without deleted_at (the course is the
 * soft-deleted unit): a delete is a hard delete that closes the gap in positions in the same
 * statement, so positions stay dense (0..n-1) under the deferrable UNIQUE (course_id, position).
 * A video or audio lesson streams one of the educator's live files of that type.
 */

type WriteRow = { found: boolean; mine: boolean | null; media_ok: boolean | null; room: boolean | null; last: boolean | null; lesson: unknown };

/** The course `courseId` as `userId` may see it, with whether it is theirs. */
const courseOf = (courseId: string, userId: string) =>
  sql`SELECT c.id, c.status, c.lesson_count, c.educator_id = ${userId}::uuid AS mine FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}`;

/** The lesson as its educator sees it, from a CTE `from` of lessons rows. */
const answerFrom = (userId: string, from: string) =>
  sql`(SELECT ${lessonJson(userId, "l", "c")} FROM ${sql.raw(from)} l JOIN courses c ON c.id = l.course_id)`;

function answer(row: WriteRow): Lesson {
  if (row.lesson) return toLesson(row.lesson);
  if (!row.found) throw notFound("This lesson");
  if (!row.mine) throw forbidden(NOT_YOURS);
  if (row.room === false) throw new ApiError("conflict", `A course holds at most ${MAX_LESSONS} lessons.`);
  if (row.last) throw new ApiError("conflict", "This is the only lesson of a published course: unpublish the course (status draft) before removing it.");
  if (row.media_ok === false) throw invalid("media_file_id", "must be one of your live files of the lesson's type (video/* for video, audio/* for audio)");
  throw new ApiError("conflict", "The lesson changed while the request ran; retry.");
}

/** The media rule for a lesson of type `type` with file `file` (SQL expressions). */
const mediaOk = (userId: string, type: SQL, file: SQL) =>
  sql`(CASE WHEN ${type} = 'text' THEN ${file} IS NULL ELSE ${file} IS NOT NULL AND ${ownFileOfKind(userId, file, type)} END)`;

/** POST /v1/courses/:id/lessons, one statement: a lesson appended after the last one. */
export async function createLesson(db: Database, courseId: string, userId: string, input: CreateLessonInput): Promise<Lesson> {
  const type = input.content_type ?? "text";
  const media = input.media_file_id ?? null;
  const { rows } = await courseWrite(() =>
    db.execute<WriteRow>(sql`
      WITH target AS (${courseOf(courseId, userId)}), checks AS (
        SELECT ${mediaOk(userId, sql`${type}::text`, sql`${media}::uuid`)} AS media_ok
      ), created AS (
        INSERT INTO lessons (course_id, title, content_type, content, media_file_id, duration_seconds, position, is_preview)
        SELECT t.id, ${input.title}, ${type}, ${input.content ?? null}, ${media}::uuid, ${input.duration_seconds ?? null}::int,
               (SELECT COALESCE(max(x.position) + 1, 0) FROM lessons x WHERE x.course_id = t.id), ${input.is_preview ?? false}
          FROM target t, checks k WHERE t.mine AND k.media_ok AND t.lesson_count < ${MAX_LESSONS}
        RETURNING *
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine, k.media_ok, t.lesson_count < ${MAX_LESSONS} AS room, false AS last,
             ${answerFrom(userId, "created")} AS lesson
        FROM checks k LEFT JOIN target t ON true`),
  );
  return answer(rows[0]!);
}

/** The lesson `lessonId` of course `courseId` with its course's visibility, `mine` and whether it is the last of a published course. */
const lessonTarget = (courseId: string, lessonId: string, userId: string) => sql`
  SELECT l.*, c.educator_id = ${userId}::uuid AS mine, (c.status = 'published' AND c.lesson_count <= 1) AS last
    FROM lessons l JOIN courses c ON c.id = l.course_id
   WHERE l.id = ${lessonId}::uuid AND l.course_id = ${courseId}::uuid AND ${courseVisibleTo(userId)}`;

/**
 * PATCH /v1/courses/:id/lessons/:lessonId, one statement. Turning a media lesson into a text one
 * drops its media; the media rule is checked only when the type or the file changes (a file the
 * educator deleted later does not block editing the title).
 */
export async function updateLesson(db: Database, courseId: string, lessonId: string, userId: string, input: UpdateLessonInput): Promise<Lesson> {
  const set: SQL[] = [];
  if (input.title !== undefined) set.push(sql`title = ${input.title}`);
  if (input.content_type !== undefined) set.push(sql`content_type = ${input.content_type}`);
  if (input.content !== undefined) set.push(sql`content = ${input.content}`);
  if (input.duration_seconds !== undefined) set.push(sql`duration_seconds = ${input.duration_seconds}::int`);
  if (input.is_preview !== undefined) set.push(sql`is_preview = ${input.is_preview}`);
  const typeChanges = input.content_type !== undefined;
  const fileChanges = input.media_file_id !== undefined;
  const finalType = sql`COALESCE(${input.content_type ?? null}::text, t.content_type)`;
  const finalFile = fileChanges ? sql`${input.media_file_id}::uuid` : input.content_type === "text" ? sql`NULL::uuid` : sql`t.media_file_id`;
  if (fileChanges || input.content_type === "text") set.push(sql`media_file_id = ${finalFile}`);
  const { rows } = await courseWrite(() =>
    db.execute<WriteRow>(sql`
      WITH target AS (${lessonTarget(courseId, lessonId, userId)}), checks AS (
        SELECT t.id, ${typeChanges || fileChanges ? mediaOk(userId, finalType, finalFile) : sql`true`} AS media_ok FROM target t
      ), updated AS (
        UPDATE lessons l SET ${sql.join(set, sql`, `)} FROM target t, checks k
         WHERE l.id = t.id AND t.mine AND k.media_ok
        RETURNING l.*
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine, k.media_ok, true AS room, false AS last, ${answerFrom(userId, "updated")} AS lesson
        FROM (SELECT 1) AS one LEFT JOIN target t ON true LEFT JOIN checks k ON true`),
  );
  return answer(rows[0]!);
}

/**
 * DELETE /v1/courses/:id/lessons/:lessonId, one statement: the lesson, its learners' progress and
 * its quizzes go (FK cascades; the triggers recompute every learner's percentage), and the lessons
 * after it move up one. The only lesson of a published course stays (409).
 */
export async function deleteLesson(db: Database, courseId: string, lessonId: string, userId: string): Promise<void> {
  const { rows } = await courseWrite(() =>
    db.execute<WriteRow & { deleted: boolean }>(sql`
      WITH target AS (${lessonTarget(courseId, lessonId, userId)}), deleted AS (
        DELETE FROM lessons l USING target t WHERE l.id = t.id AND t.mine AND NOT t.last
        RETURNING l.course_id, l.position
      ), moved AS (
        UPDATE lessons l SET position = l.position - 1 FROM deleted d
         WHERE l.course_id = d.course_id AND l.position > d.position
        RETURNING l.id
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine, true AS media_ok, true AS room, t.last, NULL AS lesson,
             EXISTS (SELECT 1 FROM deleted) AS deleted
        FROM (SELECT 1) AS one LEFT JOIN target t ON true`),
  );
  const row = rows[0]!;
  if (!row.deleted) answer(row);
}

/**
 * PUT /v1/courses/:id/lessons/order, one UPDATE: every lesson of the course, each once, gets the
 * position of its place in the list. The UNIQUE (course_id, position) is checked at commit, so the
 * intermediate states of the UPDATE never collide. A list that is not exactly the course's lessons
 * changes nothing (422).
 */
export async function reorderLessons(db: Database, courseId: string, userId: string, lessonIds: string[]): Promise<Lesson[]> {
  const ids = `{${lessonIds.join(",")}}`;
  const { rows } = await courseWrite(() =>
    db.execute<{ found: boolean; mine: boolean | null; exact: boolean | null; lessons: unknown }>(sql`
      WITH target AS (${courseOf(courseId, userId)}), given AS (
        SELECT g.id, g.n - 1 AS position FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS g(id, n)
      ), exact AS (
        SELECT (SELECT count(*) FROM lessons x JOIN target t ON x.course_id = t.id) = ${lessonIds.length}
           AND (SELECT count(*) FROM lessons x JOIN target t ON x.course_id = t.id JOIN given g ON g.id = x.id) = ${lessonIds.length} AS ok
      ), moved AS (
        UPDATE lessons l SET position = g.position FROM given g, target t, exact e
         WHERE l.id = g.id AND l.course_id = t.id AND t.mine AND e.ok
        RETURNING l.*
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine, e.ok AS exact,
             (SELECT jsonb_agg(${lessonJson(userId, "l", "c")} ORDER BY l.position) FROM moved l JOIN courses c ON c.id = l.course_id) AS lessons
        FROM exact e LEFT JOIN target t ON true`),
  );
  const row = rows[0]!;
  if (!row.found) throw notFound("This course");
  if (!row.mine) throw forbidden(NOT_YOURS);
  if (!row.exact) throw invalid("lesson_ids", "must list every lesson of the course, each once");
  return (row.lessons as Lesson[] | null) ?? [];
}

/**
 * GET /v1/courses/:id/lessons/:lessonId, one statement: a lesson with its content and media, for
 * whoever may access it (the educator, an enrolled learner, anyone for a preview lesson of a
 * published course); 403 for a lesson of a course you see but may not open; 404 otherwise.
 */
export async function getLesson(db: Database, courseId: string, lessonId: string, viewerId: string | null): Promise<Lesson> {
  const { rows } = await db.execute<{ lesson: unknown }>(sql`
    SELECT ${lessonJson(viewerId, "l", "c")} AS lesson
      FROM lessons l JOIN courses c ON c.id = l.course_id
     WHERE l.id = ${lessonId}::uuid AND l.course_id = ${courseId}::uuid AND ${courseVisibleTo(viewerId)}`);
  if (!rows[0]) throw notFound("This lesson");
  const lesson = toLesson(rows[0].lesson);
  if (!lesson.accessible) throw forbidden("Enrol in the course to open this lesson.");
  return lesson;
}
