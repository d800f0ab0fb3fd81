import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { SignedInSchema } from "../auth/schemas";
import { createSession } from "../auth/sessions";
import { toAuthUser, toSessionUser, type UserRow } from "../auth/user-view";
import { readTwoFactor } from "../two-factor/queries";
import { assertNotLocked, refuse, verifySecondFactor, WRONG_CODE } from "../two-factor/service";
import { problem, SecondFactorBody } from "./schemas";
import { verifyTicket } from "./second-factor-ticket";

export const oauthSecondFactor = createRoute({
  method: "post",
  path: "/v1/auth/oauth/second-factor",
  tags: ["Auth"],
  summary: "Finish a provider sign-in with a two-factor code",
  description:
    "When the callback answers `two_factor_required`, send its ticket (valid 5 minutes, good for nothing else) with a TOTP code or a " +
    "backup code. The ticket dies when the account signs out everywhere, changes or resets its password, is banned or deleted. " +
    "Wrong codes count toward the 2FA lock (5 in 15 minutes, then 429).",
  request: { body: { required: true, content: { "application/json": { schema: SecondFactorBody } } } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: SignedInSchema } } },
    401: problem("The ticket is forged, expired, or outdated (signed out everywhere since), or the account is gone"),
    403: problem("Banned account"),
    422: problem("Invalid body, or the code is wrong or already used"),
    429: problem("Too many wrong codes"),
  },
});

type TicketAccount = UserRow & { is_banned: boolean; deleted: boolean } & Record<string, unknown>;

export const secondFactorRoutes = createRouter().openapi(oauthSecondFactor, async (c) => {
  const { ticket, code } = c.req.valid("json");
  const claims = await verifyTicket(ticket, c.env.JWT_SECRET);
  const { rows } = await c.var.db.execute<TicketAccount>(sql`
    SELECT id, email, username, display_name, role, token_version, email_verified_at, created_at, is_banned, deleted_at IS NOT NULL AS deleted
      FROM users WHERE id = ${claims.userId}::uuid`);
  const account = rows[0];
  if (!account || account.deleted || Number(account.token_version) !== claims.tokenVersion) {
    throw new ApiError("invalid_token", "This sign-in ticket is no longer valid: sign in with the provider again.");
  }
  if (account.is_banned) throw new ApiError("forbidden", "This account is banned.");
  const state = await readTwoFactor(c.var.db, account.id);
  if (!state) throw new ApiError("invalid_token", "This sign-in ticket is no longer valid: sign in with the provider again.");
  assertNotLocked(state);
  // 2FA switched off since the ticket was made: the ticket still needs a code, and none can match.
  if (!(await verifySecondFactor(c, account.id, code))) {
    return refuse(c, account.id, "oauth_sign_in", "The code is not valid.", [WRONG_CODE]);
  }
  const session = await createSession(c, toSessionUser(account));
  c.header("Cache-Control", "no-store");
  return c.json({ user: toAuthUser(account), session }, 200);
});
