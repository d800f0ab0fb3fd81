import { sql, type SQL } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, auditOriginOf } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import type { AdminUserSchema, AdminUserSummarySchema, ChangeRoleSchema, ForceLogoutSchema, RoleChangeSchema, UserSearchQuerySchema } from "./schemas";

type UserSearchQuery = z.infer<typeof UserSearchQuerySchema>;
type AdminUserSummary = z.infer<typeof AdminUserSummarySchema>;
type AdminUser = z.infer<typeof AdminUserSchema>;
type RoleChange = z.infer<typeof RoleChangeSchema>;
type ForceLogout = z.infer<typeof ForceLogoutSchema>;
type Role = z.infer<typeof ChangeRoleSchema>["role"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%`, `_` and `\` typed by an admin are searched literally. */
const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const SUMMARY_COLUMNS = sql`u.id, u.email, u.username, u.display_name, u.role, u.is_banned,
  u.email_verified_at IS NOT NULL AS email_verified, ${iso("u.created_at")} AS created_at,
  ${iso("u.last_login_at")} AS last_login_at, ${iso("u.deleted_at")} AS deleted_at`;

function userFilters(q: UserSearchQuery): SQL[] {
  const where: SQL[] = [];
  if (q.q && UUID.test(q.q)) where.push(sql`u.id = ${q.q}::uuid`);
  else if (q.q) where.push(sql`(lower(u.email) LIKE ${likePrefix(q.q)} OR lower(u.username) LIKE ${likePrefix(q.q)})`);
  if (q.role) where.push(sql`u.role = ${q.role}::user_role`);
  if (q.status === "active") where.push(sql`u.deleted_at IS NULL AND NOT u.is_banned`);
  if (q.status === "banned") where.push(sql`u.deleted_at IS NULL AND u.is_banned`);
  if (q.status === "deleted") where.push(sql`u.deleted_at IS NOT NULL`);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    where.push(sql`(u.created_at, u.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return where;
}

/** Every account (deleted and banned ones too: admins look for them), newest first. One round trip. */
export async function searchUsers(c: Context<AppEnv>, q: UserSearchQuery): Promise<{ items: AdminUserSummary[]; next_cursor: string | null }> {
  const where = userFilters(q);
  const { rows } = await c.var.db.execute<AdminUserSummary & { sort_at: string }>(sql`
    SELECT ${SUMMARY_COLUMNS}, ${preciseIso("u.created_at")} AS sort_at
      FROM users u
     ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
     ORDER BY u.created_at DESC, u.id DESC
     LIMIT ${q.limit + 1}`);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sort_at: _, ...user }) => user),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last.sort_at, last.id) : null,
  };
}

/** One account as staff see it: identity, state, sessions, verified roles and recent sanctions. One round trip. */
export async function getUser(c: Context<AppEnv>, userId: string): Promise<AdminUser> {
  const { rows } = await c.var.db.execute<AdminUser>(sql`
    SELECT ${SUMMARY_COLUMNS}, u.first_name, u.last_name, u.is_active, u.login_count,
           ${iso("u.last_password_change_at")} AS last_password_change_at,
           EXISTS (SELECT 1 FROM two_factor_configs t WHERE t.user_id = u.id AND (t.totp_enabled OR t.sms_enabled)) AS two_factor_enabled,
           (SELECT count(DISTINCT r.family_id) FROM refresh_tokens r
             WHERE r.user_id = u.id AND NOT r.is_revoked AND r.expires_at > now())::int AS active_sessions,
           COALESCE((SELECT json_agg(json_build_object('role', ur.role, 'verified_at', ${iso("ur.verified_at")}) ORDER BY ur.role)
                       FROM user_roles ur WHERE ur.user_id = u.id AND ur.verified), '[]'::json) AS verified_roles,
           COALESCE((SELECT json_agg(json_build_object('id', m.id, 'action_type', m.action_type, 'reason', m.reason,
                                                       'created_at', ${iso("m.created_at")}, 'expires_at', ${iso("m.expires_at")},
                                                       'reversed_at', ${iso("m.reversed_at")}) ORDER BY m.created_at DESC)
                       FROM (SELECT * FROM moderation_actions WHERE target_user_id = u.id ORDER BY created_at DESC LIMIT 20) m), '[]'::json) AS sanctions
      FROM users u
     WHERE u.id = ${userId}`);
  const user = rows[0];
  if (!user) throw notFound("This user");
  return user;
}

