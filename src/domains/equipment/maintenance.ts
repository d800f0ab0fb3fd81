import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { DOCUMENTS_ERROR, filesOwned, ownerWrite, uuids } from "./equipment-rules";
import { fromJson, maintenanceJson, ownedBy } from "./equipment-view";
import type { CreateMaintenanceInput, Maintenance, PageQuery, UpdateMaintenanceInput } from "./schemas";

/**
 * The maintenance history of one of my items (spec §12.3), newest first. Every statement starts
 * from `item`, my live item of that id: another's, a deleted or an unknown item is the same 404.
 */

const item = (userId: string, id: string) =>
  sql`SELECT e.id, e.user_id, e.currency FROM equipment e WHERE e.id = ${id}::uuid AND ${ownedBy(userId)}`;

type WriteRow = { found: boolean; documents_ok: boolean; entry: unknown };

function answer(row: WriteRow | undefined, what: string): Maintenance {
  if (row?.entry) return fromJson<Maintenance>(row.entry);
  if (!row?.found) throw notFound(what);
  if (!row.documents_ok) throw DOCUMENTS_ERROR();
  throw notFound(what);
}

/**
 * The keyset of the history is (performed_on, id), newest first, on
 * idx_equipment_maintenance_equipment_id_performed_on; the cursor carries the day as midnight UTC.
 */
const cursorDay = "to_char(m.performed_on, 'YYYY-MM-DD\"T00:00:00.000000Z\"')";
const after = (cursor: string | undefined) => {
  if (!cursor) return sql``;
  const [at, id] = decodeCursor(cursor);
  return sql`AND (m.performed_on, m.id) < ((${at}::timestamptz AT TIME ZONE 'UTC')::date, ${id}::uuid)`;
};

/** GET /v1/me/equipment/:id/maintenance, one statement: the history, newest first, by cursor. */
export async function listMaintenance(db: Database, userId: string, id: string, q: PageQuery): Promise<{ items: Maintenance[]; next_cursor: string | null }> {
  const { rows } = await db.execute<{ mid: string | null; cursor_at: string | null; entry: unknown }>(sql`
    WITH e AS (${item(userId, id)})
    SELECT x.* FROM e LEFT JOIN LATERAL (
      SELECT m.id AS mid, ${sql.raw(cursorDay)} AS cursor_at, ${maintenanceJson("m", "e")} AS entry
        FROM equipment_maintenance m
       WHERE m.equipment_id = e.id ${after(q.cursor)}
       ORDER BY m.performed_on DESC, m.id DESC LIMIT ${q.limit + 1}
    ) x ON true
    ORDER BY x.cursor_at DESC, x.mid DESC`);
  if (rows.length === 0) throw notFound("This item");
  const found = rows.filter((r) => r.mid !== null);
  const items = found.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => fromJson<Maintenance>(r.entry)),
    next_cursor: found.length > q.limit && last ? encodeCursor(last.cursor_at!, last.mid!) : null,
  };
}

/** POST /v1/me/equipment/:id/maintenance, one statement. The currency defaults to the item's. */
export async function createMaintenance(db: Database, userId: string, id: string, input: CreateMaintenanceInput): Promise<Maintenance> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH e AS (${item(userId, id)}), checks AS (
        SELECT ${filesOwned(userId, input.document_file_ids, "document")} AS documents_ok
      ), created AS (
        INSERT INTO equipment_maintenance (equipment_id, performed_on, maintenance_type, performed_by, cost, currency, notes, next_due_date, document_file_ids)
        SELECT e.id, ${input.performed_on}::date, ${input.maintenance_type}, ${input.performed_by ?? null}, ${input.cost ?? null}::numeric,
               COALESCE(${input.currency ?? null}::char(3), e.currency), ${input.notes ?? null}, ${input.next_due_date ?? null}::date,
               ${uuids(input.document_file_ids ?? [])}
          FROM e, checks c WHERE c.documents_ok
        RETURNING *
      )
      SELECT EXISTS (SELECT 1 FROM e) AS found, c.documents_ok, (SELECT ${maintenanceJson("m", "e")} FROM created m, e) AS entry
        FROM checks c`),
  );
  return answer(rows[0], "This item");
}

function assignments(input: UpdateMaintenanceInput): SQL[] {
  const set: SQL[] = [];
  for (const column of ["maintenance_type", "performed_by", "currency", "notes"] as const) {
    if (input[column] !== undefined) set.push(sql`${sql.identifier(column)} = ${input[column]}`);
  }
  if (input.performed_on !== undefined) set.push(sql`performed_on = ${input.performed_on}::date`);
  if (input.next_due_date !== undefined) set.push(sql`next_due_date = ${input.next_due_date}::date`);
  if (input.cost !== undefined) set.push(sql`cost = ${input.cost}::numeric`);
  if (input.document_file_ids !== undefined) set.push(sql`document_file_ids = ${uuids(input.document_file_ids)}`);
  return set;
}

/** PATCH /v1/me/equipment/:id/maintenance/:maintenanceId, one statement; a due date before the stored day is a 422. */
export async function updateMaintenance(
  db: Database,
  userId: string,
  id: string,
  maintenanceId: string,
  input: UpdateMaintenanceInput,
): Promise<Maintenance> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH e AS (${item(userId, id)}), checks AS (
        SELECT ${filesOwned(userId, input.document_file_ids, "document")} AS documents_ok
      ), updated AS (
        UPDATE equipment_maintenance m SET ${sql.join(assignments(input), sql`, `)}
          FROM e, checks c
         WHERE m.id = ${maintenanceId}::uuid AND m.equipment_id = e.id AND c.documents_ok
        RETURNING m.*
      )
      SELECT EXISTS (SELECT 1 FROM equipment_maintenance x JOIN e ON x.equipment_id = e.id WHERE x.id = ${maintenanceId}::uuid) AS found,
             c.documents_ok, (SELECT ${maintenanceJson("m", "e")} FROM updated m, e) AS entry
        FROM checks c`),
  );
  return answer(rows[0], "This maintenance entry");
}

/** DELETE /v1/me/equipment/:id/maintenance/:maintenanceId, one statement. */
export async function deleteMaintenance(db: Database, userId: string, id: string, maintenanceId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    WITH e AS (${item(userId, id)})
    DELETE FROM equipment_maintenance m USING e WHERE m.id = ${maintenanceId}::uuid AND m.equipment_id = e.id RETURNING m.id`);
  if (!rows[0]) throw notFound("This maintenance entry");
}
