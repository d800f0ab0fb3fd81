// Constraints and triggers of migrations/0013_admin.sql: moderation reports and actions (and the
// ban/suspension sync to users), the append-only audit_logs and the §22.3 audit trigger on users,
// system_configs, feature_flags. Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, MISSING, uniq, one, insertRows, type Row } from "../helpers/db";

/** A user and another user they report. */
async function reporterAndTarget(): Promise<{ reporter: string; target: string }> {
  const [a, b] = [await createUser(), await createUser()];
  return { reporter: a.id, target: b.id };
}

async function newReport(reporter: string | null, targetId: string, targetType = "user"): Promise<string> {
  const row = await one(
    `INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category)
     VALUES ($1, $2, $3, 'spam') RETURNING id`,
    [reporter, targetType, targetId],
  );
  return row.id as string;
}

const insertAction = (cols: Row) => insertRows("moderation_actions", cols, "id");

/** A moderator and a user to act on. */
async function moderatorAndUser(): Promise<{ moderator: string; user: string }> {
  const [m, u] = [await createUser({ role: "moderator" }), await createUser()];
  return { moderator: m.id, user: u.id };
}

async function userState(id: string): Promise<{ isBanned: boolean; tokenVersion: number }> {
  const row = await one("SELECT is_banned, token_version FROM users WHERE id = $1", [id]);
  return { isBanned: row.is_banned as boolean, tokenVersion: row.token_version as number };
}

type Case = { name: string; code: string; constraint?: string; run: () => Promise<unknown> };

