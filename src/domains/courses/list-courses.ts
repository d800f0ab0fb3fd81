import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import { preciseIso } from "../tracks/track-view";
import { courseListed, courseSummaryJson, courseVisibleTo, educatorLive, enrollmentJson, toSummary } from "./course-view";
import type { CatalogueQuery, CourseStatus, CourseSummary, Enrollment } from "./schemas";

type Page<T> = { items: T[]; next_cursor: string | null };
type Row = { id: string | null; cursor_at: string | null; item: unknown };

function page<T>(rows: Row[], limit: number, shape: (value: unknown) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => shape(r.item)), next_cursor: rows.length > limit && last ? encodeCursor(last.cursor_at!, last.id!) : null };
}

/** The keyset condition "after the cursor" over (`at`, `id`), newest first. */
function after(cursor: string | undefined, at: SQL, id: SQL): SQL {
  if (!cursor) return sql``;
  const [ts, key] = decodeCursor(cursor);
  return sql`AND (${at}, ${id}) < (${ts}::timestamptz, ${key}::uuid)`;
}

/** The catalogue's filters over the course `c`. */
function filters(q: CatalogueQuery): SQL {
  const parts: SQL[] = [];
  if (q.level) parts.push(sql`c.level = ${q.level}`);
  if (q.language) parts.push(sql`c.language = ${q.language}`);
  if (q.price === "free") parts.push(sql`c.price = 0`);
  if (q.price === "paid") parts.push(sql`c.price > 0`);
  // the expression of idx_courses_search_gin, so the index answers it
  if (q.q) parts.push(sql`to_tsvector('english', c.title || ' ' || COALESCE(c.description, '')) @@ plainto_tsquery('english', ${q.q})`);
  return parts.length ? sql`AND ${sql.join(parts, sql` AND `)}` : sql``;
}

/** One page of listed courses (optionally one educator's, `s.id`), newest published first, LIMIT limit + 1. */
const listedPage = (viewerId: string | null, q: CatalogueQuery, educator: SQL) => sql`
  SELECT c.id, ${preciseIso("c.published_at")} AS cursor_at, ${courseSummaryJson()} AS item
    FROM courses c
   WHERE ${courseListed()} ${educator} AND ${educatorLive()} AND NOT ${blockHides(viewerId, sql`c.educator_id`)}
         ${filters(q)} ${after(q.cursor, sql`c.published_at`, sql`c.id`)}
   ORDER BY c.published_at DESC, c.id DESC LIMIT ${q.limit + 1}`;

/**
 * GET /v1/courses, one statement: the catalogue — published courses of live educators, minus those
 * of anyone with a block either way with the viewer — filtered by level, language, free or paid and
 * words (full text over title and description), newest first, by cursor.
 */
export async function browseCourses(db: Database, viewerId: string | null, q: CatalogueQuery): Promise<Page<CourseSummary>> {
  const { rows } = await db.execute<Row>(listedPage(viewerId, q, sql``));
  return page(rows, q.limit, toSummary);
}

/**
 * GET /v1/users/:username/courses, one statement: an educator's published courses, with the
 * catalogue's filters. 404 when the user is deleted, banned, unknown or blocked either way; the
 * LEFT JOIN keeps one row for a found user with nothing published, so 404 and an empty page differ.
 */
export async function listEducatorCourses(db: Database, username: string, viewerId: string | null, q: CatalogueQuery): Promise<Page<CourseSummary>> {
  const { rows } = await db.execute<Row>(sql`
    WITH s AS (
      SELECT u.id FROM users u
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned AND NOT ${blockHides(viewerId, sql`u.id`)}
    )
    SELECT x.* FROM s LEFT JOIN LATERAL (${listedPage(viewerId, q, sql`AND c.educator_id = s.id`)}) x ON true`);
  if (rows.length === 0) throw notFound("This user");
  return page(rows.filter((r) => r.id !== null), q.limit, toSummary);
}

/** GET /v1/me/teaching, one statement: my live courses, drafts and archived included, newest first (optionally one status). */
export async function listTeaching(db: Database, userId: string, q: { status?: CourseStatus; cursor?: string; limit: number }): Promise<Page<CourseSummary>> {
  const { rows } = await db.execute<Row>(sql`
    SELECT c.id, ${preciseIso("c.created_at")} AS cursor_at, ${courseSummaryJson()} AS item
      FROM courses c
     WHERE c.educator_id = ${userId}::uuid AND c.deleted_at IS NULL ${q.status ? sql`AND c.status = ${q.status}` : sql``}
           ${after(q.cursor, sql`c.created_at`, sql`c.id`)}
     ORDER BY c.created_at DESC, c.id DESC LIMIT ${q.limit + 1}`);
  return page(rows, q.limit, toSummary);
}

export type MyCourse = { course: CourseSummary; enrollment: Enrollment };

/**
 * GET /v1/me/courses, one statement: the courses I am enrolled in (active or completed) that I may
 * still see, "continue where I left off" first — by last access, else by enrolment.
 */
export async function listMyCourses(db: Database, userId: string, q: { cursor?: string; limit: number }): Promise<Page<MyCourse>> {
  const at = sql`COALESCE(e.last_accessed_at, e.created_at)`;
  const { rows } = await db.execute<Row>(sql`
    SELECT e.id, to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
           jsonb_build_object('course', ${courseSummaryJson()}, 'enrollment', ${enrollmentJson("e")}) AS item
      FROM course_enrollments e JOIN courses c ON c.id = e.course_id
     WHERE e.user_id = ${userId}::uuid AND e.status IN ('active', 'completed') AND ${courseVisibleTo(userId)}
           ${after(q.cursor, at, sql`e.id`)}
     ORDER BY ${at} DESC, e.id DESC LIMIT ${q.limit + 1}`);
  return page(rows, q.limit, (v) => parseJson<MyCourse>(v)!);
}
