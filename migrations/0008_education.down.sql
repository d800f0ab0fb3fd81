-- Reverts 0008_education.sql (reverse order). Dropping a table drops its indexes, constraints and triggers.
DROP TABLE IF EXISTS certificates;
DROP TABLE IF EXISTS quiz_attempts;
DROP FUNCTION IF EXISTS enforce_quiz_max_attempts();
DROP TABLE IF EXISTS quizzes;
DROP TRIGGER IF EXISTS trg_lesson_progress_percent ON lesson_progress;
DROP FUNCTION IF EXISTS sync_lesson_progress_percent();
DROP TRIGGER IF EXISTS trg_lessons_count ON lessons;
DROP FUNCTION IF EXISTS sync_course_lesson_count();
DROP FUNCTION IF EXISTS recompute_course_progress(UUID, UUID);
DROP TABLE IF EXISTS lesson_progress;
DROP TABLE IF EXISTS course_enrollments;
DROP FUNCTION IF EXISTS sync_course_enrollment_count();
DROP TABLE IF EXISTS lessons;
DROP TABLE IF EXISTS courses;
