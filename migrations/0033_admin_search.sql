-- §16 Administration: the indexes behind the admin API's searches.

-- The audit log's unfiltered page (newest first, keyset over (created_at, id)): each monthly partition
-- answers in index order and the planner merges them, so a page reads ~limit rows instead of sorting
-- 24 months. The filtered searches use the per-column indexes of 0013.
CREATE INDEX idx_audit_logs_created_at_id ON audit_logs (created_at DESC, id DESC);

-- Admins find accounts by the start of an email or username, deleted accounts included (the
-- uniqueness indexes of 0002 cover live accounts only and, under a non-C collation, cannot serve LIKE).
CREATE INDEX idx_users_email_prefix ON users (lower(email) text_pattern_ops);
CREATE INDEX idx_users_username_prefix ON users (lower(username) text_pattern_ops);
