import { sql, type SQL } from "drizzle-orm";
import { postgresCode, postgresConstraint } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { textArray } from "../posts/post-text";

/**
 * What an owner's writes must satisfy, said once for items, warranties and maintenance: the
 * category, the files (arrays of ids cannot carry FKs, so they are checked in the statement that
 * writes), and the database's CHECKs read back as field errors.
 */

export const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

/** A `uuid[]` parameter; the columns are NOT NULL DEFAULT '{}', so an empty list is '{}'. */
export const uuids = (ids: string[]) => sql`${textArray(ids)}::uuid[]`;

/**
 * Every id of `ids` is a live file of `userId` of an accepted kind: photos are images; documents
 * (invoices, certificates, receipts) PDFs or images. `undefined` (not changed) passes.
 */
export function filesOwned(userId: string, ids: string[] | undefined, kind: "photo" | "document"): SQL {
  if (ids === undefined || ids.length === 0) return sql`true`;
  const accepted = kind === "photo" ? sql`f.mime_type LIKE 'image/%'` : sql`(f.mime_type LIKE 'image/%' OR f.mime_type = 'application/pdf')`;
  return sql`((SELECT count(*) FROM files f WHERE f.id = ANY(${uuids(ids)}) AND f.user_id = ${userId}::uuid AND f.deleted_at IS NULL AND ${accepted}) = ${ids.length})`;
}

/** The category exists and is active (a retired one keeps its items but takes no new ones). `undefined` passes. */
export const categoryActive = (categoryId: string | undefined): SQL =>
  categoryId === undefined ? sql`true` : sql`EXISTS (SELECT 1 FROM equipment_categories c WHERE c.id = ${categoryId}::uuid AND c.is_active)`;

export const PHOTOS_ERROR = () => invalid("photo_file_ids", "must all be your own live image files");
export const DOCUMENTS_ERROR = () => invalid("document_file_ids", "must all be your own live PDF or image files");
export const CATEGORY_ERROR = () => invalid("category_id", "must be an active equipment category");

/** Each CHECK an owner's write can break (a patch meeting stored values), as the field error it means. */
const CHECKS: Record<string, [path: string, message: string]> = {
  chk_equipment_warranties_dates_valid: ["end_date", "must not be before start_date"],
  chk_equipment_maintenance_next_due_after: ["next_due_date", "must not be before performed_on"],
  chk_equipment_purchase_price_positive: ["purchase_price", "must not be negative"],
  chk_equipment_maintenance_cost_positive: ["cost", "must not be negative"],
};

/** Runs an owner's write, turning a broken CHECK into a 422 on its field; anything else as it came. */
export async function ownerWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const constraint = postgresConstraint(err);
    if (postgresCode(err) === "23514" && constraint && CHECKS[constraint]) {
      const [path, message] = CHECKS[constraint];
      throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }], cause: err });
    }
    throw err;
  }
}
