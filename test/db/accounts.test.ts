// Constraint and trigger tests for migrations/0002_accounts.sql (spec §4, §5).
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, MISSING, insert, type Row } from "../helpers/db";

const uniq = () => crypto.randomUUID().replace(/-/g, "").slice(0, 16);
const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

// A valid row per table, given an owner; each rejection case below overrides some of its values.
const valid: Record<string, (userId: string) => Row> = {
  users: () => { const s = uniq(); return { email: `u${s}@example.com`, username: `u_${s}` }; },
  refresh_tokens: (userId) => ({ user_id: userId, token_hash: `rt${uniq()}`, expires_at: inOneHour() }),
  password_reset_tokens: (userId) => ({ user_id: userId, token_hash: `pr${uniq()}`, expires_at: inOneHour() }),
  email_verification_tokens: (userId) => ({ user_id: userId, token_hash: `ev${uniq()}`, email: `v${uniq()}@example.com`, expires_at: inOneHour() }),
  password_history: (userId) => ({ user_id: userId, password_hash: "$2a$12$abcdefghijklmnopqrstuv" }),
  two_factor_configs: (userId) => ({ user_id: userId }),
  federated_identities: (userId) => ({ user_id: userId, provider: "github", provider_user_id: `gh${uniq()}` }),
  login_attempts: () => ({ identifier: `who${uniq()}`, success: false, failure_reason: "invalid_password", ip_address: "203.0.113.7" }),
  user_roles: (userId) => ({ user_id: userId, role: "producer" }),
  badges: () => { const s = uniq(); return { name: `Badge ${s}`, slug: `badge-${s}`, category: "instrument" }; },
};


type RejectCase = {
  what: string;
  table: string;
  bad: (userId: string) => Row | Promise<Row>;
  code: string;
  constraint?: string;
};

