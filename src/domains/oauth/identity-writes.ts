import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { federatedIdentities, users } from "../../db/schema";
import type { AppEnv } from "../../env";
import { actAs, auditInsert, auditOriginOf } from "../../lib/audit";
import { clientIpOf } from "../../lib/request-client";
import { issueSession, newRefreshToken, type IssuedSession } from "../auth/sessions";
import type { AccountState } from "./identity-queries";
import type { ProviderProfile } from "./profiles";
import type { ProviderName } from "./providers";
import { usernameBase, usernameCandidates } from "./usernames";

/** The provider's tokens as stored: AES-256-GCM ciphertexts, never the tokens themselves. */
export interface SealedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

/** The account a callback ends on, as the API shows it. */
export interface SignedInAccount {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  role: AccountState["role"];
}

const clip = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));

/** Columns refreshed from the provider on every sign-in or link. A provider that sends no new refresh token keeps the old one. */
function identityColumns(profile: ProviderProfile, tokens: SealedTokens) {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? sql`${federatedIdentities.refreshToken}`,
    tokenExpiresAt: tokens.expiresAt,
    providerEmail: profile.email,
    providerUsername: clip(profile.username, 255),
    providerAvatarUrl: profile.avatarUrl,
    providerProfileData: profile.raw,
  };
}

/** The audit row of an action the user takes on their own account, from this request. */
const audit = (c: Context<AppEnv>, userId: string, action: string, severity: "info" | "warning", metadata: Record<string, unknown>) =>
  c.var.db.execute(auditInsert({ action, userId, severity, origin: auditOriginOf(c), metadata }));

const lastLogin = (c: Context<AppEnv>, userId: string) =>
  c.var.db
    .update(users)
    .set({ lastLoginAt: sql`now()`, loginCount: sql`${users.loginCount} + 1`, lastLoginIp: clientIpOf(c) })
    .where(eq(users.id, userId));

const refreshIdentity = (c: Context<AppEnv>, provider: ProviderName, profile: ProviderProfile, tokens: SealedTokens) =>
  c.var.db
    .update(federatedIdentities)
    .set(identityColumns(profile, tokens))
    .where(and(eq(federatedIdentities.provider, provider), eq(federatedIdentities.providerUserId, profile.providerUserId)));

/** Signs in the account an identity is linked to: identity refreshed, login counted, new session — one batch. */
export async function signInLinked(
  c: Context<AppEnv>,
  provider: ProviderName,
  profile: ProviderProfile,
  tokens: SealedTokens,
  account: AccountState,
): Promise<IssuedSession> {
  const { refreshToken, insert } = await newRefreshToken(c.var.db, c, account.userId);
  const [, , , [session]] = await c.var.db.batch([
    c.var.db.execute(actAs(account.userId)),
    refreshIdentity(c, provider, profile, tokens),
    lastLogin(c, account.userId),
    insert,
  ]);
  return issueSession(c, { id: account.userId, role: account.role, tokenVersion: account.tokenVersion }, session!.familyId, refreshToken);
}

/**
 * Links an identity to a signed-in user (or refreshes it when it is already theirs), with an audit
 * row: a new way into an account is worth a warning in the trail. One batch.
 */
export async function linkIdentity(
  c: Context<AppEnv>,
  provider: ProviderName,
  profile: ProviderProfile,
  tokens: SealedTokens,
  userId: string,
  alreadyLinked: boolean,
): Promise<void> {
  const write = alreadyLinked
    ? refreshIdentity(c, provider, profile, tokens)
    : c.var.db.insert(federatedIdentities).values({
        userId,
        provider,
        providerUserId: profile.providerUserId,
        ...identityColumns(profile, tokens),
        refreshToken: tokens.refreshToken,
      });
  await c.var.db.batch([
    write,
    audit(c, userId, "auth.oauth_link", alreadyLinked ? "info" : "warning", { provider, providerUsername: profile.username, relinked: alreadyLinked }),
  ]);
}

export interface NewAccountConsents {
  dataProcessingConsent: true;
  marketingConsent: boolean;
}

/**
 * Creates an account from a provider identity and signs it in — user (with the first free
 * username), identity (its primary sign-in method), session and audit row in one batch. The user's
 * id is made here so every statement of the batch can name it. The email counts as verified only
 * when the provider vouches for it.
 */
export async function signUp(
  c: Context<AppEnv>,
  provider: ProviderName,
  profile: ProviderProfile & { email: string },
  tokens: SealedTokens,
  consents: NewAccountConsents,
): Promise<{ account: SignedInAccount; session: IssuedSession }> {
  const db = c.var.db;
  const userId = crypto.randomUUID();
  const candidates = usernameCandidates(usernameBase(profile.username, profile.displayName, profile.email.split("@")[0]));
  const names = sql.join(
    candidates.map((name, i) => sql`(${name}::text, ${i}::int)`),
    sql`, `,
  );
  const marketingAt = consents.marketingConsent ? sql`now()` : sql`NULL`;
  const createUser = db.execute<{ username: string; role: AccountState["role"]; token_version: number }>(sql`
    INSERT INTO users (id, email, email_verified_at, username, display_name, data_processing_consent, data_processing_consent_at,
                       marketing_consent, marketing_consent_at, last_login_at, login_count, last_login_ip)
    SELECT ${userId}::uuid, ${profile.email}::text, ${profile.emailVerified ? sql`now()` : sql`NULL`}, c.name, ${profile.displayName}::text,
           true, now(), ${consents.marketingConsent}::boolean, ${marketingAt}, now(), 1, ${clientIpOf(c)}::inet
      FROM (VALUES ${names}) AS c(name, ord)
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.username) = lower(c.name) AND u.deleted_at IS NULL)
     ORDER BY c.ord
     LIMIT 1
    RETURNING username, role, token_version`);
  const { refreshToken, insert } = await newRefreshToken(db, c, userId);
  const [, created, , [session]] = await db.batch([
    db.execute(actAs(userId)),
    createUser,
    db.insert(federatedIdentities).values({
      userId,
      provider,
      providerUserId: profile.providerUserId,
      ...identityColumns(profile, tokens),
      refreshToken: tokens.refreshToken,
      isPrimary: true,
    }),
    insert,
    audit(c, userId, "auth.register", "info", { method: "oauth", provider, marketingConsent: consents.marketingConsent }),
  ]);
  const user = created.rows[0]!;
  const account: SignedInAccount = { id: userId, username: user.username, email: profile.email, emailVerified: profile.emailVerified, role: user.role };
  const issued = await issueSession(c, { id: userId, role: user.role, tokenVersion: Number(user.token_version) }, session!.familyId, refreshToken);
  return { account, session: issued };
}
