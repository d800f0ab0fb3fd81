-- §16 Administration: moderation_reports, moderation_actions, audit_logs (partitioned, append-only)
-- with the §22.3 audit trigger (fixed), system_configs, feature_flags.
-- The spec only names these tables; columns designed with its rules, audit_logs merged from §22.3,
-- chat-data-models.md (severity, user_agent, request id) and database-overview.md (action).

-- ---------------------------------------------------------------------------------------------
-- moderation_reports: a user reports content or another user. target_id is polymorphic (no FK).
-- No deleted_at: a report is evidence; it is closed (resolved/dismissed), never hidden.
CREATE TABLE moderation_reports (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- SET NULL (nullable): the report and its outcome outlive the reporter's account
  reporter_id UUID,
  target_type VARCHAR(20) NOT NULL,
  target_id UUID NOT NULL,
  -- author of the reported content (or the reported user): lets moderators see all reports about
  -- one person; addition
  target_user_id UUID,
  reason_category VARCHAR(30) NOT NULL,
  details TEXT,
  status VARCHAR(20) NOT NULL DEFAULT 'open',
  assigned_to UUID,
  resolved_at TIMESTAMPTZ,
  resolved_by UUID,                          -- addition: who closed it (assigned_to may change)
  resolution_note TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_moderation_reports_reporter FOREIGN KEY (reporter_id) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_reports_target_user FOREIGN KEY (target_user_id) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_reports_assigned_to FOREIGN KEY (assigned_to) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_reports_resolved_by FOREIGN KEY (resolved_by) REFERENCES users(id) ON DELETE SET NULL,
  -- playlist, review, course, room added to the brief's list: they carry user-written text too
  CONSTRAINT chk_moderation_reports_target_type_valid
    CHECK (target_type IN ('user', 'track', 'comment', 'post', 'message', 'product', 'group', 'playlist', 'review', 'course', 'room')),
  CONSTRAINT chk_moderation_reports_reason_category_valid
    CHECK (reason_category IN ('spam', 'harassment', 'hate_speech', 'violence', 'sexual_content', 'child_safety',
                               'self_harm', 'copyright', 'impersonation', 'misinformation', 'illegal_content', 'privacy', 'other')),
  CONSTRAINT chk_moderation_reports_status_valid CHECK (status IN ('open', 'in_review', 'resolved', 'dismissed')),
  -- closed <=> has a closing time
  CONSTRAINT chk_moderation_reports_resolved_at CHECK ((status IN ('resolved', 'dismissed')) = (resolved_at IS NOT NULL)),
  CONSTRAINT chk_moderation_reports_details_length CHECK (details IS NULL OR length(details) <= 5000)
);

-- One OPEN report per reporter and target (re-reporting after a closed one is allowed).
CREATE UNIQUE INDEX uq_moderation_reports_open_reporter_target
  ON moderation_reports(reporter_id, target_type, target_id) WHERE status IN ('open', 'in_review');
CREATE INDEX idx_moderation_reports_reporter_id ON moderation_reports(reporter_id);
CREATE INDEX idx_moderation_reports_target ON moderation_reports(target_type, target_id);
CREATE INDEX idx_moderation_reports_target_user_id ON moderation_reports(target_user_id);
CREATE INDEX idx_moderation_reports_assigned_to ON moderation_reports(assigned_to);
CREATE INDEX idx_moderation_reports_resolved_by ON moderation_reports(resolved_by);
-- the moderation queue
CREATE INDEX idx_moderation_reports_queue ON moderation_reports(status, created_at) WHERE status IN ('open', 'in_review');

