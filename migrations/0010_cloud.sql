-- Cloud storage (spec §13): cloud_accounts, backup_jobs, sync_operations. The spec only names these
-- tables; the columns are designed here from the product's needs: a user connects a WebDAV/Nextcloud
-- account, and backup jobs copy their track originals, project files and a data export to it, on a
-- schedule or on demand, through a queue; each copied file is recorded with its hash so that a re-run
-- copies only what changed.
-- Depends on users (0002_accounts) and files (0003_files).
-- No deleted_at here: disconnecting an account hard-deletes it so its credential does not linger
-- (and its jobs and sync records with it); jobs and sync records are machine state, not content.

-- ---------------------------------------------------------------------------------------------------
-- 13.1 cloud_accounts
CREATE TABLE cloud_accounts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_cloud_accounts_users REFERENCES users(id) ON DELETE CASCADE,
  provider VARCHAR(20) NOT NULL,
  display_name VARCHAR(100),
  server_url VARCHAR(2048) NOT NULL, -- WebDAV endpoint, normalised by the API (no trailing slash)
  username VARCHAR(255) NOT NULL,
  -- the app password, AES-256-GCM (WebCrypto) under a key from a secret binding (DESIGN §3):
  -- "<key id>:<base64url iv>:<base64url ciphertext+tag>". Never returned by the API.
  encrypted_password TEXT NOT NULL,
  -- pending: saved, not yet tested; active: last test passed; error: last test or job failed to
  -- authenticate/connect (see last_error); disabled: paused by the user
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  last_tested_at TIMESTAMPTZ,
  last_error TEXT,
  quota_used_bytes BIGINT,  -- from the server's quota properties at the last test, when it reports them
  quota_total_bytes BIGINT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_cloud_accounts_provider_valid CHECK (provider IN ('webdav', 'nextcloud')),
  CONSTRAINT chk_cloud_accounts_status_valid CHECK (status IN ('pending', 'active', 'error', 'disabled')),
  CONSTRAINT chk_cloud_accounts_server_url_format CHECK (server_url ~* '^https?://[^/[:space:]]+'),
  CONSTRAINT chk_cloud_accounts_encrypted_password_not_empty CHECK (length(encrypted_password) > 0),
  -- the connection is tested on save: an account cannot be active without a test
  CONSTRAINT chk_cloud_accounts_active_tested CHECK (status <> 'active' OR last_tested_at IS NOT NULL),
  CONSTRAINT chk_cloud_accounts_quota_non_negative CHECK (quota_used_bytes >= 0 AND quota_total_bytes >= 0),
  -- the same remote account connected twice by one user makes no sense (also the user_id FK index)
  CONSTRAINT uq_cloud_accounts_user_server_username UNIQUE (user_id, server_url, username)
);
CREATE TRIGGER trg_cloud_accounts_updated_at BEFORE UPDATE ON cloud_accounts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 13.2 backup_jobs
-- One row per configured job, holding the state of its current (or last) run; run_count numbers the
-- runs and sync_operations.run_number says which run last wrote a file. Owner = the account's user.
CREATE TABLE backup_jobs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  cloud_account_id UUID NOT NULL CONSTRAINT fk_backup_jobs_cloud_accounts
    REFERENCES cloud_accounts(id) ON DELETE CASCADE,
  name VARCHAR(100),
  -- what to copy
  include_tracks BOOLEAN NOT NULL DEFAULT true,       -- originals of my tracks
  include_projects BOOLEAN NOT NULL DEFAULT true,     -- my project files
  include_data_export BOOLEAN NOT NULL DEFAULT true,  -- a GDPR-style export of my data (JSON)
  remote_path VARCHAR(1024) NOT NULL DEFAULT '/Veza', -- destination folder on the account
  -- when: NULL = on demand only; otherwise a 5-field cron expression ("0 3 * * *") or a shorthand
  -- ("@daily", "@weekly"), evaluated in schedule_timezone by the scheduler, which sets next_run_at
  schedule VARCHAR(100),
  schedule_timezone VARCHAR(50) NOT NULL DEFAULT 'UTC',
  is_enabled BOOLEAN NOT NULL DEFAULT true,
  next_run_at TIMESTAMPTZ,
  -- the run
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  progress_percent INTEGER NOT NULL DEFAULT 0,
  files_total INTEGER NOT NULL DEFAULT 0,
  files_copied INTEGER NOT NULL DEFAULT 0,
  files_skipped INTEGER NOT NULL DEFAULT 0, -- unchanged since the last copy (same hash)
  files_failed INTEGER NOT NULL DEFAULT 0,
  bytes_total BIGINT NOT NULL DEFAULT 0,
  bytes_copied BIGINT NOT NULL DEFAULT 0,
  run_count INTEGER NOT NULL DEFAULT 0,
  error_message TEXT, -- why the run failed as a whole; per-file errors are in sync_operations
  queued_at TIMESTAMPTZ,
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  last_success_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_backup_jobs_status_valid CHECK (status IN ('pending', 'queued', 'running', 'completed', 'failed', 'cancelled')),
  CONSTRAINT chk_backup_jobs_progress_range CHECK (progress_percent BETWEEN 0 AND 100),
  CONSTRAINT chk_backup_jobs_scope_not_empty CHECK (include_tracks OR include_projects OR include_data_export),
  CONSTRAINT chk_backup_jobs_remote_path_absolute CHECK (remote_path LIKE '/%'),
  CONSTRAINT chk_backup_jobs_schedule_not_blank CHECK (btrim(schedule) <> ''),
  -- only scheduled jobs are picked up by the scheduler
  CONSTRAINT chk_backup_jobs_next_run_scheduled CHECK (next_run_at IS NULL OR schedule IS NOT NULL),
  CONSTRAINT chk_backup_jobs_counters_non_negative CHECK (files_total >= 0 AND files_copied >= 0
    AND files_skipped >= 0 AND files_failed >= 0 AND bytes_total >= 0 AND bytes_copied >= 0 AND run_count >= 0),
  CONSTRAINT chk_backup_jobs_files_done_within_total CHECK (files_copied + files_skipped + files_failed <= files_total),
  CONSTRAINT chk_backup_jobs_bytes_within_total CHECK (bytes_copied <= bytes_total)
);
CREATE INDEX idx_backup_jobs_cloud_account_id ON backup_jobs(cloud_account_id);
-- the scheduler: WHERE is_enabled AND next_run_at <= now() AND status NOT IN ('queued', 'running')
CREATE INDEX idx_backup_jobs_next_run_at ON backup_jobs(next_run_at) WHERE is_enabled AND next_run_at IS NOT NULL;
-- the watchdog for runs stuck in the queue or a dead consumer
CREATE INDEX idx_backup_jobs_status_active ON backup_jobs(status) WHERE status IN ('queued', 'running');
CREATE TRIGGER trg_backup_jobs_updated_at BEFORE UPDATE ON backup_jobs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 13.3 sync_operations
-- One row per remote file: the last copy of that path on that account, with the hash of what was
-- copied. A run upserts on (cloud_account_id, remote_path) and copies only when the hash differs or
-- the last copy did not complete:
--   INSERT ... ON CONFLICT (cloud_account_id, remote_path) DO UPDATE SET ..., status = 'pending'
--     WHERE sync_operations.content_hash <> EXCLUDED.content_hash OR sync_operations.status <> 'completed'
--   RETURNING id   -- a row back = copy it; no row = unchanged, skip
-- Not UNIQUE (cloud_account_id, remote_path, content_hash): with one row per version, a file changed
-- A -> B -> A would find "A, completed" and be skipped although the remote holds B; and the table would
-- grow with every change instead of staying one row per remote file.
CREATE TABLE sync_operations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  cloud_account_id UUID NOT NULL CONSTRAINT fk_sync_operations_cloud_accounts
    REFERENCES cloud_accounts(id) ON DELETE CASCADE,
  -- SET NULL: the record still tells a later job what the remote holds
  backup_job_id UUID CONSTRAINT fk_sync_operations_backup_jobs REFERENCES backup_jobs(id) ON DELETE SET NULL,
  run_number INTEGER, -- backup_jobs.run_count of the run that last wrote this path
  source_type VARCHAR(20) NOT NULL,
  file_id UUID CONSTRAINT fk_sync_operations_files REFERENCES files(id) ON DELETE SET NULL, -- NULL for an export
  local_key TEXT NOT NULL, -- R2 key of the source object
  remote_path VARCHAR(2048) NOT NULL,
  content_hash VARCHAR(64) NOT NULL, -- SHA-256 hex, comparable with files.file_hash
  bytes BIGINT NOT NULL,
  remote_etag VARCHAR(255), -- ETag returned by the server after the PUT
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  attempt_count INTEGER NOT NULL DEFAULT 0,
  error_message TEXT,
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_sync_operations_source_type_valid CHECK (source_type IN ('track', 'project', 'data_export')),
  CONSTRAINT chk_sync_operations_status_valid CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
  CONSTRAINT chk_sync_operations_content_hash_format CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT chk_sync_operations_bytes_non_negative CHECK (bytes >= 0),
  CONSTRAINT chk_sync_operations_remote_path_absolute CHECK (remote_path LIKE '/%'),
  CONSTRAINT chk_sync_operations_run_number_positive CHECK (run_number > 0),
  CONSTRAINT chk_sync_operations_attempt_count_non_negative CHECK (attempt_count >= 0),
  CONSTRAINT chk_sync_operations_completed_at_set CHECK (status <> 'completed' OR completed_at IS NOT NULL),
  -- also the cloud_account_id FK index
  CONSTRAINT uq_sync_operations_account_remote_path UNIQUE (cloud_account_id, remote_path)
);
CREATE INDEX idx_sync_operations_backup_job_id ON sync_operations(backup_job_id) WHERE backup_job_id IS NOT NULL;
CREATE INDEX idx_sync_operations_file_id ON sync_operations(file_id) WHERE file_id IS NOT NULL;
CREATE TRIGGER trg_sync_operations_updated_at BEFORE UPDATE ON sync_operations
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
