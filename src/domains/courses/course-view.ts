import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import { iso } from "../tracks/track-view";
import type { Course, CourseSummary, Enrollment, Lesson } from "./schemas";

/**
 * How a course is seen and shaped. Every fragment is written over a `courses` row under an alias
 * (default `c`, lessons `l`) and reads everything else through correlated subqueries, so it fits
 * any FROM — the table, a keyset scan, or the RETURNING of a write — in one statement.
 *
 * Listed (catalogue, an educator's page): published, not deleted, the educator live (neither banned
 * nor deleted). Visible to a viewer: listed and no block either way; its educator always sees it
 * (drafts, archived); an enrolled learner (active or completed) keeps seeing it once it leaves the
 * catalogue (unpublished or archived) — what they enrolled in, or paid for, stays theirs — unless
 * the educator is gone or a block stands. A deleted course is seen by no one (deleting is refused
 * while learners are enrolled, see delete-course.ts).
 */

const alias = (a: string) => sql.raw(a);

/** `userId` holds a verified educator role (user_roles, verified_at set): who may create and publish. */
export const verifiedEducator = (userId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = ${userId}::uuid AND r.role = 'educator' AND r.verified AND r.verified_at IS NOT NULL)`;

/** The educator of the course under `a` is neither banned nor deleted. */
export const educatorLive = (a = "c"): SQL =>
  sql`EXISTS (SELECT 1 FROM users eu WHERE eu.id = ${alias(a)}.educator_id AND eu.deleted_at IS NULL AND NOT eu.is_banned)`;

/** Published and not deleted: what the catalogue lists (with `educatorLive`). */
export const courseListed = (a = "c"): SQL => sql`(${alias(a)}.deleted_at IS NULL AND ${alias(a)}.status = 'published')`;

/** `viewerId` holds an enrolment that gives access (active or completed) to the course under `a`. */
export const enrolledIn = (viewerId: string | null, a = "c"): SQL =>
  viewerId
    ? sql`EXISTS (SELECT 1 FROM course_enrollments ve WHERE ve.course_id = ${alias(a)}.id AND ve.user_id = ${viewerId}::uuid AND ve.status IN ('active', 'completed'))`
    : sql`false`;

/** The viewer may see the course under `a` (see the file's comment). */
export function courseVisibleTo(viewerId: string | null, a = "c"): SQL {
  const c = alias(a);
  const reachable = sql`${educatorLive(a)} AND NOT ${blockHides(viewerId, sql`${c}.educator_id`)}`;
  if (!viewerId) return sql`(${courseListed(a)} AND ${reachable})`;
  return sql`(${c}.deleted_at IS NULL AND (${c}.educator_id = ${viewerId}::uuid
    OR (${reachable} AND (${c}.status = 'published' OR ${enrolledIn(viewerId, a)}))))`;
}

/** The viewer teaches the course under `a`. */
export const teaches = (viewerId: string | null, a = "c"): SQL => (viewerId ? sql`(${alias(a)}.educator_id = ${viewerId}::uuid)` : sql`false`);

/**
 * The viewer may read the content and stream the media of lesson `l` of the visible course `a`:
 * its educator, an enrolled learner, or anyone for a preview lesson of a published course.
 */
export const lessonAccessible = (viewerId: string | null, l = "l", a = "c"): SQL =>
  sql`(${teaches(viewerId, a)} OR ${enrolledIn(viewerId, a)} OR (${alias(l)}.is_preview AND ${alias(a)}.status = 'published'))`;

export const coverPath = (courseId: string) => `/v1/courses/${courseId}/cover`;
export const mediaPath = (courseId: string, lessonId: string) => `/v1/courses/${courseId}/lessons/${lessonId}/media`;

/** A live file of the educator's, under alias `f`. */
const educatorFile = (f: string, a: string) => sql.raw(`${f}.user_id = ${a}.educator_id AND ${f}.deleted_at IS NULL`);

/** A `quizzes` row under `q` as `QuizSummarySchema` (never its questions: they hold the answers). */
const quizSummaryJson = (q = "q") => sql.raw(`jsonb_build_object('id', ${q}.id, 'title', ${q}.title, 'lesson_id', ${q}.lesson_id,
  'is_required', ${q}.is_required, 'question_count', jsonb_array_length(${q}.questions), 'pass_mark_percent', ${q}.pass_mark_percent,
  'max_attempts', ${q}.max_attempts)`);

/** The summary jsonb (`CourseSummarySchema`) of the course under `a`. Put `courseVisibleTo` in the WHERE. */
export function courseSummaryJson(a = "c"): SQL {
  const c = alias(a);
  return sql`jsonb_build_object(
    'id', ${c}.id, 'slug', ${c}.slug, 'title', ${c}.title, 'description', ${c}.description, 'level', ${c}.level,
    'language', ${c}.language, 'price', ${c}.price::text, 'currency', ${c}.currency, 'is_free', ${c}.price = 0,
    'product_id', ${c}.product_id,
    'cover_url', (SELECT '/v1/courses/' || ${c}.id || '/cover' FROM files cf
                   WHERE cf.id = ${c}.cover_file_id AND ${educatorFile("cf", a)} AND cf.mime_type LIKE 'image/%'),
    'status', ${c}.status, 'lesson_count', ${c}.lesson_count, 'enrollment_count', ${c}.enrollment_count,
    'total_duration_seconds', (SELECT COALESCE(sum(dl.duration_seconds), 0)::int FROM lessons dl WHERE dl.course_id = ${c}.id),
    'educator', (SELECT jsonb_build_object('id', u.id, 'username', u.username, 'display_name', u.display_name, 'avatar_url', up.avatar_url)
                   FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id WHERE u.id = ${c}.educator_id),
    'published_at', ${iso(`${a}.published_at`)}, 'created_at', ${iso(`${a}.created_at`)}, 'updated_at', ${iso(`${a}.updated_at`)})`;
}

/** A `lesson_progress` row under `p` as `LessonProgressSchema`. */
export const progressJson = (p = "p") => sql`jsonb_build_object('lesson_id', ${alias(p)}.lesson_id, 'status', ${alias(p)}.status,
  'position_seconds', ${alias(p)}.position_seconds, 'started_at', ${iso(`${p}.started_at`)},
  'completed_at', ${iso(`${p}.completed_at`)}, 'updated_at', ${iso(`${p}.updated_at`)})`;

/**
 * Lesson `l` of course `a` as `LessonSchema`, for `viewerId`: content and media only when
 * accessible, the media file's id for the educator only, its quizzes' summaries, and the viewer's
 * own progress on it (never anyone else's).
 */
export function lessonJson(viewerId: string | null, l = "l", a = "c"): SQL {
  const x = alias(l);
  const c = alias(a);
  const accessible = lessonAccessible(viewerId, l, a);
  return sql`(jsonb_build_object(
    'id', ${x}.id, 'course_id', ${x}.course_id, 'title', ${x}.title, 'content_type', ${x}.content_type,
    'duration_seconds', ${x}.duration_seconds, 'position', ${x}.position, 'is_preview', ${x}.is_preview,
    'accessible', ${accessible},
    'quizzes', COALESCE((SELECT jsonb_agg(${quizSummaryJson("lq")} ORDER BY lq.created_at, lq.id) FROM quizzes lq WHERE lq.lesson_id = ${x}.id), '[]'::jsonb),
    'created_at', ${iso(`${l}.created_at`)}, 'updated_at', ${iso(`${l}.updated_at`)})
  || CASE WHEN ${accessible} THEN jsonb_build_object(
       'content', ${x}.content,
       'media', (SELECT jsonb_build_object('url', '/v1/courses/' || ${c}.id || '/lessons/' || ${x}.id || '/media', 'mime_type', mf.mime_type)
                   FROM files mf WHERE mf.id = ${x}.media_file_id AND ${educatorFile("mf", a)}))
     ELSE '{}'::jsonb END
  || CASE WHEN ${teaches(viewerId, a)} THEN jsonb_build_object('media_file_id', ${x}.media_file_id) ELSE '{}'::jsonb END
  || ${
    viewerId
      ? sql`jsonb_build_object('my_progress', (SELECT ${progressJson("mp")} FROM lesson_progress mp WHERE mp.user_id = ${viewerId}::uuid AND mp.lesson_id = ${x}.id))`
      : sql`'{}'::jsonb`
  })`;
}

/** A `course_enrollments` row under `e` as `EnrollmentSchema`, with its live certificate. */
export const enrollmentJson = (e = "e") => {
  const x = alias(e);
  return sql`jsonb_build_object('course_id', ${x}.course_id, 'status', ${x}.status, 'progress_percent', ${x}.progress_percent,
    'enrolled_at', ${iso(`${e}.created_at`)}, 'completed_at', ${iso(`${e}.completed_at`)}, 'last_accessed_at', ${iso(`${e}.last_accessed_at`)},
    'certificate', (SELECT jsonb_build_object('code', ce.code, 'issued_at', ${iso("ce.issued_at")}, 'verification_url', '/v1/certificates/' || ce.code)
                      FROM certificates ce WHERE ce.course_id = ${x}.course_id AND ce.user_id = ${x}.user_id AND ce.revoked_at IS NULL))`;
};

/** The course page's jsonb (`CourseSchema`) of the course under `a`, as `viewerId` sees it. */
export function courseJson(viewerId: string | null, a = "c"): SQL {
  const c = alias(a);
  const mine = viewerId
    ? sql`(SELECT ${enrollmentJson("me")} FROM course_enrollments me WHERE me.course_id = ${c}.id AND me.user_id = ${viewerId}::uuid AND me.status <> 'refunded')`
    : sql`NULL::jsonb`;
  const enrolled = enrolledIn(viewerId, a);
  return sql`(${courseSummaryJson(a)} || jsonb_build_object(
    'lessons', COALESCE((SELECT jsonb_agg(${lessonJson(viewerId, "l", a)} ORDER BY l.position) FROM lessons l WHERE l.course_id = ${c}.id), '[]'::jsonb),
    'quizzes', COALESCE((SELECT jsonb_agg(${quizSummaryJson("cq")} ORDER BY cq.created_at, cq.id) FROM quizzes cq
                          WHERE cq.course_id = ${c}.id AND cq.lesson_id IS NULL), '[]'::jsonb),
    'viewer', jsonb_build_object('is_educator', ${teaches(viewerId, a)},
      'can_enroll', ${c}.status = 'published' AND NOT ${teaches(viewerId, a)} AND NOT ${enrolled},
      'enrollment', ${mine})))`;
}

/** Columns the driver hands back parsed or as text, typed. */
export const toCourse = (value: unknown): Course => parseJson<Course>(value)!;
export const toSummary = (value: unknown): CourseSummary => parseJson<CourseSummary>(value)!;
export const toLesson = (value: unknown): Lesson => parseJson<Lesson>(value)!;
export const toEnrollment = (value: unknown): Enrollment => parseJson<Enrollment>(value)!;
