import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { federatedIdentities, users } from "../../db/schema";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import type { AccessClaims } from "../../lib/auth/tokens";
import { ApiError } from "../../lib/errors";
import type { ProviderName } from "./providers";

/** A Veza account as the callback needs to judge it. */
export interface AccountState {
  userId: string;
  username: string;
  email: string;
  emailVerified: boolean;
  role: AccessClaims["role"];
  tokenVersion: number;
  banned: boolean;
  deleted: boolean;
  /** TOTP is on: a provider sign-in must still pass the second factor. */
  twoFactor: boolean;
}

export interface IdentityResolution {
  /** The account this provider identity is already linked to. */
  linked: AccountState | null;
  /** The account a link flow targets, and whether it already has an identity at this provider. */
  linkTarget: (AccountState & { hasProvider: boolean }) | null;
  /** Whether a live account already uses the provider's email address. */
  emailTaken: boolean;
}

const accountJson = sql.raw(`json_build_object(
  'userId', u.id, 'username', u.username, 'email', u.email, 'emailVerified', u.email_verified_at IS NOT NULL,
  'role', u.role, 'tokenVersion', u.token_version, 'banned', u.is_banned, 'deleted', u.deleted_at IS NOT NULL,
  'twoFactor', EXISTS (SELECT 1 FROM two_factor_configs t WHERE t.user_id = u.id AND t.totp_enabled))`);

/** Everything the callback decides on, in one round trip. */
export async function resolveIdentity(
  db: Database,
  provider: ProviderName,
  providerUserId: string,
  email: string | null,
  linkUserId: string | null,
): Promise<IdentityResolution> {
  const { rows } = await db.execute<{ linked: AccountState | null; link_target: (AccountState & { hasProvider: boolean }) | null; email_taken: boolean }>(sql`
    SELECT
      (SELECT ${accountJson} FROM federated_identities f JOIN users u ON u.id = f.user_id
        WHERE f.provider = ${provider} AND f.provider_user_id = ${providerUserId}) AS linked,
      (SELECT (${accountJson})::jsonb || jsonb_build_object('hasProvider',
                EXISTS (SELECT 1 FROM federated_identities f WHERE f.user_id = u.id AND f.provider = ${provider}))
         FROM users u WHERE u.id = ${linkUserId}::uuid) AS link_target,
      EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(${email}::text) AND deleted_at IS NULL) AS email_taken`);
  const row = rows[0]!;
  return { linked: row.linked, linkTarget: row.link_target, emailTaken: row.email_taken };
}

export interface LinkedIdentity {
  provider: ProviderName;
  providerUsername: string | null;
  providerEmail: string | null;
  providerAvatarUrl: string | null;
  isPrimary: boolean;
  linkedAt: Date;
}

/** My linked identities and whether I have a password: one round trip. */
export async function listIdentities(db: Database, userId: string): Promise<{ hasPassword: boolean; identities: LinkedIdentity[] }> {
  const rows = await db
    .select({
      hasPassword: sql<boolean>`${users.passwordHash} IS NOT NULL`,
      provider: federatedIdentities.provider,
      providerUsername: federatedIdentities.providerUsername,
      providerEmail: federatedIdentities.providerEmail,
      providerAvatarUrl: federatedIdentities.providerAvatarUrl,
      isPrimary: federatedIdentities.isPrimary,
      linkedAt: federatedIdentities.createdAt,
    })
    .from(users)
    .leftJoin(federatedIdentities, eq(federatedIdentities.userId, users.id))
    .where(eq(users.id, userId))
    .orderBy(federatedIdentities.createdAt);
  const identities = rows
    .filter((r): r is typeof r & { provider: ProviderName; linkedAt: Date; isPrimary: boolean } => r.provider !== null)
    .map(({ hasPassword: _, ...identity }) => identity);
  return { hasPassword: rows[0]?.hasPassword ?? false, identities };
}

/**
 * Unlinks my identity at `provider`, unless it is my only way to sign in (no password and no other
 * identity): 404 when none is linked, 409 when it is the last one. One statement: the check, the
 * delete and the audit row commit together.
 */
export async function unlinkIdentity(
  db: Database,
  userId: string,
  provider: ProviderName,
  origin: AuditOrigin,
): Promise<void> {
  const { rows } = await db.execute<{ found: number; removed: number }>(sql`
    WITH me AS (
      SELECT password_hash IS NOT NULL AS has_password,
             (SELECT count(*) FROM federated_identities f WHERE f.user_id = users.id AND f.provider <> ${provider}) AS others
        FROM users WHERE id = ${userId}
    ), target AS (
      SELECT id, provider_username FROM federated_identities WHERE user_id = ${userId} AND provider = ${provider}
    ), removed AS (
      DELETE FROM federated_identities
       WHERE id IN (SELECT id FROM target)
         AND EXISTS (SELECT 1 FROM me WHERE has_password OR others > 0)
      RETURNING id, provider_username
    ), audit AS (
      ${auditInsertFrom(
        {
          action: "auth.oauth_unlink",
          userId,
          severity: "info",
          origin,
          metadata: sql`jsonb_build_object('provider', ${provider}::text, 'providerUsername', min(provider_username))`,
        },
        sql`removed HAVING count(*) > 0`,
      )}
    )
    SELECT (SELECT count(*) FROM target)::int AS found, (SELECT count(*) FROM removed)::int AS removed`);
  const { found, removed } = rows[0]!;
  if (found === 0) throw new ApiError("not_found", `No ${provider} account is linked to yours.`);
  if (removed === 0) {
    throw new ApiError("conflict", `This is your only way to sign in: set a password or link another account before unlinking ${provider}.`);
  }
}
