import type { Context } from "hono";
import { sql } from "drizzle-orm";
import { CHAT_MEMBER_HEADER, CHAT_PROTOCOL_HEADER, CHAT_READ_HEADER, CHAT_ROOM_HEADER, CHAT_TOKEN_EXPIRES_HEADER } from "../../../durable-objects/chat-room";
import { PROTOCOL } from "../../../durable-objects/chat-room/protocol";
import type { AppEnv } from "../../env";
import { authenticateWebSocket, isWebSocketUpgrade, upgradeRequired } from "../../lib/auth/websocket";
import { requireMember, roomAccessJson, toRoomAccess } from "./room-access";
import { roomOf } from "./room-object";

/**
 * GET /v1/rooms/:id/ws: the token and the membership are checked here, in the Worker (one round
 * trip, with the token's check usually cached), then the upgrade goes to the room's object in a
 * request of our own making: who the member is travels in headers only the Worker sets.
 */
export async function openRoomSocket(c: Context<AppEnv>, roomId: string, since: number | undefined): Promise<Response> {
  if (!isWebSocketUpgrade(c.req.raw)) throw upgradeRequired();
  const { auth, protocol } = await authenticateWebSocket(c, PROTOCOL);
  const { rows } = await c.var.db.execute<{ access: unknown }>(sql`SELECT ${roomAccessJson(roomId, auth.userId)} AS access`);
  const { access, member } = requireMember(toRoomAccess(rows[0]?.access));
  const url = new URL("https://chat-room.internal/ws");
  if (since !== undefined) url.searchParams.set("since", String(since));
  const headers: Record<string, string> = {
    Upgrade: "websocket",
    [CHAT_MEMBER_HEADER]: JSON.stringify(member),
    [CHAT_ROOM_HEADER]: JSON.stringify(access.config),
    [CHAT_READ_HEADER]: String(access.last_read_seq),
    [CHAT_TOKEN_EXPIRES_HEADER]: String(auth.tokenExpiresAt),
  };
  if (protocol) headers[CHAT_PROTOCOL_HEADER] = protocol;
  return roomOf(c.env, roomId).fetch(url.toString(), { headers });
}