const rejections: RejectCase[] = [
  // users
  { what: "an email without a domain", table: "users", bad: () => ({ email: "nobody@nowhere" }), code: "23514", constraint: "chk_users_email_format" },
  { what: "a username with punctuation", table: "users", bad: () => ({ username: "bad-name!" }), code: "23514", constraint: "chk_users_username_format" },
  { what: "a two-character username", table: "users", bad: () => ({ username: "ab" }), code: "23514", constraint: "chk_users_username_format" },
  { what: "a negative login_count", table: "users", bad: () => ({ login_count: -1 }), code: "23514", constraint: "chk_users_login_count_non_negative" },
  { what: "a negative token_version", table: "users", bad: () => ({ token_version: -1 }), code: "23514", constraint: "chk_users_token_version_non_negative" },
  { what: "an unknown user role", table: "users", bad: () => ({ role: "superuser" }), code: "22P02" },
  // refresh_tokens
  { what: "a refresh token that expires before it is created", table: "refresh_tokens", bad: () => ({ expires_at: anHourAgo() }), code: "23514", constraint: "chk_refresh_tokens_expires_future" },
  { what: "a revoked refresh token without revoked_at", table: "refresh_tokens", bad: () => ({ is_revoked: true }), code: "23514", constraint: "chk_refresh_tokens_revoked_at" },
  { what: "a refresh token of a missing user", table: "refresh_tokens", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_refresh_tokens_users" },
  { what: "a refresh token replaced by a missing token", table: "refresh_tokens", bad: () => ({ replaced_by_id: MISSING }), code: "23503", constraint: "fk_refresh_tokens_replaced_by" },
  {
    what: "a second refresh token with the same hash", table: "refresh_tokens", code: "23505", constraint: "idx_refresh_tokens_token_hash",
    bad: async (userId) => ({ token_hash: (await insert("refresh_tokens", valid.refresh_tokens!(userId))).token_hash }),
  },
  // password_reset_tokens
  { what: "a reset token that expires before it is created", table: "password_reset_tokens", bad: () => ({ expires_at: anHourAgo() }), code: "23514", constraint: "chk_password_reset_expires" },
  { what: "a used reset token without used_at", table: "password_reset_tokens", bad: () => ({ used: true }), code: "23514", constraint: "chk_password_reset_tokens_used_at" },
  { what: "a reset token of a missing user", table: "password_reset_tokens", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_password_reset_tokens_users" },
  {
    what: "a second reset token with the same hash", table: "password_reset_tokens", code: "23505", constraint: "idx_password_reset_tokens_token_hash",
    bad: async (userId) => ({ token_hash: (await insert("password_reset_tokens", valid.password_reset_tokens!(userId))).token_hash }),
  },
  // email_verification_tokens
  { what: "a verification token that expires before it is created", table: "email_verification_tokens", bad: () => ({ expires_at: anHourAgo() }), code: "23514", constraint: "chk_email_verification_expires" },
  { what: "a verified token without verified_at", table: "email_verification_tokens", bad: () => ({ verified: true }), code: "23514", constraint: "chk_email_verification_tokens_verified_at" },
  { what: "a verification token of a missing user", table: "email_verification_tokens", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_email_verification_tokens_users" },
  {
    what: "a second verification token with the same hash", table: "email_verification_tokens", code: "23505", constraint: "idx_email_verification_tokens_token_hash",
    bad: async (userId) => ({ token_hash: (await insert("email_verification_tokens", valid.email_verification_tokens!(userId))).token_hash }),
  },
  // password_history
  { what: "password history of a missing user", table: "password_history", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_password_history_users" },
  { what: "password history without a hash", table: "password_history", bad: () => ({ password_hash: null }), code: "23502" },
  // two_factor_configs
  {
    what: "a second 2FA config for the same user", table: "two_factor_configs", code: "23505", constraint: "idx_two_factor_configs_user_id",
    bad: async (userId) => { await insert("two_factor_configs", { user_id: userId }); return {}; },
  },
  { what: "backup codes that are not a JSON array", table: "two_factor_configs", bad: () => ({ backup_codes: JSON.stringify({ code: "x" }) }), code: "23514", constraint: "chk_two_factor_configs_backup_codes_array" },
  { what: "TOTP enabled without a secret", table: "two_factor_configs", bad: () => ({ totp_enabled: true }), code: "23514", constraint: "chk_two_factor_configs_totp_secret_required" },
  { what: "SMS enabled without a phone", table: "two_factor_configs", bad: () => ({ sms_enabled: true }), code: "23514", constraint: "chk_two_factor_configs_sms_phone_required" },
  { what: "an SMS phone not in E.164", table: "two_factor_configs", bad: () => ({ sms_phone: "0612345678" }), code: "23514", constraint: "chk_two_factor_configs_sms_phone_format" },
  { what: "a 2FA config of a missing user", table: "two_factor_configs", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_two_factor_configs_users" },
  // federated_identities
  { what: "an unknown identity provider", table: "federated_identities", bad: () => ({ provider: "myspace" }), code: "23514", constraint: "chk_federated_identities_provider" },
  {
    what: "the same provider account linked twice", table: "federated_identities", code: "23505", constraint: "uq_federated_identities_provider_user",
    bad: async (userId) => {
      const other = await createUser();
      const first = await insert("federated_identities", valid.federated_identities!(other.id));
      return { provider: first.provider, provider_user_id: first.provider_user_id, user_id: userId };
    },
  },
  {
    what: "a second primary identity for a user", table: "federated_identities", code: "23505", constraint: "uq_federated_identities_user_primary",
    bad: async (userId) => {
      await insert("federated_identities", { ...valid.federated_identities!(userId), provider: "google", is_primary: true });
      return { is_primary: true };
    },
  },
  { what: "an identity of a missing user", table: "federated_identities", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_federated_identities_users" },
  // login_attempts
  { what: "a successful login attempt with a failure reason", table: "login_attempts", bad: () => ({ success: true }), code: "23514", constraint: "chk_login_attempts_failure_reason" },
  { what: "a login attempt without an IP address", table: "login_attempts", bad: () => ({ ip_address: null }), code: "23502" },
  // user_roles
  { what: "an unknown professional role", table: "user_roles", bad: () => ({ role: "dj" }), code: "23514", constraint: "chk_user_roles_role" },
  {
    what: "the same role twice for a user", table: "user_roles", code: "23505", constraint: "uq_user_roles_user_role",
    bad: async (userId) => { await insert("user_roles", valid.user_roles!(userId)); return {}; },
  },
  { what: "a role verified by a missing user", table: "user_roles", bad: () => ({ verified_by: MISSING }), code: "23503", constraint: "fk_user_roles_verified_by" },
  { what: "a role of a missing user", table: "user_roles", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_user_roles_users" },
  // badges
  { what: "an unknown badge category", table: "badges", bad: () => ({ category: "rarity" }), code: "23514", constraint: "chk_badges_category" },
  { what: "a badge colour that is not #RRGGBB", table: "badges", bad: () => ({ color: "red" }), code: "23514", constraint: "chk_badges_color_format" },
  {
    what: "a duplicate badge name", table: "badges", code: "23505", constraint: "uq_badges_name",
    bad: async () => ({ name: (await insert("badges", valid.badges!(""))).name }),
  },
  {
    what: "a duplicate badge slug", table: "badges", code: "23505", constraint: "idx_badges_slug",
    bad: async () => ({ slug: (await insert("badges", valid.badges!(""))).slug }),
  },
];

describe("accounts: constraints reject bad rows", () => {
  it.each(rejections)("rejects $what", async ({ table, bad, code, constraint }) => {
    const user = await createUser();
    const row = { ...valid[table]!(user.id), ...(await bad(user.id)) };
    await expectPgError(insert(table, row), code, constraint);
  });

  it("accepts a valid row in every table", async () => {
    const user = await createUser();
    for (const table of Object.keys(valid)) {
      const row = await insert(table, valid[table]!(user.id));
      expect(row.id, table).toEqual(expect.any(String));
    }
  });
});

describe("users", () => {
  it("rejects an email that differs from a live account's only by case", async () => {
    const s = uniq();
    await createUser({ email: `Case${s}@Example.com` });
    await expectPgError(createUser({ email: `case${s}@example.COM` }), "23505", "idx_users_email_btree");
  });

  it("rejects a username that differs from a live account's only by case", async () => {
    const s = uniq();
    await createUser({ username: `Name_${s}` });
    await expectPgError(createUser({ username: `NAME_${s}` }), "23505", "idx_users_username_btree");
  });

  it("lets a new account reuse the email and username of a soft-deleted one", async () => {
    const old = await createUser();
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [old.id]);
    const again = await createUser({ email: old.email, username: old.username });
    expect(again.id).not.toBe(old.id);
  });

  it("creates the profile and settings rows of every new user", async () => {
    const user = await createUser();
    const [row] = await sql.query(
      `SELECT (SELECT count(*)::int FROM user_profiles WHERE user_id = $1) AS profiles,
              (SELECT count(*)::int FROM user_settings WHERE user_id = $1) AS settings,
              (SELECT theme FROM user_profiles WHERE user_id = $1) AS theme`,
      [user.id],
    );
    expect(row).toEqual({ profiles: 1, settings: 1, theme: "auto" });
  });

  it("accepts the anonymised email and username of §19.3", async () => {
    const user = await createUser();
    const [row] = await sql.query(
      `UPDATE users SET deleted_at = now(), email = 'deleted_' || id || '@anonymized.local',
              username = 'deleted_' || substring(id::text, 1, 8), password_hash = NULL
        WHERE id = $1 RETURNING email`,
      [user.id],
    );
    expect(row!.email).toBe(`deleted_${user.id}@anonymized.local`);
  });

  it("deletes a hard-deleted user's profile, settings, tokens and badges", async () => {
    const user = await createUser();
    await insert("refresh_tokens", valid.refresh_tokens!(user.id));
    await insert("two_factor_configs", { user_id: user.id });
    const badge = await insert("badges", valid.badges!(user.id));
    await insert("user_badges", { user_id: user.id, badge_id: badge.id });
    await sql.query("DELETE FROM users WHERE id = $1", [user.id]);
    const [row] = await sql.query(
      `SELECT (SELECT count(*) FROM user_profiles WHERE user_id = $1)
            + (SELECT count(*) FROM user_settings WHERE user_id = $1)
            + (SELECT count(*) FROM refresh_tokens WHERE user_id = $1)
            + (SELECT count(*) FROM two_factor_configs WHERE user_id = $1)
            + (SELECT count(*) FROM user_badges WHERE user_id = $1) AS n`,
      [user.id],
    );
    expect(Number(row!.n)).toBe(0);
  });
});

describe("user_profiles and user_settings", () => {
  const profileRejections: { what: string; set: string; code: string; constraint?: string }[] = [
    { what: "a theme other than light/dark/auto", set: "theme = 'neon'", code: "23514", constraint: "chk_user_profiles_theme" },
    { what: "a language code that is not ISO 639-1", set: "language = 'EN'", code: "23514", constraint: "chk_user_profiles_language_format" },
    { what: "a negative follower count", set: "follower_count = -1", code: "23514", constraint: "chk_user_profiles_counts_non_negative" },
    { what: "a negative playlist count", set: "playlist_count = -1", code: "23514", constraint: "chk_user_profiles_counts_non_negative" },
    { what: "an unknown profile visibility", set: "profile_visibility = 'secret'", code: "22P02" },
  ];
  it.each(profileRejections)("rejects $what", async ({ set, code, constraint }) => {
    const user = await createUser();
    await expectPgError(sql.query(`UPDATE user_profiles SET ${set} WHERE user_id = $1`, [user.id]), code, constraint);
  });

  it("accepts a regional language code", async () => {
    const user = await createUser();
    const rows = await sql.query("UPDATE user_profiles SET language = 'fr-FR', theme = 'dark' WHERE user_id = $1 RETURNING language", [user.id]);
    expect(rows).toEqual([{ language: "fr-FR" }]);
  });

  it("rejects a second profile for a user", async () => {
    const user = await createUser();
    await expectPgError(insert("user_profiles", { user_id: user.id }), "23505", "idx_user_profiles_user_id");
  });

  it("rejects a second settings row for a user", async () => {
    const user = await createUser();
    await expectPgError(insert("user_settings", { user_id: user.id }), "23505", "idx_user_settings_user_id");
  });
});

describe("refresh_tokens", () => {
  it("starts a new family per session and keeps it on rotation", async () => {
    const user = await createUser();
    const a = await insert("refresh_tokens", valid.refresh_tokens!(user.id));
    const b = await insert("refresh_tokens", valid.refresh_tokens!(user.id));
    expect(a.family_id).not.toBe(b.family_id);
    const rotated = await insert("refresh_tokens", { ...valid.refresh_tokens!(user.id), family_id: a.family_id });
    await sql.query("UPDATE refresh_tokens SET replaced_by_id = $2, last_used_at = now() WHERE id = $1", [a.id, rotated.id]);
    const revoked = await sql.query(
      "UPDATE refresh_tokens SET is_revoked = true, revoked_at = now(), revoked_reason = 'reuse' WHERE family_id = $1 RETURNING id",
      [a.family_id],
    );
    expect(revoked.map((r) => r.id).sort()).toEqual([a.id, rotated.id].sort());
  });

  it("rejects a token that replaces itself", async () => {
    const user = await createUser();
    const a = await insert("refresh_tokens", valid.refresh_tokens!(user.id));
    await expectPgError(
      sql.query("UPDATE refresh_tokens SET replaced_by_id = id WHERE id = $1", [a.id]),
      "23514", "chk_refresh_tokens_not_self_replaced",
    );
  });

  it("clears replaced_by_id when the replacing token is deleted", async () => {
    const user = await createUser();
    const a = await insert("refresh_tokens", valid.refresh_tokens!(user.id));
    const b = await insert("refresh_tokens", { ...valid.refresh_tokens!(user.id), family_id: a.family_id });
    await sql.query("UPDATE refresh_tokens SET replaced_by_id = $2 WHERE id = $1", [a.id, b.id]);
    await sql.query("DELETE FROM refresh_tokens WHERE id = $1", [b.id]);
    const [row] = await sql.query("SELECT replaced_by_id FROM refresh_tokens WHERE id = $1", [a.id]);
    expect(row!.replaced_by_id).toBeNull();
  });
});

describe("login_attempts (partitioned by month)", () => {
  it("stores a current attempt in this month's partition", async () => {
    const [row] = await sql.query(
      `INSERT INTO login_attempts (identifier, success, ip_address) VALUES ($1, true, '198.51.100.1')
       RETURNING tableoid::regclass::text AS part, 'login_attempts_' || to_char(attempted_at, 'YYYY_MM') AS expected`,
      [`ok${uniq()}`],
    );
    expect(row!.part).toBe(row!.expected);
  });

  it("keeps an attempt outside the prepared months in the default partition", async () => {
    const identifier = `old${uniq()}`;
    const [row] = await sql.query(
      `INSERT INTO login_attempts (identifier, success, ip_address, attempted_at) VALUES ($1, false, '198.51.100.1', '2001-01-15T00:00:00Z')
       RETURNING tableoid::regclass::text AS part`,
      [identifier],
    );
    // (not re-read: a parallel retention job may legitimately delete a 2001 attempt at any time)
    expect(row!.part).toBe("login_attempts_default");
  });
});

describe("user_roles and user_badges", () => {
  it("clears verified_by when the verifier is deleted", async () => {
    const user = await createUser();
    const verifier = await createUser({ role: "moderator" });
    const role = await insert("user_roles", { ...valid.user_roles!(user.id), verified: true, verified_at: new Date().toISOString(), verified_by: verifier.id });
    await sql.query("DELETE FROM users WHERE id = $1", [verifier.id]);
    const [row] = await sql.query("SELECT verified_by, verified FROM user_roles WHERE id = $1", [role.id]);
    expect(row).toEqual({ verified_by: null, verified: true });
  });

  const badgeRejections: { what: string; bad: (userId: string, badgeId: string) => Promise<Row>; code: string; constraint: string }[] = [
    {
      what: "the same badge twice for a user", code: "23505", constraint: "uq_user_badges_user_badge",
      bad: async (userId, badgeId) => { await insert("user_badges", { user_id: userId, badge_id: badgeId }); return {}; },
    },
    { what: "a missing badge", bad: async () => ({ badge_id: MISSING }), code: "23503", constraint: "fk_user_badges_badges" },
    { what: "a badge of a missing user", bad: async () => ({ user_id: MISSING }), code: "23503", constraint: "fk_user_badges_users" },
    { what: "a negative display order", bad: async () => ({ display_order: -1 }), code: "23514", constraint: "chk_user_badges_display_order_non_negative" },
  ];
  it.each(badgeRejections)("rejects $what", async ({ bad, code, constraint }) => {
    const user = await createUser();
    const badge = await insert("badges", valid.badges!(user.id));
    const row = { user_id: user.id, badge_id: badge.id, ...(await bad(user.id, badge.id as string)) };
    await expectPgError(insert("user_badges", row), code, constraint);
  });

  it("removes a badge from users when the badge is deleted", async () => {
    const user = await createUser();
    const badge = await insert("badges", { ...valid.badges!(user.id), color: "#1a2B3c" });
    await insert("user_badges", { user_id: user.id, badge_id: badge.id, display_order: 0 });
    await sql.query("DELETE FROM badges WHERE id = $1", [badge.id]);
    const rows = await sql.query("SELECT 1 FROM user_badges WHERE user_id = $1", [user.id]);
    expect(rows).toHaveLength(0);
  });
});

describe("updated_at triggers", () => {
  // Each builder returns the id of a fresh row of the table.
  const rowOf: Record<string, (userId: string) => Promise<unknown>> = {
    users: async (userId) => userId,
    user_profiles: async (userId) => (await sql.query("SELECT id FROM user_profiles WHERE user_id = $1", [userId]))[0]!.id,
    user_settings: async (userId) => (await sql.query("SELECT id FROM user_settings WHERE user_id = $1", [userId]))[0]!.id,
    refresh_tokens: async (userId) => (await insert("refresh_tokens", valid.refresh_tokens!(userId))).id,
    password_reset_tokens: async (userId) => (await insert("password_reset_tokens", valid.password_reset_tokens!(userId))).id,
    email_verification_tokens: async (userId) => (await insert("email_verification_tokens", valid.email_verification_tokens!(userId))).id,
    password_history: async (userId) => (await insert("password_history", valid.password_history!(userId))).id,
    two_factor_configs: async (userId) => (await insert("two_factor_configs", { user_id: userId })).id,
    federated_identities: async (userId) => (await insert("federated_identities", valid.federated_identities!(userId))).id,
    user_roles: async (userId) => (await insert("user_roles", valid.user_roles!(userId))).id,
    badges: async (userId) => (await insert("badges", valid.badges!(userId))).id,
    user_badges: async (userId) => (await insert("user_badges", { user_id: userId, badge_id: (await insert("badges", valid.badges!(userId))).id })).id,
  };

  it.each(Object.keys(rowOf))("sets %s.updated_at to now() on every UPDATE", async (table) => {
    const user = await createUser();
    const id = await rowOf[table]!(user.id);
    // Whatever the client writes, the BEFORE UPDATE trigger stamps the update time.
    const [row] = await sql.query(
      `UPDATE ${table} SET updated_at = '2000-01-01T00:00:00Z' WHERE id = $1 RETURNING updated_at, created_at, now() AS now`,
      [id],
    );
    const { updated_at, created_at, now } = row as { updated_at: Date; created_at: Date; now: Date };
    expect(updated_at.getTime()).toBe(now.getTime());
    expect(updated_at.getTime()).toBeGreaterThanOrEqual(created_at.getTime());
  });
});
