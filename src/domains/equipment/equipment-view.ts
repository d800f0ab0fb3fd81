import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import { iso } from "../tracks/track-view";

/**
 * How equipment is seen and shaped. Every fragment is written over an `equipment` row under an
 * alias (default `e`) and reads everything else through correlated subqueries, so it fits any FROM:
 * the table, a keyset scan, or the RETURNING of a write in the same statement (one round trip).
 *
 * Equipment is its owner's private inventory. An item is shown to others only while it is public
 * (is_public), not deleted, and shown on a profile others can find: the owner neither banned nor
 * deleted, the profile not private, no block either way with the viewer (the rule of
 * users/sql-fragments.ts `profileFoundBy`, since the gear list is part of the profile). Whoever may
 * not see an item gets 404, never 403: its existence is not confirmed. Serial numbers, prices, notes,
 * warranties, maintenance and documents are the owner's only, whatever is_public says.
 */

const alias = (a: string) => sql.raw(a);

/** Today as a UTC calendar day, whatever the session's time zone: every date here is one. */
export const TODAY = sql.raw("(now() AT TIME ZONE 'UTC')::date");

/** A calendar day as "YYYY-MM-DD" (independent of the session's DateStyle). */
export const dayText = (expr: string) => sql.raw(`to_char(${expr}, 'YYYY-MM-DD')`);

/** The item under `a` is the live item of `userId`. */
export const ownedBy = (userId: string, a = "e"): SQL => sql`(${alias(a)}.user_id = ${userId}::uuid AND ${alias(a)}.deleted_at IS NULL)`;

/** Anyone `viewerId` (null: anonymous) may see the item under `a` on its owner's profile (see the file's comment). */
export function publiclyVisible(viewerId: string | null, a = "e"): SQL {
  const e = alias(a);
  return sql`(${e}.is_public AND ${e}.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM users ou JOIN user_profiles op ON op.user_id = ou.id
                 WHERE ou.id = ${e}.user_id AND ou.deleted_at IS NULL AND NOT ou.is_banned AND op.profile_visibility <> 'private')
    AND NOT ${blockHides(viewerId, sql`${e}.user_id`)})`;
}

/** The owner sees their live items; anyone else, public ones (`publiclyVisible`). */
export const visibleTo = (viewerId: string | null, a = "e"): SQL =>
  viewerId ? sql`(${ownedBy(viewerId, a)} OR ${publiclyVisible(viewerId, a)})` : publiclyVisible(null, a);

/** A live file of the item's owner under `f`. */
const ownerFile = (f: string, a: string) => sql.raw(`${f}.user_id = ${a}.user_id AND ${f}.deleted_at IS NULL`);

/** Paths the JSON hands out. */
export const photoPath = (equipmentId: string, fileId: string) => `/v1/equipment/${equipmentId}/photos/${fileId}`;
export const documentPath = (equipmentId: string, fileId: string) => `/v1/me/equipment/${equipmentId}/documents/${fileId}`;

/** The photos of the item under `a`: its owner's live image files, in its order (ids of files since deleted are skipped). */
const photosJson = (a: string) => sql`COALESCE((
  SELECT jsonb_agg(jsonb_build_object('id', pf.id, 'url', '/v1/equipment/' || ${alias(a)}.id || '/photos/' || pf.id, 'mime_type', pf.mime_type) ORDER BY px.n)
    FROM unnest(${alias(a)}.photo_file_ids) WITH ORDINALITY AS px(file_id, n)
    JOIN files pf ON pf.id = px.file_id AND ${ownerFile("pf", a)} AND pf.mime_type LIKE 'image/%'), '[]'::jsonb)`;

/** The documents (`column`, an array of file ids of a warranty or maintenance row) of the item under `a`. */
const documentsJson = (column: string, a: string) => sql`COALESCE((
  SELECT jsonb_agg(jsonb_build_object('id', df.id, 'url', '/v1/me/equipment/' || ${alias(a)}.id || '/documents/' || df.id,
                                      'mime_type', df.mime_type, 'filename', df.original_filename) ORDER BY dx.n)
    FROM unnest(${sql.raw(column)}) WITH ORDINALITY AS dx(file_id, n)
    JOIN files df ON df.id = dx.file_id AND ${ownerFile("df", a)}), '[]'::jsonb)`;

const categoryJson = (a: string) =>
  sql`(SELECT jsonb_build_object('id', c.id, 'slug', c.slug, 'name', c.name) FROM equipment_categories c WHERE c.id = ${alias(a)}.category_id)`;

