-- Reverts 0002_accounts.sql (reverse order). Dropping login_attempts drops its partitions.
DROP TABLE IF EXISTS user_badges;
DROP TABLE IF EXISTS badges;
DROP TABLE IF EXISTS user_roles;
DROP TRIGGER IF EXISTS trg_users_create_profile_settings ON users;
DROP FUNCTION IF EXISTS create_user_profile_and_settings();
DROP TABLE IF EXISTS user_settings;
DROP TABLE IF EXISTS user_profiles;
DROP TABLE IF EXISTS login_attempts;
DROP TABLE IF EXISTS federated_identities;
DROP TABLE IF EXISTS two_factor_configs;
DROP TABLE IF EXISTS password_history;
DROP TABLE IF EXISTS email_verification_tokens;
DROP TABLE IF EXISTS password_reset_tokens;
DROP TABLE IF EXISTS refresh_tokens;
DROP TABLE IF EXISTS users;
