import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { ChatMessage, PostResult, SendInput } from "../../../durable-objects/chat-room/protocol";
import type { Env } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import { requireMember, roomAccessJson, toRoomAccess } from "./room-access";
import { roomOf } from "./room-object";

/**
 * POST /v1/rooms/:id/messages: the same send as over the socket (the room's object applies every
 * rule and broadcasts it), for clients without one. One round trip for the membership, one more
 * only when a file is attached.
 */
export async function postMessage(env: Env, db: Database, roomId: string, userId: string, input: SendInput): Promise<ChatMessage> {
  const { rows } = await db.execute<{ access: unknown }>(sql`SELECT ${roomAccessJson(roomId, userId)} AS access`);
  const { access, member } = requireMember(toRoomAccess(rows[0]?.access));
  let result: PostResult;
  try {
    result = (await roomOf(env, roomId).post(member, access.config, input)) as PostResult;
  } catch (err) {
    throw new ApiError("service_unavailable", "The room cannot take messages right now; retry shortly.", { headers: { "Retry-After": "2" }, cause: err });
  }
  if (result.ok) return result.message;
  const retryAfter = result.retry_after_ms === undefined ? undefined : { "Retry-After": String(Math.max(1, Math.ceil(result.retry_after_ms / 1000))) };
  switch (result.code) {
    case "slow_mode":
      throw new ApiError("rate_limited", result.message, { headers: retryAfter });
    case "muted":
    case "forbidden":
      throw new ApiError("forbidden", result.message);
    case "archived":
      throw new ApiError("conflict", result.message);
    case "not_found":
      throw notFound("The message replied to");
    case "invalid_attachment":
      throw new ApiError("validation_failed", result.message, { errors: [{ path: "json.attachment_file_id", message: result.message }] });
    case "database_unavailable":
      throw new ApiError("database_unavailable", result.message, { headers: { "Retry-After": "2" } });
    default:
      throw new ApiError("validation_failed", result.message);
  }
}
