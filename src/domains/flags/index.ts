import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { createConfig, deleteConfig, getConfig, listConfigs, updateConfig } from "./admin-configs";
import { createFlag, deleteFlag, getFlag, listFlags, updateFlag } from "./admin-flags";
import * as a from "./admin-routes";
import { clientFlags } from "./client-flags";
import { clientFlagsRoute, CLIENT_CACHE_CONTROL } from "./routes";

/**
 * System configuration and feature flags (spec §16): GET /v1/flags for clients, evaluated from an
 * edge-cached snapshot (src/lib/flags.ts, which also gives other code `isEnabled(c, key)`), and the
 * admins' CRUD of flags and settings.
 */
export const flags = createRouter()
  .openapi(clientFlagsRoute, async (c) => {
    const body = await clientFlags(c);
    c.header("Cache-Control", CLIENT_CACHE_CONTROL);
    return c.json(body, 200);
  })
  .openapi(a.listFlagsRoute, async (c) => c.json(await listFlags(c.var.db), 200))
  .openapi(a.getFlagRoute, async (c) => c.json(await getFlag(c.var.db, c.req.valid("param").key), 200))
  .openapi(a.createFlagRoute, async (c) => c.json(await createFlag(c.var.db, currentUser(c).userId, c.req.valid("json"), auditOriginOf(c)), 201))
  .openapi(a.updateFlagRoute, async (c) =>
    c.json(await updateFlag(c.var.db, currentUser(c).userId, c.req.valid("param").key, c.req.valid("json"), auditOriginOf(c)), 200),
  )
  .openapi(a.deleteFlagRoute, async (c) => {
    await deleteFlag(c.var.db, currentUser(c).userId, c.req.valid("param").key, auditOriginOf(c));
    return c.body(null, 204);
  })
  .openapi(a.listConfigsRoute, async (c) => c.json(await listConfigs(c.var.db), 200))
  .openapi(a.getConfigRoute, async (c) => c.json(await getConfig(c.var.db, c.req.valid("param").key), 200))
  .openapi(a.createConfigRoute, async (c) => c.json(await createConfig(c.var.db, currentUser(c).userId, c.req.valid("json"), auditOriginOf(c)), 201))
  .openapi(a.updateConfigRoute, async (c) =>
    c.json(await updateConfig(c.var.db, currentUser(c).userId, c.req.valid("param").key, c.req.valid("json"), auditOriginOf(c)), 200),
  )
  .openapi(a.deleteConfigRoute, async (c) => {
    await deleteConfig(c.var.db, currentUser(c).userId, c.req.valid("param").key, auditOriginOf(c));
    return c.body(null, 204);
  });
