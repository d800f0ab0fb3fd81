-- Certificates (§11.7) follow the enrolment that earned them, whatever path changes it (the order
-- triggers of 0030, a moderator's fix):
--   * an enrolment becoming 'refunded' revokes the learner's live certificate of that course;
--   * an enrolment reactivated from 'refunded' (the course bought again) reinstates a certificate
--     that a refund revoked — and only that: a revocation for another reason (fraud, set by the
--     course's educator or a moderator through the API) stands.
-- The refund's reason text is the marker.

CREATE FUNCTION sync_certificate_with_enrolment() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'refunded' AND OLD.status <> 'refunded' THEN
    UPDATE certificates SET revoked_at = now(), revocation_reason = 'The course purchase was refunded.'
     WHERE course_id = NEW.course_id AND user_id = NEW.user_id AND revoked_at IS NULL;
  ELSIF OLD.status = 'refunded' AND NEW.status IN ('active', 'completed') THEN
    UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL
     WHERE course_id = NEW.course_id AND user_id = NEW.user_id
       AND revoked_at IS NOT NULL AND revocation_reason = 'The course purchase was refunded.';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_course_enrollments_certificate AFTER UPDATE OF status ON course_enrollments
  FOR EACH ROW EXECUTE FUNCTION sync_certificate_with_enrolment();
