import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset";
import { confirmPasswordResetRoute, requestPasswordResetRoute, resendVerificationRoute, verifyEmailRoute } from "./routes";
import { resendEmailVerification, verifyEmail } from "./service";

/** One answer for every reset request, so the response never says whether the account exists. */
const RESET_ACCEPTED = {
  status: "accepted" as const,
  detail: "If an account uses this address, we have sent it a link to choose a new password. It expires in 1 hour.",
};

export const accountEmail = createRouter()
  .openapi(verifyEmailRoute, async (c) => {
    await verifyEmail(c.var.db, c.req.valid("json").token);
    return c.json({ verified: true as const }, 200);
  })
  .openapi(resendVerificationRoute, async (c) => {
    await resendEmailVerification(c, currentUser(c).userId);
    return c.json({ status: "accepted" as const, detail: "A new verification link is on its way. It expires in 24 hours." }, 202);
  })
  .openapi(requestPasswordResetRoute, async (c) => {
    await requestPasswordReset(c, c.req.valid("json").email);
    return c.json(RESET_ACCEPTED, 202);
  })
  .openapi(confirmPasswordResetRoute, async (c) => {
    const { token, new_password } = c.req.valid("json");
    await confirmPasswordReset(c, token, new_password);
    return c.body(null, 204);
  });
