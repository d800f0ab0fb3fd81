import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, auditOriginOf } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { notFound } from "../../lib/errors";
import type { VERIFIABLE_ROLES } from "./schemas";
import { iso } from "./sql-fragments";

export type VerifiableRole = (typeof VERIFIABLE_ROLES)[number];

export type RoleGrant = {
  user_id: string;
  role: VerifiableRole;
  verified: boolean;
  verified_at: string | null;
  verified_by: string | null;
  account_role: string;
};

/** Who did it, from where: the audit_logs columns every staff action fills. */
const auditContext = (c: Context<AppEnv>) => ({ actorId: c.get("auth")!.userId, origin: auditOriginOf(c) });

/**
 * Verifies `role` for user `userId` (a moderator's or admin's act), in one statement: the
 * user_roles upsert, the promotion of a plain `user` to the `creator` account role when the role
 * is creator, and the 'role.grant' audit row, all conditional on the user existing and not being
 * deleted (otherwise nothing is written and the answer is 404). The batch names the actor first, so
 * the audit trigger on users attributes the role change too. One round trip.
 */
export async function grantRole(c: Context<AppEnv>, userId: string, role: VerifiableRole): Promise<RoleGrant> {
  const db = c.var.db;
  const a = auditContext(c);
  const [, result] = await db.batch([
    db.execute(actAs(a.actorId)),
    db.execute<RoleGrant & { promoted: boolean }>(sql`
      WITH target AS (
        SELECT id, role FROM users WHERE id = ${userId} AND deleted_at IS NULL
      ), before AS (
        SELECT r.verified, r.verified_at FROM user_roles r WHERE r.user_id = ${userId} AND r.role = ${role}
      ), granted AS (
        INSERT INTO user_roles (user_id, role, verified, verified_at, verified_by)
        SELECT id, ${role}, true, now(), ${a.actorId}::uuid FROM target
        ON CONFLICT (user_id, role) DO UPDATE
          SET verified = true,
              -- re-granting keeps the original verification
              verified_at = CASE WHEN user_roles.verified THEN user_roles.verified_at ELSE now() END,
              verified_by = CASE WHEN user_roles.verified THEN user_roles.verified_by ELSE EXCLUDED.verified_by END
        RETURNING user_id, role, verified, verified_at, verified_by
      ), promoted AS (
        UPDATE users SET role = 'creator'
         WHERE id IN (SELECT user_id FROM granted) AND ${role} = 'creator' AND role = 'user'
        RETURNING id
      ), audit AS (
        ${auditInsertFrom(
          {
            action: "role.grant",
            userId: sql`g.user_id`,
            actorId: a.actorId,
            origin: a.origin,
            severity: "info",
            metadata: sql`jsonb_build_object('role', g.role, 'account_role_promoted', EXISTS (SELECT 1 FROM promoted))`,
            oldData: sql`jsonb_build_object('verified', COALESCE((SELECT verified FROM before), false), 'account_role', (SELECT role FROM target))`,
            newData: sql`jsonb_build_object('verified', true, 'account_role', CASE WHEN EXISTS (SELECT 1 FROM promoted) THEN 'creator' ELSE (SELECT role::text FROM target) END)`,
          },
          sql`granted g`,
        )}
      )
      SELECT g.user_id, g.role, g.verified, ${sql.raw(iso("g.verified_at"))} AS verified_at, g.verified_by,
             CASE WHEN EXISTS (SELECT 1 FROM promoted) THEN 'creator' ELSE (SELECT role::text FROM target) END AS account_role,
             EXISTS (SELECT 1 FROM promoted) AS promoted
        FROM granted g`),
  ]);
  const row = result.rows[0];
  if (!row) throw notFound("This user");
  // The account role is part of every request's auth state: drop the cached copy.
  if (row.promoted) await forgetAuthState(userId);
  const { promoted: _, ...grant } = row;
  return grant;
}

/**
 * Withdraws the verification of `role` (the declaration stays, unverified), with a 'role.revoke'
 * audit row; revoking creator demotes a `creator` account role back to `user` (staff roles and
 * premium are left alone). 404 when the user has no such verified role. One round trip.
 */
export async function revokeRole(c: Context<AppEnv>, userId: string, role: VerifiableRole): Promise<RoleGrant> {
  const db = c.var.db;
  const a = auditContext(c);
  const [, result] = await db.batch([
    db.execute(actAs(a.actorId)),
    db.execute<RoleGrant & { demoted: boolean }>(sql`
      WITH target AS (
        SELECT id, role FROM users WHERE id = ${userId} AND deleted_at IS NULL
      ), revoked AS (
        UPDATE user_roles r SET verified = false, verified_at = NULL, verified_by = NULL
         WHERE r.user_id IN (SELECT id FROM target) AND r.role = ${role} AND r.verified
        RETURNING r.user_id, r.role, r.verified, r.verified_at, r.verified_by
      ), demoted AS (
        UPDATE users SET role = 'user'
         WHERE id IN (SELECT user_id FROM revoked) AND ${role} = 'creator' AND role = 'creator'
        RETURNING id
      ), audit AS (
        ${auditInsertFrom(
          {
            action: "role.revoke",
            userId: sql`v.user_id`,
            actorId: a.actorId,
            origin: a.origin,
            severity: "warning",
            metadata: sql`jsonb_build_object('role', v.role, 'account_role_demoted', EXISTS (SELECT 1 FROM demoted))`,
            oldData: sql`jsonb_build_object('verified', true, 'account_role', (SELECT role FROM target))`,
            newData: sql`jsonb_build_object('verified', false, 'account_role', CASE WHEN EXISTS (SELECT 1 FROM demoted) THEN 'user' ELSE (SELECT role::text FROM target) END)`,
          },
          sql`revoked v`,
        )}
      )
      SELECT v.user_id, v.role, v.verified, NULL AS verified_at, NULL AS verified_by,
             CASE WHEN EXISTS (SELECT 1 FROM demoted) THEN 'user' ELSE (SELECT role::text FROM target) END AS account_role,
             EXISTS (SELECT 1 FROM demoted) AS demoted
        FROM revoked v`),
  ]);
  const row = result.rows[0];
  if (!row) throw notFound("This verified role");
  if (row.demoted) await forgetAuthState(userId);
  const { demoted: _, ...grant } = row;
  return grant;
}
