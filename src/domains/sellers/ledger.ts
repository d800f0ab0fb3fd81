import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import type { LEDGER_TYPES } from "./schemas";

type EntryRow = {
  id: string;
  type: (typeof LEDGER_TYPES)[number];
  amount: string;
  currency: string;
  status: string;
  order_id: string | null;
  payout_id: string | null;
  created_at: string;
  completed_at: string | null;
  cursor_at: string;
};

/**
 * GET /v1/me/seller/transactions: the seller's own ledger rows (sale, commission, payout), newest
 * first, keyset on (created_at, id) over idx_transactions_user_id_created_at; one round trip. Buyers'
 * payment and refund rows carry the buyer's id and are never listed here.
 */
export async function listLedger(db: Database, userId: string, query: { limit: number; cursor?: string; type?: (typeof LEDGER_TYPES)[number] }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<EntryRow>(sql`
    SELECT t.id, t.transaction_type AS type, t.amount::text AS amount, t.currency, t.status, t.order_id, t.payout_id,
           ${iso("t.created_at")} AS created_at, ${iso("t.completed_at")} AS completed_at, ${preciseIso("t.created_at")} AS cursor_at
      FROM transactions t
     WHERE t.user_id = ${userId}::uuid
       AND ${query.type ? sql`t.transaction_type = ${query.type}` : sql`t.transaction_type IN ('sale', 'commission', 'payout')`}
       ${after ? sql`AND (t.created_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY t.created_at DESC, t.id DESC LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ cursor_at: _, ...entry }) => entry),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
