import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { preciseIso } from "../tracks/track-view";
import { payoutJson, toPayout } from "./payout-view";

type PayoutRow = { id: string; cursor_at: string; payout: unknown };

/**
 * GET /v1/me/seller/payouts: the seller's payouts, newest first, keyset on (created_at, id) over
 * idx_seller_payouts_seller_id_created_at; one round trip.
 */
export async function listPayouts(db: Database, userId: string, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PayoutRow>(sql`
    SELECT sp.id, ${preciseIso("sp.created_at")} AS cursor_at, ${payoutJson("sp")} AS payout
      FROM seller_payouts sp
     WHERE sp.seller_id = ${userId}::uuid
       ${after ? sql`AND (sp.created_at, sp.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY sp.created_at DESC, sp.id DESC LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toPayout(r.payout)),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
