import { exportPrefix } from "./export-link";

/**
 * Removes a user's archives from R2, but `keep`: a new archive replaces the previous one (whose
 * link then answers 410), and an erased account keeps none. Returns how many were removed.
 */
export async function deleteExports(bucket: R2Bucket, userId: string, keep?: string): Promise<number> {
  let removed = 0;
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: exportPrefix(userId), cursor, limit: 1000 });
    const keys = listed.objects.map((o) => o.key).filter((key) => key !== keep);
    if (keys.length) await bucket.delete(keys);
    removed += keys.length;
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  return removed;
}
