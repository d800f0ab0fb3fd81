import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { operationsHealth } from "./health";
import { runJobNow } from "./run-job";
import { healthRoute, runJobRoute } from "./routes";

/** Operations: jobs on demand and the platform's health (spec §18–§23). */
export const operations = createRouter()
  .openapi(runJobRoute, async (c) =>
    c.json(await runJobNow(c.env, c.var.log, c.req.valid("param").name, currentUser(c).userId, auditOriginOf(c)), 200),
  )
  .openapi(healthRoute, async (c) => c.json(await operationsHealth(c.env, c.var.db, c.var.log), 200));
