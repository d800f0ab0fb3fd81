-- Accounts: spec §4 (auth & security) and §5 (users & profiles).
-- Deviations from the spec are commented where they happen ("-- deviation:" / "-- added:").

-- ---------------------------------------------------------------------------------------------
-- §4.1 users
-- ---------------------------------------------------------------------------------------------
CREATE TABLE users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: no column UNIQUE on email/username: a soft-deleted account must not block
  -- re-registration, and "Bob@x.io" must not coexist with "bob@x.io". Uniqueness is enforced by the
  -- partial unique indexes on lower(email)/lower(username) WHERE deleted_at IS NULL below.
  email VARCHAR(255) NOT NULL,
  email_verified_at TIMESTAMPTZ,
  password_hash VARCHAR(255), -- bcrypt, nullable if OAuth only
  username VARCHAR(30) NOT NULL,
  first_name VARCHAR(100),
  last_name VARCHAR(100),
  display_name VARCHAR(100),
  role user_role NOT NULL DEFAULT 'user',
  is_active BOOLEAN NOT NULL DEFAULT true,
  is_verified BOOLEAN NOT NULL DEFAULT false,
  is_banned BOOLEAN NOT NULL DEFAULT false,
  token_version INTEGER NOT NULL DEFAULT 0, -- Invalidate all JWTs
  last_password_change_at TIMESTAMPTZ,
  last_login_at TIMESTAMPTZ,
  login_count INTEGER NOT NULL DEFAULT 0,
  last_login_ip INET,
  data_processing_consent BOOLEAN NOT NULL DEFAULT false,
  data_processing_consent_at TIMESTAMPTZ,
  marketing_consent BOOLEAN NOT NULL DEFAULT false,
  marketing_consent_at TIMESTAMPTZ,
  export_requested_at TIMESTAMPTZ,
  exported_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ, -- Soft delete
  CONSTRAINT chk_users_email_format CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
  CONSTRAINT chk_users_username_format CHECK (username ~* '^[a-zA-Z0-9_]{3,30}$'),
  -- added: counters can never go negative
  CONSTRAINT chk_users_token_version_non_negative CHECK (token_version >= 0),
  CONSTRAINT chk_users_login_count_non_negative CHECK (login_count >= 0)
);

-- deviation: the spec's plain indexes on (email)/(username) become UNIQUE on lower(...) among live
-- accounts (case-insensitive uniqueness that ignores soft-deleted rows). Look users up with
-- `lower(email) = lower($1)` so these indexes serve the login query.
CREATE UNIQUE INDEX idx_users_email_btree ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX idx_users_username_btree ON users (lower(username)) WHERE deleted_at IS NULL;
CREATE INDEX idx_users_role_btree ON users(role);
CREATE INDEX idx_users_created_at_desc ON users(created_at DESC);
CREATE INDEX idx_users_deleted_at_btree ON users(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX idx_users_export_requested_at ON users(export_requested_at) WHERE export_requested_at IS NOT NULL AND exported_at IS NULL;

CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON TABLE users IS 'Main users table with authentication, basic profile, and GDPR consent';
COMMENT ON COLUMN users.token_version IS 'Incremented to invalidate all existing JWTs';
COMMENT ON COLUMN users.data_processing_consent IS 'Explicit GDPR consent for data processing, separate from marketing';
COMMENT ON COLUMN users.marketing_consent IS 'Separate GDPR consent for marketing communications';
COMMENT ON COLUMN users.export_requested_at IS 'GDPR Art.20 - timestamp of data portability request';
COMMENT ON COLUMN users.exported_at IS 'GDPR Art.20 - timestamp when data export was fulfilled';

-- ---------------------------------------------------------------------------------------------
-- §4.2 refresh_tokens
-- ---------------------------------------------------------------------------------------------
CREATE TABLE refresh_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_refresh_tokens_users REFERENCES users(id) ON DELETE CASCADE,
  -- deviation: the spec's clear-text `token` column is dropped: only the SHA-256 of the token is
  -- stored (a database leak must not yield usable sessions); token_hash is the lookup key, UNIQUE.
  token_hash VARCHAR(255) NOT NULL, -- SHA-256 (hex) of the 256-bit random token
  -- added: rotation family. Every refresh token issued by rotating another keeps its family_id; the
  -- first token of a session starts a new family (default). Reuse of a rotated token revokes the family.
  family_id UUID NOT NULL DEFAULT gen_random_uuid(),
  -- added: the token that replaced this one on rotation (NULL while current)
  replaced_by_id UUID CONSTRAINT fk_refresh_tokens_replaced_by REFERENCES refresh_tokens(id) ON DELETE SET NULL,
  device_name VARCHAR(255),
  device_type VARCHAR(50), -- mobile, desktop, tablet
  user_agent TEXT,
  ip_address INET,
  expires_at TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ,
  is_revoked BOOLEAN NOT NULL DEFAULT false,
  revoked_at TIMESTAMPTZ,
  revoked_reason VARCHAR(255),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added: updated_at (immutable rule); only revocation/last_used_at/replaced_by_id ever change
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_refresh_tokens_expires_future CHECK (expires_at > created_at),
  -- added: a revoked token says when (the §18.3 retention job deletes on revoked_at)
  CONSTRAINT chk_refresh_tokens_revoked_at CHECK (NOT is_revoked OR revoked_at IS NOT NULL),
  CONSTRAINT chk_refresh_tokens_not_self_replaced CHECK (replaced_by_id IS NULL OR replaced_by_id <> id)
);

CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens(user_id);
-- deviation: UNIQUE (was a plain index) since token_hash replaces the unique clear-text token
CREATE UNIQUE INDEX idx_refresh_tokens_token_hash ON refresh_tokens(token_hash);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens(expires_at);
CREATE INDEX idx_refresh_tokens_is_revoked ON refresh_tokens(is_revoked) WHERE is_revoked = false;
-- added: FK indexes (revoke a whole family; SET NULL on delete of the replacing token)
CREATE INDEX idx_refresh_tokens_family_id ON refresh_tokens(family_id);
CREATE INDEX idx_refresh_tokens_replaced_by_id ON refresh_tokens(replaced_by_id) WHERE replaced_by_id IS NOT NULL;

CREATE TRIGGER trg_refresh_tokens_updated_at BEFORE UPDATE ON refresh_tokens
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §4.3 password_reset_tokens
-- ---------------------------------------------------------------------------------------------
CREATE TABLE password_reset_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_password_reset_tokens_users REFERENCES users(id) ON DELETE CASCADE,
  -- deviation: clear-text `token` dropped; only its SHA-256 is stored, UNIQUE (see refresh_tokens)
  token_hash VARCHAR(255) NOT NULL,
  used BOOLEAN NOT NULL DEFAULT false,
  used_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ NOT NULL,
  ip_address INET,
  user_agent TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT chk_password_reset_expires CHECK (expires_at > created_at),
  CONSTRAINT chk_password_reset_tokens_used_at CHECK (NOT used OR used_at IS NOT NULL) -- added
);

CREATE INDEX idx_password_reset_tokens_user_id ON password_reset_tokens(user_id);
CREATE UNIQUE INDEX idx_password_reset_tokens_token_hash ON password_reset_tokens(token_hash); -- deviation: UNIQUE
CREATE INDEX idx_password_reset_tokens_expires_at ON password_reset_tokens(expires_at);

CREATE TRIGGER trg_password_reset_tokens_updated_at BEFORE UPDATE ON password_reset_tokens
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §4.4 email_verification_tokens
-- ---------------------------------------------------------------------------------------------
CREATE TABLE email_verification_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_email_verification_tokens_users REFERENCES users(id) ON DELETE CASCADE,
  -- deviation: clear-text `token` dropped; only its SHA-256 is stored, UNIQUE (see refresh_tokens)
  token_hash VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL, -- Email to verify
  verified BOOLEAN NOT NULL DEFAULT false,
  verified_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT chk_email_verification_expires CHECK (expires_at > created_at),
  CONSTRAINT chk_email_verification_tokens_verified_at CHECK (NOT verified OR verified_at IS NOT NULL) -- added
);

CREATE INDEX idx_email_verification_tokens_user_id ON email_verification_tokens(user_id);
CREATE UNIQUE INDEX idx_email_verification_tokens_token_hash ON email_verification_tokens(token_hash); -- deviation: UNIQUE
CREATE INDEX idx_email_verification_tokens_email ON email_verification_tokens(email);

CREATE TRIGGER trg_email_verification_tokens_updated_at BEFORE UPDATE ON email_verification_tokens
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §4.5 password_history
-- ---------------------------------------------------------------------------------------------
CREATE TABLE password_history (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_password_history_users REFERENCES users(id) ON DELETE CASCADE,
  password_hash VARCHAR(255) NOT NULL, -- bcrypt
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW() -- added: immutable rule
);

