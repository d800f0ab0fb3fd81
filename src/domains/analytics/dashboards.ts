import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { iso } from "../tracks/track-view";
import type { CreateDashboardInput, Dashboard, UpdateDashboardInput } from "./schemas";

/** Live dashboards one user may keep. */
export const MAX_DASHBOARDS = 50;

const DASHBOARD_JSON = sql`json_build_object(
  'id', d.id, 'name', d.name, 'description', d.description, 'layout', d.layout, 'is_default', d.is_default,
  'created_at', ${iso("d.created_at")}, 'updated_at', ${iso("d.updated_at")})`;

/**
 * Clears the owner's current default (but `keep`, which must be the statement's live `target`) when `makeDefault`: the CTE a write runs first,
 * in its own statement, so there is never a moment with two defaults (uq_dashboard_configs_owner_default)
 * nor one without the other write. Its writer reads `(SELECT count(*) FROM cleared)`, which makes
 * the clearing run to completion before the write.
 */
const clearDefault = (userId: string, makeDefault: boolean, keep: string | null) => sql`
  cleared AS (
    UPDATE dashboard_configs SET is_default = false
     WHERE owner_id = ${userId}::uuid AND is_default AND deleted_at IS NULL AND ${makeDefault}
       ${keep ? sql`AND id <> ${keep}::uuid AND EXISTS (SELECT 1 FROM target)` : sql``}
    RETURNING 1
  )`;

/** GET /v1/me/dashboards: mine, the default first, then by name. One round trip. */
export async function listDashboards(db: Database, userId: string): Promise<{ items: Dashboard[] }> {
  const { rows } = await db.execute<{ dashboard: Dashboard }>(sql`
    SELECT ${DASHBOARD_JSON} AS dashboard FROM dashboard_configs d
     WHERE d.owner_id = ${userId}::uuid AND d.deleted_at IS NULL
     ORDER BY d.is_default DESC, lower(d.name), d.id`);
  return { items: rows.map((r) => r.dashboard) };
}

/**
 * POST /v1/me/dashboards, one statement: a default replaces the previous default; names are unique
 * per user, case-insensitively (409); at most MAX_DASHBOARDS (409). One round trip.
 */
export async function createDashboard(db: Database, userId: string, input: CreateDashboardInput): Promise<Dashboard> {
  const { rows } = await db.execute<{ dashboard: Dashboard }>(sql`
    WITH ${clearDefault(userId, input.is_default, null)},
    d AS (
      INSERT INTO dashboard_configs (owner_id, name, description, layout, is_default)
      SELECT ${userId}::uuid, ${input.name}, ${input.description ?? null}, ${JSON.stringify(input.layout)}::jsonb, ${input.is_default}
        FROM (SELECT count(*) FROM cleared) c
       WHERE (SELECT count(*) FROM dashboard_configs WHERE owner_id = ${userId}::uuid AND deleted_at IS NULL) < ${MAX_DASHBOARDS}
      RETURNING *
    )
    SELECT ${DASHBOARD_JSON} AS dashboard FROM d`);
  if (!rows[0]) throw new ApiError("conflict", `You have ${MAX_DASHBOARDS} dashboards already; delete one first.`);
  return rows[0].dashboard;
}

/** PATCH /v1/me/dashboards/:id: changes the fields given; a new default replaces the old in the same statement. One round trip. */
export async function updateDashboard(db: Database, userId: string, dashboardId: string, patch: UpdateDashboardInput): Promise<Dashboard> {
  const sets: SQL[] = [];
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  if (patch.layout !== undefined) sets.push(sql`layout = ${JSON.stringify(patch.layout)}::jsonb`);
  if (patch.is_default !== undefined) sets.push(sql`is_default = ${patch.is_default}`);
  const { rows } = await db.execute<{ dashboard: Dashboard }>(sql`
    WITH target AS (
      SELECT id FROM dashboard_configs WHERE id = ${dashboardId}::uuid AND owner_id = ${userId}::uuid AND deleted_at IS NULL
    ),
    ${clearDefault(userId, patch.is_default === true, dashboardId)},
    d AS (
      UPDATE dashboard_configs dc SET ${sql.join(sets, sql`, `)}
        FROM (SELECT count(*) FROM cleared) c
       WHERE dc.id = (SELECT id FROM target)
      RETURNING dc.*
    )
    SELECT ${DASHBOARD_JSON} AS dashboard FROM d`);
  if (!rows[0]) throw notFound("This dashboard");
  return rows[0].dashboard;
}

/** DELETE /v1/me/dashboards/:id: soft delete (its name is free again). One round trip. */
export async function deleteDashboard(db: Database, userId: string, dashboardId: string): Promise<void> {
  const { rows } = await db.execute(sql`
    UPDATE dashboard_configs SET deleted_at = now()
     WHERE id = ${dashboardId}::uuid AND owner_id = ${userId}::uuid AND deleted_at IS NULL RETURNING 1`);
  if (!rows[0]) throw notFound("This dashboard");
}