const rejects: Case[] = [
  // moderation_reports
  { name: "a report on a target_type of 'widget'", code: "23514", constraint: "chk_moderation_reports_target_type_valid", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return newReport(reporter, target, "widget");
  } },
  { name: "a report with the reason 'boredom'", code: "23514", constraint: "chk_moderation_reports_reason_category_valid", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return sql.query(
      "INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category) VALUES ($1, 'user', $2, 'boredom')",
      [reporter, target],
    );
  } },
  { name: "a report status of 'closed'", code: "23514", constraint: "chk_moderation_reports_status_valid", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return sql.query(
      "INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category, status) VALUES ($1, 'user', $2, 'spam', 'closed')",
      [reporter, target],
    );
  } },
  { name: "a resolved report without resolved_at", code: "23514", constraint: "chk_moderation_reports_resolved_at", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    const id = await newReport(reporter, target);
    return sql.query("UPDATE moderation_reports SET status = 'resolved' WHERE id = $1", [id]);
  } },
  { name: "an open report with a resolved_at", code: "23514", constraint: "chk_moderation_reports_resolved_at", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return sql.query(
      "INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category, resolved_at) VALUES ($1, 'user', $2, 'spam', now())",
      [reporter, target],
    );
  } },
  { name: "report details of 5001 characters", code: "23514", constraint: "chk_moderation_reports_details_length", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return sql.query(
      "INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category, details) VALUES ($1, 'user', $2, 'spam', $3)",
      [reporter, target, "x".repeat(5001)],
    );
  } },
  { name: "a report by a reporter that does not exist", code: "23503", constraint: "fk_moderation_reports_reporter", run: async () => {
    const { target } = await reporterAndTarget();
    return newReport(MISSING, target);
  } },
  { name: "a report assigned to a user that does not exist", code: "23503", constraint: "fk_moderation_reports_assigned_to", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    return sql.query(
      "INSERT INTO moderation_reports (reporter_id, target_type, target_id, reason_category, assigned_to) VALUES ($1, 'user', $2, 'spam', $3)",
      [reporter, target, MISSING],
    );
  } },
  { name: "a second open report by the same reporter on the same target", code: "23505", constraint: "uq_moderation_reports_open_reporter_target", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    await newReport(reporter, target);
    return newReport(reporter, target);
  } },
  { name: "a new report while the previous one is in review", code: "23505", constraint: "uq_moderation_reports_open_reporter_target", run: async () => {
    const { reporter, target } = await reporterAndTarget();
    const id = await newReport(reporter, target);
    await sql.query("UPDATE moderation_reports SET status = 'in_review' WHERE id = $1", [id]);
    return newReport(reporter, target);
  } },
  // moderation_actions
  { name: "an action_type of 'nuke'", code: "23514", constraint: "chk_moderation_actions_action_type_valid", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "nuke", reason: "x" });
  } },
  { name: "an action with a blank reason", code: "23514", constraint: "chk_moderation_actions_reason_not_blank", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "   " });
  } },
  { name: "an action without a reason", code: "23502", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: null });
  } },
  { name: "a suspension without expires_at", code: "23514", constraint: "chk_moderation_actions_suspend_expires", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "suspend", reason: "x" });
  } },
  { name: "a suspension that already expired", code: "23514", constraint: "chk_moderation_actions_expires_after_created", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "suspend", reason: "x", expires_at: new Date(Date.now() - 86_400_000) });
  } },
  { name: "a ban without a target user", code: "23514", constraint: "chk_moderation_actions_user_required", run: async () => {
    const { moderator } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, action_type: "ban", reason: "x" });
  } },
  { name: "hiding content without naming the content", code: "23514", constraint: "chk_moderation_actions_content_required", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "hide_content", reason: "x" });
  } },
  { name: "a target_type without a target_id", code: "23514", constraint: "chk_moderation_actions_target_pair", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", target_type: "track" });
  } },
  { name: "an action on a target_type of 'widget'", code: "23514", constraint: "chk_moderation_actions_target_type_valid", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "remove_content", reason: "x", target_type: "widget", target_id: MISSING });
  } },
  { name: "a pending appeal without its text", code: "23514", constraint: "chk_moderation_actions_appeal_filed", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", appeal_status: "pending" });
  } },
  { name: "an appeal_status of 'maybe'", code: "23514", constraint: "chk_moderation_actions_appeal_status_valid", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", appeal_status: "maybe", appeal_text: "unfair", appealed_at: new Date() });
  } },
  { name: "an accepted appeal without appeal_resolved_at", code: "23514", constraint: "chk_moderation_actions_appeal_decided", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", appeal_status: "accepted", appeal_text: "unfair", appealed_at: new Date() });
  } },
  { name: "a reversed_by without reversed_at", code: "23514", constraint: "chk_moderation_actions_reversed", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", reversed_by: moderator });
  } },
  { name: "an action citing a report that does not exist", code: "23503", constraint: "fk_moderation_actions_moderation_reports", run: async () => {
    const { moderator, user } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x", report_id: MISSING });
  } },
  { name: "an action on a user that does not exist", code: "23503", constraint: "fk_moderation_actions_target_user", run: async () => {
    const { moderator } = await moderatorAndUser();
    return insertAction({ moderator_id: moderator, target_user_id: MISSING, action_type: "warn", reason: "x" });
  } },
  // audit_logs (direct inserts by the API)
  { name: "an audit row that is neither a row change nor an action", code: "23514", constraint: "chk_audit_logs_kind", run: async () =>
    sql.query("INSERT INTO audit_logs (severity) VALUES ('info')") },
  { name: "an audit action of 'Consent Change'", code: "23514", constraint: "chk_audit_logs_action_format", run: async () =>
    sql.query("INSERT INTO audit_logs (action) VALUES ('Consent Change')") },
  { name: "an audit table_name without an operation", code: "23514", constraint: "chk_audit_logs_row_change_pair", run: async () =>
    sql.query("INSERT INTO audit_logs (table_name) VALUES ('users')") },
  { name: "an audit operation of 'MERGE'", code: "23514", constraint: "chk_audit_logs_operation_valid", run: async () =>
    sql.query("INSERT INTO audit_logs (table_name, operation) VALUES ('users', 'MERGE')") },
  { name: "an audit severity of 'loud'", code: "22P02", run: async () =>
    sql.query("INSERT INTO audit_logs (action, severity) VALUES ('test.severity', 'loud')") },
  { name: "an audit metadata that is an array", code: "23514", constraint: "chk_audit_logs_metadata_object", run: async () =>
    sql.query("INSERT INTO audit_logs (action, metadata) VALUES ('test.metadata', '[]')") },
  // system_configs
  { name: "a second config with the same key", code: "23505", constraint: "uq_system_configs_key", run: async () => {
    const key = `test.k${uniq()}`;
    await sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, '\"a\"', 'string')", [key]);
    return sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, '\"b\"', 'string')", [key]);
  } },
  { name: "a config key of 'Site Name'", code: "23514", constraint: "chk_system_configs_key_format", run: async () =>
    sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ('Site Name', '\"x\"', 'string')") },
  { name: "a number config holding a string", code: "23514", constraint: "chk_system_configs_value_matches_type", run: async () =>
    sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, '\"10\"', 'number')", [`test.k${uniq()}`]) },
  { name: "a json config holding a boolean", code: "23514", constraint: "chk_system_configs_value_matches_type", run: async () =>
    sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, 'true', 'json')", [`test.k${uniq()}`]) },
  // (an unknown value_type also fails chk_system_configs_value_type_valid; the value check is named first)
  { name: "a config value_type of 'integer'", code: "23514", run: async () =>
    sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, '1', 'integer')", [`test.k${uniq()}`]) },
  { name: "a config updated by a user that does not exist", code: "23503", constraint: "fk_system_configs_users", run: async () =>
    sql.query("INSERT INTO system_configs (key, value, updated_by) VALUES ($1, '\"x\"', $2)", [`test.k${uniq()}`, MISSING]) },
  // feature_flags
  { name: "a rollout of 101 percent", code: "23514", constraint: "chk_feature_flags_rollout_percent_range", run: async () =>
    sql.query("INSERT INTO feature_flags (key, rollout_percent) VALUES ($1, 101)", [`test.f${uniq()}`]) },
  { name: "a rollout of -1 percent", code: "23514", constraint: "chk_feature_flags_rollout_percent_range", run: async () =>
    sql.query("INSERT INTO feature_flags (key, rollout_percent) VALUES ($1, -1)", [`test.f${uniq()}`]) },
  { name: "a second flag with the same key", code: "23505", constraint: "uq_feature_flags_key", run: async () => {
    const key = `test.f${uniq()}`;
    await sql.query("INSERT INTO feature_flags (key) VALUES ($1)", [key]);
    return sql.query("INSERT INTO feature_flags (key) VALUES ($1)", [key]);
  } },
  { name: "a flag key of 'New Player'", code: "23514", constraint: "chk_feature_flags_key_format", run: async () =>
    sql.query("INSERT INTO feature_flags (key) VALUES ('New Player')") },
  { name: "a flag allowed to the role 'god'", code: "22P02", run: async () =>
    sql.query("INSERT INTO feature_flags (key, allowed_roles) VALUES ($1, '{god}')", [`test.f${uniq()}`]) },
];

