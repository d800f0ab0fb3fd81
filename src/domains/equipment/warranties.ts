import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { DOCUMENTS_ERROR, filesOwned, ownerWrite, uuids } from "./equipment-rules";
import { fromJson, ownedBy, warrantyJson } from "./equipment-view";
import { MAX_WARRANTIES_PER_ITEM, type CreateWarrantyInput, type UpdateWarrantyInput, type Warranty } from "./schemas";

/**
 * The warranties of one of my items (spec §12.2). Every statement starts from `item`, my live item
 * of that id, so another's item, a deleted one or an unknown one is the same 404. The migration's
 * trigger (trg_equipment_warranties_expiry_notice) clears expiry_notified_at when end_date changes,
 * so an extended warranty gets its 30-day reminder again.
 */

const item = (userId: string, id: string) => sql`SELECT e.id, e.user_id FROM equipment e WHERE e.id = ${id}::uuid AND ${ownedBy(userId)}`;

type WriteRow = { found: boolean; documents_ok: boolean; room_ok?: boolean; warranty: unknown };

function answer(row: WriteRow | undefined, what: string): Warranty {
  if (row?.warranty) return fromJson<Warranty>(row.warranty);
  if (!row?.found) throw notFound(what);
  if (!row.documents_ok) throw DOCUMENTS_ERROR();
  if (row.room_ok === false) {
    throw new ApiError("conflict", `An item holds at most ${MAX_WARRANTIES_PER_ITEM} warranties; delete an old one first.`);
  }
  throw notFound(what);
}

/** GET /v1/me/equipment/:id/warranties, one statement: all of them, latest end date first (at most MAX_WARRANTIES_PER_ITEM). */
export async function listWarranties(db: Database, userId: string, id: string): Promise<{ items: Warranty[] }> {
  const { rows } = await db.execute<{ wid: string | null; warranty: unknown }>(sql`
    WITH e AS (${item(userId, id)})
    SELECT w.id AS wid, ${warrantyJson("w", "e")} AS warranty
      FROM e LEFT JOIN equipment_warranties w ON w.equipment_id = e.id
     ORDER BY w.end_date DESC, w.created_at DESC, w.id`);
  if (rows.length === 0) throw notFound("This item");
  return { items: rows.filter((r) => r.wid !== null).map((r) => fromJson<Warranty>(r.warranty)) };
}

/** POST /v1/me/equipment/:id/warranties, one statement. Documents must be my own live PDFs or images. */
export async function createWarranty(db: Database, userId: string, id: string, input: CreateWarrantyInput): Promise<Warranty> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH e AS (${item(userId, id)}), checks AS (
        SELECT ${filesOwned(userId, input.document_file_ids, "document")} AS documents_ok,
               (SELECT count(*) FROM equipment_warranties x WHERE x.equipment_id = ${id}::uuid) < ${MAX_WARRANTIES_PER_ITEM} AS room_ok
      ), created AS (
        INSERT INTO equipment_warranties (equipment_id, provider, warranty_type, policy_number, start_date, end_date, document_file_ids, notes)
        SELECT e.id, ${input.provider}, ${input.warranty_type ?? "manufacturer"}, ${input.policy_number ?? null}, ${input.start_date}::date,
               ${input.end_date}::date, ${uuids(input.document_file_ids ?? [])}, ${input.notes ?? null}
          FROM e, checks c WHERE c.documents_ok AND c.room_ok
        RETURNING *
      )
      SELECT EXISTS (SELECT 1 FROM e) AS found, c.documents_ok, c.room_ok,
             (SELECT ${warrantyJson("w", "e")} FROM created w, e) AS warranty
        FROM checks c`),
  );
  return answer(rows[0], "This item");
}

function assignments(input: UpdateWarrantyInput): SQL[] {
  const set: SQL[] = [];
  for (const column of ["provider", "warranty_type", "policy_number", "notes"] as const) {
    if (input[column] !== undefined) set.push(sql`${sql.identifier(column)} = ${input[column]}`);
  }
  if (input.start_date !== undefined) set.push(sql`start_date = ${input.start_date}::date`);
  if (input.end_date !== undefined) set.push(sql`end_date = ${input.end_date}::date`);
  if (input.document_file_ids !== undefined) set.push(sql`document_file_ids = ${uuids(input.document_file_ids)}`);
  return set;
}

/**
 * PATCH /v1/me/equipment/:id/warranties/:warrantyId, one statement. A date that meets the stored
 * other one out of order is a 422 on end_date (the CHECK, read back).
 */
export async function updateWarranty(db: Database, userId: string, id: string, warrantyId: string, input: UpdateWarrantyInput): Promise<Warranty> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH e AS (${item(userId, id)}), checks AS (
        SELECT ${filesOwned(userId, input.document_file_ids, "document")} AS documents_ok
      ), updated AS (
        UPDATE equipment_warranties w SET ${sql.join(assignments(input), sql`, `)}
          FROM e, checks c
         WHERE w.id = ${warrantyId}::uuid AND w.equipment_id = e.id AND c.documents_ok
        RETURNING w.*
      )
      SELECT EXISTS (SELECT 1 FROM equipment_warranties x JOIN e ON x.equipment_id = e.id WHERE x.id = ${warrantyId}::uuid) AS found,
             c.documents_ok, (SELECT ${warrantyJson("w", "e")} FROM updated w, e) AS warranty
        FROM checks c`),
  );
  return answer(rows[0], "This warranty");
}

/** DELETE /v1/me/equipment/:id/warranties/:warrantyId, one statement (a hard delete: a detail of the item). */
export async function deleteWarranty(db: Database, userId: string, id: string, warrantyId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    WITH e AS (${item(userId, id)})
    DELETE FROM equipment_warranties w USING e WHERE w.id = ${warrantyId}::uuid AND w.equipment_id = e.id RETURNING w.id`);
  if (!rows[0]) throw notFound("This warranty");
}
