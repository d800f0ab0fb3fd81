import { sql, type SQL } from "drizzle-orm";
import { forbidden, notFound } from "../../lib/errors";
import { courseVisibleTo, enrolledIn, teaches } from "../courses/course-view";

/**
 * Who may see a quiz: the course's educator (managing it), and learners enrolled in the course
 * (active or completed; a cancelled or refunded enrolment loses access) who can still see the
 * course (the courses domain's rule: not deleted, educator neither banned nor deleted, no block
 * either way). Anyone else who can see the course (published) is told to enrol (403); for the
 * rest the quiz does not exist (404).
 */
export type QuizAccess = { is_educator: boolean; is_learner: boolean; course_visible: boolean };

/** The QuizAccess columns for user `userId`, over a `courses` row aliased `c`. */
export const accessColumns = (userId: string): SQL => sql`
  ${teaches(userId)} AS is_educator,
  (${courseVisibleTo(userId)} AND ${enrolledIn(userId)}) AS is_learner,
  ${courseVisibleTo(userId)} AS course_visible`;

/** Throws unless the viewer may read (404/403 as above); the row when found. */
export function assertCanRead<T extends QuizAccess>(row: T | undefined, what = "This quiz"): T {
  if (!row || !row.course_visible) throw notFound(what);
  if (row.is_educator || row.is_learner) return row;
  throw forbidden("Enrol in this course to take its quizzes.");
}

/** Throws unless the viewer is the course's educator (after the read check: 404/403). */
export function assertEducator<T extends QuizAccess>(row: T | undefined, what = "This quiz"): T {
  if (!row || !row.course_visible) throw notFound(what);
  if (!row.is_educator) throw forbidden("Only the course's educator may manage its quizzes.");
  return row;
}
