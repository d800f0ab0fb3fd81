import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import type { ProductStatus } from "./schemas";

type SuspensionState = { id: string; status: ProductStatus; suspension_reason: string | null; suspended_at: string | null };

const stateJson = sql`jsonb_build_object('id', s.id, 'status', s.status, 'suspension_reason', s.suspension_reason,
  'suspended_at', to_char(s.suspended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/**
 * PUT /v1/products/:id/suspension (moderators and admins), one statement: the product leaves the
 * catalogue with a reason its seller sees; the seller can neither set nor clear it. Suspending
 * again replaces the reason. Recorded in audit_logs (product.suspend) in the same statement.
 */
export async function suspendProduct(db: Database, productId: string, moderatorId: string, reason: string, origin: AuditOrigin): Promise<SuspensionState> {
  const { rows } = await db.execute<{ state: unknown }>(sql`
    WITH s AS (
      UPDATE products SET status = 'suspended', suspension_reason = ${reason}, suspended_at = now()
       WHERE id = ${productId}::uuid AND deleted_at IS NULL
      RETURNING id, seller_id, status, suspension_reason, suspended_at
    ), logged AS (${auditInsertFrom(
      { action: "product.suspend", userId: sql`s.seller_id`, actorId: moderatorId, severity: "warning", origin, metadata: sql`jsonb_build_object('product_id', s.id, 'reason', s.suspension_reason)` },
      sql`s`,
    )})
    SELECT ${stateJson} AS state FROM s`);
  if (!rows[0]) throw notFound("This product");
  return parseJson<SuspensionState>(rows[0].state)!;
}

/**
 * DELETE /v1/products/:id/suspension (moderators and admins), one statement: the product comes back
 * inactive — its seller decides when it goes on sale again. 409 when it is not suspended.
 */
export async function liftSuspension(db: Database, productId: string, moderatorId: string, origin: AuditOrigin): Promise<SuspensionState> {
  const { rows } = await db.execute<{ found: boolean; state: unknown }>(sql`
    WITH target AS (
      SELECT id FROM products WHERE id = ${productId}::uuid AND deleted_at IS NULL
    ), s AS (
      UPDATE products p SET status = 'inactive', suspension_reason = NULL, suspended_at = NULL
        FROM target t WHERE p.id = t.id AND p.status = 'suspended'
      RETURNING p.id, p.seller_id, p.status, p.suspension_reason, p.suspended_at
    ), logged AS (${auditInsertFrom(
      { action: "product.unsuspend", userId: sql`s.seller_id`, actorId: moderatorId, origin, metadata: sql`jsonb_build_object('product_id', s.id)` },
      sql`s`,
    )})
    SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT ${stateJson} FROM s) AS state`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This product");
  if (!row.state) throw new ApiError("conflict", "This product is not suspended.");
  return parseJson<SuspensionState>(row.state)!;
}
