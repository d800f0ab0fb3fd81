import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden } from "../../lib/errors";
import { courseWrite, freeCourseSlug, invalid, NOT_EDUCATOR, ownFileOfKind, courseSlugCandidates, slugTaken } from "./course-rules";
import { courseJson, toCourse, verifiedEducator } from "./course-view";
import type { Course, CreateCourseInput } from "./schemas";

type CreatedRow = { educator_ok: boolean; cover_ok: boolean; slug_free: boolean; course: unknown };

/**
 * POST /v1/courses, one statement: a draft course of a verified educator (publishing is a PATCH to
 * status published, once it has a lesson). The cover must be one of the educator's live images. A
 * slug given and taken by a live course is 409; a derived one takes the first free of the title's
 * slug and two suffixed variants.
 */
export async function createCourse(db: Database, educatorId: string, input: CreateCourseInput): Promise<Course> {
  const slugs = input.slug ? [input.slug] : courseSlugCandidates(input.title);
  const cover = input.cover_file_id ?? null;
  const { rows } = await courseWrite(() =>
    db.execute<CreatedRow>(sql`
      WITH checks AS (
        SELECT ${verifiedEducator(educatorId)} AS educator_ok,
               (${cover}::uuid IS NULL OR ${ownFileOfKind(educatorId, sql`${cover}::uuid`, sql`'image'`)}) AS cover_ok,
               ${freeCourseSlug(slugs)} AS slug
      ), created AS (
        INSERT INTO courses (educator_id, title, slug, description, level, language, price, currency, cover_file_id)
        SELECT ${educatorId}::uuid, ${input.title}, k.slug, ${input.description ?? null}, ${input.level ?? "all"}, ${input.language ?? "en"},
               ${input.price ?? "0"}::numeric, ${input.currency ?? "USD"}, ${cover}::uuid
          FROM checks k WHERE k.educator_ok AND k.cover_ok AND k.slug IS NOT NULL
        RETURNING *
      )
      SELECT k.educator_ok, k.cover_ok, k.slug IS NOT NULL AS slug_free, (SELECT ${courseJson(educatorId)} FROM created c) AS course
        FROM checks k`),
  );
  const row = rows[0]!;
  if (row.course) return toCourse(row.course);
  if (!row.educator_ok) throw forbidden(NOT_EDUCATOR);
  if (!row.cover_ok) throw invalid("cover_file_id", "must be one of your live image files");
  if (input.slug) throw slugTaken();
  throw new ApiError("conflict", "No free slug was found for this title; choose one.", { errors: [{ path: "json.slug", message: "is already taken" }] });
}
