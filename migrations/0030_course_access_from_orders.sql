-- Paid courses (§11 with §10): a course with a price is sold as a marketplace product of category
-- 'course' (courses.product_id). Access follows the order, in the database, so that every path that
-- pays or refunds an order (the Stripe webhook, a free order completed at checkout, a moderator's
-- refund) grants or takes back the course the same way, inside the same transaction:
--   * an order becoming paid enrols its buyer in the course of each live item (a cancelled or
--     refunded enrolment of that learner is reactivated, keeping their progress);
--   * an item being revoked (its order refunded or cancelled, or the item refunded alone) marks the
--     enrolment it granted 'refunded' — lessons and quizzes are then closed to the learner, and
--     0031's trigger revokes the certificate earned through it.

CREATE FUNCTION enrol_paid_course_buyers() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid' AND NEW.user_id IS NOT NULL THEN
    INSERT INTO course_enrollments (course_id, user_id, order_id, status)
    SELECT DISTINCT c.id, NEW.user_id, NEW.id, 'active'
      FROM order_items oi JOIN courses c ON c.product_id = oi.product_id
     WHERE oi.order_id = NEW.id AND oi.revoked_at IS NULL
    ON CONFLICT (course_id, user_id) DO UPDATE
       SET order_id = EXCLUDED.order_id,
           status = CASE WHEN course_enrollments.status NOT IN ('cancelled', 'refunded') THEN course_enrollments.status
                         WHEN course_enrollments.completed_at IS NOT NULL THEN 'completed'
                         ELSE 'active' END;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_orders_enrol_courses AFTER UPDATE OF status ON orders
  FOR EACH ROW EXECUTE FUNCTION enrol_paid_course_buyers();

CREATE FUNCTION revoke_refunded_course_access() RETURNS trigger AS $$
DECLARE
  v_course_id uuid;
BEGIN
  IF NEW.revoked_at IS NULL OR OLD.revoked_at IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT c.id INTO v_course_id FROM courses c WHERE c.product_id = NEW.product_id;
  IF v_course_id IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE course_enrollments SET status = 'refunded'
   WHERE course_id = v_course_id AND order_id = NEW.order_id AND status IN ('active', 'completed');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_order_items_revoke_course_access AFTER UPDATE OF revoked_at ON order_items
  FOR EACH ROW EXECUTE FUNCTION revoke_refunded_course_access();
