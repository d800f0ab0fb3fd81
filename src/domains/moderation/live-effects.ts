import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { forgetAuthState } from "../../lib/auth/state";
import { roomOf } from "../chat/room-object";
import { forgetInbox } from "../inbox/inbox-object";
import { disconnectQueue } from "../queue/queue-object";

/**
 * After a ban or suspension is stored: the account's cached auth state is purged (its access
 * tokens, whose token_version the database trigger bumped, and any new sign-in are refused from
 * the next request), and every live socket it holds is closed — in each chat room it belongs to
 * (the room tells the others it is gone), its notification inbox and its play queue (the queue
 * itself is kept: a suspension ends). Sockets are bound to their token only, so without this they
 * would stay open until the token expires.
 *
 * Awaited before answering, so "banned" means disconnected when the moderator sees the answer. A
 * room that cannot be reached is logged, not the request's failure: the sanction is stored, and
 * the socket's token expires within minutes and cannot be renewed.
 */
export async function disconnectAccount(c: Context<AppEnv>, userId: string, roomIds: string[]): Promise<void> {
  await forgetAuthState(userId);
  const closes = [
    ...roomIds.map((roomId) => roomOf(c.env, roomId).memberChanged(userId, null, "banned")),
    forgetInbox(c.env, userId, "banned"),
    disconnectQueue(c.env, userId),
  ];
  const results = await Promise.allSettled(closes);
  for (const r of results) {
    if (r.status === "rejected") c.var.log.warn("moderation: a live socket could not be closed", { error: r.reason instanceof Error ? r.reason.message : String(r.reason) });
  }
}