CREATE INDEX idx_password_history_user_id_created_at ON password_history(user_id, created_at DESC);

CREATE TRIGGER trg_password_history_updated_at BEFORE UPDATE ON password_history
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON TABLE password_history IS 'Store last 5 password hashes to prevent reuse';

-- ---------------------------------------------------------------------------------------------
-- §4.6 two_factor_configs
-- ---------------------------------------------------------------------------------------------
CREATE TABLE two_factor_configs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: the column-level UNIQUE is dropped; idx_two_factor_configs_user_id (UNIQUE) below
  -- enforces it (the spec declared both, i.e. two identical unique indexes)
  user_id UUID NOT NULL CONSTRAINT fk_two_factor_configs_users REFERENCES users(id) ON DELETE CASCADE,
  -- deviation: TEXT (was VARCHAR(255)): holds AES-256-GCM ciphertext (base64 of iv||ct||tag), never the secret
  totp_secret TEXT,
  totp_enabled BOOLEAN NOT NULL DEFAULT false,
  totp_enabled_at TIMESTAMPTZ,
  -- added: the RFC 6238 time step of the last accepted TOTP code, so a code cannot be replayed within its window
  totp_last_used_step BIGINT,
  backup_codes JSONB, -- Array of hashed codes
  sms_phone VARCHAR(20),
  sms_enabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added: consistency checks
  CONSTRAINT chk_two_factor_configs_backup_codes_array CHECK (backup_codes IS NULL OR jsonb_typeof(backup_codes) = 'array'),
  CONSTRAINT chk_two_factor_configs_totp_secret_required CHECK (NOT totp_enabled OR totp_secret IS NOT NULL),
  CONSTRAINT chk_two_factor_configs_sms_phone_required CHECK (NOT sms_enabled OR sms_phone IS NOT NULL),
  CONSTRAINT chk_two_factor_configs_sms_phone_format CHECK (sms_phone IS NULL OR sms_phone ~ '^\+[1-9][0-9]{6,14}$') -- E.164
);

CREATE UNIQUE INDEX idx_two_factor_configs_user_id ON two_factor_configs(user_id);

CREATE TRIGGER trg_two_factor_configs_updated_at BEFORE UPDATE ON two_factor_configs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON COLUMN two_factor_configs.totp_secret IS 'AES-256-GCM ciphertext (base64), key from a secret binding';
COMMENT ON COLUMN two_factor_configs.backup_codes IS 'JSON array of hashed one-time backup codes';

-- ---------------------------------------------------------------------------------------------
-- §4.7 federated_identities
-- ---------------------------------------------------------------------------------------------
CREATE TABLE federated_identities (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_federated_identities_users REFERENCES users(id) ON DELETE CASCADE,
  provider VARCHAR(50) NOT NULL, -- google, github, discord, spotify
  provider_user_id VARCHAR(255) NOT NULL,
  access_token TEXT,  -- AES-256-GCM ciphertext (base64)
  refresh_token TEXT, -- AES-256-GCM ciphertext (base64)
  token_expires_at TIMESTAMPTZ,
  provider_email VARCHAR(255),
  provider_username VARCHAR(255),
  provider_avatar_url TEXT,
  provider_profile_data JSONB, -- Full profile response
  is_primary BOOLEAN NOT NULL DEFAULT false, -- Primary login method
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_federated_identities_provider_user UNIQUE (provider, provider_user_id),
  -- added: the providers the spec lists
  CONSTRAINT chk_federated_identities_provider CHECK (provider IN ('google', 'github', 'discord', 'spotify'))
);

CREATE INDEX idx_federated_identities_user_id ON federated_identities(user_id);
CREATE INDEX idx_federated_identities_provider ON federated_identities(provider);
-- deviation: idx_federated_identities_provider_user_id is not created: it duplicated the unique
-- index behind uq_federated_identities_provider_user exactly.
-- added: at most one primary login method per user
CREATE UNIQUE INDEX uq_federated_identities_user_primary ON federated_identities(user_id) WHERE is_primary;

CREATE TRIGGER trg_federated_identities_updated_at BEFORE UPDATE ON federated_identities
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON COLUMN federated_identities.access_token IS 'AES-256-GCM ciphertext (base64), never the clear token';
COMMENT ON COLUMN federated_identities.refresh_token IS 'AES-256-GCM ciphertext (base64), never the clear token';