describe("admin constraints (0013)", () => {
  it.each(rejects)("rejects $name", async ({ code, constraint, run }) => {
    await expectPgError(run(), code, constraint);
  });
});

describe("moderation_reports", () => {
  it("accepts a new report once the previous one is closed", async () => {
    const { reporter, target } = await reporterAndTarget();
    const id = await newReport(reporter, target);
    await sql.query("UPDATE moderation_reports SET status = 'dismissed', resolved_at = now() WHERE id = $1", [id]);
    await expect(newReport(reporter, target)).resolves.toBeTypeOf("string");
  });

  it("lets two reporters report the same target", async () => {
    const [a, b, target] = [await createUser(), await createUser(), await createUser()];
    await newReport(a.id, target.id);
    await expect(newReport(b.id, target.id)).resolves.toBeTypeOf("string");
  });

  it("keeps the report when the reporter's account is deleted", async () => {
    const { reporter, target } = await reporterAndTarget();
    const id = await newReport(reporter, target);
    await sql.query("DELETE FROM users WHERE id = $1", [reporter]);
    const row = await one("SELECT reporter_id, status FROM moderation_reports WHERE id = $1", [id]);
    expect(row).toEqual({ reporter_id: null, status: "open" });
  });

  it("moves updated_at on UPDATE", async () => {
    const { reporter, target } = await reporterAndTarget();
    const id = await newReport(reporter, target);
    const row = await one(
      "UPDATE moderation_reports SET status = 'in_review' WHERE id = $1 RETURNING updated_at > created_at AS moved",
      [id],
    );
    expect(row.moved).toBe(true);
  });
});

