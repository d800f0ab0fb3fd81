import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { bytes } from "../tracks/responses";
import { json, jsonBody, optionalBearer, problems, readErrors, signedIn, writeErrors } from "./responses";
import * as s from "./schemas";

const tags = ["Courses"];

/** Who sees a course: said once, used by the routes' descriptions. */
export const VISIBILITY =
  "Who sees a course: anyone while it is published and its educator is neither banned nor deleted, unless a block stands either way between you; its educator always (drafts, archived); an enrolled learner (active or completed) also after it left the catalogue. Others get 404.";


export const createCourseRoute = createRoute({
  method: "post",
  path: "/v1/courses",
  tags,
  summary: "Create a course (a draft)",
  description:
    "Verified educators only (403 otherwise). The course starts as a draft: add lessons, then PATCH status to published. Price 0 (the default) is free; a paid course is sold through the marketplace (a product is created when it is published). The cover must be one of your live image files. The slug is derived from the title unless given (409 when a given one is taken). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "courses")] as const,
  request: { body: jsonBody(s.CreateCourseSchema) },
  responses: { 201: json("The new course, as its educator sees it", s.CourseSchema), ...writeErrors, 409: problems[409] },
});

export const browseRoute = createRoute({
  method: "get",
  path: "/v1/courses",
  tags,
  summary: "Browse the course catalogue",
  description: `Published courses, newest first, by cursor; filters: level, language, price (free or paid), q (words in the title or description). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { query: s.CatalogueQuerySchema },
  responses: { 200: json("A page of courses", s.CourseListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const getCourseRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}",
  tags,
  summary: "A course page",
  description: `By id or slug: the course, its educator, its lessons in order (content and media only for lessons you may open: the educator, enrolled learners, anyone for preview lessons), the quizzes' summaries (never their questions), and signed in: your enrolment (progress, certificate) and your progress per lesson. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: s.CourseRefParamSchema },
  responses: { 200: json("The course", s.CourseSchema), ...readErrors },
});

export const updateCourseRoute = createRoute({
  method: "patch",
  path: "/v1/courses/{id}",
  tags,
  summary: "Edit, publish, unpublish or archive a course (its educator)",
  description:
    "Any field; `status`: published (needs a lesson and the verified educator role), draft (off the catalogue), archived (off the catalogue; enrolled learners keep access). A paid course's marketplace product follows in the same transaction: on sale while published, off sale otherwise, same title and price. Another's course is 403 (404 if hidden from you). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "courses")] as const,
  request: { params: s.CourseIdParamSchema, body: jsonBody(s.UpdateCourseSchema) },
  responses: { 200: json("The course as edited", s.CourseSchema), ...writeErrors, 409: problems[409] },
});

export const deleteCourseRoute = createRoute({
  method: "delete",
  path: "/v1/courses/{id}",
  tags,
  summary: "Delete a course (its educator)",
  description: "A soft delete that releases the slug and takes its product off the marketplace. Refused (409) while learners are enrolled: archive it instead. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: s.CourseIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeErrors, 409: problems[409] },
});

export const coverRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}/cover",
  tags,
  summary: "A course's cover image",
  description: `${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: s.CourseIdParamSchema },
  responses: { 200: bytes("The image", "image/png", "image/jpeg", "image/webp"), 206: bytes("Part of the image", "image/png"), ...readErrors, 416: problems[416] },
});

export const statsRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}/stats",
  tags,
  summary: "How my course is doing (its educator)",
  description: `Counts only — enrolments by status, completions, the spread of progress (0, 1-25, 26-50, 51-75, 76-99, 100), per-lesson started/completed counts, per-quiz pass rates — never a learner's identity, row or timestamps. Below ${s.MIN_COHORT} learners only the counts by status are shown (withheld: true). Another's course is 403 (404 if hidden). One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: s.CourseIdParamSchema },
  responses: { 200: json("The course's statistics", s.StatsSchema), ...readErrors },
});

export const createLessonRoute = createRoute({
  method: "post",
  path: "/v1/courses/{id}/lessons",
  tags,
  summary: "Add a lesson (the course's educator)",
  description: "Appended after the last lesson. text: Markdown in content; video or audio: media_file_id, one of your live files of that type (streamed with byte ranges). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "courses")] as const,
  request: { params: s.CourseIdParamSchema, body: jsonBody(s.CreateLessonSchema) },
  responses: { 201: json("The lesson", s.LessonSchema), ...writeErrors, 409: problems[409] },
});

export const reorderRoute = createRoute({
  method: "put",
  path: "/v1/courses/{id}/lessons/order",
  tags,
  summary: "Reorder the lessons (the course's educator)",
  description: "The full list of the course's lesson ids in their new order, each once (422 otherwise); applied atomically in one UPDATE. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "courses")] as const,
  request: { params: s.CourseIdParamSchema, body: jsonBody(s.ReorderSchema) },
  responses: { 200: json("The lessons in their new order", s.LessonListSchema), ...writeErrors, 409: problems[409] },
});

