import { z } from "@hono/zod-openapi";
import { Money, Slug } from "../products/schemas";

/**
 * The shapes of courses (spec §11.1–11.4), shared by routes, services and tests. Limits mirror
 * migrations/0008_education.sql (VARCHAR lengths, CHECKs), so bad input is a 422 with a field path.
 * Money travels as strings with two decimals ("49.00"), as the marketplace's does.
 */

export const LEVELS = ["beginner", "intermediate", "advanced", "all"] as const;
export const COURSE_STATUSES = ["draft", "published", "archived"] as const;
export const CONTENT_TYPES = ["text", "video", "audio"] as const;
export const ENROLLMENT_STATUSES = ["active", "completed", "cancelled", "refunded"] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const MAX_DESCRIPTION = 20_000;
export const MAX_LESSON_CONTENT = 200_000;
export const MAX_LESSONS = 500;
/** Under this many learners the educator's statistics show counts by status only (see stats.ts). */
export const MIN_COHORT = 5;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (max: number) => z.string().trim().min(1).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), "must be one line of text");
const text = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");
const Language = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be an ISO 639-1 code, optionally with a region (en, pt-BR)").openapi({ example: "en" });
const Currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").openapi({ example: "EUR" });

const courseFields = {
  title: line(255),
  slug: Slug.openapi({ description: "Derived from the title when not given; unique among live courses" }),
  description: text(MAX_DESCRIPTION).openapi({ description: "Markdown" }),
  level: z.enum(LEVELS),
  language: Language,
  price: Money.openapi({ description: "0 (or omitted) for a free course; a paid course is sold through the marketplace's checkout" }),
  currency: Currency,
  cover_file_id: z.uuid().openapi({ description: "One of your live image files" }),
};

export const CreateCourseSchema = z
  .object({
    title: courseFields.title,
    slug: courseFields.slug.optional(),
    description: courseFields.description.optional(),
    level: courseFields.level.optional().openapi({ description: "Defaults to all" }),
    language: courseFields.language.optional().openapi({ description: "Defaults to en" }),
    price: courseFields.price.optional(),
    currency: courseFields.currency.optional().openapi({ description: "Defaults to USD" }),
    cover_file_id: courseFields.cover_file_id.optional(),
  })
  .strict()
  .openapi("CreateCourse");
export type CreateCourseInput = z.infer<typeof CreateCourseSchema>;

