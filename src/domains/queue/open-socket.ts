import type { Context } from "hono";
import { QUEUE_PROTOCOL_HEADER, QUEUE_TOKEN_EXPIRES_HEADER, QUEUE_USER_HEADER } from "../../../durable-objects/playback-queue";
import { PROTOCOL } from "../../../durable-objects/playback-queue/protocol";
import type { AppEnv } from "../../env";
import { authenticateWebSocket, isWebSocketUpgrade, upgradeRequired } from "../../lib/auth/websocket";
import { queueOf } from "./queue-object";

/**
 * GET /v1/me/queue/ws: authenticates the upgrade here, in the Worker, then hands it to the
 * user's PlaybackQueue in a request of our own making: the user id travels in a header only the
 * Worker sets (nothing of the client's request but the device fields reaches the object), so no
 * one can name another user's queue.
 */
export async function openQueueSocket(c: Context<AppEnv>, device: { device_id?: string; device_name?: string }): Promise<Response> {
  if (!isWebSocketUpgrade(c.req.raw)) throw upgradeRequired();
  const { auth, protocol } = await authenticateWebSocket(c, PROTOCOL);
  const url = new URL("https://playback-queue.internal/ws");
  if (device.device_id) url.searchParams.set("device_id", device.device_id);
  if (device.device_name) url.searchParams.set("device_name", device.device_name);
  const headers: Record<string, string> = { Upgrade: "websocket", [QUEUE_USER_HEADER]: auth.userId, [QUEUE_TOKEN_EXPIRES_HEADER]: String(auth.tokenExpiresAt) };
  if (protocol) headers[QUEUE_PROTOCOL_HEADER] = protocol;
  return queueOf(c.env, auth.userId).fetch(url.toString(), { headers });
}