-- ---------------------------------------------------------------------------------------------
-- §4.8 login_attempts — partitioned by month on attempted_at (§21)
-- ---------------------------------------------------------------------------------------------
-- An append-only log: attempted_at is the row's creation time, rows are never updated, so there is
-- no created_at/updated_at (deviation from the immutable rule, on purpose). No user_id and no FK:
-- attempts for unknown identifiers must be recorded too. Retention: 90 days (§18.1) by dropping
-- old partitions.
CREATE TABLE login_attempts (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  identifier VARCHAR(255) NOT NULL, -- email or username
  success BOOLEAN NOT NULL,
  failure_reason VARCHAR(100), -- invalid_password, account_locked, etc.
  ip_address INET NOT NULL,
  user_agent TEXT,
  attempted_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- deviation: PK (id, attempted_at) — a partitioned table's PK must include the partition key
  PRIMARY KEY (id, attempted_at),
  -- added: a successful attempt has no failure reason
  CONSTRAINT chk_login_attempts_failure_reason CHECK (NOT success OR failure_reason IS NULL)
) PARTITION BY RANGE (attempted_at);

CREATE INDEX idx_login_attempts_identifier_attempted_at ON login_attempts(identifier, attempted_at DESC);
CREATE INDEX idx_login_attempts_ip_address_attempted_at ON login_attempts(ip_address, attempted_at DESC);
CREATE INDEX idx_login_attempts_success ON login_attempts(success);

SELECT ensure_monthly_partitions('login_attempts', date_trunc('month', now())::date, 4);

-- ---------------------------------------------------------------------------------------------
-- §5.1 user_profiles
-- ---------------------------------------------------------------------------------------------
-- No deleted_at: a profile lives and dies with its user (soft delete is users.deleted_at; §19.3
-- deletes profiles of anonymised accounts).
CREATE TABLE user_profiles (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: column-level UNIQUE dropped, idx_user_profiles_user_id (UNIQUE) enforces it
  user_id UUID NOT NULL CONSTRAINT fk_user_profiles_users REFERENCES users(id) ON DELETE CASCADE,
  bio TEXT,
  tagline VARCHAR(255),
  location VARCHAR(255),
  website_url VARCHAR(500),
  birthdate DATE,
  gender VARCHAR(50),
  avatar_url TEXT,
  banner_url TEXT,
  language VARCHAR(5) DEFAULT 'en', -- ISO 639-1
  timezone VARCHAR(50) DEFAULT 'UTC',
  theme VARCHAR(20) DEFAULT 'auto', -- light, dark, auto
  profile_visibility visibility NOT NULL DEFAULT 'public',
  show_email BOOLEAN NOT NULL DEFAULT false,
  show_location BOOLEAN NOT NULL DEFAULT true,
  -- Counts (denormalized; kept by triggers in 0004_streaming / 0006_social)
  follower_count INTEGER NOT NULL DEFAULT 0,
  following_count INTEGER NOT NULL DEFAULT 0,
  track_count INTEGER NOT NULL DEFAULT 0,
  playlist_count INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added
  CONSTRAINT chk_user_profiles_theme CHECK (theme IN ('light', 'dark', 'auto')),
  CONSTRAINT chk_user_profiles_language_format CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  CONSTRAINT chk_user_profiles_counts_non_negative CHECK (
    follower_count >= 0 AND following_count >= 0 AND track_count >= 0 AND playlist_count >= 0)
);

CREATE UNIQUE INDEX idx_user_profiles_user_id ON user_profiles(user_id);
CREATE INDEX idx_user_profiles_location ON user_profiles(location) WHERE location IS NOT NULL;