export const UpdateCourseSchema = z
  .object({
    title: courseFields.title.optional(),
    slug: courseFields.slug.optional(),
    description: courseFields.description.nullable().optional(),
    level: courseFields.level.optional(),
    language: courseFields.language.optional(),
    price: courseFields.price.optional(),
    currency: courseFields.currency.optional(),
    cover_file_id: courseFields.cover_file_id.nullable().optional(),
    status: z.enum(COURSE_STATUSES).optional().openapi({
      description: "published (needs at least one lesson), draft (unpublished: off the catalogue), archived (off the catalogue; enrolled learners keep access)",
    }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .openapi("UpdateCourse");
export type UpdateCourseInput = z.infer<typeof UpdateCourseSchema>;

const lessonFields = {
  title: line(255),
  content_type: z.enum(CONTENT_TYPES).openapi({ description: "text (Markdown in content), video or audio (media_file_id)" }),
  content: text(MAX_LESSON_CONTENT).openapi({ description: "Markdown: the lesson of a text lesson, notes or a transcript of a media lesson" }),
  media_file_id: z.uuid().openapi({ description: "One of your live files whose type matches content_type (video/*, audio/*)" }),
  duration_seconds: z.number().int().min(1).max(86_400).openapi({ description: "Bounds the resume position of a media lesson" }),
  is_preview: z.boolean().openapi({ description: "Anyone may view it while the course is published (a teaser)" }),
};

export const CreateLessonSchema = z
  .object({
    title: lessonFields.title,
    content_type: lessonFields.content_type.optional().openapi({ description: "Defaults to text" }),
    content: lessonFields.content.optional(),
    media_file_id: lessonFields.media_file_id.optional(),
    duration_seconds: lessonFields.duration_seconds.optional(),
    is_preview: lessonFields.is_preview.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const type = v.content_type ?? "text";
    if (type === "text" && v.media_file_id !== undefined) ctx.addIssue({ code: "custom", path: ["media_file_id"], message: "is only for video and audio lessons" });
    if (type !== "text" && v.media_file_id === undefined) ctx.addIssue({ code: "custom", path: ["media_file_id"], message: "is required for a video or audio lesson" });
  })
  .openapi("CreateLesson");
export type CreateLessonInput = z.infer<typeof CreateLessonSchema>;

export const UpdateLessonSchema = z
  .object({
    title: lessonFields.title.optional(),
    content_type: lessonFields.content_type.optional(),
    content: lessonFields.content.nullable().optional(),
    media_file_id: lessonFields.media_file_id.nullable().optional(),
    duration_seconds: lessonFields.duration_seconds.nullable().optional(),
    is_preview: lessonFields.is_preview.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .openapi("UpdateLesson");
export type UpdateLessonInput = z.infer<typeof UpdateLessonSchema>;

export const ReorderSchema = z
  .object({
    lesson_ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_LESSONS)
      .refine((ids) => new Set(ids).size === ids.length, "must not repeat a lesson")
      .openapi({ description: "Every lesson of the course, each once, in the new order" }),
  })
  .strict()
  .openapi("ReorderLessons");

export const ProgressSchema = z
  .object({
    position_seconds: z.number().int().min(0).max(86_400).optional().openapi({ description: "Resume point of a media lesson (clamped to its duration; ignored for text lessons)" }),
    completed: z.boolean().optional().openapi({ description: "true marks the lesson completed; a completed lesson stays completed (false changes nothing)" }),
  })
  .strict()
  .openapi("CourseLessonProgressInput");
export type ProgressInput = z.infer<typeof ProgressSchema>;

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_SHAPE.test(s);

export const CourseIdParamSchema = z.object({ id: z.uuid() });
export const CourseRefParamSchema = z.object({ id: z.string().min(1).max(255).openapi({ description: "The course's id or slug" }) });
export const LessonParamSchema = z.object({ id: z.uuid(), lessonId: z.uuid() });
export const UsernameParamSchema = z.object({ username: z.string().min(1).max(50) });

const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Cursor = z.string().max(500).optional();
export const CatalogueQuerySchema = z.object({
  level: z.enum(LEVELS).optional(),
  language: Language.optional(),
  price: z.enum(["free", "paid"]).optional().openapi({ description: "free or paid courses only" }),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: "Words to find in the title and description" }),
  cursor: Cursor,
  limit: Limit,
});
export type CatalogueQuery = z.infer<typeof CatalogueQuerySchema>;
export const PageQuerySchema = z.object({ cursor: Cursor, limit: Limit });
export const TeachingQuerySchema = z.object({ status: z.enum(COURSE_STATUSES).optional(), cursor: Cursor, limit: Limit });

// ---- answers -------------------------------------------------------------------------------------

export const EducatorSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("CourseEducator");

const courseSummaryShape = {
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  level: z.enum(LEVELS),
  language: z.string(),
  price: z.string().openapi({ example: "49.00" }),
  currency: z.string(),
  is_free: z.boolean(),
  product_id: z.uuid().nullable().openapi({ description: "The marketplace product a paid course is bought as" }),
  cover_url: z.string().nullable(),
  status: z.enum(COURSE_STATUSES),
  lesson_count: z.number().int(),
  enrollment_count: z.number().int(),
  total_duration_seconds: z.number().int(),
  educator: EducatorSchema,
  published_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
};
export const CourseSummarySchema = z.object(courseSummaryShape).openapi("CourseSummary");
export type CourseSummary = z.infer<typeof CourseSummarySchema>;

export const QuizSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    lesson_id: z.uuid().nullable(),
    is_required: z.boolean(),
    question_count: z.number().int(),
    pass_mark_percent: z.number().int(),
    max_attempts: z.number().int().nullable(),
  })
  .openapi("CourseQuizSummary");

export const LessonProgressSchema = z
  .object({
    lesson_id: z.uuid(),
    status: z.enum(["started", "completed"]),
    position_seconds: z.number().int(),
    started_at: timestamp,
    completed_at: timestamp.nullable(),
    updated_at: timestamp,
  })
  .openapi("CourseLessonProgress");

export const MediaSchema = z.object({ url: z.string(), mime_type: z.string() }).openapi("CourseLessonMedia");

