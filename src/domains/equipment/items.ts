import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { CATEGORY_ERROR, PHOTOS_ERROR, categoryActive, filesOwned, ownerWrite, uuids } from "./equipment-rules";
import { equipmentJson, fromJson, ownedBy } from "./equipment-view";
import type { CreateEquipmentInput, Equipment, UpdateEquipmentInput } from "./schemas";

type WriteRow = { found: boolean; category_ok: boolean; photos_ok: boolean; item: unknown };

function answer(row: WriteRow | undefined): Equipment {
  if (row?.item) return fromJson<Equipment>(row.item);
  if (!row?.found) throw notFound("This item");
  if (!row.category_ok) throw CATEGORY_ERROR();
  if (!row.photos_ok) throw PHOTOS_ERROR();
  throw notFound("This item");
}

/**
 * POST /v1/me/equipment, one statement: a new item of my inventory, private unless is_public says
 * otherwise. The category must be active and the photos my own live images, checked in the
 * statement that inserts.
 */
export async function createEquipment(db: Database, userId: string, input: CreateEquipmentInput): Promise<Equipment> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH checks AS (
        SELECT ${categoryActive(input.category_id)} AS category_ok, ${filesOwned(userId, input.photo_file_ids, "photo")} AS photos_ok
      ), created AS (
        INSERT INTO equipment (user_id, category_id, brand, model, nickname, serial_number, purchase_date, purchase_price,
                               currency, photo_file_ids, notes, is_public)
        SELECT ${userId}::uuid, ${input.category_id}::uuid, ${input.brand}, ${input.model}, ${input.nickname ?? null},
               ${input.serial_number ?? null}, ${input.purchase_date ?? null}::date, ${input.purchase_price ?? null}::numeric,
               ${input.currency ?? "USD"}, ${uuids(input.photo_file_ids ?? [])}, ${input.notes ?? null}, ${input.is_public ?? false}
          FROM checks c WHERE c.category_ok AND c.photos_ok
        RETURNING *
      )
      SELECT true AS found, c.category_ok, c.photos_ok, (SELECT ${equipmentJson()} FROM created e) AS item FROM checks c`),
  );
  return answer(rows[0]);
}

/** The SET list of a patch: only the fields it names. */
function assignments(input: UpdateEquipmentInput): SQL[] {
  const set: SQL[] = [];
  const plain = ["brand", "model", "nickname", "serial_number", "currency", "notes", "is_public"] as const;
  for (const column of plain) if (input[column] !== undefined) set.push(sql`${sql.identifier(column)} = ${input[column]}`);
  if (input.category_id !== undefined) set.push(sql`category_id = ${input.category_id}::uuid`);
  if (input.purchase_date !== undefined) set.push(sql`purchase_date = ${input.purchase_date}::date`);
  if (input.purchase_price !== undefined) set.push(sql`purchase_price = ${input.purchase_price}::numeric`);
  if (input.photo_file_ids !== undefined) set.push(sql`photo_file_ids = ${uuids(input.photo_file_ids)}`);
  return set;
}

/**
 * PATCH /v1/me/equipment/:id, one statement: any field; null clears an optional one. Someone
 * else's item, or a deleted one, is 404 (its existence is not confirmed).
 */
export async function updateEquipment(db: Database, userId: string, id: string, input: UpdateEquipmentInput): Promise<Equipment> {
  const { rows } = await ownerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH target AS (
        SELECT e.id FROM equipment e WHERE e.id = ${id}::uuid AND ${ownedBy(userId)}
      ), checks AS (
        SELECT ${categoryActive(input.category_id)} AS category_ok, ${filesOwned(userId, input.photo_file_ids, "photo")} AS photos_ok
      ), updated AS (
        UPDATE equipment e SET ${sql.join(assignments(input), sql`, `)}
          FROM target t, checks c
         WHERE e.id = t.id AND c.category_ok AND c.photos_ok
        RETURNING e.*
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, c.category_ok, c.photos_ok, (SELECT ${equipmentJson()} FROM updated e) AS item
        FROM checks c`),
  );
  return answer(rows[0]);
}

/**
 * DELETE /v1/me/equipment/:id, one statement: a soft delete. The item leaves my inventory, my
 * profile and the reminders at once; its warranties and maintenance stay with the row (they go
 * when the account is erased).
 */
export async function deleteEquipment(db: Database, userId: string, id: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE equipment e SET deleted_at = now() WHERE e.id = ${id}::uuid AND ${ownedBy(userId)} RETURNING e.id`);
  if (!rows[0]) throw notFound("This item");
}
