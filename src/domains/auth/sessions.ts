import type { Context } from "hono";
import type { Database } from "../../db/client";
import { refreshTokens } from "../../db/schema";
import type { AppEnv } from "../../env";
import { signAccessToken, ACCESS_TOKEN_TTL_SECONDS, type AccessClaims } from "../../lib/auth/tokens";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { clientOf } from "../../lib/request-client";

/** Refresh tokens live 30 days; each use rotates them (DESIGN §3). */
export const REFRESH_TOKEN_TTL_DAYS = 30;

/** What a successful sign-in (password, OAuth, refresh) answers. */
export interface IssuedSession {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
}

export interface SessionUser {
  id: string;
  role: AccessClaims["role"];
  tokenVersion: number;
}

/** A fresh refresh token of this request's device: the clear token (for the client) and the row's values. */
export async function refreshTokenValues(c: Context<AppEnv>) {
  const refreshToken = randomToken();
  const device = clientOf(c);
  return {
    refreshToken,
    tokenHash: await sha256Hex(refreshToken),
    deviceName: c.req.header("x-device-name")?.slice(0, 255) || null,
    deviceType: device.deviceType,
    userAgent: device.userAgent,
    ip: device.ip,
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  };
}

/** The statement that stores a new refresh token (for use in a caller's `db.batch`). */
export async function newRefreshToken(db: Database, c: Context<AppEnv>, userId: string, familyId?: string) {
  const values = await refreshTokenValues(c);
  const insert = db
    .insert(refreshTokens)
    .values({
      userId,
      tokenHash: values.tokenHash,
      ...(familyId ? { familyId } : {}),
      deviceName: values.deviceName,
      deviceType: values.deviceType,
      userAgent: values.userAgent,
      ipAddress: values.ip,
      expiresAt: values.expiresAt,
    })
    .returning({ id: refreshTokens.id, familyId: refreshTokens.familyId });
  return { refreshToken: values.refreshToken, insert };
}

/**
 * Signs the access token of a session. A session is a refresh-token family: its id (`sid`) stays
 * the same across rotations, so "revoke this device" revokes the family.
 */
export async function issueSession(c: Context<AppEnv>, user: SessionUser, sessionId: string, refreshToken: string): Promise<IssuedSession> {
  const accessToken = await signAccessToken({ sub: user.id, role: user.role, sid: sessionId, tv: user.tokenVersion }, c.env.JWT_SECRET);
  return { accessToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_TTL_SECONDS, refreshToken, sessionId };
}

/** Starts a new session (a new refresh-token family) for `user`: one round trip. */
export async function createSession(c: Context<AppEnv>, user: SessionUser): Promise<IssuedSession> {
  const { refreshToken, insert } = await newRefreshToken(c.var.db, c, user.id);
  const [row] = await insert;
  return issueSession(c, user, row!.familyId, refreshToken);
}
