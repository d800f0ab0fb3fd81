// Education: spec §11 (tables named only; columns designed in migrations/0008_education.sql, the source
// of truth). CHECKs, indexes and the triggers that keep courses.lesson_count / enrollment_count,
// course_enrollments.progress_percent and the quiz attempt limit live there.
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, jsonb, numeric, char, foreignKey } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { files } from "./files";
import { products, orders } from "./marketplace";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type CourseLevel = "beginner" | "intermediate" | "advanced" | "all";
export type CourseStatus = "draft" | "published" | "archived";
export type LessonContentType = "text" | "video" | "audio";
export type EnrollmentStatus = "active" | "completed" | "cancelled" | "refunded";
export type LessonProgressStatus = "started" | "completed";
export type QuizAttemptStatus = "in_progress" | "submitted" | "graded";
export type CertificateSignatureAlgorithm = "Ed25519" | "ECDSA-P256" | "HMAC-SHA256";

/** One question of quizzes.questions. `correct` holds option indexes (single/multiple) or accepted
 * answers (short): never send it to learners. */
export interface QuizQuestion {
  id: string;
  type: "single" | "multiple" | "short";
  prompt: string;
  options?: string[];
  correct: number[] | string[];
  points: number;
}
export interface QuizAnswer {
  questionId: string;
  answer: number[] | string;
}

/** Price 0 = free; a paid course is sold through the marketplace via product_id (one course per product). */
export const courses = pgTable("courses", {
  id: uuid("id").primaryKey().defaultRandom(),
  educatorId: uuid("educator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  title: varchar("title", { length: 255 }).notNull(),
  slug: varchar("slug", { length: 255 }).notNull(),
  description: text("description"),
  level: varchar("level", { length: 20 }).$type<CourseLevel>().notNull().default("all"),
  language: varchar("language", { length: 5 }).notNull().default("en"),
  price: numeric("price", { precision: 10, scale: 2 }).notNull().default("0"),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  productId: uuid("product_id").references(() => products.id, { onDelete: "set null" }),
  coverFileId: uuid("cover_file_id").references(() => files.id, { onDelete: "set null" }),
  status: varchar("status", { length: 20 }).$type<CourseStatus>().notNull().default("draft"),
  lessonCount: integer("lesson_count").notNull().default(0),
  enrollmentCount: integer("enrollment_count").notNull().default(0),
  publishedAt: ts("published_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** UNIQUE (course_id, position) is DEFERRABLE INITIALLY DEFERRED: reorder with one UPDATE. */
export const lessons = pgTable("lessons", {
  id: uuid("id").primaryKey().defaultRandom(),
  courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
  title: varchar("title", { length: 255 }).notNull(),
  contentType: varchar("content_type", { length: 10 }).$type<LessonContentType>().notNull().default("text"),
  content: text("content"),
  mediaFileId: uuid("media_file_id").references(() => files.id, { onDelete: "set null" }),
  durationSeconds: integer("duration_seconds"),
  position: integer("position").notNull(),
  isPreview: boolean("is_preview").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const courseEnrollments = pgTable("course_enrollments", {
  id: uuid("id").primaryKey().defaultRandom(),
  courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  orderId: uuid("order_id").references(() => orders.id, { onDelete: "set null" }),
  status: varchar("status", { length: 20 }).$type<EnrollmentStatus>().notNull().default("active"),
  progressPercent: integer("progress_percent").notNull().default(0), // kept by triggers
  completedAt: ts("completed_at"),
  lastAccessedAt: ts("last_accessed_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** (course_id, user_id) must be an enrolment and (lesson_id, course_id) a lesson of that course. */
export const lessonProgress = pgTable("lesson_progress", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull(),
  courseId: uuid("course_id").notNull(),
  lessonId: uuid("lesson_id").notNull(),
  status: varchar("status", { length: 20 }).$type<LessonProgressStatus>().notNull().default("started"),
  positionSeconds: integer("position_seconds").notNull().default(0),
  startedAt: ts("started_at").notNull().defaultNow(),
  completedAt: ts("completed_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [
  foreignKey({ name: "fk_lesson_progress_course_enrollments", columns: [t.courseId, t.userId], foreignColumns: [courseEnrollments.courseId, courseEnrollments.userId] }).onDelete("cascade"),
  foreignKey({ name: "fk_lesson_progress_lessons", columns: [t.lessonId, t.courseId], foreignColumns: [lessons.id, lessons.courseId] }).onDelete("cascade"),
]);

/** lesson_id NULL = a course-level quiz. max_attempts NULL = unlimited. */
export const quizzes = pgTable("quizzes", {
  id: uuid("id").primaryKey().defaultRandom(),
  courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
  lessonId: uuid("lesson_id"),
  title: varchar("title", { length: 255 }).notNull(),
  description: text("description"),
  questions: jsonb("questions").$type<QuizQuestion[]>().notNull().default(sql`'[]'`),
  passMarkPercent: integer("pass_mark_percent").notNull().default(70),
  maxAttempts: integer("max_attempts"),
  isRequired: boolean("is_required").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [
  foreignKey({ name: "fk_quizzes_lessons", columns: [t.lessonId, t.courseId], foreignColumns: [lessons.id, lessons.courseId] }).onDelete("cascade"),
]);

export const quizAttempts = pgTable("quiz_attempts", {
  id: uuid("id").primaryKey().defaultRandom(),
  quizId: uuid("quiz_id").notNull().references(() => quizzes.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  attemptNumber: integer("attempt_number").notNull(),
  status: varchar("status", { length: 20 }).$type<QuizAttemptStatus>().notNull().default("in_progress"),
  answers: jsonb("answers").$type<QuizAnswer[]>().notNull().default(sql`'[]'`),
  scorePoints: numeric("score_points", { precision: 8, scale: 2 }),
  maxPoints: numeric("max_points", { precision: 8, scale: 2 }),
  scorePercent: numeric("score_percent", { precision: 5, scale: 2 }),
  passed: boolean("passed"),
  startedAt: ts("started_at").notNull().defaultNow(),
  submittedAt: ts("submitted_at"),
  gradedAt: ts("graded_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Public verification by code (GET /v1/certificates/:code); the snapshot columns are what is signed. */
export const certificates = pgTable("certificates", {
  id: uuid("id").primaryKey().defaultRandom(),
  courseId: uuid("course_id").references(() => courses.id, { onDelete: "set null" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  code: varchar("code", { length: 64 }).notNull(),
  courseTitle: varchar("course_title", { length: 255 }).notNull(),
  learnerName: varchar("learner_name", { length: 255 }).notNull(),
  educatorName: varchar("educator_name", { length: 255 }),
  signature: text("signature").notNull(),
  signatureAlgorithm: varchar("signature_algorithm", { length: 20 }).$type<CertificateSignatureAlgorithm>().notNull().default("Ed25519"),
  signingKeyId: varchar("signing_key_id", { length: 64 }),
  issuedAt: ts("issued_at").notNull().defaultNow(),
  revokedAt: ts("revoked_at"),
  revocationReason: text("revocation_reason"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
