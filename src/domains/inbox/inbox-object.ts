import type { Context } from "hono";
import type { InboxEvent } from "../../../durable-objects/user-inbox/protocol";
import type { AppEnv, Env } from "../../env";

/** The user's UserInbox (`idFromName(userId)`, the id from a verified token or a stored row). */
export const inboxOf = (env: Env, userId: string) => env.USER_INBOX.get(env.USER_INBOX.idFromName(userId));

/**
 * Pushes frames to users' open sockets after the answer is sent (waitUntil): the thing they are
 * about is already stored, so a delivery that fails (an object unreachable, a deploy under way) is
 * logged and forgotten, never the request's failure; a client that missed it catches up by REST.
 */
export function deliverLater(c: Context<AppEnv>, deliveries: Array<{ userId: string; frame: InboxEvent }>): void {
  if (!deliveries.length) return;
  const log = c.var.log;
  const env = c.env;
  const work = Promise.all(
    deliveries.map(async ({ userId, frame }) => {
      try {
        await inboxOf(env, userId).deliver(frame);
      } catch (err) {
        log.warn("inbox: delivery failed", { type: frame.type, error: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (a caller outside a request): the promise still runs, unawaited.
  }
}

/** The account is gone, banned or suspended: its devices are disconnected (the inbox stores nothing else). */
export async function forgetInbox(env: Env, userId: string, reason: "account deleted" | "banned" = "account deleted"): Promise<void> {
  await inboxOf(env, userId).forget(reason);
}
