import { sql } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import type { Payout } from "./schemas";

const at = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A payout as the API returns it, built in SQL from `sp` (seller_payouts). */
export const payoutJson = (sp = "sp") =>
  sql.raw(`json_build_object('id', ${sp}.id, 'payout_number', ${sp}.payout_number, 'amount', ${sp}.amount::text, 'currency', ${sp}.currency,
    'status', ${sp}.status, 'failure_reason', ${sp}.failure_reason, 'created_at', ${at(`${sp}.created_at`)},
    'processed_at', ${at(`${sp}.processed_at`)}, 'completed_at', ${at(`${sp}.completed_at`)}, 'failed_at', ${at(`${sp}.failed_at`)})`);

export const toPayout = (value: unknown): Payout => parseJson<Payout>(value)!;
