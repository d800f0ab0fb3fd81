import type { Operation, OperationResult, QueueState } from "../../../durable-objects/playback-queue/protocol";
import type { Env } from "../../env";
import { ApiError, notFound } from "../../lib/errors";

/**
 * The REST side of the live queue: every route is one typed RPC call on the user's PlaybackQueue
 * (`idFromName(userId)`, the id from the verified token), which applies the same rules as a
 * WebSocket operation and broadcasts the change to the user's sockets. A refusal becomes the
 * problem a REST client expects; a stale write answers 409 with the current `state`.
 */
export const queueOf = (env: Env, userId: string) => env.PLAYBACK_QUEUE.get(env.PLAYBACK_QUEUE.idFromName(userId));

/** The account is gone: its devices are disconnected and the object's storage is wiped. */
export async function forgetQueue(env: Env, userId: string): Promise<void> {
  await queueOf(env, userId).forget();
}

/** The account was banned or suspended: its devices are disconnected (4003), its queue is kept. */
export async function disconnectQueue(env: Env, userId: string): Promise<void> {
  await queueOf(env, userId).disconnect();
}

export async function readQueue(env: Env, userId: string): Promise<QueueState> {
  try {
    return await queueOf(env, userId).snapshot(userId);
  } catch (err) {
    throw unavailable(err);
  }
}

export async function operateQueue(env: Env, userId: string, operation: Operation): Promise<QueueState> {
  const result = (await queueOf(env, userId).operate(userId, operation)) as OperationResult;
  if (result.ok) return result.state;
  throw refusal(result, operation);
}

function unavailable(err: unknown): ApiError {
  return new ApiError("service_unavailable", "The queue cannot be loaded right now; retry shortly.", { headers: { "Retry-After": "5" }, cause: err });
}

function refusal(result: Extract<OperationResult, { ok: false }>, operation: Operation): ApiError {
  switch (result.code) {
    case "stale":
      return new ApiError("conflict", `${result.message} Apply the current state (in \`state\`) and retry.`, { extensions: { state: result.state } });
    case "unknown_tracks": {
      const refused = new Set(result.track_ids);
      const ids = "track_ids" in operation ? operation.track_ids : [];
      const errors = ids.flatMap((id, i) => (refused.has(id) ? [{ path: `json.track_ids.${i}`, message: "is not a ready track you can see" }] : []));
      return new ApiError("validation_failed", result.message, { errors, extensions: { track_ids: result.track_ids } });
    }
    case "queue_full":
      return new ApiError("validation_failed", result.message, { errors: [{ path: "json.track_ids", message: result.message }] });
    case "invalid_position":
      return new ApiError("validation_failed", result.message, { errors: [{ path: operation.type === "replace" ? "json.current_index" : "json.position", message: result.message }] });
    case "item_not_found":
      return notFound("This queue item");
    case "nothing_to_play":
    case "unavailable":
      return new ApiError("conflict", result.message);
    case "database_unavailable":
      return new ApiError("database_unavailable", result.message, { headers: { "Retry-After": "5" } });
  }
}
