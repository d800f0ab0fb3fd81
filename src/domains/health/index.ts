import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createRouter } from "../../lib/router";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    database: z.object({
      ok: z.boolean(),
      latencyMs: z.number().optional(),
      schemaVersion: z.string().nullable().optional(),
    }),
  })
  .openapi("Health");

const getHealth = createRoute({
  method: "get",
  path: "/health",
  tags: ["Platform"],
  summary: "Liveness and database reachability",
  description: "One database round trip: reads the latest applied migration. 503 when the database cannot be reached.",
  responses: {
    200: { description: "The Worker and its database answer", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "The database cannot be reached", content: { "application/json": { schema: HealthSchema } } },
  },
});

export const health = createRouter().openapi(getHealth, async (c) => {
  const started = Date.now();
  try {
    const rows = await c.var.db.execute<{ version: string | null }>(
      sql`SELECT (SELECT max(version) FROM schema_migrations) AS version`,
    );
    const schemaVersion = rows.rows[0]?.version ?? null;
    return c.json({ status: "ok" as const, database: { ok: true, latencyMs: Date.now() - started, schemaVersion } }, 200);
  } catch (err) {
    // Unreachable, or reachable but not migrated: either way this deployment cannot serve.
    c.var.log.warn("health: database check failed", { error: err instanceof Error ? err.message : String(err) });
    return c.json({ status: "unavailable" as const, database: { ok: false } }, 503);
  }
});
