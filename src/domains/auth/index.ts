import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { changePassword } from "./change-password";
import { listSessions } from "./list-sessions";
import { signIn } from "./login";
import { changeMyPassword, listMySessions, revokeMySession } from "./me-routes";
import { rotateRefreshToken } from "./refresh";
import { registerUser } from "./register";
import { logout, logoutEverywhere, revokeSession } from "./revoke";
import * as routes from "./routes";

/** Sign-up, sign-in, token refresh, sign-out, and my sessions and password (DESIGN §3). */
export const auth = createRouter();

auth.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: "An access token from /v1/auth/login, /v1/auth/register or /v1/auth/refresh",
});

auth
  .openapi(routes.register, async (c) => c.json(await registerUser(c, c.req.valid("json")), 201))
  .openapi(routes.login, async (c) => c.json(await signIn(c, c.req.valid("json")), 200))
  .openapi(routes.refresh, async (c) => c.json({ session: await rotateRefreshToken(c, c.req.valid("json").refresh_token) }, 200))
  .openapi(routes.logout, async (c) => {
    await logout(c, currentUser(c), c.req.valid("json").refresh_token);
    return c.body(null, 204);
  })
  .openapi(routes.logoutAll, async (c) => {
    await logoutEverywhere(c, currentUser(c));
    return c.body(null, 204);
  })
  .openapi(listMySessions, async (c) => c.json(await listSessions(c, currentUser(c), c.req.valid("query")), 200))
  .openapi(revokeMySession, async (c) => {
    await revokeSession(c, currentUser(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(changeMyPassword, async (c) => {
    const { current_password, new_password } = c.req.valid("json");
    return c.json({ session: await changePassword(c, currentUser(c), current_password, new_password) }, 200);
  });
