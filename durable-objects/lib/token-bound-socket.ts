import { z } from "@hono/zod-openapi";
import type { Database } from "../../src/db/client";
import { authenticated } from "../../src/lib/auth/middleware";
import { ApiError } from "../../src/lib/errors";
import { ACCOUNT_DELETED_CLOSE_CODE, TOKEN_EXPIRED_CLOSE_CODE } from "./close-codes";

/**
 * What every per-user Durable Object socket shares (PlaybackQueue, UserInbox): the Worker
 * authenticates the upgrade and forwards it with the user id in a header only it sets; the socket
 * then lives exactly as long as the access token that opened it, unless a `reauth` frame carrying a
 * fresh token of the same user extends it. Kept here so both objects apply the very same rule.
 */

/** Headers of the Worker's internal upgrade request: who the (already authenticated) user is. */
export const SOCKET_USER_HEADER = "X-Veza-User-Id";
/** The subprotocol to select in the 101 answer, when the client offered a list. */
export const SOCKET_PROTOCOL_HEADER = "X-Veza-Protocol";
/** When the access token that opened the socket expires (ms since the epoch). */
export const SOCKET_TOKEN_EXPIRES_HEADER = "X-Veza-Token-Expires";

export { ACCOUNT_DELETED_CLOSE_CODE, TOKEN_EXPIRED_CLOSE_CODE };

/** `{type: "reauth", request_id, token}`: extends the socket's life to the new token's expiry. */
export const ReauthSchema = z.object({ type: z.literal("reauth"), token: z.string().min(1).max(4096) }).strict();

/** The part of a socket's serialized attachment these rules need. */
export interface TokenBoundAttachment {
  user_id: string;
  /** The socket's access token expires then (ms since the epoch). */
  token_expires_at: number;
}

/** The frames these rules send; each protocol includes them in its own ServerFrame union. */
export type TokenFrame =
  | { type: "reauthenticated"; request_id: string; expires_at: string }
  | { type: "error"; request_id?: string; code: "token_expired" | "invalid_token" | "database_unavailable"; message: string };

/** Sends one JSON frame; a socket that is closing just misses it (its close event cleans up). */
export function sendFrame(ws: WebSocket, frame: object): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // the socket is closing
  }
}

/**
 * Closes (4001) a socket whose access token has expired, telling it why first; true if it did.
 * `attachment`: the socket's, when the caller keeps it in memory (a broadcast checks every socket).
 */
export function closedIfExpired(ws: WebSocket, requestId?: string, now = Date.now(), attachment?: TokenBoundAttachment): boolean {
  const { token_expires_at } = attachment ?? (ws.deserializeAttachment() as TokenBoundAttachment);
  if (now < token_expires_at) return false;
  const frame: TokenFrame = {
    type: "error",
    ...(requestId ? { request_id: requestId } : {}),
    code: "token_expired",
    message: "The access token of this socket has expired: send a fresh one ({type: \"reauth\"}) or reconnect.",
  };
  sendFrame(ws, frame);
  try {
    ws.close(TOKEN_EXPIRED_CLOSE_CODE, "token expired");
  } catch {
    // already closing
  }
  return true;
}

/** `reauth`: a fresh access token of the same user moves the socket's expiry to that token's. */
export async function reauthenticate(ws: WebSocket, db: Database, secret: string, requestId: string, token: string): Promise<void> {
  const attachment = ws.deserializeAttachment() as TokenBoundAttachment;
  let auth;
  try {
    auth = await authenticated(db, secret, `Bearer ${token}`);
  } catch (err) {
    if (!(err instanceof ApiError)) return sendFrame(ws, { type: "error", request_id: requestId, code: "database_unavailable", message: "The token cannot be checked right now; retry shortly." } satisfies TokenFrame);
    return sendFrame(ws, { type: "error", request_id: requestId, code: "invalid_token", message: err.message } satisfies TokenFrame);
  }
  if (auth.userId !== attachment.user_id) return sendFrame(ws, { type: "error", request_id: requestId, code: "invalid_token", message: "This token is another user's." } satisfies TokenFrame);
  ws.serializeAttachment({ ...attachment, token_expires_at: auth.tokenExpiresAt });
  sendFrame(ws, { type: "reauthenticated", request_id: requestId, expires_at: new Date(auth.tokenExpiresAt).toISOString() } satisfies TokenFrame);
}

/** Closes every socket with `code` (e.g. the account was deleted). */
export function closeAll(sockets: WebSocket[], code: number, reason: string): void {
  for (const ws of sockets) {
    try {
      ws.close(code, reason);
    } catch {
      // already closing
    }
  }
}
