-- Reverts 0013_admin, in reverse order (dropping the partitioned audit_logs drops its partitions).
DROP TABLE IF EXISTS feature_flags;
DROP TABLE IF EXISTS system_configs;
DROP TRIGGER IF EXISTS trg_orders_audit ON orders;
DROP TRIGGER IF EXISTS trg_users_audit ON users;
DROP FUNCTION IF EXISTS audit_trigger();
DROP FUNCTION IF EXISTS audit_is_redacted_key(text);
DROP TABLE IF EXISTS audit_logs;
DROP FUNCTION IF EXISTS audit_logs_append_only();
DROP TABLE IF EXISTS moderation_actions;
DROP FUNCTION IF EXISTS sync_user_moderation_state();
DROP TABLE IF EXISTS moderation_reports;
