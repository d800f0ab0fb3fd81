-- §15 Analytics: analytics_events (raw events, partitioned, 12-month retention), daily_metrics,
-- track_analytics (per track and day, no user ids — §17.4), reports, dashboard_configs.
-- The spec only names these tables; columns designed with its rules. No per-user analytics table
-- (user_analytics is excluded by §17.1).

-- ---------------------------------------------------------------------------------------------
-- analytics_events: raw product events. Partitioned by MONTH on created_at (deviation: §21.1 says "by
-- day (event_date)"; monthly partitions keep ~12 live partitions instead of ~365 and use the shared
-- ensure_monthly_partitions helper; retention is monthly anyway).
-- Retention (§18.1/§18.2): after 12 months the anonymisation job sets user_id, session_id, ip_address
-- and user_agent to NULL and stamps anonymized_at (NULL, not a random UUID as §18.3 does for
-- playback_history: a random id per row links nothing and only looks like a person); partitions past
-- their aggregation are dropped whole.
CREATE TABLE analytics_events (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID,                         -- NULL for anonymous visitors and after anonymisation
  session_id UUID,                      -- client session, only to de-duplicate; cleared with user_id
  event_type VARCHAR(50) NOT NULL,      -- 'track.play', 'page.view', 'search.perform', ...
  entity_type VARCHAR(20),
  entity_id UUID,                       -- polymorphic (no FK); retained after anonymisation
  properties JSONB NOT NULL DEFAULT '{}', -- coarse context only (source, device class, country); never free text about a person
  ip_address INET,
  user_agent TEXT,
  anonymized_at TIMESTAMPTZ,            -- set by the anonymisation job (makes it idempotent)
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (id, created_at),
  -- A FK from a partitioned table is fine; SET NULL keeps the (now anonymous) event for aggregates.
  CONSTRAINT fk_analytics_events_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT chk_analytics_events_event_type_format CHECK (event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  CONSTRAINT chk_analytics_events_entity_type_valid
    CHECK (entity_type IN ('track', 'playlist', 'user', 'post', 'comment', 'product', 'order', 'course', 'lesson', 'group', 'room')),
  CONSTRAINT chk_analytics_events_entity_pair CHECK ((entity_type IS NULL) = (entity_id IS NULL)),
  CONSTRAINT chk_analytics_events_properties_object CHECK (jsonb_typeof(properties) = 'object'),
  -- an anonymised event keeps nothing that points at a person
  CONSTRAINT chk_analytics_events_anonymized_clean CHECK (
    anonymized_at IS NULL OR (user_id IS NULL AND session_id IS NULL AND ip_address IS NULL AND user_agent IS NULL))
) PARTITION BY RANGE (created_at);

-- FK index (partial: only identified events; still used by ON DELETE SET NULL's user_id = $1 lookup)
CREATE INDEX idx_analytics_events_user_id_created_at ON analytics_events(user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX idx_analytics_events_event_type_created_at ON analytics_events(event_type, created_at DESC);
CREATE INDEX idx_analytics_events_entity ON analytics_events(entity_type, entity_id, created_at DESC) WHERE entity_id IS NOT NULL;
-- time-range scans of the aggregation and anonymisation jobs inside a partition: BRIN is tiny on
-- append-only time data
CREATE INDEX idx_analytics_events_created_at_brin ON analytics_events USING BRIN (created_at);

CREATE TRIGGER trg_analytics_events_updated_at BEFORE UPDATE ON analytics_events
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

SELECT ensure_monthly_partitions('analytics_events', date_trunc('month', now())::date, 4);

-- ---------------------------------------------------------------------------------------------
-- daily_metrics: platform-wide aggregates, one value per (day, metric, dimension). dimension is a
-- coarse breakdown ('' = total; e.g. a genre, a country, a device class) — never a user id.
CREATE TABLE daily_metrics (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  metric_date DATE NOT NULL,
  metric_name VARCHAR(100) NOT NULL,    -- 'plays', 'signups', 'uploads', 'revenue_eur', ...
  dimension VARCHAR(255) NOT NULL DEFAULT '',
  value NUMERIC NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- the aggregation job upserts: ON CONFLICT (metric_date, metric_name, dimension) DO UPDATE
  CONSTRAINT uq_daily_metrics_date_name_dimension UNIQUE (metric_date, metric_name, dimension),
  CONSTRAINT chk_daily_metrics_metric_name_format CHECK (metric_name ~ '^[a-z][a-z0-9_.]*$')
);

-- a metric's time series
CREATE INDEX idx_daily_metrics_metric_name_date ON daily_metrics(metric_name, metric_date DESC);

CREATE TRIGGER trg_daily_metrics_updated_at BEFORE UPDATE ON daily_metrics
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- track_analytics: per track per day, for the artist (§17.4: aggregated, no individual profiling).
-- It holds COUNTS only: no user id, no list of listeners, ever. Breakdowns are coarse counts
-- ({"playlist": 12, "search": 3} / {"mobile": 10, "desktop": 5}).
CREATE TABLE track_analytics (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL,
  day DATE NOT NULL,
  plays INTEGER NOT NULL DEFAULT 0,
  unique_listeners INTEGER NOT NULL DEFAULT 0,
  total_listen_seconds BIGINT NOT NULL DEFAULT 0,
  avg_completion NUMERIC(5,2) NOT NULL DEFAULT 0,   -- percent, 0..100
  source_counts JSONB NOT NULL DEFAULT '{}',
  device_counts JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_track_analytics_tracks FOREIGN KEY (track_id) REFERENCES tracks(id) ON DELETE CASCADE,
  CONSTRAINT uq_track_analytics_track_day UNIQUE (track_id, day),
  CONSTRAINT chk_track_analytics_plays_non_negative CHECK (plays >= 0),
  CONSTRAINT chk_track_analytics_unique_listeners_range CHECK (unique_listeners >= 0 AND unique_listeners <= plays),
  CONSTRAINT chk_track_analytics_total_listen_seconds_non_negative CHECK (total_listen_seconds >= 0),
  CONSTRAINT chk_track_analytics_avg_completion_range CHECK (avg_completion >= 0 AND avg_completion <= 100),
  CONSTRAINT chk_track_analytics_source_counts_object CHECK (jsonb_typeof(source_counts) = 'object'),
  CONSTRAINT chk_track_analytics_device_counts_object CHECK (jsonb_typeof(device_counts) = 'object')
);

-- uq_track_analytics_track_day (track_id first) is the FK index and serves "track X over a period"
CREATE INDEX idx_track_analytics_day ON track_analytics(day);

CREATE TRIGGER trg_track_analytics_updated_at BEFORE UPDATE ON track_analytics
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- reports: exports a creator (or an admin) asks for; generated asynchronously into R2 (file_key) and
-- downloadable until expires_at.
CREATE TABLE reports (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id UUID NOT NULL,
  report_type VARCHAR(50) NOT NULL,
  title VARCHAR(255),
  params JSONB NOT NULL DEFAULT '{}',        -- filters: track ids, product ids, grouping...
  period_start DATE,
  period_end DATE,
  format VARCHAR(10) NOT NULL DEFAULT 'csv',
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  file_key VARCHAR(1024),                    -- R2 object key of the generated file
  file_size BIGINT,
  error_message TEXT,
  generated_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_reports_users FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT chk_reports_report_type_valid
    CHECK (report_type IN ('track_performance', 'catalog_overview', 'sales', 'payouts', 'course_performance', 'platform_overview')),
  CONSTRAINT chk_reports_format_valid CHECK (format IN ('csv', 'json', 'pdf')),
  CONSTRAINT chk_reports_status_valid CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'expired')),
  CONSTRAINT chk_reports_period_order CHECK (period_start IS NULL OR period_end IS NULL OR period_end >= period_start),
  CONSTRAINT chk_reports_params_object CHECK (jsonb_typeof(params) = 'object'),
  CONSTRAINT chk_reports_completed_has_file CHECK (status <> 'completed' OR (file_key IS NOT NULL AND generated_at IS NOT NULL)),
  CONSTRAINT chk_reports_file_size_non_negative CHECK (file_size IS NULL OR file_size >= 0)
);

CREATE INDEX idx_reports_owner_id_created_at ON reports(owner_id, created_at DESC);
-- the generation queue
CREATE INDEX idx_reports_status_pending ON reports(created_at) WHERE status IN ('pending', 'processing');
-- cleanup of expired files
CREATE INDEX idx_reports_expires_at ON reports(expires_at) WHERE expires_at IS NOT NULL AND status = 'completed';

CREATE TRIGGER trg_reports_updated_at BEFORE UPDATE ON reports
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- dashboard_configs: a user's saved analytics dashboards (widgets and their placement).
CREATE TABLE dashboard_configs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id UUID NOT NULL,
  name VARCHAR(100) NOT NULL,
  description TEXT,
  layout JSONB NOT NULL DEFAULT '{}',        -- {"widgets": [{"type": "plays_chart", "x": 0, "y": 0, "w": 6, "h": 4, ...}]}
  is_default BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_dashboard_configs_users FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT chk_dashboard_configs_name_not_blank CHECK (length(btrim(name)) > 0),
  CONSTRAINT chk_dashboard_configs_layout_object CHECK (jsonb_typeof(layout) = 'object')
);

CREATE INDEX idx_dashboard_configs_owner_id ON dashboard_configs(owner_id);
-- at most one default dashboard per user, and distinct names per user (live rows)
CREATE UNIQUE INDEX uq_dashboard_configs_owner_default ON dashboard_configs(owner_id) WHERE is_default AND deleted_at IS NULL;
CREATE UNIQUE INDEX uq_dashboard_configs_owner_name ON dashboard_configs(owner_id, lower(name)) WHERE deleted_at IS NULL;

CREATE TRIGGER trg_dashboard_configs_updated_at BEFORE UPDATE ON dashboard_configs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
