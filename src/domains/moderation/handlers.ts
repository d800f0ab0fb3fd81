import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { forgetAuthState } from "../../lib/auth/state";
import { deliverNotifications } from "../notifications/notify";
import { applyContentChange, applyContentRestore } from "./content-effects";
import { disconnectAccount } from "./live-effects";
import { reverseAction, unbanAccount, type Reversal } from "./reverse-action";
import { roomModeration } from "./room-message";
import type { Action, CreateAction } from "./schemas";
import { takeAction } from "./take-action";

/** Takes an action, then makes it felt: notices pushed, a banned or suspended account disconnected, live content closed. */
export async function act(c: Context<AppEnv>, input: CreateAction): Promise<Action> {
  const actor = currentUser(c);
  const outcome = await takeAction(c.var.db, actor, input, auditOriginOf(c), roomModeration(c.env, actor.userId));
  if (input.action_type === "ban" || input.action_type === "suspend") await disconnectAccount(c, outcome.action.target_user_id!, outcome.roomIds);
  await applyContentChange(c, outcome.live);
  deliverNotifications(c, outcome.notifications);
  return outcome.action;
}

async function lifted(c: Context<AppEnv>, reversal: Reversal): Promise<Action> {
  if (reversal.liftedUserId) await forgetAuthState(reversal.liftedUserId);
  await applyContentRestore(c, reversal.reopenedRoom, reversal.restoredDirectMessage);
  deliverNotifications(c, reversal.notifications);
  return reversal.action;
}

/** Reverses an action (or accepts its appeal); a lifted ban or suspension takes effect at once, content comes back live. */
export async function reverse(c: Context<AppEnv>, actionId: string, reason: string, appeal?: "accepted"): Promise<Action> {
  const moderatorId = currentUser(c).userId;
  return lifted(c, await reverseAction(c.var.db, actionId, moderatorId, reason, auditOriginOf(c), roomModeration(c.env, moderatorId), appeal));
}

export async function unban(c: Context<AppEnv>, userId: string, reason: string): Promise<Action> {
  return lifted(c, await unbanAccount(c.var.db, userId, currentUser(c).userId, reason, auditOriginOf(c)));
}