/** The public card (`PublicEquipmentSchema`) of the item under `a`. Put `visibleTo` in the WHERE. */
export function publicEquipmentJson(a = "e"): SQL {
  const e = alias(a);
  return sql`jsonb_build_object(
    'id', ${e}.id, 'category', ${categoryJson(a)}, 'brand', ${e}.brand, 'model', ${e}.model, 'nickname', ${e}.nickname,
    'photos', ${photosJson(a)}, 'created_at', ${iso(`${a}.created_at`)})`;
}

/** A warranty row under `w` of the item under `a`, as `WarrantySchema`'s jsonb. */
export function warrantyJson(w = "w", a = "e"): SQL {
  const x = alias(w);
  return sql`jsonb_build_object(
    'id', ${x}.id, 'equipment_id', ${x}.equipment_id, 'provider', ${x}.provider, 'warranty_type', ${x}.warranty_type,
    'policy_number', ${x}.policy_number, 'start_date', ${dayText(`${w}.start_date`)}, 'end_date', ${dayText(`${w}.end_date`)},
    'status', CASE WHEN ${x}.end_date < ${TODAY} THEN 'expired' WHEN ${x}.start_date > ${TODAY} THEN 'upcoming' ELSE 'active' END,
    'documents', ${documentsJson(`${w}.document_file_ids`, a)}, 'notes', ${x}.notes,
    'expiry_notified_at', ${iso(`${w}.expiry_notified_at`)},
    'created_at', ${iso(`${w}.created_at`)}, 'updated_at', ${iso(`${w}.updated_at`)})`;
}

/** A maintenance row under `m` of the item under `a`, as `MaintenanceSchema`'s jsonb. */
export function maintenanceJson(m = "m", a = "e"): SQL {
  const x = alias(m);
  return sql`jsonb_build_object(
    'id', ${x}.id, 'equipment_id', ${x}.equipment_id, 'performed_on', ${dayText(`${m}.performed_on`)},
    'maintenance_type', ${x}.maintenance_type, 'performed_by', ${x}.performed_by, 'cost', ${x}.cost::text, 'currency', ${x}.currency,
    'notes', ${x}.notes, 'next_due_date', ${dayText(`${m}.next_due_date`)},
    'documents', ${documentsJson(`${m}.document_file_ids`, a)},
    'created_at', ${iso(`${m}.created_at`)}, 'updated_at', ${iso(`${m}.updated_at`)})`;
}

/**
 * The latest entry of each maintenance type of the item under `a` (a restring done supersedes the
 * previous restring's due date; a calibration due stays due): what "maintenance due" is read from.
 */
export const latestMaintenancePerType = (a = "e") => sql`(
  SELECT DISTINCT ON (lm.maintenance_type) lm.* FROM equipment_maintenance lm
   WHERE lm.equipment_id = ${alias(a)}.id
   ORDER BY lm.maintenance_type, lm.performed_on DESC, lm.created_at DESC, lm.id DESC)`;

/** The owner's summary (`EquipmentSummarySchema`) of the item under `a`. */
export function equipmentSummaryJson(a = "e"): SQL {
  const e = alias(a);
  return sql`(${publicEquipmentJson(a)} || jsonb_build_object(
    'serial_number', ${e}.serial_number, 'purchase_date', ${dayText(`${a}.purchase_date`)}, 'purchase_price', ${e}.purchase_price::text,
    'currency', ${e}.currency, 'is_public', ${e}.is_public,
    'warranty_ends_on', (SELECT to_char(max(sw.end_date), 'YYYY-MM-DD') FROM equipment_warranties sw WHERE sw.equipment_id = ${e}.id),
    'next_maintenance_due', (SELECT to_char(min(nm.next_due_date), 'YYYY-MM-DD') FROM ${latestMaintenancePerType(a)} nm),
    'updated_at', ${iso(`${a}.updated_at`)}))`;
}

/** The owner's full item (`EquipmentSchema`) under `a`: the summary, notes, warranties and latest maintenance. */
export function equipmentJson(a = "e"): SQL {
  const e = alias(a);
  return sql`(${equipmentSummaryJson(a)} || jsonb_build_object(
    'notes', ${e}.notes,
    'warranties', COALESCE((SELECT jsonb_agg(${warrantyJson("w", a)} ORDER BY w.end_date DESC, w.created_at DESC, w.id)
                              FROM equipment_warranties w WHERE w.equipment_id = ${e}.id), '[]'::jsonb),
    'maintenance_count', (SELECT count(*)::int FROM equipment_maintenance cm WHERE cm.equipment_id = ${e}.id),
    'last_maintenance', (SELECT ${maintenanceJson("m", a)} FROM equipment_maintenance m WHERE m.equipment_id = ${e}.id
                          ORDER BY m.performed_on DESC, m.created_at DESC, m.id DESC LIMIT 1)))`;
}

/** A jsonb column as the driver hands it back (parsed or text), typed. */
export const fromJson = <T>(value: unknown): T => parseJson<T>(value)!;
