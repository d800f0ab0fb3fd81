import { sql } from "drizzle-orm";
import { iso } from "../tracks/track-view";

/**
 * An order `o` as its buyer sees it (OrderSchema): totals, the code used, and its items with the
 * licence key and the terms as they were when ordered. The payment link only while it is pending.
 */
export const orderJson = sql`json_build_object(
  'id', o.id, 'order_number', o.order_number, 'status', o.status, 'currency', o.currency,
  'subtotal', o.subtotal::text, 'discount_total', o.discount_total::text, 'tax_total', o.tax_total::text, 'total', o.total::text,
  'discount_code', (SELECT d.code FROM discount_codes d WHERE d.id = o.discount_code_id),
  'billing_email', o.billing_email, 'billing_name', o.billing_name, 'payment_method', o.payment_method,
  'checkout_url', CASE WHEN o.status = 'pending' THEN o.stripe_checkout_url END,
  'items', COALESCE((
    SELECT json_agg(json_build_object(
             'id', oi.id, 'product_id', oi.product_id, 'product_name', oi.product_name,
             'seller', json_build_object('id', oi.seller_id, 'username', su.username),
             'license', CASE WHEN oi.license_id IS NULL THEN NULL ELSE json_build_object('id', oi.license_id, 'name', l.name) END,
             'license_key', oi.license_key, 'license_terms', oi.license_terms, 'price', oi.price::text,
             'download_count', oi.download_count, 'revoked', oi.revoked_at IS NOT NULL)
           ORDER BY oi.product_name, oi.id)
      FROM order_items oi JOIN users su ON su.id = oi.seller_id LEFT JOIN product_licenses l ON l.id = oi.license_id
     WHERE oi.order_id = o.id), '[]'::json),
  'created_at', ${iso("o.created_at")}, 'paid_at', ${iso("o.paid_at")},
  'cancelled_at', ${iso("o.cancelled_at")}, 'refunded_at', ${iso("o.refunded_at")})`;