CREATE TRIGGER trg_moderation_reports_updated_at BEFORE UPDATE ON moderation_reports
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- moderation_actions: what a moderator did, why, until when, and its appeal.
CREATE TABLE moderation_actions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  moderator_id UUID,                         -- SET NULL: the record outlives the moderator's account; NULL = automated
  -- the sanctioned user / author of the content. CASCADE: sanctions are that person's data and go
  -- with the account when it is finally purged (accounts are soft-deleted and anonymised first).
  target_user_id UUID,
  report_id UUID,
  action_type VARCHAR(20) NOT NULL,
  target_type VARCHAR(20),                   -- the content acted on (NULL for account-level actions)
  target_id UUID,
  reason TEXT NOT NULL,
  expires_at TIMESTAMPTZ,                    -- end of a suspension (or of a temporary hide)
  reversed_at TIMESTAMPTZ,
  reversed_by UUID,
  reversal_reason TEXT,                      -- addition
  appeal_status VARCHAR(20) NOT NULL DEFAULT 'none',
  appeal_text TEXT,
  appealed_at TIMESTAMPTZ,                   -- addition
  appeal_resolved_at TIMESTAMPTZ,            -- addition
  appeal_resolved_by UUID,                   -- addition
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_moderation_actions_moderator FOREIGN KEY (moderator_id) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_actions_target_user FOREIGN KEY (target_user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_moderation_actions_moderation_reports FOREIGN KEY (report_id) REFERENCES moderation_reports(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_actions_reversed_by FOREIGN KEY (reversed_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT fk_moderation_actions_appeal_resolved_by FOREIGN KEY (appeal_resolved_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT chk_moderation_actions_action_type_valid
    CHECK (action_type IN ('warn', 'hide_content', 'remove_content', 'suspend', 'ban', 'restore', 'unban')),
  CONSTRAINT chk_moderation_actions_target_type_valid
    CHECK (target_type IN ('user', 'track', 'comment', 'post', 'message', 'product', 'group', 'playlist', 'review', 'course', 'room')),
  CONSTRAINT chk_moderation_actions_target_pair CHECK ((target_type IS NULL) = (target_id IS NULL)),
  -- account actions need the account, content actions need the content
  CONSTRAINT chk_moderation_actions_user_required
    CHECK (action_type NOT IN ('warn', 'suspend', 'ban', 'unban') OR target_user_id IS NOT NULL),
  CONSTRAINT chk_moderation_actions_content_required
    CHECK (action_type NOT IN ('hide_content', 'remove_content', 'restore') OR target_id IS NOT NULL),
  CONSTRAINT chk_moderation_actions_reason_not_blank CHECK (length(btrim(reason)) > 0),
  CONSTRAINT chk_moderation_actions_suspend_expires CHECK (action_type <> 'suspend' OR expires_at IS NOT NULL),
  CONSTRAINT chk_moderation_actions_expires_after_created CHECK (expires_at IS NULL OR expires_at > created_at),
  CONSTRAINT chk_moderation_actions_reversed CHECK (reversed_by IS NULL OR reversed_at IS NOT NULL),
  CONSTRAINT chk_moderation_actions_appeal_status_valid CHECK (appeal_status IN ('none', 'pending', 'accepted', 'rejected')),
  CONSTRAINT chk_moderation_actions_appeal_filed
    CHECK (appeal_status = 'none' OR (appeal_text IS NOT NULL AND appealed_at IS NOT NULL)),
  CONSTRAINT chk_moderation_actions_appeal_decided
    CHECK ((appeal_status IN ('accepted', 'rejected')) = (appeal_resolved_at IS NOT NULL))
);

CREATE INDEX idx_moderation_actions_moderator_id ON moderation_actions(moderator_id);
-- a user's sanction history (and the FK index)
CREATE INDEX idx_moderation_actions_target_user_id_created_at ON moderation_actions(target_user_id, created_at DESC);
CREATE INDEX idx_moderation_actions_report_id ON moderation_actions(report_id);
CREATE INDEX idx_moderation_actions_reversed_by ON moderation_actions(reversed_by);
CREATE INDEX idx_moderation_actions_appeal_resolved_by ON moderation_actions(appeal_resolved_by);
CREATE INDEX idx_moderation_actions_target ON moderation_actions(target_type, target_id) WHERE target_id IS NOT NULL;
-- "is this user suspended/banned right now?" (checked at login)
CREATE INDEX idx_moderation_actions_active_sanctions ON moderation_actions(target_user_id, expires_at)
  WHERE action_type IN ('suspend', 'ban') AND reversed_at IS NULL;
-- the appeal queue
CREATE INDEX idx_moderation_actions_appeal_pending ON moderation_actions(appealed_at) WHERE appeal_status = 'pending';

CREATE TRIGGER trg_moderation_actions_updated_at BEFORE UPDATE ON moderation_actions
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- users.is_banned (§4.1) follows the ban/unban actions, and a ban or suspension bumps
-- users.token_version so every existing JWT dies at once (one INSERT does both: no interactive
-- transaction needed). Reversing a ban lifts it.
CREATE FUNCTION sync_user_moderation_state() RETURNS trigger AS $$
BEGIN
  IF NEW.target_user_id IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.action_type = 'ban' THEN
      UPDATE users SET is_banned = true, token_version = token_version + 1 WHERE id = NEW.target_user_id;
    ELSIF NEW.action_type = 'suspend' THEN
      UPDATE users SET token_version = token_version + 1 WHERE id = NEW.target_user_id;
    ELSIF NEW.action_type = 'unban' THEN
      UPDATE users SET is_banned = false WHERE id = NEW.target_user_id;
    END IF;
  ELSIF OLD.reversed_at IS NULL AND NEW.reversed_at IS NOT NULL AND NEW.action_type = 'ban' THEN
    UPDATE users SET is_banned = false WHERE id = NEW.target_user_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_moderation_actions_sync_user AFTER INSERT OR UPDATE OF reversed_at ON moderation_actions
  FOR EACH ROW EXECUTE FUNCTION sync_user_moderation_state();

-- ---------------------------------------------------------------------------------------------
-- audit_logs: system audit trail, partitioned by month on created_at (§21.1), kept 24 months (§18.1:
-- the retention job detaches/drops whole partitions). Two kinds of rows:
--   * row changes written by audit_trigger(): table_name, operation, record_id, old_data, new_data;
--   * application actions written by the API: action ('consent.change', 'auth.password_change',
--     'moderation.ban', ...), ip_address, user_agent, metadata.
-- NO foreign keys on user_id / actor_id, on purpose: audit rows must outlive the users they mention,
-- and the table is append-only, so an ON DELETE SET NULL (which is an UPDATE) could not run anyway.
CREATE TABLE audit_logs (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  table_name VARCHAR(63),                    -- row changes: the audited table
  operation VARCHAR(10),                     -- row changes: INSERT / UPDATE / DELETE
  record_id UUID,                            -- row changes: the row's id
  old_data JSONB,                            -- UPDATE: changed columns, before; DELETE: the row
  new_data JSONB,                            -- UPDATE: changed columns, after; INSERT: the row
  user_id UUID,                              -- the subject: whose data this is
  actor_id UUID,                             -- who did it (NULL = system / unknown)
  action VARCHAR(100),                       -- application action
  ip_address INET,
  user_agent TEXT,
  request_id UUID,                           -- chat-data-models.md: correlates with request logs
  severity audit_severity NOT NULL DEFAULT 'info',
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- The immutable rules want updated_at on every table; here it always equals created_at because
  -- updates are refused (see trg_audit_logs_append_only).
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (id, created_at),
  CONSTRAINT chk_audit_logs_operation_valid CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
  CONSTRAINT chk_audit_logs_row_change_pair CHECK ((table_name IS NULL) = (operation IS NULL)),
  CONSTRAINT chk_audit_logs_kind CHECK (table_name IS NOT NULL OR action IS NOT NULL),
  CONSTRAINT chk_audit_logs_action_format CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  CONSTRAINT chk_audit_logs_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
) PARTITION BY RANGE (created_at);

-- index names from database-overview.md / chat-data-models.md where they exist
CREATE INDEX idx_audit_logs_user_id ON audit_logs(user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX idx_audit_logs_actor_id ON audit_logs(actor_id, created_at DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX idx_audit_logs_action ON audit_logs(action, created_at DESC) WHERE action IS NOT NULL;
CREATE INDEX idx_audit_logs_resource ON audit_logs(table_name, record_id, created_at DESC) WHERE table_name IS NOT NULL;
CREATE INDEX idx_audit_logs_severity ON audit_logs(severity, created_at DESC) WHERE severity IN ('warning', 'error', 'critical');
CREATE INDEX idx_audit_logs_ip ON audit_logs(ip_address) WHERE ip_address IS NOT NULL;
CREATE INDEX idx_audit_logs_created_at ON audit_logs USING BRIN (created_at);

-- Append-only: any UPDATE or DELETE of a row raises 42501 (insufficient_privilege), whoever runs it.
-- Retention drops or detaches whole partitions, which fires no row trigger. The single exception is
-- ensure_monthly_partition() (0001) moving rows that fell into audit_logs_default into their new month
-- partition (DELETE + re-INSERT of the same rows): recognised from the call stack.
CREATE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
DECLARE
  stack text;
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_logs_default' THEN
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF stack LIKE '%function ensure_monthly_partition(text,date)%' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Retention detaches or drops whole monthly partitions.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER trg_audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();
-- Kept for the convention (every table with updated_at has one); never reached, since
-- trg_audit_logs_append_only (fires first: triggers run in name order) refuses every UPDATE.
CREATE TRIGGER trg_audit_logs_updated_at BEFORE UPDATE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

SELECT ensure_monthly_partitions('audit_logs', date_trunc('month', now())::date, 4);

-- Column names whose values never enter audit_logs: secrets (password hashes, TOTP secrets and
-- backup codes, any token or encrypted credential) and direct personal identifiers (email, names,
-- IPs, billing identity), so that a 24-month append-only log neither leaks credentials nor defeats
-- the §19.3 anonymisation of a deleted account. The audit row still says WHICH of them changed
-- (metadata.redacted_keys). token_version and *_at timestamps are not secrets and are kept.
CREATE FUNCTION audit_is_redacted_key(k text) RETURNS boolean AS $$
  SELECT k <> 'token_version' AND k !~ '_at$' AND (   -- timestamps (last_password_change_at...) are not secrets
       k ~ '(^|_)(password|passwd|secret|secrets|token|tokens|otp|totp|salt)(_|$)'
    OR k ~ '_(hash|encrypted|ciphertext)$'
    OR k IN ('backup_codes', 'recovery_codes', 'credentials', 'api_key', 'private_key',
             'email', 'username', 'first_name', 'last_name', 'display_name', 'last_login_ip', 'ip_address',
             'billing_email', 'billing_name', 'billing_address', 'phone', 'birthdate'))
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- §22.3 audit_trigger, fixed:
--  * the spec's `NEW.user_id` raises for tables without a user_id column (users!) and NEW is unassigned
--    on DELETE: read columns through to_jsonb(row) instead; the subject is the row's user_id, or the
--    row itself for users;
--  * UPDATE keeps the old AND new values (§19.2: consent changes are traced "avec l'ancien et le
--    nouveau état"), but only of the columns that changed; an UPDATE changing nothing but updated_at
--    writes no row;
--  * secrets and identifiers are stripped (audit_is_redacted_key);
--  * actor_id comes from the transaction setting veza.actor_id (the API runs
--    `SELECT set_config('veza.actor_id', $1, true)` first in its batch); NULL when unset or not a UUID.
CREATE FUNCTION audit_trigger() RETURNS trigger AS $$
DECLARE
  old_row jsonb;
  new_row jsonb;
  the_row jsonb;
  old_data jsonb;
  new_data jsonb;
  redacted text[];
  actor text := current_setting('veza.actor_id', true);
  uuid_re constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  subject text;
  rec text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_row := to_jsonb(OLD);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_row := to_jsonb(NEW);
  END IF;
  the_row := COALESCE(new_row, old_row);

  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(n.key, o.value), jsonb_object_agg(n.key, n.value)
      INTO old_data, new_data
      FROM jsonb_each(new_row) AS n
      JOIN jsonb_each(old_row) AS o ON o.key = n.key
     WHERE n.value IS DISTINCT FROM o.value
       AND n.key <> 'updated_at';
    IF new_data IS NULL THEN
      RETURN NULL;                            -- nothing but updated_at changed
    END IF;
  ELSE
    old_data := old_row;
    new_data := new_row;
  END IF;

  SELECT array_agg(k ORDER BY k) INTO redacted
    FROM jsonb_object_keys(COALESCE(new_data, old_data)) AS k
   WHERE audit_is_redacted_key(k);
  IF redacted IS NOT NULL THEN
    old_data := old_data - redacted;
    new_data := new_data - redacted;
  END IF;

  subject := COALESCE(the_row->>'user_id', CASE WHEN TG_TABLE_NAME = 'users' THEN the_row->>'id' END);
  rec := the_row->>'id';

  INSERT INTO audit_logs (table_name, operation, record_id, old_data, new_data, user_id, actor_id, severity, metadata)
  VALUES (
    TG_TABLE_NAME,
    TG_OP,
    CASE WHEN rec ~ uuid_re THEN rec::uuid END,
    old_data,
    new_data,
    CASE WHEN subject ~ uuid_re THEN subject::uuid END,
    CASE WHEN actor ~ uuid_re THEN actor::uuid END,
    CASE WHEN TG_OP = 'DELETE' THEN 'warning' ELSE 'info' END::audit_severity,
    CASE WHEN redacted IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('redacted_keys', to_jsonb(redacted)) END
  );
  RETURN NULL;                                -- AFTER trigger: return value ignored
END;
$$ LANGUAGE plpgsql;

-- §22.3: applied to the sensitive tables (users from 0002, orders from 0007)
CREATE TRIGGER trg_users_audit AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER trg_orders_audit AFTER INSERT OR UPDATE OR DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION audit_trigger();

-- ---------------------------------------------------------------------------------------------
-- system_configs: application settings editable by admins; is_public ones are readable by clients.
CREATE TABLE system_configs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  key VARCHAR(100) NOT NULL,
  value JSONB NOT NULL,
  value_type VARCHAR(10) NOT NULL DEFAULT 'string',
  description TEXT,
  is_public BOOLEAN NOT NULL DEFAULT false,
  updated_by UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_system_configs_users FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT uq_system_configs_key UNIQUE (key),
  CONSTRAINT chk_system_configs_key_format CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  CONSTRAINT chk_system_configs_value_type_valid CHECK (value_type IN ('string', 'number', 'boolean', 'json')),
  -- the JSON value has the declared type ('json' = an object or an array)
  CONSTRAINT chk_system_configs_value_matches_type CHECK (
       (value_type = 'string'  AND jsonb_typeof(value) = 'string')
    OR (value_type = 'number'  AND jsonb_typeof(value) = 'number')
    OR (value_type = 'boolean' AND jsonb_typeof(value) = 'boolean')
    OR (value_type = 'json'    AND jsonb_typeof(value) IN ('object', 'array')))
);

CREATE INDEX idx_system_configs_updated_by ON system_configs(updated_by);

CREATE TRIGGER trg_system_configs_updated_at BEFORE UPDATE ON system_configs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- feature_flags: a flag is on for a user when enabled AND (the user is listed, or has a listed role,
-- or falls in the rollout: hash(key || user id) mod 100 < rollout_percent, computed by the API).
-- allowed_user_ids cannot carry a FK (array); the account purge job removes purged ids. The table is a
-- few dozen rows read whole and cached: no GIN index on the arrays.
CREATE TABLE feature_flags (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  key VARCHAR(100) NOT NULL,
  description TEXT,
  enabled BOOLEAN NOT NULL DEFAULT false,
  rollout_percent INTEGER NOT NULL DEFAULT 0,
  allowed_user_ids UUID[] NOT NULL DEFAULT '{}',
  allowed_roles user_role[] NOT NULL DEFAULT '{}',
  updated_by UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_feature_flags_users FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT uq_feature_flags_key UNIQUE (key),
  CONSTRAINT chk_feature_flags_key_format CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  CONSTRAINT chk_feature_flags_rollout_percent_range CHECK (rollout_percent BETWEEN 0 AND 100)
);

CREATE INDEX idx_feature_flags_updated_by ON feature_flags(updated_by);

CREATE TRIGGER trg_feature_flags_updated_at BEFORE UPDATE ON feature_flags
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