/**
 * Sets a live account's role, with a 'role.change' audit row (old and new role) in the same
 * statement; the batch names the actor first so the users row-change trigger attributes it too.
 * An admin cannot change their own role (the last admin could lock everyone out). Setting the role
 * it already has changes and audits nothing. The cached auth state is dropped, so the new role
 * applies from the next request. One round trip.
 */
export async function changeRole(c: Context<AppEnv>, userId: string, role: Role): Promise<RoleChange> {
  const actorId = c.get("auth")!.userId;
  if (actorId === userId) throw new ApiError("conflict", "Admins cannot change their own role; ask another admin.");
  const db = c.var.db;
  const [, result] = await db.batch([
    db.execute(actAs(actorId)),
    db.execute<RoleChange & { changed: boolean }>(sql`
      WITH target AS (
        SELECT id, role FROM users WHERE id = ${userId} AND deleted_at IS NULL FOR UPDATE
      ), changed AS (
        UPDATE users u SET role = ${role}::user_role FROM target t WHERE u.id = t.id AND t.role <> ${role}::user_role RETURNING u.id
      ), audit AS (
        ${auditInsertFrom(
          {
            action: "role.change",
            userId: sql`t.id`,
            actorId,
            origin: auditOriginOf(c),
            severity: "warning",
            oldData: sql`jsonb_build_object('role', t.role)`,
            newData: sql`jsonb_build_object('role', ${role}::text)`,
          },
          sql`target t WHERE EXISTS (SELECT 1 FROM changed)`,
        )}
      )
      SELECT t.id AS user_id, ${role}::text AS role, t.role AS previous_role, EXISTS (SELECT 1 FROM changed) AS changed FROM target t`),
  ]);
  const row = result.rows[0];
  if (!row) throw notFound("This user");
  if (row.changed) await forgetAuthState(userId);
  const { changed: _, ...change } = row;
  return change;
}

/**
 * Signs a user out everywhere, by an admin: token_version + 1 (every access token already issued is
 * refused from the next request on), every refresh token revoked, and an 'admin.force_logout' audit
 * row, in one statement; then the cached auth state is purged so this data centre refuses the old
 * tokens at once (others within AUTH_STATE_TTL_SECONDS). One round trip.
 */
export async function forceLogout(c: Context<AppEnv>, userId: string): Promise<ForceLogout> {
  const actorId = c.get("auth")!.userId;
  const db = c.var.db;
  const [, result] = await db.batch([
    db.execute(actAs(actorId)),
    db.execute<ForceLogout>(sql`
      WITH target AS (
        SELECT id FROM users WHERE id = ${userId} AND deleted_at IS NULL
      ), bumped AS (
        UPDATE users SET token_version = token_version + 1 WHERE id IN (SELECT id FROM target) RETURNING id
      ), revoked AS (
        UPDATE refresh_tokens SET is_revoked = true, revoked_at = now(), revoked_reason = 'admin_force_logout'
         WHERE user_id IN (SELECT id FROM bumped) AND NOT is_revoked
        RETURNING family_id, expires_at
      ), sessions AS (
        SELECT count(DISTINCT family_id) FILTER (WHERE expires_at > now())::int AS n FROM revoked
      ), audit AS (
        ${auditInsertFrom(
          {
            action: "admin.force_logout",
            userId: sql`t.id`,
            actorId,
            origin: auditOriginOf(c),
            severity: "warning",
            metadata: sql`jsonb_build_object('sessions_revoked', (SELECT n FROM sessions))`,
          },
          sql`target t`,
        )}
      )
      SELECT t.id AS user_id, (SELECT n FROM sessions) AS sessions_revoked FROM target t`),
  ]);
  const row = result.rows[0];
  if (!row) throw notFound("This user");
  await forgetAuthState(userId);
  return row;
}
