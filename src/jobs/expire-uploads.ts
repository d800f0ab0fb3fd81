import { sql } from "drizzle-orm";
import { STALE_COMPLETION_MINUTES } from "../domains/uploads/policy";
import { clockOf } from "./retention";
import type { JobContext } from "./schedule";

/** Upload rows handled per run (each costs two R2 calls); the next run takes the rest. */
export const EXPIRE_UPLOADS_BATCH = 200;

/** Failed and aborted uploads are kept this long, so their owner can still ask what happened. */
const KEEP_ENDED_HOURS = 24;

type Doomed = {
  id: string;
  storage_key: string;
  upload_id: string | null;
}

/**
 * Discards uploads nobody will finish (DESIGN §6): incomplete uploads past expires_at (and
 * completions that crashed and then expired) are marked 'expired' in the first statement, which
 * also picks up failed and aborted uploads older than a day and expired ones a previous run could
 * not clean. For each, the R2 multipart upload is aborted (dropping its parts) and any assembled
 * object deleted — never a completed upload's, which is a file's original. Then the rows go. A row
 * whose R2 clean-up failed stays 'expired' for the next run. Bounded, idempotent, two round trips.
 */
export async function expireUploads({ db, env, log, now }: JobContext): Promise<Record<string, number>> {
  // Never ahead of the database's clock: a cron replayed with a far-future time must not expire
  // uploads still in progress.
  const at = clockOf(now);
  const { rows } = await db.execute<Doomed & { newly_expired: boolean }>(sql`
    WITH expiring AS (
      UPDATE file_uploads SET status = 'expired'
       WHERE id IN (
         SELECT id FROM file_uploads
          WHERE expires_at < ${at}
            AND (status IN ('pending', 'uploading')
                 OR (status = 'processing' AND updated_at < ${at} - make_interval(mins => ${STALE_COMPLETION_MINUTES})))
          ORDER BY expires_at
          LIMIT ${EXPIRE_UPLOADS_BATCH})
      RETURNING id, storage_key, upload_id
    )
    SELECT id, storage_key, upload_id, true AS newly_expired FROM expiring
    UNION ALL
    (SELECT id, storage_key, upload_id, false FROM file_uploads
      WHERE status = 'expired'
         OR (status IN ('failed', 'aborted') AND updated_at < ${at} - make_interval(hours => ${KEEP_ENDED_HOURS}))
      ORDER BY updated_at
      LIMIT ${EXPIRE_UPLOADS_BATCH})`);

  const cleaned: string[] = [];
  let storageErrors = 0;
  for (const row of rows) {
    try {
      if (row.upload_id) {
        // Aborting an upload that was completed or aborted already is a no-op; one R2 no longer knows is an error we can ignore.
        await env.MEDIA.resumeMultipartUpload(row.storage_key, row.upload_id)
          .abort()
          .catch((err) => log.warn("expire-uploads: abort failed", { key: row.storage_key, error: String(err) }));
      }
      if (row.storage_key) await env.MEDIA.delete(row.storage_key);
      cleaned.push(row.id);
    } catch (err) {
      storageErrors++;
      log.warn("expire-uploads: R2 clean-up failed; retried next run", { id: row.id, error: String(err) });
    }
  }
  let deleted = 0;
  if (cleaned.length) {
    const { rows: gone } = await db.execute(sql`
      DELETE FROM file_uploads
       WHERE id IN (${sql.join(cleaned.map((id) => sql`${id}::uuid`), sql`, `)}) AND status IN ('expired', 'failed', 'aborted')
      RETURNING id`);
    deleted = gone.length;
  }
  return { expired: rows.filter((r) => r.newly_expired).length, deleted, storageErrors };
}