describe("moderation_actions keep users in sync", () => {
  it("a ban sets is_banned and bumps token_version", async () => {
    const { moderator, user } = await moderatorAndUser();
    const before = await userState(user);
    await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "ban", reason: "spam bot" });
    expect(await userState(user)).toEqual({ isBanned: true, tokenVersion: before.tokenVersion + 1 });
  });

  it("a suspension bumps token_version without banning", async () => {
    const { moderator, user } = await moderatorAndUser();
    const before = await userState(user);
    await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "suspend", reason: "cool down", expires_at: new Date(Date.now() + 86_400_000) });
    expect(await userState(user)).toEqual({ isBanned: false, tokenVersion: before.tokenVersion + 1 });
  });

  it("an unban clears is_banned", async () => {
    const { moderator, user } = await moderatorAndUser();
    await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "ban", reason: "x" });
    await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "unban", reason: "appeal accepted" });
    expect((await userState(user)).isBanned).toBe(false);
  });

  it("reversing a ban clears is_banned", async () => {
    const { moderator, user } = await moderatorAndUser();
    const [ban] = await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "ban", reason: "x" });
    await sql.query("UPDATE moderation_actions SET reversed_at = now(), reversed_by = $2 WHERE id = $1", [ban!.id, moderator]);
    expect((await userState(user)).isBanned).toBe(false);
  });

  it("keeps the action when the moderator's account is deleted", async () => {
    const { moderator, user } = await moderatorAndUser();
    const [action] = await insertAction({ moderator_id: moderator, target_user_id: user, action_type: "warn", reason: "x" });
    await sql.query("DELETE FROM users WHERE id = $1", [moderator]);
    const row = await one("SELECT moderator_id FROM moderation_actions WHERE id = $1", [action!.id]);
    expect(row.moderator_id).toBeNull();
  });
});