export const getLessonRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}/lessons/{lessonId}",
  tags,
  summary: "A lesson, with its content",
  description: `For its educator, enrolled learners, and anyone for a preview lesson of a published course; 403 for a lesson of a course you see but have not enrolled in. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: s.LessonParamSchema },
  responses: { 200: json("The lesson", s.LessonSchema), ...readErrors },
});

export const updateLessonRoute = createRoute({
  method: "patch",
  path: "/v1/courses/{id}/lessons/{lessonId}",
  tags,
  summary: "Edit a lesson (the course's educator)",
  description: "Any field; turning a media lesson into a text one drops its media. Positions change through the order route. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "courses")] as const,
  request: { params: s.LessonParamSchema, body: jsonBody(s.UpdateLessonSchema) },
  responses: { 200: json("The lesson as edited", s.LessonSchema), ...writeErrors, 409: problems[409] },
});

export const deleteLessonRoute = createRoute({
  method: "delete",
  path: "/v1/courses/{id}/lessons/{lessonId}",
  tags,
  summary: "Remove a lesson (the course's educator)",
  description: "The lessons after it move up; learners' progress on it and its quizzes go, and every learner's percentage is recomputed. The only lesson of a published course stays (409). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: s.LessonParamSchema },
  responses: { 204: { description: "Removed" }, ...writeErrors, 409: problems[409] },
});

export const lessonMediaRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}/lessons/{lessonId}/media",
  tags,
  summary: "A lesson's video or audio",
  description: "Streamed with byte ranges (206), to the educator, enrolled learners, and anyone for a preview lesson of a published course; 404 for everyone else. One database round trip.",
  security: optionalBearer,
  request: { params: s.LessonParamSchema },
  responses: { 200: bytes("The media", "video/mp4", "audio/mpeg"), 206: bytes("Part of the media", "video/mp4", "audio/mpeg"), ...readErrors, 416: problems[416] },
});

export const progressRoute = createRoute({
  method: "put",
  path: "/v1/courses/{id}/lessons/{lessonId}/progress",
  tags,
  summary: "Record my progress on a lesson",
  description:
    "An enrolled learner (active or completed) records a lesson started (position_seconds: where to resume a media lesson, clamped to its duration) or completed (stays completed). Answers the lesson's progress, the enrolment with the course percentage, and the certificate when this write completed the course. At most two database round trips (the second only to issue the certificate).",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "courses")] as const,
  request: { params: s.LessonParamSchema, body: jsonBody(s.ProgressSchema) },
  responses: { 200: json("My progress", s.ProgressAnswerSchema), ...writeErrors },
});

export const enrolRoute = createRoute({
  method: "post",
  path: "/v1/courses/{id}/enrollment",
  tags,
  summary: "Enrol in a course",
  description:
    "A free published course: enrols (idempotent; rejoining after leaving resumes where you stopped). A paid course answers 402 with `product_id`: buy it through the marketplace's checkout, the paid order enrols you. Not your own course, nor one that is not published (409). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "courses")] as const,
  request: { params: s.CourseIdParamSchema },
  responses: { 200: json("My enrolment", s.EnrollmentSchema), ...writeErrors, 402: problems[402], 409: problems[409] },
});

export const leaveRoute = createRoute({
  method: "delete",
  path: "/v1/courses/{id}/enrollment",
  tags,
  summary: "Leave a course",
  description: "Your enrolment is cancelled; your progress is kept (rejoining resumes) and a certificate already issued stays yours. 404 when not enrolled. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "courses")] as const,
  request: { params: s.CourseIdParamSchema },
  responses: { 204: { description: "Left" }, ...writeErrors },
});

export const myCoursesRoute = createRoute({
  method: "get",
  path: "/v1/me/courses",
  tags,
  summary: "My courses (as a learner)",
  description: "The courses I am enrolled in (active or completed) with my progress, the one I last opened first. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: s.PageQuerySchema },
  responses: { 200: json("A page of my courses", s.MyCourseListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const teachingRoute = createRoute({
  method: "get",
  path: "/v1/me/teaching",
  tags,
  summary: "The courses I teach, drafts included",
  description: "Every course of mine that is not deleted, newest first, by cursor; `status` narrows it. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: s.TeachingQuerySchema },
  responses: { 200: json("A page of courses", s.CourseListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const educatorCoursesRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/courses",
  tags,
  summary: "An educator's published courses",
  description: "With the catalogue's filters. 404 for a deleted, banned or unknown user, or one with a block either way with you. One database round trip.",
  security: optionalBearer,
  request: { params: s.UsernameParamSchema, query: s.CatalogueQuerySchema },
  responses: { 200: json("A page of courses", s.CourseListSchema), ...readErrors },
});
