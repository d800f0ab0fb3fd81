import { sql } from "drizzle-orm";
import type { JobContext } from "./schedule";

/** Reports handled per run (each costs one R2 delete); the next run takes the rest. */
export const EXPIRE_REPORTS_BATCH = 200;

/**
 * Hourly: a completed report past its expires_at loses its file. Its R2 object is deleted first,
 * then the row is marked 'expired' (keeping file_key, so a failed R2 delete is simply retried by
 * the next run, which finds the row still 'completed'). Bounded and idempotent; two round trips.
 */
export async function expireReports({ db, env, now }: JobContext): Promise<Record<string, number>> {
  const { rows } = await db.execute<{ id: string; file_key: string }>(sql`
    SELECT id, file_key FROM reports
     WHERE status = 'completed' AND expires_at IS NOT NULL AND expires_at <= ${now.toISOString()}::timestamptz
     ORDER BY expires_at
     LIMIT ${EXPIRE_REPORTS_BATCH}`);
  if (rows.length === 0) return { expired: 0 };
  await env.MEDIA.delete(rows.map((r) => r.file_key));
  const ids = JSON.stringify(rows.map((r) => r.id));
  const done = await db.execute(sql`
    UPDATE reports SET status = 'expired'
     WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${ids}::jsonb)) AND status = 'completed'
    RETURNING 1`);
  return { expired: done.rows.length };
}