export const LessonSchema = z
  .object({
    id: z.uuid(),
    course_id: z.uuid(),
    title: z.string(),
    content_type: z.enum(CONTENT_TYPES),
    duration_seconds: z.number().int().nullable(),
    position: z.number().int(),
    is_preview: z.boolean(),
    accessible: z.boolean().openapi({ description: "Whether you may read its content and stream its media" }),
    content: z.string().nullable().optional().openapi({ description: "Only when accessible" }),
    media: MediaSchema.nullable().optional().openapi({ description: "Only when accessible" }),
    media_file_id: z.uuid().nullable().optional().openapi({ description: "The educator only" }),
    quizzes: z.array(QuizSummarySchema),
    my_progress: LessonProgressSchema.nullable().optional().openapi({ description: "Signed-in viewers: your progress on it" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("CourseLesson");
export type Lesson = z.infer<typeof LessonSchema>;

export const CertificateSummarySchema = z.object({ code: z.string(), issued_at: timestamp, verification_url: z.string() }).openapi("CourseCertificateSummary");

export const EnrollmentSchema = z
  .object({
    course_id: z.uuid(),
    status: z.enum(ENROLLMENT_STATUSES),
    progress_percent: z.number().int(),
    enrolled_at: timestamp,
    completed_at: timestamp.nullable(),
    last_accessed_at: timestamp.nullable(),
    certificate: CertificateSummarySchema.nullable(),
  })
  .openapi("CourseEnrollment");
export type Enrollment = z.infer<typeof EnrollmentSchema>;

export const CourseSchema = z
  .object({
    ...courseSummaryShape,
    lessons: z.array(LessonSchema),
    quizzes: z.array(QuizSummarySchema).openapi({ description: "Course-level quizzes (lesson quizzes are on their lesson)" }),
    viewer: z
      .object({
        is_educator: z.boolean(),
        can_enroll: z.boolean().openapi({ description: "Published, not yours, not enrolled: POST enrollment (free) or buy product_id (paid)" }),
        enrollment: EnrollmentSchema.nullable(),
      })
      .openapi({ description: "Your relation to the course (anonymous: not educator, no enrolment)" }),
  })
  .openapi("Course");
export type Course = z.infer<typeof CourseSchema>;

export const CourseListSchema = z.object({ items: z.array(CourseSummarySchema), next_cursor: z.string().nullable() }).openapi("CourseList");
export const MyCourseSchema = z.object({ course: CourseSummarySchema, enrollment: EnrollmentSchema }).openapi("MyCourse");
export const MyCourseListSchema = z.object({ items: z.array(MyCourseSchema), next_cursor: z.string().nullable() }).openapi("MyCourseList");
export const LessonListSchema = z.object({ items: z.array(LessonSchema) }).openapi("CourseLessonList");

export const ProgressAnswerSchema = z
  .object({
    lesson: LessonProgressSchema,
    enrollment: EnrollmentSchema,
    certificate: z.record(z.string(), z.unknown()).nullable().openapi({ description: "The certificate this write earned (the course just completed), else null" }),
  })
  .openapi("CourseProgressAnswer");

const Bucket = z.object({ range: z.string().openapi({ example: "26-50" }), learners: z.number().int() });
export const StatsSchema = z
  .object({
    course_id: z.uuid(),
    enrollments: z.object({ active: z.number().int(), completed: z.number().int(), cancelled: z.number().int(), refunded: z.number().int() }),
    learners: z.number().int().openapi({ description: "Active and completed enrolments" }),
    completions: z.number().int().openapi({ description: "Enrolments that completed the course (certificates issued), whatever their status now" }),
    min_cohort: z.number().int().openapi({ description: `Below this many learners, the detail below is withheld (null)` }),
    withheld: z.boolean(),
    progress_distribution: z.array(Bucket).nullable(),
    average_progress_percent: z.number().nullable(),
    lessons: z.array(z.object({ lesson_id: z.uuid(), title: z.string(), position: z.number().int(), started: z.number().int(), completed: z.number().int() })).nullable(),
    quizzes: z
      .array(z.object({ quiz_id: z.uuid(), title: z.string(), lesson_id: z.uuid().nullable(), is_required: z.boolean(), learners_attempted: z.number().int(), learners_passed: z.number().int(), pass_rate: z.number().nullable() }))
      .nullable(),
  })
  .openapi("CourseStats");
export type CourseStats = z.infer<typeof StatsSchema>;
