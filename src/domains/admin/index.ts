import { createRouter } from "../../lib/router";
import { grantRole } from "../users/roles-queries";
import { searchAuditLogs } from "./audit-logs";
import { platformMetrics } from "./metrics";
import { auditLogsRoute, changeRoleRoute, forceLogoutRoute, getUserRoute, listUsersRoute, metricsRoute, verifyUserRoute } from "./routes";
import { changeRole, forceLogout, getUser, searchUsers } from "./users";

/** Administration (spec §16): user management, platform metrics, the audit log. Admins only. */
export const admin = createRouter()
  .openapi(auditLogsRoute, async (c) => c.json(await searchAuditLogs(c.var.db, c.req.valid("query")), 200))
  .openapi(listUsersRoute, async (c) => c.json(await searchUsers(c, c.req.valid("query")), 200))
  .openapi(getUserRoute, async (c) => c.json(await getUser(c, c.req.valid("param").id), 200))
  .openapi(changeRoleRoute, async (c) => c.json(await changeRole(c, c.req.valid("param").id, c.req.valid("json").role), 200))
  .openapi(verifyUserRoute, async (c) => c.json(await grantRole(c, c.req.valid("param").id, c.req.valid("json").role), 200))
  .openapi(forceLogoutRoute, async (c) => c.json(await forceLogout(c, c.req.valid("param").id), 200))
  .openapi(metricsRoute, async (c) => c.json(await platformMetrics(c.var.db, c.req.valid("query")), 200));