CREATE TRIGGER trg_user_profiles_updated_at BEFORE UPDATE ON user_profiles
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §5.2 user_settings
-- ---------------------------------------------------------------------------------------------
CREATE TABLE user_settings (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: column-level UNIQUE dropped, idx_user_settings_user_id (UNIQUE) enforces it
  user_id UUID NOT NULL CONSTRAINT fk_user_settings_users REFERENCES users(id) ON DELETE CASCADE,
  email_notifications BOOLEAN NOT NULL DEFAULT true,
  push_notifications BOOLEAN NOT NULL DEFAULT true,
  browser_notifications BOOLEAN NOT NULL DEFAULT true,
  email_on_follow BOOLEAN NOT NULL DEFAULT true,
  email_on_like BOOLEAN NOT NULL DEFAULT true,
  email_on_comment BOOLEAN NOT NULL DEFAULT true,
  email_on_message BOOLEAN NOT NULL DEFAULT true,
  email_on_mention BOOLEAN NOT NULL DEFAULT true,
  email_marketing BOOLEAN NOT NULL DEFAULT false,
  allow_search_indexing BOOLEAN NOT NULL DEFAULT true,
  show_activity BOOLEAN NOT NULL DEFAULT true,
  explicit_content BOOLEAN NOT NULL DEFAULT false,
  autoplay BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE UNIQUE INDEX idx_user_settings_user_id ON user_settings(user_id);

CREATE TRIGGER trg_user_settings_updated_at BEFORE UPDATE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- added: every user always has exactly one user_profiles row and one user_settings row (counter
-- triggers of other modules UPDATE user_profiles and must find the row; reads can inner-join).
CREATE FUNCTION create_user_profile_and_settings() RETURNS trigger AS $$
BEGIN
  INSERT INTO user_profiles (user_id) VALUES (NEW.id) ON CONFLICT (user_id) DO NOTHING;
  INSERT INTO user_settings (user_id) VALUES (NEW.id) ON CONFLICT (user_id) DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_users_create_profile_settings AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION create_user_profile_and_settings();

-- ---------------------------------------------------------------------------------------------
-- §5.3 user_roles
-- ---------------------------------------------------------------------------------------------
CREATE TABLE user_roles (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_user_roles_users REFERENCES users(id) ON DELETE CASCADE,
  role VARCHAR(50) NOT NULL, -- creator, producer, label, educator
  verified BOOLEAN NOT NULL DEFAULT false,
  verified_at TIMESTAMPTZ,
  -- deviation: explicit ON DELETE SET NULL (the spec had none, i.e. deleting a verifier would fail)
  verified_by UUID CONSTRAINT fk_user_roles_verified_by REFERENCES users(id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule (verified changes)
  CONSTRAINT uq_user_roles_user_role UNIQUE (user_id, role),
  CONSTRAINT chk_user_roles_role CHECK (role IN ('creator', 'producer', 'label', 'educator')) -- added
);

CREATE INDEX idx_user_roles_user_id ON user_roles(user_id);
CREATE INDEX idx_user_roles_role ON user_roles(role);
CREATE INDEX idx_user_roles_verified_by ON user_roles(verified_by) WHERE verified_by IS NOT NULL; -- added: FK index

CREATE TRIGGER trg_user_roles_updated_at BEFORE UPDATE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §5.5 badges (created before user_badges, which references it; the spec lists them the other way)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE badges (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) NOT NULL CONSTRAINT uq_badges_name UNIQUE,
  -- deviation: column-level UNIQUE on slug dropped, idx_badges_slug (UNIQUE) enforces it
  slug VARCHAR(100) NOT NULL,
  description TEXT,
  category VARCHAR(50) NOT NULL, -- instrument, genre, experience, role
  icon_url TEXT,
  color VARCHAR(7), -- Hex color #RRGGBB
  is_active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added
  CONSTRAINT chk_badges_category CHECK (category IN ('instrument', 'genre', 'experience', 'role')),
  CONSTRAINT chk_badges_color_format CHECK (color IS NULL OR color ~ '^#[0-9A-Fa-f]{6}$')
);

CREATE UNIQUE INDEX idx_badges_slug ON badges(slug);
CREATE INDEX idx_badges_category ON badges(category);

CREATE TRIGGER trg_badges_updated_at BEFORE UPDATE ON badges
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON TABLE badges IS 'Declarative skill badges (instruments, genres, experience). No rarity, no competitive collection.';

-- ---------------------------------------------------------------------------------------------
-- §5.4 user_badges
-- ---------------------------------------------------------------------------------------------
CREATE TABLE user_badges (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_user_badges_users REFERENCES users(id) ON DELETE CASCADE,
  badge_id UUID NOT NULL CONSTRAINT fk_user_badges_badges REFERENCES badges(id) ON DELETE CASCADE,
  is_displayed BOOLEAN NOT NULL DEFAULT true,
  display_order INTEGER,
  earned_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule (display settings change)
  CONSTRAINT uq_user_badges_user_badge UNIQUE (user_id, badge_id),
  CONSTRAINT chk_user_badges_display_order_non_negative CHECK (display_order IS NULL OR display_order >= 0) -- added
);

CREATE INDEX idx_user_badges_user_id ON user_badges(user_id);
CREATE INDEX idx_user_badges_badge_id ON user_badges(badge_id);

CREATE TRIGGER trg_user_badges_updated_at BEFORE UPDATE ON user_badges
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
