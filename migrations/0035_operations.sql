-- Operations (issue 10: the retention machinery and operational health, spec §18.3, §21.3, §23).

-- job_runs: one row per run of a cron job (scheduled or started by an admin), so GET
-- /v1/admin/health can say when each job last ran, how long it took and what it did. Written once,
-- when the run ends (one statement, no "running" row left behind by a Worker killed mid-run).
-- Kept 90 days, like the other activity logs (§18.1), by the purge-activity-logs job.
CREATE TABLE job_runs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  job_name VARCHAR(100) NOT NULL,
  trigger VARCHAR(20) NOT NULL,           -- 'cron' (a Cron Trigger) or 'manual' (POST /v1/admin/jobs/:name/run)
  actor_id UUID CONSTRAINT fk_job_runs_actor REFERENCES users(id) ON DELETE SET NULL, -- the admin, for manual runs
  status VARCHAR(20) NOT NULL,            -- 'succeeded' or 'failed'
  counts JSONB NOT NULL DEFAULT '{}',     -- what the job returned (rows deleted, anonymised, ...)
  error TEXT,                             -- the failure's message (never a stack or data)
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  duration_ms INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_job_runs_trigger CHECK (trigger IN ('cron', 'manual')),
  CONSTRAINT chk_job_runs_status CHECK (status IN ('succeeded', 'failed')),
  CONSTRAINT chk_job_runs_error CHECK ((status = 'failed') = (error IS NOT NULL)),
  CONSTRAINT chk_job_runs_counts_object CHECK (jsonb_typeof(counts) = 'object'),
  CONSTRAINT chk_job_runs_duration CHECK (duration_ms >= 0 AND finished_at >= started_at),
  CONSTRAINT chk_job_runs_manual_actor CHECK (trigger = 'manual' OR actor_id IS NULL)
);

-- "last run of each job" (DISTINCT ON job_name ORDER BY started_at DESC) and the 90-day purge
CREATE INDEX idx_job_runs_job_name_started_at ON job_runs(job_name, started_at DESC);
CREATE INDEX idx_job_runs_started_at ON job_runs(started_at);
CREATE INDEX idx_job_runs_actor_id ON job_runs(actor_id) WHERE actor_id IS NOT NULL;

CREATE TRIGGER trg_job_runs_updated_at BEFORE UPDATE ON job_runs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- audit_log_archives: the progress of archiving one expired audit_logs partition to R2 (§18.1: 24
-- months, then cold storage, then deletion). A partition is written as numbered JSON-lines parts in
-- (created_at, id) order; the cursor says where the next part starts, so a huge month is archived
-- over several bounded runs. dropped_at is set when the partition has been dropped.
CREATE TABLE audit_log_archives (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  partition_name VARCHAR(63) NOT NULL,
  month DATE NOT NULL,                    -- first day of the partition's month
  parts INTEGER NOT NULL DEFAULT 0,       -- R2 objects written so far
  rows_archived BIGINT NOT NULL DEFAULT 0,
  cursor_created_at TIMESTAMPTZ,          -- the last archived row's key (NULL before the first part)
  cursor_id UUID,
  dropped_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_audit_log_archives_partition_name UNIQUE (partition_name),
  CONSTRAINT chk_audit_log_archives_parts CHECK (parts >= 0 AND rows_archived >= 0),
  CONSTRAINT chk_audit_log_archives_cursor_pair CHECK ((cursor_created_at IS NULL) = (cursor_id IS NULL)),
  CONSTRAINT chk_audit_log_archives_month CHECK (month = date_trunc('month', month)::date)
);

CREATE TRIGGER trg_audit_log_archives_updated_at BEFORE UPDATE ON audit_log_archives
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