describe("audit_logs", () => {
  it("writes an audit row without password_hash, email or username when a user is created", async () => {
    const u = await createUser();
    const row = await one(
      `SELECT table_name, operation, user_id, actor_id, new_data, old_data, metadata, severity, (al::text) AS raw
         FROM audit_logs al WHERE record_id = $1 AND operation = 'INSERT'`,
      [u.id],
    );
    expect(row).toMatchObject({ table_name: "users", operation: "INSERT", user_id: u.id, actor_id: null, old_data: null, severity: "info" });
    const data = row.new_data as Record<string, unknown>;
    expect(data.id).toBe(u.id);
    expect(data).not.toHaveProperty("password_hash");
    expect(data).not.toHaveProperty("email");
    // The log outlives anonymisation (24 months): a username would re-identify an erased account.
    expect(data).not.toHaveProperty("username");
    expect(row.raw as string).not.toContain("notarealhash");
    expect(row.raw as string).not.toContain(u.email);
    expect(row.raw as string).not.toContain(u.username);
    expect((row.metadata as { redacted_keys: string[] }).redacted_keys).toEqual(expect.arrayContaining(["password_hash", "email", "username"]));
  });

  it("records an update's old and new values of the changed columns, and the actor", async () => {
    const [u, actor] = [await createUser(), await createUser()];
    await sql.query(
      `UPDATE users SET marketing_consent = true
         FROM (SELECT set_config('veza.actor_id', $2, true)) AS ctx
        WHERE users.id = $1`,
      [u.id, actor.id],
    );
    const row = await one(
      "SELECT old_data, new_data, user_id, actor_id FROM audit_logs WHERE record_id = $1 AND operation = 'UPDATE'",
      [u.id],
    );
    expect(row).toEqual({
      old_data: { marketing_consent: false },
      new_data: { marketing_consent: true },
      user_id: u.id,
      actor_id: actor.id,
    });
  });

  it("records a password change without the hashes", async () => {
    const u = await createUser();
    await sql.query("UPDATE users SET password_hash = $2 WHERE id = $1", [u.id, "$2a$12$anothersecrethashvalue"]);
    const row = await one(
      "SELECT old_data, new_data, metadata, (al::text) AS raw FROM audit_logs al WHERE record_id = $1 AND operation = 'UPDATE'",
      [u.id],
    );
    expect(row.old_data).toEqual({});
    expect(row.new_data).toEqual({});
    expect(row.metadata).toEqual({ redacted_keys: ["password_hash"] });
    expect(row.raw as string).not.toContain("anothersecrethash");
  });

  it("writes nothing for an update that changes nothing", async () => {
    const u = await createUser();
    await sql.query("UPDATE users SET username = username WHERE id = $1", [u.id]);
    const rows = await sql.query("SELECT 1 FROM audit_logs WHERE record_id = $1 AND operation = 'UPDATE'", [u.id]);
    expect(rows).toHaveLength(0);
  });

  it("records a deleted user, as a warning", async () => {
    const u = await createUser();
    await sql.query("DELETE FROM users WHERE id = $1", [u.id]);
    const row = await one(
      "SELECT user_id, severity, old_data->>'id' AS id, old_data ? 'username' AS has_username, old_data ? 'password_hash' AS has_hash FROM audit_logs WHERE record_id = $1 AND operation = 'DELETE'",
      [u.id],
    );
    expect(row).toEqual({ user_id: u.id, severity: "warning", id: u.id, has_username: false, has_hash: false });
  });

  it("audits users and orders (§22.3 trigger names)", async () => {
    const rows = await sql.query(
      "SELECT tgname FROM pg_trigger WHERE tgname IN ('trg_users_audit', 'trg_orders_audit') ORDER BY tgname",
    );
    expect(rows.map((r) => r.tgname)).toEqual(["trg_orders_audit", "trg_users_audit"]);
  });

  it("cannot be updated", async () => {
    const u = await createUser();
    await expectPgError(sql.query("UPDATE audit_logs SET severity = 'critical' WHERE record_id = $1", [u.id]), "42501");
  });

  it("cannot be deleted", async () => {
    const u = await createUser();
    await expectPgError(sql.query("DELETE FROM audit_logs WHERE record_id = $1", [u.id]), "42501");
    const rows = await sql.query("SELECT 1 FROM audit_logs WHERE record_id = $1", [u.id]);
    expect(rows).toHaveLength(1);
  });

  it("cannot be truncated", async () => {
    await expectPgError(sql.query("TRUNCATE audit_logs"), "42501");
  });

  it("lets partition maintenance move rows out of the default partition", async () => {
    const action = `test.future_${uniq()}`;
    const far = new Date();
    far.setUTCFullYear(far.getUTCFullYear() + 5, far.getUTCMonth(), 15);
    await sql.query("INSERT INTO audit_logs (action, created_at) VALUES ($1, $2)", [action, far]);
    const month = `${far.getUTCFullYear()}_${String(far.getUTCMonth() + 1).padStart(2, "0")}`;
    await sql.query("SELECT ensure_monthly_partition('audit_logs', $1::date)", [far.toISOString().slice(0, 10)]);
    const row = await one("SELECT tableoid::regclass::text AS part FROM audit_logs WHERE action = $1", [action]);
    expect(row.part).toBe(`audit_logs_${month}`);
  });
});

describe("system_configs and feature_flags", () => {
  it("stores a flag for roles and users and moves updated_at on UPDATE", async () => {
    const u = await createUser();
    const key = `test.f${uniq()}`;
    await sql.query(
      "INSERT INTO feature_flags (key, rollout_percent, allowed_roles, allowed_user_ids) VALUES ($1, 25, '{moderator,admin}', ARRAY[$2::uuid])",
      [key, u.id],
    );
    const row = await one(
      "UPDATE feature_flags SET enabled = true WHERE key = $1 RETURNING enabled, rollout_percent, allowed_roles::text[] AS roles, $2::uuid = ANY(allowed_user_ids) AS listed, updated_at > created_at AS moved",
      [key, u.id],
    );
    expect(row).toEqual({ enabled: true, rollout_percent: 25, roles: ["moderator", "admin"], listed: true, moved: true });
  });

  it("accepts each value_type with a value of that type", async () => {
    for (const [type, value] of [["string", '"Veza"'], ["number", "10"], ["boolean", "false"], ["json", '{"a": 1}']] as const) {
      await expect(
        sql.query("INSERT INTO system_configs (key, value, value_type) VALUES ($1, $2::jsonb, $3)", [`test.k${uniq()}`, value, type]),
      ).resolves.toBeDefined();
    }
  });
});
