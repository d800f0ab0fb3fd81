import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { forgetAuthState } from "../../lib/auth/state";
import { deliverNotifications } from "../notifications/notify";
import { disconnectAccount } from "./live-effects";
import { reverseAction, unbanAccount, type Reversal } from "./reverse-action";
import type { Action, CreateAction } from "./schemas";
import { takeAction } from "./take-action";

/** Takes an action, then makes it felt: notices pushed, a banned or suspended account disconnected. */
export async function act(c: Context<AppEnv>, input: CreateAction): Promise<Action> {
  const outcome = await takeAction(c.var.db, currentUser(c), input, auditOriginOf(c));
  if (input.action_type === "ban" || input.action_type === "suspend") await disconnectAccount(c, outcome.action.target_user_id!, outcome.roomIds);
  deliverNotifications(c, outcome.notifications);
  return outcome.action;
}

async function lifted(c: Context<AppEnv>, reversal: Reversal): Promise<Action> {
  if (reversal.liftedUserId) await forgetAuthState(reversal.liftedUserId);
  deliverNotifications(c, reversal.notifications);
  return reversal.action;
}

/** Reverses an action (or accepts its appeal); a lifted ban or suspension takes effect at once. */
export async function reverse(c: Context<AppEnv>, actionId: string, reason: string, appeal?: "accepted"): Promise<Action> {
  return lifted(c, await reverseAction(c.var.db, actionId, currentUser(c).userId, reason, auditOriginOf(c), appeal));
}

export async function unban(c: Context<AppEnv>, userId: string, reason: string): Promise<Action> {
  return lifted(c, await unbanAccount(c.var.db, userId, currentUser(c).userId, reason, auditOriginOf(c)));
}
