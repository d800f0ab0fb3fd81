-- Reverts 0010_cloud.sql (reverse order). Dropping a table drops its indexes, constraints and triggers.
DROP TABLE IF EXISTS sync_operations;
DROP TABLE IF EXISTS backup_jobs;
DROP TABLE IF EXISTS cloud_accounts;
