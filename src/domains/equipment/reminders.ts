import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { TODAY, fromJson, latestMaintenancePerType, ownedBy } from "./equipment-view";
import type { Reminder } from "./schemas";

/** Reminders one answer lists at most: a long list of due things is read soonest first anyway. */
export const MAX_REMINDERS = 100;

/**
 * GET /v1/me/equipment/reminders, one statement: what needs my attention within `days`, soonest
 * first — warranties of my live items ending from today on, and maintenance due (the latest entry of
 * each type with a next_due_date, overdue ones included: they are still to do). Days are UTC
 * calendar days.
 */
export async function listReminders(db: Database, userId: string, days: number): Promise<{ items: Reminder[] }> {
  const { rows } = await db.execute<{ reminder: unknown }>(sql`
    WITH items AS (
      SELECT e.* FROM equipment e WHERE ${ownedBy(userId)}
    ), due AS (
      SELECT 'warranty_expiry' AS kind, w.end_date AS due_date, e.id AS equipment_id, e.brand, e.model, e.nickname,
             jsonb_build_object('id', w.id, 'provider', w.provider, 'warranty_type', w.warranty_type) AS warranty, NULL::jsonb AS maintenance
        FROM items e JOIN equipment_warranties w ON w.equipment_id = e.id
       WHERE w.end_date >= ${TODAY} AND w.end_date <= ${TODAY} + ${days}::int
      UNION ALL
      SELECT 'maintenance_due', nm.next_due_date, e.id, e.brand, e.model, e.nickname, NULL::jsonb,
             jsonb_build_object('id', nm.id, 'maintenance_type', nm.maintenance_type, 'performed_on', to_char(nm.performed_on, 'YYYY-MM-DD'))
        FROM items e CROSS JOIN LATERAL ${latestMaintenancePerType("e")} nm
       WHERE nm.next_due_date <= ${TODAY} + ${days}::int
    )
    SELECT jsonb_build_object(
             'kind', d.kind, 'due_date', to_char(d.due_date, 'YYYY-MM-DD'), 'days_left', d.due_date - ${TODAY},
             'equipment', jsonb_build_object('id', d.equipment_id, 'brand', d.brand, 'model', d.model, 'nickname', d.nickname),
             'warranty', d.warranty, 'maintenance', d.maintenance) AS reminder
      FROM due d
     ORDER BY d.due_date, d.kind, d.equipment_id
     LIMIT ${MAX_REMINDERS}`);
  return { items: rows.map((r) => fromJson<Reminder>(r.reminder)) };
}
