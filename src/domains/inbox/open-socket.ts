import type { Context } from "hono";
import { SOCKET_PROTOCOL_HEADER, SOCKET_TOKEN_EXPIRES_HEADER, SOCKET_USER_HEADER } from "../../../durable-objects/lib/token-bound-socket";
import { PROTOCOL } from "../../../durable-objects/user-inbox/protocol";
import type { AppEnv } from "../../env";
import { authenticateWebSocket, isWebSocketUpgrade, upgradeRequired } from "../../lib/auth/websocket";
import { inboxOf } from "./inbox-object";

/**
 * GET /v1/me/inbox/ws: authenticated here, in the Worker, then handed to the user's UserInbox in
 * a request of our own making: the user id travels in a header only the Worker sets, and nothing
 * of the client's request reaches the object, so no one can open another user's inbox.
 */
export async function openInboxSocket(c: Context<AppEnv>): Promise<Response> {
  if (!isWebSocketUpgrade(c.req.raw)) throw upgradeRequired();
  const { auth, protocol } = await authenticateWebSocket(c, PROTOCOL);
  const headers: Record<string, string> = { Upgrade: "websocket", [SOCKET_USER_HEADER]: auth.userId, [SOCKET_TOKEN_EXPIRES_HEADER]: String(auth.tokenExpiresAt) };
  if (protocol) headers[SOCKET_PROTOCOL_HEADER] = protocol;
  return inboxOf(c.env, auth.userId).fetch("https://user-inbox.internal/ws", { headers });
}
