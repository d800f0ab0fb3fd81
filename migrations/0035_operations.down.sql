DROP TABLE IF EXISTS audit_log_archives;
DROP TABLE IF EXISTS job_runs;
