import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { postgresCode } from "../../lib/database-errors";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import type { CreateDiscountCodeInput, DiscountCode, UpdateDiscountCodeInput } from "./schemas";

/** A discount code `d` as the API answers it to its creator. */
const codeJson = sql`json_build_object(
  'id', d.id, 'code', d.code, 'discount_type', d.discount_type, 'discount_value', d.discount_value::text,
  'minimum_purchase_amount', d.minimum_purchase_amount::text, 'maximum_discount_amount', d.maximum_discount_amount::text,
  'usage_limit', d.usage_limit, 'usage_count', d.usage_count, 'valid_from', ${iso("d.valid_from")}, 'valid_until', ${iso("d.valid_until")},
  'is_active', d.is_active, 'scope', CASE WHEN cu.role = 'admin' THEN 'platform' ELSE 'seller' END, 'created_at', ${iso("d.created_at")})`;

/**
 * POST /v1/me/discount-codes, one statement: sellers (anyone with a live product) make codes for
 * their own items, administrators for the whole platform. Codes are unique case-insensitively (409).
 */
export async function createDiscountCode(db: Database, userId: string, input: CreateDiscountCodeInput): Promise<DiscountCode> {
  try {
    const { rows } = await db.execute<{ code: DiscountCode | null }>(sql`
      WITH me AS (
        SELECT u.id FROM users u
         WHERE u.id = ${userId}::uuid
           AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM products p WHERE p.seller_id = u.id AND p.deleted_at IS NULL))
      ), d AS (
        INSERT INTO discount_codes (code, discount_type, discount_value, minimum_purchase_amount, maximum_discount_amount,
                                    usage_limit, valid_from, valid_until, creator_id)
        SELECT ${input.code}, ${input.discount_type}, ${input.discount_value}::numeric, ${input.minimum_purchase_amount ?? null}::numeric,
               ${input.maximum_discount_amount ?? null}::numeric, ${input.usage_limit ?? null}::int,
               ${input.valid_from}::timestamptz, ${input.valid_until}::timestamptz, me.id
          FROM me
        RETURNING *
      )
      SELECT (SELECT ${codeJson} FROM d JOIN users cu ON cu.id = d.creator_id) AS code`);
    const code = rows[0]?.code;
    if (!code) throw forbidden("Discount codes are for sellers (at least one product of yours) and administrators.");
    return code;
  } catch (error) {
    if (postgresCode(error) === "23505") {
      throw new ApiError("conflict", "This code is taken; choose another.", { errors: [{ path: "json.code", message: "is already taken" }] });
    }
    throw error;
  }
}

type ListRow = { code: DiscountCode; id: string; cursor_at: string };

/** GET /v1/me/discount-codes: mine, newest first (keyset). One round trip. */
export async function listDiscountCodes(db: Database, userId: string, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<ListRow>(sql`
    SELECT d.id, ${preciseIso("d.created_at")} AS cursor_at, ${codeJson} AS code
      FROM discount_codes d JOIN users cu ON cu.id = d.creator_id
     WHERE d.creator_id = ${userId}::uuid
       ${after ? sql`AND (d.created_at, d.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => r.code), next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

/**
 * PATCH /v1/me/discount-codes/:id: deactivate (or reactivate), move the end of validity, change the
 * usage limit (not below the uses already made: 422). Another's code is 404. One round trip.
 */
export async function updateDiscountCode(db: Database, userId: string, id: string, input: UpdateDiscountCodeInput): Promise<DiscountCode> {
  const sets = [
    input.is_active !== undefined ? sql`is_active = ${input.is_active}` : null,
    input.valid_until !== undefined ? sql`valid_until = ${input.valid_until}::timestamptz` : null,
    input.usage_limit !== undefined ? sql`usage_limit = ${input.usage_limit}::int` : null,
  ].filter((s) => s !== null);
  try {
    const { rows } = await db.execute<{ code: DiscountCode }>(sql`
      WITH d AS (
        UPDATE discount_codes SET ${sql.join(sets, sql`, `)}
         WHERE id = ${id}::uuid AND creator_id = ${userId}::uuid
        RETURNING *
      )
      SELECT ${codeJson} AS code FROM d JOIN users cu ON cu.id = d.creator_id`);
    if (!rows[0]) throw notFound("This discount code");
    return rows[0].code;
  } catch (error) {
    if (postgresCode(error) === "23514") {
      throw new ApiError("validation_failed", "The request is not valid.", {
        errors: [{ path: "json", message: "valid_until must stay after valid_from, and usage_limit at least the uses already made" }],
      });
    }
    throw error;
  }
}
