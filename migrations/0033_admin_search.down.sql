DROP INDEX IF EXISTS idx_users_username_prefix;
DROP INDEX IF EXISTS idx_users_email_prefix;
DROP INDEX IF EXISTS idx_audit_logs_created_at_id;
