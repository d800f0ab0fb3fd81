DROP TRIGGER IF EXISTS trg_course_enrollments_certificate ON course_enrollments;
DROP FUNCTION IF EXISTS sync_certificate_with_enrolment();
