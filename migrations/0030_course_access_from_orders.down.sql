DROP TRIGGER IF EXISTS trg_order_items_revoke_course_access ON order_items;
DROP FUNCTION IF EXISTS revoke_refunded_course_access();
DROP TRIGGER IF EXISTS trg_orders_enrol_courses ON orders;
DROP FUNCTION IF EXISTS enrol_paid_course_buyers();
